// .gitignore rules per folder, applied the way git does: each file's patterns are relative to its own
// folder, and a deeper file's rules (negations included) override a shallower one's.
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readWorkspaceFile } from './readFile';

/**
 * An ignore file is read like any workspace file (regular files only: a FIFO named .gitignore must not
 * hang the walk) and within a cap far above any real one; a larger one is left unread.
 */
const IGNORE_FILE_MAX_BYTES = 1024 * 1024;

async function readIgnoreFile(file: string): Promise<string | undefined> {
  const read = await readWorkspaceFile(file, { maxBytes: IGNORE_FILE_MAX_BYTES });
  return 'bytes' in read ? read.bytes.toString('utf8') : undefined;
}

export interface IgnoreLevel {
  /** Folder of the .gitignore, relative to the root with `/` separators ('' for the root). */
  base: string;
  rules: Ignore;
}

/** The rules of one folder's .gitignore (and, at the root, .git/info/exclude), or undefined if none. */
export async function loadIgnoreLevel(root: string, relativeDir: string, atRoot: boolean): Promise<IgnoreLevel | undefined> {
  const directory = path.join(root, relativeDir);
  const sources = [path.join(directory, '.gitignore')];
  if (atRoot) sources.push(path.join(directory, '.git', 'info', 'exclude'));
  const texts = await Promise.all(sources.map(readIgnoreFile));
  const patterns = texts.filter((t): t is string => t !== undefined);
  if (!patterns.length) return undefined;
  const rules = ignore();
  for (const text of patterns) rules.add(text); // a string is a whole file; array items are single patterns
  return { base: relativeDir, rules };
}

/**
 * Whether git would ignore `relativePath` (relative to the root, `/` separators) given the .gitignore
 * levels of its ancestors, shallowest first. Folders are tested with a trailing slash so that
 * folder-only patterns (`build/`) apply.
 */
export function isGitignored(levels: readonly IgnoreLevel[], relativePath: string, isDirectory: boolean): IgnoreLevel | undefined {
  let decidedBy: IgnoreLevel | undefined;
  for (const level of levels) {
    const local = level.base ? relativePath.slice(level.base.length + 1) : relativePath;
    const result = level.rules.test(isDirectory ? `${local}/` : local);
    if (result.ignored) decidedBy = level;
    else if (result.unignored) decidedBy = undefined;
  }
  return decidedBy;
}
