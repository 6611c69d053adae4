// What every step of a walk shares: its settings, the paths already seen, the file system calls (limited
// in number), and how a skipped entry and a failed call are reported.
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDE, DEFAULT_MAX_FILE_SIZE_KB } from './defaults';
import { overCap } from './readFile';
import type { DiscoveryEvent, DiscoveryOptions, SkipReason, SkippedEntry } from './types';

/** File system calls in flight at once, across all folders being examined. */
export const FILE_SYSTEM_CONCURRENCY = 16;

export interface Walk {
  root: string;
  respectGitignore: boolean;
  options: DiscoveryOptions;
  isExcluded: (relativePath: string) => boolean;
  maxBytes: number;
  /**
   * Real paths of all roots: links into them are not followed (their targets are walked in place), links
   * out of them are not followed at all.
   */
  rootRealPaths: string[];
  /** Real paths of folders already walked. */
  seenDirectories: Set<string>;
  limit: <T>(task: () => Promise<T>) => Promise<T>;
}

export type Why = { reason: SkipReason; detail?: string };

// The callback forms, promisified: in Node 20 they are faster than fs/promises for many small files
// (bench/README.md "Figures behind the code").
export const stat = promisify(fs.stat);
export const realpath = promisify(fs.realpath);
export const readdir = (folder: string) => promisify(fs.readdir)(folder, { withFileTypes: true });
export const lstat = promisify(fs.lstat);

/** Settings and shared state for walking `root`; roots walked together share `seen` and the call limit. */
export function createWalk(
  root: string,
  options: DiscoveryOptions,
  shared: Pick<Walk, 'rootRealPaths' | 'seenDirectories' | 'limit'>,
): Walk {
  return {
    root,
    options,
    ...shared,
    respectGitignore: options.respectGitignore ?? true,
    isExcluded: compileExclude(options.exclude ?? DEFAULT_EXCLUDE),
    maxBytes: (options.maxFileSizeKB ?? DEFAULT_MAX_FILE_SIZE_KB) * 1024,
  };
}

export { errorCode, failureReason } from './readFile';
export { isWithin } from '../paths/containment';

/** picomatch compiles the globs into one RegExp once; `dot` so that `**` also covers dotfiles and dot folders. */
export function compileExclude(globs: readonly string[]): (relativePath: string) => boolean {
  if (!globs.length) return () => false;
  const matches = picomatch([...globs], { dot: true });
  return (relativePath) => matches(relativePath);
}

/** A limit on concurrent file system calls: enough to hide latency, few enough not to hold many large buffers. */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  // A queue with a moving head: Array.shift is linear, and a large tree queues tens of thousands of calls.
  let waiting: (() => void)[] = [];
  let head = 0;
  const release = () => {
    if (head === waiting.length) {
      active--;
      return;
    }
    const next = waiting[head++]; // the slot passes straight to the next caller
    if (head > 1024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
    next();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}

export function skip(walk: Walk, relativePath: string, why: Why, directory = false): DiscoveryEvent {
  const skipped: SkippedEntry = { root: walk.root, path: path.join(walk.root, relativePath), relativePath, reason: why.reason };
  if (why.detail) skipped.detail = why.detail;
  if (directory) skipped.directory = true;
  return { kind: 'skipped', skipped };
}

export function tooLarge(size: number, maxBytes: number): Why {
  return overCap(maxBytes, size);
}
