// The workspace index in memory: every file that entered the recurrent state, in the order it did,
// with per-region records, the summary state and checkpoints to resume or rewind from.
import type { RegionKind } from '../regions/types';
import type { ScanState } from '../scan/scanState';

export interface RegionRecord {
  kind: RegionKind;
  name: string;
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
  /** First line of the doc comment (trimmed, at most 200 chars), "" when none. */
  doc: string;
  /** The declaration up to its body, at most 200 chars. */
  signature: string;
  /** u (H × R) as int8, one scale per head: value = q · scale[h]. */
  embedding: Int8Array;
  scales: Float32Array;
  /** L at the region's last token minus the file's lBase, [NS × H]. */
  lEnd: Float32Array;
  /** The region's tokens in its file's token stream, [tokStart, tokEnd) (header included in the stream). */
  tokStart: number;
  tokEnd: number;
  /** Bigram sketch of the region's tokens (scan/bigrams regionSketch): distinct hashes, ascending, at most card.recallSketchSize. */
  sketch: Uint32Array;
  /**
   * The region's first min(card.recallProbeTokens + 1, tokEnd − tokStart) token ids (the vocabulary
   * fits 16 bits): what the recall probe re-reads at query time, when only the window's ids are at hand.
   */
  head: Uint16Array;
  /**
   * The 0-based line of the region its tokens' readout weighs most during the index scan
   * (scan/lineSalience.ts: a Summary's description of a symbol with no doc); -1 when every line is
   * blank or brackets; absent in an index written before it was kept (summarize then scans the file).
   */
  salientLine?: number;
}

export interface FileRecord {
  /** Root-relative path with "/" separators, prefixed with the root's name when there are several roots. */
  path: string;
  root: number;
  /** Path relative to its root (what the model read as the file's header). */
  relPath: string;
  mtimeMs: number;
  size: number;
  /** ctime when recorded (absent in indexes written before it was kept: such a record is checked by content once). */
  ctimeMs?: number;
  /** sha1 of the file's bytes: a sync rereads and compares it when size, mtime or ctime differ. */
  contentHash: string;
  tokens: number;
  language: string;
  imports: string[];
  exports: string[];
  /** False once the file changed or vanished: its old tokens still sit (decaying) in the state. */
  live: boolean;
  /**
   * Set when the file was renamed (or moved with its folder) unchanged: the record answers at its new
   * path, but the state read it under `path` (a file's path heads its tokens). Those `tokens` of its
   * header are stale until a compaction reads the file where it is now; the content is what it was.
   */
  readAs?: { path: string; tokens: number };
  /** L when the file's first token entered (float64; regions store float32 differences to it). */
  lBase: Float64Array;
  regions: RegionRecord[];
}

export interface Checkpoint {
  /** The state after the first `historyLength` entries of `history`. */
  historyLength: number;
  state: ScanState;
}

export interface WorkspaceIndex {
  /** sha256 of the model files the records were made with. */
  modelHash: string;
  roots: string[];
  history: FileRecord[];
  state: ScanState;
  checkpoints: Checkpoint[];
  /** False while a scan is under way or was stopped before its last file. */
  complete: boolean;
  /** Files discovery skipped, by reason (from the last full walk). */
  skipped: Record<string, number>;
  /** Unix ms of the last change. */
  updatedAt: number;
}

export function liveFiles(index: WorkspaceIndex): FileRecord[] {
  return index.history.filter((f) => f.live);
}

/** The live file whose token count is nearest `tokens` (ties: the first path), undefined when none is live. */
export function liveFileNear(index: WorkspaceIndex, tokens: number): FileRecord | undefined {
  const off = (f: FileRecord) => Math.abs(f.tokens - tokens);
  return liveFiles(index).sort((a, b) => off(a) - off(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))[0];
}

/** What the state read of this record is not what the file is now: changed, gone, or renamed since. */
export function readStale(f: FileRecord): boolean {
  return !f.live || f.readAs !== undefined;
}

/** Tokens in the state that no longer match the files: versions that changed or vanished, and a renamed file's old header. */
export function staleTokens(index: WorkspaceIndex): number {
  let n = 0;
  for (const f of index.history) n += !f.live ? f.tokens : (f.readAs?.tokens ?? 0);
  return n;
}
