// The checks one entry goes through: rules by name (ignore files, excludes, generated and binary names),
// then links, kind, the size cap, and the content itself. A full walk and a single file's verdict
// (examinePath, for saves) both go through these.
import type { Stats } from 'node:fs';
import { BINARY_EXTENSIONS, extensionOf, languageForContent } from '../regions/languages/table';
import { GENERATED_DIRECTORIES, GENERATED_FILE_NAMES, GENERATED_FILE_PATTERNS } from './defaults';
import { type IgnoreLevel, isGitignored } from './gitignoreRules';
import { sniffContent } from './contentSniff';
import type { DiscoveredFile, DiscoveryEvent } from './types';
import { isInsideRoots, isWithin } from '../paths/containment';
import { kindOf, readWorkspaceFile } from './readFile';
import { type Walk, type Why, failureReason, realpath, skip, stat, tooLarge } from './walkContext';

/** Placeholder child name: a folder is pruned when a glob would exclude everything inside it (`src/**`). */
const CHILD_PROBE = '\u0000probe';

/** Rules that apply by name alone, before anything is read. */
export function ruleByName(
  walk: Walk,
  levels: readonly IgnoreLevel[],
  relativePath: string,
  name: string,
  isDirectory: boolean,
): Why | undefined {
  const ignoredBy = walk.respectGitignore ? isGitignored(levels, relativePath, isDirectory) : undefined;
  if (ignoredBy) return { reason: 'gitignored', detail: `${ignoredBy.base ? `${ignoredBy.base}/` : ''}.gitignore` };
  if (walk.isExcluded(relativePath) || (isDirectory && walk.isExcluded(`${relativePath}/${CHILD_PROBE}`))) {
    return { reason: 'excluded', detail: 'longview.exclude' };
  }
  if (isDirectory) return GENERATED_DIRECTORIES.has(name) ? { reason: 'generated', detail: `${name}/ folder` } : undefined;
  if (GENERATED_FILE_NAMES.has(name)) return { reason: 'generated', detail: name };
  const pattern = GENERATED_FILE_PATTERNS.find((p) => p.test(name));
  if (pattern) return { reason: 'generated', detail: `name matches ${pattern.source}` };
  if (BINARY_EXTENSIONS.has(extensionOf(name))) return { reason: 'binary', detail: `${extensionOf(name)} file` };
  return undefined;
}

/**
 * Where a symbolic link may lead (files and folders alike): out of every workspace folder it is not
 * followed (`outside-workspace`); into one, its target is listed at its own path (`duplicate`), or, for
 * a folder that contains the link (`ancestorReal` is the real path of the link's own folder), it is a loop.
 */
export function linkRule(walk: Walk, real: string, ancestorReal?: string): Why {
  if (!isInsideRoots(walk.rootRealPaths, real)) return { reason: 'outside-workspace', detail: `link to ${real}` };
  if (ancestorReal !== undefined && isWithin(real, ancestorReal))
    return { reason: 'symlink-loop', detail: `link to its own ancestor ${real}` };
  return { reason: 'duplicate', detail: `link to ${real}, listed at its own path` };
}

/**
 * A file that passed the name rules: its link target, kind, size, then content. `known` (its `stat`,
 * links followed) saves a call when given. Content is read through readWorkspaceFile: regular files
 * only, at most the size cap plus one byte.
 */
export async function examineFile(
  walk: Walk,
  relativePath: string,
  absolute: string,
  known: Stats | undefined,
  isLink: boolean,
): Promise<DiscoveryEvent> {
  if (isLink) {
    // A linked file is never listed under the link's path: its target is either listed at its own
    // path (inside a root) or not read at all (outside every root).
    let real: string;
    try {
      real = await walk.limit(() => realpath(absolute));
    } catch (error) {
      return skip(walk, relativePath, failureReason(error));
    }
    return skip(walk, relativePath, linkRule(walk, real));
  }
  let info = known;
  try {
    info ??= await walk.limit(() => stat(absolute));
  } catch (error) {
    return skip(walk, relativePath, failureReason(error));
  }
  if (!info.isFile()) return skip(walk, relativePath, { reason: 'not-a-file', detail: kindOf(info) });
  if (info.size > walk.maxBytes) return skip(walk, relativePath, tooLarge(info.size, walk.maxBytes));
  const read = await walk.limit(() => readWorkspaceFile(absolute, { maxBytes: walk.maxBytes }, info));
  if ('reason' in read) return skip(walk, relativePath, read);
  const bytes = read.bytes;
  const sniffed = sniffContent(bytes);
  if ('reason' in sniffed) return skip(walk, relativePath, sniffed);
  const file: DiscoveredFile = {
    root: walk.root,
    path: absolute,
    relativePath,
    size: bytes.length,
    mtimeMs: read.stats.mtimeMs,
    ctimeMs: read.stats.ctimeMs,
    language: languageForContent(relativePath, sniffed.text) ?? 'text',
  };
  return { kind: 'file', file };
}
