// One file's verdict without a walk, for save, create and rename events.
import * as path from 'node:path';
import type { Stats } from 'node:fs';
import { type IgnoreLevel, loadIgnoreLevel } from './gitignore-rules';
import { examineFile, ruleByName } from './entry-checks';
import type { DiscoveryEvent, DiscoveryOptions } from './types';
import { FILE_SYSTEM_CONCURRENCY, concurrencyLimit, createWalk, errorCode, failureReason, lstat, realpath, skip, stat } from './walk-context';

/**
 * Discovery's verdict on one file, for a save, create or rename event: the same rules as a full walk
 * (the .gitignore files of its folders, excludes, generated folders on its path, size, content), without
 * walking anything else. Throws only when `absolutePath` is not under `root`.
 */
export async function examinePath(root: string, absolutePath: string, options: DiscoveryOptions = {}): Promise<DiscoveryEvent> {
  const relative = path.relative(root, absolutePath);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`Longview: ${absolutePath} is not inside the workspace folder ${root}`);
  }
  const parts = relative.split(path.sep);
  const walk = createWalk(root, options, {
    rootRealPaths: [await realpath(root).catch(() => root)], seenDirectories: new Set(), seenFiles: new Set(),
    limit: concurrencyLimit(FILE_SYSTEM_CONCURRENCY),
  });
  let levels: IgnoreLevel[] = [];
  for (let depth = 0; depth < parts.length; depth++) {
    const folder = parts.slice(0, depth).join('/');
    if (walk.respectGitignore) {
      const level = await loadIgnoreLevel(root, folder, depth === 0);
      if (level) levels = [...levels, level];
    }
    if (depth === parts.length - 1) break;
    const name = parts[depth];
    const folderPath = parts.slice(0, depth + 1).join('/');
    const byName = name === '.git' ? { reason: 'vcs' as const, detail: '.git' } : ruleByName(walk, levels, folderPath, name, true);
    if (byName) return skip(walk, parts.join('/'), { reason: byName.reason, detail: `in ${folderPath}/: ${byName.detail ?? ''}`.trim() });
  }
  const relativePath = parts.join('/');
  const name = parts[parts.length - 1];
  let info: Stats;
  try {
    info = await lstat(absolutePath);
  } catch (error) {
    return skip(walk, relativePath, failureReason(error));
  }
  let linkTarget: Stats | undefined;
  if (info.isSymbolicLink()) {
    try {
      linkTarget = await stat(absolutePath);
    } catch (error) {
      return skip(walk, relativePath, errorCode(error) === 'ENOENT' ? { reason: 'broken-link', detail: 'target does not exist' } : failureReason(error));
    }
  }
  const target = linkTarget ?? info;
  if (target.isDirectory()) throw new Error(`Longview: ${absolutePath} is a folder; examinePath takes files`);
  const byName = name === '.git' ? { reason: 'vcs' as const, detail: '.git' } : ruleByName(walk, levels, relativePath, name, false);
  if (byName) return skip(walk, relativePath, byName);
  if (!target.isFile()) return skip(walk, relativePath, { reason: 'not-a-file', detail: 'socket, FIFO or device' });
  return examineFile(walk, relativePath, absolutePath, target, linkTarget !== undefined);
}
