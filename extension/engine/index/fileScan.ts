// One file into the running state, in two stages: prepare (read, outline, tokenize: no model call,
// so index/filePipeline.ts can run it ahead of the model) and scanPrepared (the model's chunks onto
// the state, and the file's record). Every way a file can fail to be read is returned as a skip
// reason, not thrown: one bad file never stops a workspace scan.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { DEFAULT_READ_LIMITS, readWorkspaceFile, type ReadLimits } from '../discovery/readFile';
import { stateShapes, type ModelCard } from '../model/card';
import type { RegionParser } from '../regions/types';
import { regionSketch } from '../scan/bigrams';
import { regionHead } from '../scan/probeHead';
import { buildFileStream, type FileStream, type TextTokenizer } from '../scan/fileStream';
import type { ModelScanner } from '../scan/modelScanner';
import { LineSalience } from '../scan/lineSalience';
import { RegionAccumulator } from '../scan/regionAccumulator';
import type { ScanState } from '../scan/scanState';
import { quantizePerHead } from './quantize';
import type { ChunkPace } from '../scan/chunkPace';
import type { FileRecord, RegionRecord } from './types';

export interface SourceFile {
  root: number;
  /** Path relative to its root, "/" separators. */
  relPath: string;
  /** Path shown in answers (root name prefixed in multi-root workspaces). */
  path: string;
  absPath: string;
  mtimeMs: number;
  size: number;
  /** Status-change time: set by every write, and unlike mtime not restorable by utimes(); absent where the caller has no stat. */
  ctimeMs?: number;
}

export interface ScanParts {
  card: ModelCard;
  scanner: ModelScanner;
  tokenizer: TextTokenizer;
  regions: RegionParser;
  /**
   * How a scan may read a file (size cap, workspace folders' real paths): the file may have changed since
   * discovery examined it, so each read is checked again. Default: the default size cap, no root check.
   */
  limits?: ReadLimits;
}

export type FileScanResult = { record: FileRecord } | { skipped: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const TEXT_LIMIT = 200;

/**
 * A workspace file's text and content hash, read through discovery's readWorkspaceFile (regular files
 * only, at most the size cap plus one byte, real path inside the workspace when `limits` names its roots).
 */
export async function readSource(
  absPath: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<{ text: string; hash: string; stamp: FileStamp } | { skipped: string }> {
  const read = await readWorkspaceFile(absPath, limits);
  if ('reason' in read) return { skipped: read.reason === 'unreadable' ? `unreadable (${read.detail})` : read.reason };
  const bytes = read.bytes;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { skipped: 'invalid UTF-8' };
  }
  return { text, hash: createHash('sha1').update(bytes).digest('hex'), stamp: stampOf(read.stats) };
}

/** What identifies the version of a file that was read: its inode, size and times. */
export interface FileStamp {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

const stampOf = (s: FileStamp): FileStamp => ({ dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs });

/**
 * Whether the file at `absPath` is still the version that was read (`stamp`): the same inode, size,
 * mtime and ctime (ctime moves with every write, and utimes() cannot put it back). False when it
 * changed, was replaced or is gone: what was made from that read is stale.
 */
export async function unchangedSince(absPath: string, stamp: FileStamp): Promise<boolean> {
  try {
    const now = await stat(absPath);
    return (
      now.dev === stamp.dev &&
      now.ino === stamp.ino &&
      now.size === stamp.size &&
      now.mtimeMs === stamp.mtimeMs &&
      now.ctimeMs === stamp.ctimeMs
    );
  } catch {
    return false;
  }
}

/**
 * What a file becomes before the model reads it: its text, content hash, outline and token stream.
 * Everything up to the model call, so it can be made ahead of the scan (index/filePipeline.ts).
 */
export interface PreparedFile {
  text: string;
  contentHash: string;
  /** The version of the file that was read (absent for a text that was not read from disk). */
  stamp?: FileStamp;
  language: string;
  imports: string[];
  exports: string[];
  stream: FileStream;
}

export type PrepareResult = { prepared: PreparedFile } | { skipped: string };

/** Reads, outlines and tokenizes `file` (no model call): what scanPrepared feeds. */
export async function prepareFile(parts: Pick<ScanParts, 'tokenizer' | 'regions' | 'limits'>, file: SourceFile): Promise<PrepareResult> {
  const source = await readSource(file.absPath, parts.limits);
  if ('skipped' in source) return source;
  const prepared = await prepareText(parts, file.relPath, source.text, source.hash);
  if ('prepared' in prepared) prepared.prepared.stamp = source.stamp;
  return prepared;
}

/** Outlines and tokenizes a file's `text` (read already, or an editor's unsaved text). */
export async function prepareText(
  parts: Pick<ScanParts, 'tokenizer' | 'regions'>,
  relPath: string,
  text: string,
  contentHash: string,
): Promise<PrepareResult> {
  const outline = await parts.regions.outline(relPath, text);
  if (!outline.supported) return { skipped: 'no text outline (binary or unknown)' };
  return {
    prepared: {
      text,
      contentHash,
      language: outline.language,
      imports: outline.imports.map((i) => i.source),
      exports: outline.exports.map((e) => e.name),
      stream: buildFileStream(relPath, text, parts.tokenizer, outline.regions),
    },
  };
}

/** Scans `file` into `state` (mutated) and returns its record. */
export async function scanFile(
  parts: ScanParts,
  file: SourceFile,
  state: ScanState,
  signal?: AbortSignal,
  pace?: ChunkPace,
): Promise<FileScanResult> {
  const prepared = await prepareFile(parts, file);
  if ('skipped' in prepared) return prepared;
  return scanPrepared(parts, file, prepared.prepared, state, signal, pace);
}

export async function scanText(
  parts: ScanParts,
  file: SourceFile,
  text: string,
  contentHash: string,
  state: ScanState,
  signal?: AbortSignal,
  pace?: ChunkPace,
): Promise<FileScanResult> {
  const prepared = await prepareText(parts, file.relPath, text, contentHash);
  if ('skipped' in prepared) return prepared;
  return scanPrepared(parts, file, prepared.prepared, state, signal, pace);
}

/** Feeds a prepared file's stream into `state` (mutated: the whole file or, when cancelled or failing, none of it) and makes its record. */
export async function scanPrepared(
  parts: ScanParts,
  file: SourceFile,
  prepared: PreparedFile,
  state: ScanState,
  signal?: AbortSignal,
  pace?: ChunkPace,
): Promise<{ record: FileRecord }> {
  const { card } = parts;
  const { text, stream } = prepared;
  const accumulator = new RegionAccumulator(card, stream.tokenRegions);
  const salience = new LineSalience(text, stream, stateShapes(card).embeddingSize);
  const lBase = state.L.slice();
  // feed() replaces the state's arrays rather than writing into them, so keeping the old references
  // is enough to undo a file that was cancelled halfway: the state never holds half a file.
  const before = { ssm: state.ssm, kv: state.kv, kvLen: state.kvLen, window: state.window, tokens: state.tokens };
  try {
    await parts.scanner.feed(state, stream.ids, accumulator, signal, salience.observe, pace);
  } catch (err) {
    Object.assign(state, before, { L: lBase.slice() });
    throw err;
  }
  const regions: RegionRecord[] = [];
  const lines = text.split('\n');
  stream.regions.forEach((region, i) => {
    const vectors = accumulator.results[i];
    if (!vectors) return; // a region with no tokens of its own (empty range)
    const { q, scales } = quantizePerHead(vectors.embedding, card.H);
    const lEnd = new Float32Array(vectors.lEnd.length);
    for (let j = 0; j < lEnd.length; j++) lEnd[j] = vectors.lEnd[j] - lBase[j];
    regions.push({
      kind: region.kind,
      name: region.name,
      startLine: region.startLine,
      endLine: region.endLine,
      doc: firstLine(region.doc ?? ''),
      signature: region.signature.slice(0, TEXT_LIMIT),
      embedding: q,
      scales,
      lEnd,
      tokStart: stream.tokenRegions[i].tokStart,
      tokEnd: stream.tokenRegions[i].tokEnd,
      // Made now, while the file's ids are at hand: at query time only the window's ids are.
      sketch: regionSketch(stream.ids, stream.tokenRegions[i].tokStart, stream.tokenRegions[i].tokEnd, card.recallSketchSize),
      head: regionHead(stream.ids, stream.tokenRegions[i].tokStart, stream.tokenRegions[i].tokEnd, card.recallProbeTokens),
      salientLine: salience.salientLine(lines, region.startLine, region.endLine),
    });
  });
  return {
    record: {
      path: file.path,
      root: file.root,
      relPath: file.relPath,
      mtimeMs: file.mtimeMs,
      size: file.size,
      ctimeMs: file.ctimeMs,
      contentHash: prepared.contentHash,
      tokens: stream.ids.length,
      language: prepared.language,
      imports: prepared.imports,
      exports: prepared.exports,
      live: true,
      lBase,
      regions,
    },
  };
}

function firstLine(doc: string): string {
  const line = doc.split('\n').find((l) => l.trim() !== '') ?? '';
  return line
    .trim()
    .replace(/^\*\s*/, '')
    .slice(0, TEXT_LIMIT); // a JSDoc "* " left over
}
