// One file's verdict without a walk, for save, create and rename events.
import * as path from 'node:path';
import type { Stats } from 'node:fs';
import { type IgnoreLevel, loadIgnoreLevel } from './gitignoreRules';
import { examineFile, linkRule, ruleByName } from './entryChecks';
import { kindOf } from './readFile';
import type { DiscoveryEvent, DiscoveryOptions } from './types';
import {
  FILE_SYSTEM_CONCURRENCY,
  concurrencyLimit,
  createWalk,
  errorCode,
  failureReason,
  lstat,
  realpath,
  skip,
  stat,
} from './walkContext';

/**
 * Discovery's verdict on one file, for a save, create or rename event: the same rules as a full walk,
 * from the same functions (the .gitignore files of its folders, excludes, generated folders on its path,
 * links out of the workspace or into it, kind, size, content), without walking anything else. `roots`
 * are all the workspace's folders (links between them are links inside the workspace). Nothing outside
 * the workspace is read: a linked folder on the way is judged before anything inside it is opened.
 * Throws only when `absolutePath` is not under `root`.
 */
export async function examinePath(
  root: string,
  absolutePath: string,
  options: DiscoveryOptions = {},
  roots: readonly string[] = [root],
): Promise<DiscoveryEvent> {
  const relative = path.relative(root, absolutePath);
  const parts = relative.split(path.sep);
  if (!relative || parts[0] === '..' || path.isAbsolute(relative)) {
    throw new Error(`Longview: ${absolutePath} is not inside the workspace folder ${root}`);
  }
  const rootRealPaths = await Promise.all(roots.map((r) => realpath(r).catch(() => path.resolve(r))));
  const walk = createWalk(root, options, { rootRealPaths, seenDirectories: new Set(), limit: concurrencyLimit(FILE_SYSTEM_CONCURRENCY) });
  const relativePath = parts.join('/');
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
    if (byName) return skip(walk, relativePath, { reason: byName.reason, detail: `in ${folderPath}/: ${byName.detail ?? ''}`.trim() });
    // A walk never enters a linked folder (walk.ts enterDirectory): neither does this.
    const folderAbsolute = path.join(root, ...parts.slice(0, depth + 1));
    let info: Stats;
    try {
      info = await lstat(folderAbsolute);
    } catch (error) {
      return skip(walk, relativePath, failureReason(error));
    }
    if (info.isSymbolicLink()) {
      let real: string;
      try {
        real = await realpath(folderAbsolute);
      } catch (error) {
        return skip(walk, relativePath, failureReason(error));
      }
      const parentReal = await realpath(path.dirname(folderAbsolute)).catch(() => path.dirname(folderAbsolute));
      const why = linkRule(walk, real, parentReal);
      return skip(walk, relativePath, { reason: why.reason, detail: `in ${folderPath}/: ${why.detail ?? ''}`.trim() });
    }
  }
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
      return skip(
        walk,
        relativePath,
        errorCode(error) === 'ENOENT' ? { reason: 'broken-link', detail: 'target does not exist' } : failureReason(error),
      );
    }
  }
  const target = linkTarget ?? info;
  const byName =
    name === '.git' ? { reason: 'vcs' as const, detail: '.git' } : ruleByName(walk, levels, relativePath, name, target.isDirectory());
  if (byName) return skip(walk, relativePath, byName);
  if (target.isDirectory()) {
    // A folder is not a file to index; a linked one is judged as the walk judges it.
    if (!linkTarget) return skip(walk, relativePath, { reason: 'not-a-file', detail: 'a folder' });
    let real: string;
    try {
      real = await realpath(absolutePath);
    } catch (error) {
      return skip(walk, relativePath, failureReason(error));
    }
    return skip(
      walk,
      relativePath,
      linkRule(walk, real, await realpath(path.dirname(absolutePath)).catch(() => path.dirname(absolutePath))),
    );
  }
  if (!target.isFile() && !linkTarget) return skip(walk, relativePath, { reason: 'not-a-file', detail: kindOf(target) });
  return examineFile(walk, relativePath, absolutePath, target, linkTarget !== undefined);
}
