// The keyword terms (fileTerms.ts) of each file record, kept while the record lives: an edit makes
// only its file's again, and a start gives records the terms kept on disk for them (lexicalFile.ts,
// workspace/keywordStore.ts) rather than reading every file.
import { createHash } from 'node:crypto';
import type { FileRecord, RegionRecord } from '../index/types';
import { fileTermsOf, type DocTerms, type FileTerms } from './fileTerms';

/**
 * A file record's terms (fileTerms.ts), kept while the record lives: an edit re-reads only its
 * file. `regions`: the record's regions they were made for (a retired record drops its regions while
 * the views still name them); `hash`: the sha1 of the bytes they were made from, when the reader gave
 * it: terms of the bytes the record scanned are what lexicalFile.ts keeps beside the index.
 */
export interface KeptTerms {
  terms: FileTerms;
  regions: readonly RegionRecord[];
  /** The uncovered text as a region of its own (lexical.ts UncoveredText), when the file has one. */
  uncovered: RegionRecord | null;
  hash?: string;
}
const kept = new WeakMap<FileRecord, KeptTerms>();
/** Region → its terms, for the views (which may name the regions of a record retired since). */
const regionTerms = new WeakMap<RegionRecord, DocTerms>();

export function keep(file: FileRecord, regions: readonly RegionRecord[], terms: FileTerms, hash?: string): KeptTerms {
  const u = terms.uncovered;
  const name = file.path.split('/').pop() ?? file.path;
  const entry: KeptTerms = {
    terms,
    regions,
    uncovered: u
      ? ({ kind: 'file', name, startLine: u.startLine, endLine: u.endLine, doc: '', signature: '' } as unknown as RegionRecord)
      : null,
    hash,
  };
  regions.forEach((r, i) => regionTerms.set(r, terms.regions[i]));
  kept.set(file, entry);
  return entry;
}

/** The terms kept for `file` made from the bytes its record scanned (its contentHash), for its regions as they are; else undefined. */
export function termsToKeep(file: FileRecord): FileTerms | undefined {
  const k = kept.get(file);
  if (!k || k.hash !== file.contentHash || k.regions !== file.regions) return undefined;
  return k.terms;
}

/** Terms read back for `file` (lexicalFile.ts, checked against its record): kept as if made from the bytes it scanned. */
export function restoreTerms(file: FileRecord, terms: FileTerms): void {
  if (terms.regions.length !== file.regions.length) throw new Error('terms of another outline');
  keep(file, file.regions, terms, file.contentHash);
}

/**
 * What a record's terms depend on besides its bytes: its path (every region's path field) and its
 * regions' lines, names, signatures and docs. Terms are kept on disk under it and its contentHash.
 */
export function termsKey(file: FileRecord): string {
  const h = createHash('sha1').update(file.path).update('\0').update(file.contentHash);
  for (const r of file.regions) h.update(`\0${r.startLine}\0${r.endLine}\0${r.name}\0${r.signature}\0${r.doc}`);
  return h.digest('hex');
}

/** What the index needs of the workspace: a file's lines as they are on disk (undefined when unreadable), with the sha1 of their bytes when known. */
export type ReadFileLines = (file: FileRecord) => Promise<string[] | { lines: string[]; hash: string } | undefined>;

/**
 * Makes the terms of every file in `files` whose regions (`regionsOf`, default its record's) have
 * none kept, reading them a few at a time (a large workspace must not open every file at once).
 * Returns how many it read.
 */
export async function makeTerms(
  files: readonly FileRecord[],
  read: ReadFileLines,
  regionsOf: (file: FileRecord) => readonly RegionRecord[] = (f) => f.regions,
): Promise<number> {
  // Each file's regions as they are now: a file event may retire a record (dropping its regions) while
  // files are read below, and the views still name them.
  const stale = files
    .map((file) => ({ file, regions: regionsOf(file) }))
    .filter(({ file, regions }) => {
      const k = kept.get(file);
      // Made for these very regions (a live record's), or for each of them: nothing to make.
      return !k || (k.regions !== regions && regions.some((r) => !regionTerms.has(r)));
    });
  for (let i = 0; i < stale.length; i += 16) {
    await Promise.all(
      stale.slice(i, i + 16).map(async ({ file, regions }) => {
        const got = await read(file);
        const lines = Array.isArray(got) ? got : got?.lines;
        keep(file, regions, fileTermsOf(file.path, regions, lines), Array.isArray(got) ? undefined : got?.hash);
      }),
    );
  }
  return stale.length;
}

/** What is kept for `file` (made for its regions as they were: see makeTerms), if anything. */
export function keptTerms(file: FileRecord): KeptTerms | undefined {
  return kept.get(file);
}

/** A region's terms, also for a region its record has dropped since (a retired record's views). */
export function regionTermsOf(region: RegionRecord): DocTerms | undefined {
  return regionTerms.get(region);
}
