// What a sync, a compaction or a file update reports and takes (Indexer; the CLI and the worker RPC show them).
import type { ChunkPace } from '../scan/chunkPace';

export interface ScanProgress {
  phase: 'scan' | 'compact' | 'update';
  filesDone: number;
  filesTotal: number;
  tokensDone: number;
  /** Tokens done plus the bytes left at the tokens per byte measured so far. */
  tokensTotal: number;
  tokensPerSecond: number;
  /** Seconds left, from the bytes and files left at the rates measured on recent files (workEstimate.ts); -1 until measured. */
  etaSeconds: number;
  currentFile?: string;
}

export interface SyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Called between files at most every `persistEveryMs` so a killed scan resumes from there. */
  persist?: () => Promise<void>;
  persistEveryMs?: number;
  /** Awaited before each chunk of each file's scan (compaction's copy: file events go first, scanPriority.ts). */
  pace?: ChunkPace;
}

export interface SyncReport {
  scanned: number;
  unchanged: number;
  removed: number;
  skipped: Record<string, number>;
  tokens: number;
  seconds: number;
}
