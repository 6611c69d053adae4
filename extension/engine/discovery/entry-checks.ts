// The checks one entry goes through: rules by name (ignore files, excludes, generated and binary names),
// then the size cap, links, and the content itself.
import type { Stats } from 'node:fs';
import { BINARY_EXTENSIONS, extensionOf, languageForContent } from '../regions/languages/table';
import { GENERATED_DIRECTORIES, GENERATED_FILE_NAMES, GENERATED_FILE_PATTERNS } from './defaults';
import { type IgnoreLevel, isGitignored } from './gitignore-rules';
import { sniffContent } from './content-sniff';
import type { DiscoveredFile, DiscoveryEvent } from './types';
import { type Walk, type Why, failureReason, isWithin, readFile, realpath, skip, stat, tooLarge } from './walk-context';

/** Placeholder child name: a folder is pruned when a glob would exclude everything inside it (`src/**`). */
const CHILD_PROBE = '\u0000probe';

/** Rules that apply by name alone, before anything is read. */
export function ruleByName(walk: Walk, levels: readonly IgnoreLevel[], relativePath: string, name: string, isDirectory: boolean): Why | undefined {
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

/** A file that passed the name rules: size, link target, then content. `known` saves a stat when given. */
export async function examineFile(walk: Walk, relativePath: string, absolute: string, known: Stats | undefined,
  isLink: boolean): Promise<DiscoveryEvent> {
  let info = known;
  try {
    info ??= await walk.limit(() => stat(absolute));
  } catch (error) {
    return skip(walk, relativePath, failureReason(error));
  }
  if (info.size > walk.maxBytes) return skip(walk, relativePath, tooLarge(info.size, walk.maxBytes));
  if (isLink) {
    // Same rule as linked folders: a target inside a root is listed at its own path; outside, once.
    let real: string;
    try {
      real = await walk.limit(() => realpath(absolute));
    } catch (error) {
      return skip(walk, relativePath, failureReason(error));
    }
    if (walk.rootRealPaths.some((root) => isWithin(root, real)) || walk.seenFiles.has(real)) {
      return skip(walk, relativePath, { reason: 'duplicate', detail: `link to ${real}, listed at its own path` });
    }
    walk.seenFiles.add(real);
  }
  let bytes: Buffer;
  try {
    bytes = await walk.limit(() => readFile(absolute));
  } catch (error) {
    return skip(walk, relativePath, failureReason(error));
  }
  if (bytes.length > walk.maxBytes) return skip(walk, relativePath, tooLarge(bytes.length, walk.maxBytes)); // grew since stat
  const sniffed = sniffContent(bytes);
  if ('reason' in sniffed) return skip(walk, relativePath, sniffed);
  const file: DiscoveredFile = {
    root: walk.root, path: absolute, relativePath, size: bytes.length, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs,
    language: languageForContent(relativePath, sniffed.text) ?? 'text',
  };
  return { kind: 'file', file };
}

