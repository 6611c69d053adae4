// Decides whether a location the sidebar asks to open names a file of the open workspace folders.
// The webview is not trusted with paths: its `uri` is normalised (`..` resolved, symbolic links
// resolved) and must lie inside a folder both as written and as it really is on disk. vscode-free,
// so it is unit-tested under plain Node (test/unit/workspace-file.test.ts).
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reasonOf } from './engine/reasonOf';

export type WorkspaceFileCheck =
  /** `path`: normalised, as written (what to open); `realPath`: with every link resolved. */
  { ok: true; path: string; realPath: string; root: string } | { ok: false; reason: string };

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** The absolute, `..`-free path a location names, or why it names none. */
function normalise(location: string, roots: readonly string[]): { path: string } | { reason: string } {
  if (location.includes('\0')) return { reason: 'the path contains a NUL character' };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(location)?.[1];
  if (scheme && !(process.platform === 'win32' && scheme.length === 1)) {
    if (scheme.toLowerCase() !== 'file') return { reason: `only files can be opened, not a "${scheme}:" location` };
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return { reason: 'the location is not a valid file URI' };
    }
    if (url.host !== '' && url.host !== 'localhost') return { reason: `the file is on another host (${url.host})` };
    try {
      // The URL keeps `..` as written in its path's encoded form until fileURLToPath; resolve after.
      return { path: path.resolve(fileURLToPath(url)) };
    } catch (error) {
      return { reason: `the location is not a valid file URI (${reasonOf(error)})` };
    }
  }
  if (path.isAbsolute(location)) return { path: path.resolve(location) };
  // A relative path is read against the first folder (the engine's names in a one-folder workspace).
  if (roots.length === 0) return { reason: 'no workspace folder is open' };
  return { path: path.resolve(roots[0], location) };
}

/**
 * Checks that `location` (a `file:` URI, an absolute path, or a path relative to the first folder)
 * names an existing regular file inside one of `roots`, after resolving `..` and symbolic links.
 * Refused: another scheme or host, a path leaving every folder (`file:///ws/../../etc/passwd`,
 * `../x`), a link inside a folder that points outside every folder, a folder itself, a missing file.
 */
export async function checkWorkspaceFile(location: string, roots: readonly string[]): Promise<WorkspaceFileCheck> {
  const normal = normalise(location, roots);
  if ('reason' in normal) return { ok: false, reason: normal.reason };
  const root = roots.map((r) => path.resolve(r)).find((r) => inside(r, normal.path));
  if (!root) return { ok: false, reason: `${normal.path} is outside the workspace folders` };
  let realPath: string;
  try {
    realPath = await realpath(normal.path);
  } catch {
    return { ok: false, reason: `${normal.path} does not exist` };
  }
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => path.resolve(r))));
  if (!realRoots.some((r) => inside(r, realPath))) {
    return { ok: false, reason: `${normal.path} leads outside the workspace folders (to ${realPath})` };
  }
  const info = await stat(realPath).catch(() => undefined);
  if (!info?.isFile()) return { ok: false, reason: `${normal.path} is not a file` };
  return { ok: true, path: normal.path, realPath, root };
}
