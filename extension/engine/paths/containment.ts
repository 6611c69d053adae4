// Where a workspace path may lead. Every rule about staying inside the workspace folders lives here:
// discovery's link checks, the index file's validation and every place an index path becomes a file path.
import * as path from 'node:path';

/** Whether `candidate` is `folder` or lies below it (both absolute and normalised, e.g. real paths). */
export function isWithin(folder: string, candidate: string): boolean {
  return candidate === folder || candidate.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** Whether `candidate` lies in one of `roots` (real paths of the workspace folders). */
export function isInsideRoots(roots: readonly string[], candidate: string): boolean {
  return roots.some((root) => isWithin(root, candidate));
}

/**
 * Why a stored relative path (an index record's `relPath` or shown `path`) cannot be a file below its
 * root, or undefined when it is a plain one: `a/b.ts` — not absolute, no `..`, `.` or empty segment, no
 * NUL. Both separators count, so a Windows `..\` is caught on any platform. Other control characters
 * are allowed: a file may be named with them and they lead nowhere; what shows a name on a terminal
 * strips them (cli/format.ts).
 */
export function unsafeRelativePath(relPath: unknown): string | undefined {
  if (typeof relPath !== 'string' || relPath === '') return 'is empty';
  if (relPath.includes('\0')) return 'contains a NUL';
  if (path.posix.isAbsolute(relPath) || path.win32.isAbsolute(relPath)) return 'is absolute';
  const segments = relPath.split(/[\\/]/);
  if (segments.includes('..')) return 'has a .. segment';
  if (segments.some((s) => s === '' || s === '.')) return 'is not a plain relative path';
  return undefined;
}

/**
 * The one way a stored relative path becomes an absolute one: `root` joined with `relPath`, refused
 * (thrown) unless the result lies below `root`. Reading the file then checks its real path (links).
 */
export function resolveInRoot(root: string, relPath: string): string {
  const why = unsafeRelativePath(relPath);
  const base = path.resolve(root);
  const absolute = why ? undefined : path.resolve(base, ...relPath.split('/'));
  if (!absolute || !isWithin(base, absolute) || absolute === base) {
    throw new Error(`Longview: refused ${JSON.stringify(String(relPath).slice(0, 200))}: ${why ?? 'outside'} (not a file inside ${base})`);
  }
  return absolute;
}
