// Text scanned again from a zero state, as training embeds a region on its own: a region's re-read
// (ask's forgotten regions) and the active file's fresh scan (ask's exact hits). Both depend only on
// the text (and path), not on the index's state, so they are cached by content across edits.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { FileRecord, RegionRecord } from '../index/types';
import { readSource, scanText, type ScanParts, type SourceFile } from '../index/fileScan';
import { RegionAccumulator } from '../scan/regionAccumulator';
import { zeroState } from '../scan/scanState';
import { fileStreamHead } from '../scan/fileStream';
import { freshEmbedding, normalise, type RegionView } from '../query/regionMath';
import { readLines, sliceLines, snippetOf } from '../query/fileText';
import type { AskResult } from '../results';
import type { WorkspacePaths } from '../paths/workspacePaths';
import { LruMap } from './lruMap';

/**
 * Tokens of a region re-read for a query hit (header included): one chunk of the scan graph, so a
 * re-read is one runtime call. Training embeds a region from up to 256 tokens (training/train.py,
 * max_code); on the question set's dev split 128 ranked exactly as 256 did (file-MRR 0.789, symbol@5
 * 0.546, K 2; 64: 0.793 / 0.546, 192: 0.785 / 0.546; `TUNE=rereadlen` in bench/tuneAsk.ts) at half
 * the re-reads' time, which is most of a question's on a large index (docs/model.md).
 */
export const REREAD_MAX_TOKENS = 128;

/** A file scanned from a zero state: its record, its text, and each region's fresh normalised embedding. */
export interface FreshScan {
  file: FileRecord;
  text: string;
  regions: { region: RegionRecord; fresh: Float32Array }[];
}

export class FreshScans {
  private readonly rereads = new LruMap<string, Float32Array>(2048);
  private readonly scans = new LruMap<string, Promise<FreshScan | undefined>>(8);

  constructor(
    private readonly parts: ScanParts & { limits: NonNullable<ScanParts['limits']> },
    private readonly paths: WorkspacePaths,
    /** The absolute path of an index record's file (through the containment check). */
    private readonly absPath: (file: FileRecord) => string,
  ) {}

  /**
   * A region's current text scanned from a zero state (`<|file|>` path "\n" text), its first
   * `maxTokens` tokens: its fresh normalised embedding.
   */
  async reread(view: RegionView, maxTokens = REREAD_MAX_TOKENS): Promise<Float32Array | undefined> {
    // A region's zero-state embedding depends only on its text and path: cached by content.
    const key = `${view.file.contentHash}:${view.file.relPath}:${view.region.startLine}:${view.region.endLine}:${maxTokens}`;
    const cached = this.rereads.get(key);
    if (cached) return cached;
    const fresh = await this.rereadUncached(view, maxTokens);
    if (fresh) this.rereads.set(key, fresh);
    return fresh;
  }

  private async rereadUncached(view: RegionView, maxTokens: number): Promise<Float32Array | undefined> {
    const lines = await readLines(this.absPath(view.file), this.parts.limits);
    if (!lines) return undefined;
    const text = sliceLines(lines, view.region.startLine, view.region.endLine);
    const ids = fileStreamHead(view.file.relPath, text, this.parts.tokenizer, maxTokens);
    const { card } = this.parts;
    const acc = new RegionAccumulator(card, [{ tokStart: 0, tokEnd: ids.length }]);
    await this.parts.scanner.feed(zeroState(card), ids, acc);
    const u = acc.results[0]?.embedding;
    return u ? normalise(u) : undefined;
  }

  /**
   * A workspace file (absolute path) scanned from a zero state, cached by content; undefined when it is
   * no readable workspace file, or larger than `maxBytes` when that is given.
   */
  async scan(abs: string, maxBytes = Infinity): Promise<FreshScan | undefined> {
    const source = await this.sourceFor(abs);
    if (!source || source.size > maxBytes) return undefined;
    const read = await readSource(abs, this.parts.limits);
    if ('skipped' in read) return undefined;
    const key = `${abs}:${read.hash}`;
    let scan = this.scans.get(key);
    if (!scan) {
      scan = this.scanUncached(source, read);
      this.scans.set(key, scan);
      scan.catch(() => this.scans.delete(key));
    }
    return scan;
  }

  /**
   * An open document's current text (unsaved edits, an untitled buffer) scanned from a zero state,
   * cached by content. `pathOrName`: a workspace file's absolute path, else the document's name
   * (with an extension that names its language), which its hits then carry as their path.
   */
  async scanOpen(pathOrName: string, text: string): Promise<FreshScan | undefined> {
    const hash = createHash('sha1').update(text).digest('hex');
    const at = this.paths.locate(pathOrName);
    const source: SourceFile = at
      ? { ...at, absPath: pathOrName, mtimeMs: Date.now(), size: Buffer.byteLength(text) }
      : { root: 0, relPath: pathOrName, path: pathOrName, absPath: pathOrName, mtimeMs: Date.now(), size: Buffer.byteLength(text) };
    const key = `open:${source.path}:${hash}`;
    let scan = this.scans.get(key);
    if (!scan) {
      scan = this.scanUncached(source, { text, hash });
      this.scans.set(key, scan);
      scan.catch(() => this.scans.delete(key));
    }
    return scan;
  }

  private async scanUncached(source: SourceFile, read: { text: string; hash: string }): Promise<FreshScan | undefined> {
    const { card } = this.parts;
    const result = await scanText(this.parts, source, read.text, read.hash, zeroState(card));
    if ('skipped' in result) return undefined;
    const file = result.record;
    return {
      file,
      text: read.text,
      regions: file.regions.map((region) => ({ region, fresh: freshEmbedding(card, region) })),
    };
  }

  private async sourceFor(abs: string): Promise<SourceFile | undefined> {
    const at = this.paths.locate(abs);
    if (!at) return undefined;
    try {
      const s = await stat(abs);
      return { ...at, absPath: abs, mtimeMs: s.mtimeMs, size: s.size, ctimeMs: s.ctimeMs };
    } catch {
      return undefined;
    }
  }
}

/** An answer whose active file was read from the editor's text: its exact hits say so, with snippets from that text (the file on disk has other lines, or none). */
export function withUnsavedSnippets(result: AskResult, open: FreshScan): AskResult {
  const path = open.file.path;
  const lines = open.text.split(/\r?\n/);
  return {
    ...result,
    hits: result.hits.map((h) =>
      h.path === path && h.source === 'exact' ? { ...h, unsaved: true, snippet: snippetOf(lines, h.startLine - 1, h.endLine - 1) } : h,
    ),
  };
}
