// The keyword index's terms beside the index file (`<index>.lvkw`, query/lexicalFile.ts): read at open
// while the sessions are made, given to the records they were made from before the first question
// builds the keyword index, and written after each index write (and once by warmQueries when the file
// lacked terms the engine has), so a start reads no workspace file for keyword search.
import { open, realpath, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readWorkspaceFile } from '../discovery/readFile';
import { tempPathFor } from '../index/tempFiles';
import type { FileRecord } from '../index/types';
import { decodeKeywords, encodeKeywords, KeywordsUnusable, type KeptFileTerms } from '../query/lexicalFile';
import { makeTerms, restoreTerms, termsKey, termsToKeep, type ReadFileLines } from '../query/keptTerms';
import type { FileTerms } from '../query/fileTerms';

/** A keyword file larger than this is not read (it would be far larger than any index it could belong to). */
const MAX_KEYWORD_BYTES = 512 * 1024 * 1024;

export function keywordPathFor(indexPath: string): string {
  return `${indexPath.replace(/\.lvix$/, '')}.lvkw`;
}

type Stored = Map<string, { key: string; terms: FileTerms }>;

export class KeywordStore {
  readonly path: string;
  /** What the file holds: as read at open, then as last written. */
  private stored: Promise<Stored> | undefined;
  /** Records given their terms from the file (restore). */
  restored = 0;

  constructor(
    indexPath: string,
    /** One-line notices (the index store's). */
    private readonly notices: string[],
  ) {
    this.path = keywordPathFor(indexPath);
  }

  /** Starts reading the file (once): open calls it beside the index read, so both reads overlap the sessions. */
  start(): void {
    this.stored ??= this.read();
  }

  private async read(): Promise<Stored> {
    try {
      // Through discovery's reader: a regular file only (no FIFO opened), within a size cap, and whose
      // real path lies in the cache folder (a link to elsewhere is not followed).
      const folder = await realpath(dirname(this.path)).catch(() => undefined);
      if (!folder) return new Map();
      const got = await readWorkspaceFile(this.path, { maxBytes: MAX_KEYWORD_BYTES, realRoots: [folder] });
      if (!('bytes' in got)) {
        if (got.reason !== 'vanished')
          this.notices.push(`keyword index ${this.path} not read (${got.reason}: ${got.detail}); rebuilding it`);
        return new Map();
      }
      return await decodeKeywords(got.bytes, `keyword index ${this.path}`);
    } catch (err) {
      // Whatever went wrong, keyword search goes on from the files: a keyword file is never worth a failed question.
      const why =
        err instanceof KeywordsUnusable ? err.message : `keyword index ${this.path} could not be read (${(err as Error).message})`;
      this.notices.push(`${why}; rebuilding it`);
      return new Map();
    }
  }

  /** Gives each of `files` without terms the ones stored under its own key (path, content, regions); returns how many it gave. */
  async restore(files: readonly FileRecord[]): Promise<number> {
    this.start();
    const stored = await this.stored!;
    let n = 0;
    for (const f of files) {
      if (termsToKeep(f)) continue;
      const s = stored.get(f.path);
      if (!s || s.terms.regions.length !== f.regions.length || s.key !== termsKey(f)) continue;
      restoreTerms(f, s.terms);
      n++;
    }
    this.restored += n;
    return n;
  }

  /**
   * Writes the terms of `files` (temporary file, renamed over the old one): those restored or made,
   * and those of files not made yet, read now. A file whose bytes are no longer those its record
   * scanned is left out (the next write, after its rescan, has it). Nothing is written when the file
   * holds the same files under the same keys already (a compaction's rescan of unchanged files, a
   * warm-up after a start that found every file's terms).
   */
  async write(files: readonly FileRecord[], read: ReadFileLines): Promise<void> {
    await this.restore(files);
    await makeTerms(files, read);
    const kept: KeptFileTerms[] = [];
    for (const f of files) {
      const terms = termsToKeep(f);
      if (terms) kept.push({ path: f.path, key: termsKey(f), terms });
    }
    const holds = await this.stored!;
    if (kept.length === holds.size && kept.every((k) => holds.get(k.path)?.key === k.key)) return;
    if (kept.length === 0) return this.remove();
    const bytes = await encodeKeywords(kept);
    const temp = tempPathFor(this.path);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
      await rename(temp, this.path);
    } catch (err) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    // What the file now holds is what a record made again from the same bytes (a compaction's rescan) gets back.
    this.stored = Promise.resolve(new Map(kept.map((k) => [k.path, { key: k.key, terms: k.terms }])));
  }

  /** Removes the file (the index it belongs to was removed). */
  async remove(): Promise<void> {
    await unlink(this.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    this.stored = Promise.resolve(new Map());
  }
}
