// Walks workspace folders and reports each file Longview will read, and each file or folder it leaves
// out with the reason. Folders are listed in name order, so the same tree always gives the same order.
import type { Dirent, Stats } from 'node:fs';
import * as path from 'node:path';
import { type IgnoreLevel, loadIgnoreLevel } from './gitignoreRules';
import { examineFile, linkRule, ruleByName } from './entryChecks';
import type { DiscoveredFile, DiscoveryEvent, DiscoveryOptions, DiscoveryResult, SkippedEntry } from './types';
import {
  FILE_SYSTEM_CONCURRENCY,
  type Walk,
  concurrencyLimit,
  createWalk,
  errorCode,
  failureReason,
  readdir,
  realpath,
  skip,
  stat,
} from './walkContext';

export { compileExclude } from './walkContext';
export { examinePath } from './examinePath';

interface PendingDirectory {
  relativePath: string;
  /** Its real path: an entry's real path is this plus its name unless the entry is itself a link. */
  realPath: string;
  ignoreLevels: IgnoreLevel[];
}

/** Reads the files and folders under each root; yields as it goes. A missing or unreadable root throws. */
export async function* walkFiles(roots: readonly string[], options: DiscoveryOptions = {}): AsyncGenerator<DiscoveryEvent> {
  const rootRealPaths = (await Promise.all(roots.map((root) => realpath(root).catch(() => undefined)))).filter((r): r is string => !!r);
  const shared = { rootRealPaths, seenDirectories: new Set<string>(), limit: concurrencyLimit(FILE_SYSTEM_CONCURRENCY) };
  for (const root of roots) {
    const walk = createWalk(root, options, shared);
    yield* walkRoot(walk);
    if (options.signal?.aborted) return;
  }
}

/** Collects a whole walk. */
export async function discoverFiles(roots: readonly string[], options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const files: DiscoveredFile[] = [];
  const skipped: SkippedEntry[] = [];
  const skippedByReason: DiscoveryResult['skippedByReason'] = {};
  for await (const event of walkFiles(roots, options)) {
    if (event.kind === 'file') {
      files.push(event.file);
    } else {
      skipped.push(event.skipped);
      skippedByReason[event.skipped.reason] = (skippedByReason[event.skipped.reason] ?? 0) + 1;
    }
  }
  return { files, skipped, skippedByReason };
}

async function* walkRoot(walk: Walk): AsyncGenerator<DiscoveryEvent> {
  let rootReal: string;
  try {
    if (!(await stat(walk.root)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    rootReal = await realpath(walk.root);
  } catch (error) {
    throw new Error(`Longview: cannot read workspace folder ${walk.root}: ${errorCode(error) ?? String(error)}`, { cause: error });
  }
  if (walk.seenDirectories.has(rootReal)) return; // the same folder given twice
  walk.seenDirectories.add(rootReal);
  // Folders are examined as soon as they are found (all file system calls share one limit), and their
  // results are yielded depth first in name order, so many small folders do not each wait their turn.
  const stack = [startDirectory(walk, { relativePath: '', realPath: rootReal, ignoreLevels: [] })];
  while (stack.length) {
    const { events, subdirectories } = await stack.pop()!;
    yield* events;
    if (walk.options.signal?.aborted) return;
    stack.push(...subdirectories.reverse());
  }
}

interface DirectoryResult {
  events: DiscoveryEvent[];
  subdirectories: Promise<DirectoryResult>[];
}

function startDirectory(walk: Walk, directory: PendingDirectory): Promise<DirectoryResult> {
  const started = examineDirectory(walk, directory);
  started.catch(() => undefined); // awaited later; keep an abandoned walk from reporting an unhandled rejection
  return started;
}

async function examineDirectory(walk: Walk, directory: PendingDirectory): Promise<DirectoryResult> {
  if (walk.options.signal?.aborted) return { events: [], subdirectories: [] };
  const absolute = path.join(walk.root, directory.relativePath);
  let entries: Dirent[];
  try {
    entries = await walk.limit(() => readdir(absolute));
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    return { events: [skip(walk, directory.relativePath, failureReason(error), true)], subdirectories: [] };
  }
  await walk.options.onDirectoryListed?.(
    absolute,
    entries.map((e) => e.name),
  );
  // This folder's own .gitignore governs its entries; read only when listed (most folders have none).
  const atRoot = directory.relativePath === '';
  if (walk.respectGitignore && (atRoot || entries.some((e) => e.name === '.gitignore'))) {
    const level = await walk.limit(() => loadIgnoreLevel(walk.root, directory.relativePath, atRoot));
    if (level) directory = { ...directory, ignoreLevels: [...directory.ignoreLevels, level] };
  }
  const found: PendingDirectory[] = [];
  const results = await Promise.all(entries.map((entry) => examineEntry(walk, directory, entry, found)));
  // Real paths are claimed here, in name order, not as their lookups finish: of two links to one
  // folder the first by name is walked, the same on every run.
  found.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
  const claimed: PendingDirectory[] = [];
  for (const sub of found) {
    if (walk.seenDirectories.has(sub.realPath)) {
      results.push(skip(walk, sub.relativePath, { reason: 'duplicate', detail: `${sub.realPath} already walked` }, true));
      continue;
    }
    walk.seenDirectories.add(sub.realPath);
    claimed.push(sub);
  }
  // Subfolders start only now, after this folder's entries have claimed their real paths.
  return {
    events: results.filter((e): e is DiscoveryEvent => e !== undefined),
    subdirectories: claimed.map((sub) => startDirectory(walk, sub)),
  };
}

/** One listed entry: a file event, a skip, or undefined for a folder queued in `subdirectories`. */
async function examineEntry(
  walk: Walk,
  directory: PendingDirectory,
  entry: Dirent,
  subdirectories: PendingDirectory[],
): Promise<DiscoveryEvent | undefined> {
  const name = entry.name;
  const relativePath = directory.relativePath ? `${directory.relativePath}/${name}` : name;
  const absolute = path.join(walk.root, relativePath);
  if (name === '.git') return skip(walk, relativePath, { reason: 'vcs', detail: '.git' }, true);
  let linkTarget: Stats | undefined;
  if (entry.isSymbolicLink()) {
    try {
      linkTarget = await walk.limit(() => stat(absolute));
    } catch (error) {
      return skip(
        walk,
        relativePath,
        errorCode(error) === 'ENOENT' ? { reason: 'broken-link', detail: 'target does not exist' } : failureReason(error),
      );
    }
  }
  const isDirectory = linkTarget ? linkTarget.isDirectory() : entry.isDirectory();
  const isFile = linkTarget ? linkTarget.isFile() : entry.isFile();
  const byName = ruleByName(walk, directory.ignoreLevels, relativePath, name, isDirectory);
  if (byName) return skip(walk, relativePath, byName, isDirectory);
  if (isDirectory) {
    // Not a link: the real path follows from the parent's, without a system call.
    const knownRealPath = linkTarget ? undefined : path.join(directory.realPath, name);
    return enterDirectory(walk, directory, relativePath, absolute, knownRealPath, subdirectories);
  }
  // A link is judged by where it leads first (examineFile): a link to a device outside is outside-workspace.
  if (!isFile && !linkTarget) return skip(walk, relativePath, { reason: 'not-a-file', detail: 'socket, FIFO or device' });
  return examineFile(walk, relativePath, absolute, linkTarget, linkTarget !== undefined);
}

/**
 * Queues a folder. A linked folder is never followed: its target is walked at its own path when it lies
 * inside a workspace root (or is its own ancestor: a loop), and not at all when it lies outside them
 * (`outside-workspace`: a link to `/` or a home folder must not pull the machine into the workspace).
 */
async function enterDirectory(
  walk: Walk,
  parent: PendingDirectory,
  relativePath: string,
  absolute: string,
  knownRealPath: string | undefined,
  subdirectories: PendingDirectory[],
): Promise<DiscoveryEvent | undefined> {
  let real = knownRealPath;
  if (!real) {
    try {
      real = await walk.limit(() => realpath(absolute));
    } catch (error) {
      return skip(walk, relativePath, failureReason(error), true);
    }
    return skip(walk, relativePath, linkRule(walk, real, parent.realPath), true);
  }
  // Claimed (or found a duplicate) by the caller, in name order.
  subdirectories.push({ relativePath, realPath: real, ignoreLevels: parent.ignoreLevels });
  return undefined;
}
