// Keeps a WorkspaceIndex in step with the files on disk.
//
// Order: files enter the state least recently modified first, so the latest edits sit nearest the
// end of the summary, where the memory holds them best. A file saved (or created) later is appended
// at the end: that is where its new mtime puts it anyway.
//
// Freshness without full rescans: an edited file's old version stays in the state as a decaying
// trace ("stale tokens") while its records leave the answers at once; the new version is scanned
// from the current state and appended. Editing the file that is already last (the common case:
// saving the same file again and again) rewinds to the checkpoint taken before it, so the state
// stays exact. `compact()` makes the state exact again by rewinding to the newest checkpoint before
// the first stale entry and rescanning what follows; the engine runs it when idle or on `index`.
import type { SourceFile, ScanParts } from './fileScan';
import { readSource, scanFile } from './fileScan';
import { cloneState, zeroState, type ScanState } from '../scan/scanState';
import { staleTokens, type FileRecord, type WorkspaceIndex } from './types';
import { resolveInRoot } from '../paths/containment';
import { WorkEstimate } from './workEstimate';

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
}

export interface SyncReport {
  scanned: number;
  unchanged: number;
  removed: number;
  skipped: Record<string, number>;
  tokens: number;
  seconds: number;
}

// Each checkpoint is one summary state (summaryBytes; the shipped model's: docs/engine.md): a few, spaced
// geometrically from the end, suffice to resume and rewind without a full rescan.
const MAX_CHECKPOINTS = 8;
/** Bytes per token assumed for tokensTotal until the scan has measured its own. */
const BYTES_PER_TOKEN_ESTIMATE = 3.5;

export class Indexer {
  /** Periodic checkpoints every this many tokens (at file boundaries). */
  checkpointTokens = 65536;
  /**
   * True once the index in memory differs from what was last written (or read): set by every change,
   * cleared by the owner after writing it. A sync that found nothing changed leaves it false, so an
   * unchanged workspace is never rewritten.
   */
  dirty = false;

  constructor(
    private readonly parts: ScanParts,
    readonly index: WorkspaceIndex,
  ) {}

  /** Brings the index in line with `files` (a full discovery walk): exact state afterwards. */
  async sync(files: SourceFile[], options: SyncOptions = {}): Promise<SyncReport> {
    const started = Date.now();
    const report: SyncReport = { scanned: 0, unchanged: 0, removed: 0, skipped: {}, tokens: 0, seconds: 0 };
    const byPath = new Map(files.map((f) => [f.path, f]));
    const liveByPath = this.liveByPath();
    for (const [path, record] of liveByPath) {
      const now = byPath.get(path);
      if (!now) {
        record.live = false;
        report.removed++;
        this.touch();
      } else if (!sameStat(now, record)) {
        // Touched (checkout, copy, chmod) or edited: only a different content means a rescan. The
        // fast path is the stat alone: ctime is in it because utimes() can put an edited file's
        // mtime back but not its ctime, so a same-size edit with its mtime restored lands here too.
        const source = await readSource(now.absPath, this.parts.limits);
        if ('hash' in source && source.hash === record.contentHash) {
          record.mtimeMs = now.mtimeMs;
          record.size = now.size;
          record.ctimeMs = now.ctimeMs;
          this.dirty = true; // the records changed, not the state: no touch() (caches stay valid)
        } else {
          record.live = false;
          this.touch();
        }
      }
    }
    const pending = files
      .filter((f) => !liveByPath.get(f.path)?.live)
      .sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    report.unchanged = files.length - pending.length;
    const wasComplete = this.index.complete;
    this.index.complete = false;
    await this.compact(options);
    await this.appendFiles(pending, 'scan', options, report);
    this.index.complete = true;
    if (!wasComplete || report.scanned > 0) this.touch();
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }

  /** One file saved, created or renamed-to: rescans only it. Returns its skip reason if skipped. */
  async updateFile(file: SourceFile, signal?: AbortSignal): Promise<string | undefined> {
    const { history } = this.index;
    const old = this.liveByPath().get(file.path);
    const last = history[history.length - 1];
    const before = this.index.checkpoints.find((c) => c.historyLength === history.length - 1);
    let rewound: { state: ScanState; record: FileRecord } | undefined;
    if (old && old === last && before) {
      // Rewind past the old version: exact, and as cheap as scanning the file once.
      rewound = { state: this.index.state, record: history.pop()! };
      this.index.state = cloneState(before.state);
      this.index.checkpoints = this.index.checkpoints.filter((c) => c.historyLength <= history.length);
    } else {
      if (old) old.live = false;
      this.addCheckpoint(); // "before the last file", so the next save of this file rewinds
    }
    const result = await scanFile(this.parts, file, this.index.state, signal).catch((err) => {
      if (rewound) this.restore(rewound);
      throw err;
    });
    if ('skipped' in result) {
      if (rewound) {
        rewound.record.live = false; // the file is gone or unreadable: its old records leave the answers
        history.push(rewound.record);
        this.index.state = rewound.state;
      }
      if (old) this.touch(); // its records left the answers
      return result.skipped;
    }
    history.push(result.record);
    this.touch();
    return undefined;
  }

  private restore(r: { state: ScanState; record: FileRecord }) {
    this.index.history.push(r.record);
    this.index.state = r.state;
  }

  /** A file deleted (or renamed away): its regions leave the answers at once. */
  removeFile(path: string): boolean {
    const record = this.liveByPath().get(path);
    if (!record) return false;
    record.live = false;
    this.touch();
    return true;
  }

  /** Rewinds to the newest checkpoint before the first stale entry and rescans the live files after it. */
  async compact(options: SyncOptions = {}): Promise<void> {
    const { history } = this.index;
    const firstStale = history.findIndex((f) => !f.live);
    if (firstStale < 0) return;
    const checkpoint = this.index.checkpoints
      .filter((c) => c.historyLength <= firstStale)
      .sort((a, b) => b.historyLength - a.historyLength)[0];
    const keep = checkpoint?.historyLength ?? 0;
    const toRescan = history.slice(keep).filter((f) => f.live);
    // Work on a copy so that a cancelled compaction leaves the index as it was.
    const work: WorkspaceIndex = {
      ...this.index,
      history: history.slice(0, keep),
      state: checkpoint ? cloneState(checkpoint.state) : zeroState(this.parts.card),
      checkpoints: this.index.checkpoints.filter((c) => c.historyLength <= keep),
    };
    const sub = new Indexer(this.parts, work);
    sub.checkpointTokens = this.checkpointTokens;
    const sources = toRescan.map((f) => ({
      root: f.root,
      relPath: f.relPath,
      path: f.path,
      absPath: this.absPath(f),
      mtimeMs: f.mtimeMs,
      size: f.size,
      ctimeMs: f.ctimeMs,
    }));
    await sub.appendFiles(sources, 'compact', options, { scanned: 0, unchanged: 0, removed: 0, skipped: {}, tokens: 0, seconds: 0 });
    this.index.history = work.history;
    this.index.state = work.state;
    this.index.checkpoints = work.checkpoints;
    this.touch();
  }

  /** Marks the index changed (and dirty); updatedAt strictly increases, so caches keyed on it never miss a change. */
  private touch(): void {
    this.index.updatedAt = Math.max(Date.now(), this.index.updatedAt + 1);
    this.dirty = true;
  }

  /**
   * Absolute path of a record's file (roots are stored with the index), through the one containment
   * check (resolveInRoot): a record that would lead outside its root throws rather than being read.
   */
  absPath(f: FileRecord): string {
    const root = this.index.roots[f.root];
    if (root === undefined) throw new Error(`Longview: a file record names root ${f.root}, the index has ${this.index.roots.length}`);
    return resolveInRoot(root, f.relPath);
  }

  private async appendFiles(files: SourceFile[], phase: ScanProgress['phase'], options: SyncOptions, report: SyncReport) {
    const started = Date.now();
    let lastPersist = Date.now();
    let tokensSinceCheckpoint = 0;
    let tokensDone = 0;
    let bytesScanned = 0;
    const estimate = new WorkEstimate(
      files.length,
      files.reduce((n, f) => n + f.size, 0),
    );
    const emit = (currentFile?: string) => {
      if (!options.onProgress) return;
      const seconds = Math.max(1e-3, (Date.now() - started) / 1000);
      const bytesPerToken = tokensDone > 0 ? bytesScanned / tokensDone : BYTES_PER_TOKEN_ESTIMATE;
      options.onProgress({
        phase,
        filesDone: estimate.filesDone,
        filesTotal: files.length,
        tokensDone,
        tokensTotal: Math.round(tokensDone + estimate.bytesLeft / bytesPerToken),
        tokensPerSecond: Math.round(tokensDone / seconds),
        etaSeconds: estimate.secondsLeft(),
        currentFile,
      });
    };
    let fileStarted = Date.now();
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      emit(file.path);
      if (i === files.length - 1) this.addCheckpoint(); // lets a later save of the last file rewind
      const result = await scanFile(this.parts, file, this.index.state, options.signal);
      if (!('skipped' in result)) {
        this.index.history.push(result.record);
        this.dirty = true;
        report.scanned++;
        report.tokens += result.record.tokens;
        tokensDone += result.record.tokens;
        bytesScanned += file.size;
        tokensSinceCheckpoint += result.record.tokens;
        if (tokensSinceCheckpoint >= this.checkpointTokens) {
          this.addCheckpoint();
          tokensSinceCheckpoint = 0;
        }
        if (options.persist && Date.now() - lastPersist >= (options.persistEveryMs ?? 10_000)) {
          await options.persist();
          lastPersist = Date.now();
        }
      } else {
        report.skipped[result.skipped] = (report.skipped[result.skipped] ?? 0) + 1;
      }
      // The whole step counts (read, outline, scan, checkpoint, the periodic write): what the rest will cost too.
      const now = Date.now();
      estimate.fileDone(file.size, (now - fileStarted) / 1000);
      fileStarted = now;
    }
    emit();
  }

  /** Checkpoint of the current state; older ones are thinned (thinCheckpoints) to MAX_CHECKPOINTS. */
  private addCheckpoint(): void {
    const at = this.index.history.length;
    // The same position again holds the same state (nothing entered since): no change to write.
    if (!this.index.checkpoints.some((c) => c.historyLength === at)) this.dirty = true;
    const cps = this.index.checkpoints.filter((c) => c.historyLength !== at && c.historyLength < at);
    cps.push({ historyLength: at, state: cloneState(this.index.state) });
    const keep = new Set(
      thinCheckpoints(
        cps.map((c) => c.historyLength),
        at,
        MAX_CHECKPOINTS,
      ),
    );
    this.index.checkpoints = cps.filter((c) => keep.has(c.historyLength));
  }

  private liveByPath(): Map<string, FileRecord> {
    const map = new Map<string, FileRecord>();
    for (const f of this.index.history) if (f.live) map.set(f.path, f);
    return map;
  }

  staleTokens(): number {
    return staleTokens(this.index);
  }
}

/** The stat fast path: unchanged when size, mtime and ctime all match (a record without a ctime, from an older index, is checked by content once). */
function sameStat(now: SourceFile, record: FileRecord): boolean {
  return now.mtimeMs === record.mtimeMs && now.size === record.size && (now.ctimeMs === undefined || now.ctimeMs === record.ctimeMs);
}

/**
 * Which checkpoint positions (ascending history lengths) to keep, at most `max`: repeatedly drops the
 * one whose neighbours are closest relative to its distance from the end (`at`). Edits land mostly
 * on recent files, so checkpoints thin out geometrically towards the start, and compacting after an
 * edit rescans about as much as the edited file is old. The first and last are always kept.
 */
export function thinCheckpoints(positions: number[], at: number, max: number): number[] {
  const kept = [...positions];
  while (kept.length > max) {
    let drop = 1;
    let best = Infinity;
    for (let i = 1; i < kept.length - 1; i++) {
      const gap = (kept[i + 1] - kept[i - 1]) / (at - kept[i] + 1);
      if (gap < best) {
        best = gap;
        drop = i;
      }
    }
    kept.splice(drop, 1);
  }
  return kept;
}
