// Reads one file, outlines it and streams it through the model into the running state, producing
// the file's record. Every way a file can fail to be read is returned as a skip reason, not thrown:
// one bad file never stops a workspace scan.
import { createHash } from 'node:crypto';
import { DEFAULT_READ_LIMITS, readWorkspaceFile, type ReadLimits } from '../discovery/readFile';
import { stateShapes, type ModelCard } from '../model/card';
import type { RegionParser } from '../regions/types';
import { regionSketch } from '../scan/bigrams';
import { regionHead } from '../scan/probeHead';
import { buildFileStream, type TextTokenizer } from '../scan/fileStream';
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
): Promise<{ text: string; hash: string } | { skipped: string }> {
  const read = await readWorkspaceFile(absPath, limits);
  if ('reason' in read) return { skipped: read.reason === 'unreadable' ? `unreadable (${read.detail})` : read.reason };
  const bytes = read.bytes;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { skipped: 'invalid UTF-8' };
  }
  return { text, hash: createHash('sha1').update(bytes).digest('hex') };
}

/** Scans `file` into `state` (mutated) and returns its record. */
export async function scanFile(
  parts: ScanParts,
  file: SourceFile,
  state: ScanState,
  signal?: AbortSignal,
  pace?: ChunkPace,
): Promise<FileScanResult> {
  const source = await readSource(file.absPath, parts.limits);
  if ('skipped' in source) return source;
  return scanText(parts, file, source.text, source.hash, state, signal, pace);
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
  const { card } = parts;
  const outline = await parts.regions.outline(file.relPath, text);
  if (!outline.supported) return { skipped: 'no text outline (binary or unknown)' };
  const stream = buildFileStream(file.relPath, text, parts.tokenizer, outline.regions);
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
      contentHash,
      tokens: stream.ids.length,
      language: outline.language,
      imports: outline.imports.map((i) => i.source),
      exports: outline.exports.map((e) => e.name),
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
