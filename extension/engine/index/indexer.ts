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
// the first stale entry and rescanning what follows; the engine runs it when idle, when the stale
// share passes a limit, or on `index`.
//
// Concurrency: file events (updateFile, removeFile) never wait behind maintenance. A delete takes
// effect at once. Every other change of the index's history or state happens under one FIFO lock held
// for at most one file's scan: a save
// scans its file on a copy of the state and swaps it in at once (its old record answers until then);
// a sync takes the lock per file; a compaction works on a copy without it, lets queued file events go
// first before each file, and takes it only to catch up with what they appended and to swap its work in.
import type { SourceFile, ScanParts } from './fileScan';
import { readSource, scanFile } from './fileScan';
import { cloneState, zeroState } from '../scan/scanState';
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
  /** Awaited before each file: lets file events queued meanwhile go first (compaction's copy). */
  yieldTo?: () => Promise<void>;
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
/** Stale share (of what the state has read) past which a compaction stops waiting for file events. */
const URGENT_STALE_SHARE = 0.35;
/** The longest a compaction waits before each file for file events to finish. */
const YIELD_MAX_MS = 1000;
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

  /** The FIFO lock every change of history or state takes (see the top of this file). */
  private lock: Promise<void> = Promise.resolve();
  /** Compactions run one at a time (a second waits for the first). */
  private compacting: Promise<void> = Promise.resolve();
  /** Paths a file event changed while a sync runs: the sync does not scan them again. */
  private touchedPaths: Set<string> | undefined;
  /** Holders of and waiters for the lock. */
  private waiting = 0;
  /** File events counted, and the count at each path's last removal (a save scanning meanwhile is dropped). */
  private events = 0;
  private readonly removals = new Map<string, number>();

  constructor(
    private readonly parts: ScanParts,
    readonly index: WorkspaceIndex,
  ) {}

  private async exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => (release = r));
    this.waiting++;
    await previous;
    try {
      return await work();
    } finally {
      this.waiting--;
      release();
    }
  }

  /**
   * Resolves once no file event is queued or running, or after `maxMs` (so maintenance is slowed by a
   * storm of edits, never starved by it).
   */
  async yieldToUpdates(maxMs = YIELD_MAX_MS): Promise<void> {
    const until = Date.now() + maxMs;
    while (this.waiting > 0 && Date.now() < until) await Promise.race([this.lock, new Promise((r) => setTimeout(r, until - Date.now()))]);
  }

  /** Brings the index in line with `files` (a full discovery walk): exact state afterwards. */
  async sync(files: SourceFile[], options: SyncOptions = {}): Promise<SyncReport> {
    const started = Date.now();
    const report: SyncReport = { scanned: 0, unchanged: 0, removed: 0, skipped: {}, tokens: 0, seconds: 0 };
    const byPath = new Map(files.map((f) => [f.path, f]));
    const liveByPath = this.liveByPath();
    this.touchedPaths = new Set();
    try {
      for (const [path, record] of liveByPath) {
        if (!record.live || this.touchedPaths.has(path)) continue; // a file event came first
        const now = byPath.get(path);
        if (!now) {
          retire(record);
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
          } else if (record.live && !this.touchedPaths.has(path)) {
            retire(record);
            this.touch();
          }
        }
      }
      const pending = files
        .filter((f) => !liveByPath.get(f.path)?.live && !this.touchedPaths!.has(f.path))
        .sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      report.unchanged = files.length - pending.length;
      const wasComplete = this.index.complete;
      this.index.complete = false;
      await this.compact(options);
      await this.appendFiles(pending, 'scan', options, report, true);
      this.index.complete = true;
      if (!wasComplete || report.scanned > 0) this.touch();
      report.seconds = (Date.now() - started) / 1000;
      return report;
    } finally {
      this.touchedPaths = undefined;
    }
  }

  /**
   * One file saved, created or renamed-to: rescans only it. Returns its skip reason if skipped. The scan
   * runs on a copy of the state; its old record answers until the new one replaces it, at once.
   */
  updateFile(file: SourceFile, signal?: AbortSignal): Promise<string | undefined> {
    const sent = ++this.events;
    return this.exclusive(async () => {
      const { history } = this.index;
      const old = this.liveByPath().get(file.path);
      const before = this.index.checkpoints.find((c) => c.historyLength === history.length - 1);
      // Saving the last file again rewinds past its old version: exact, and as cheap as scanning it once.
      const rewind = old !== undefined && old === history[history.length - 1] && before !== undefined;
      const state = cloneState(rewind ? before.state : this.index.state);
      const result = await scanFile(this.parts, file, state, signal);
      // Deleted after this save was sent: the delete wins (its record already left the answers).
      if ((this.removals.get(file.path) ?? 0) > sent) return 'vanished';
      this.touchedPaths?.add(file.path);
      if ('skipped' in result) {
        // Gone, unreadable or undecodable: its old records leave the answers (their tokens stay as a trace).
        if (old) {
          retire(old);
          this.touch();
        }
        return result.skipped;
      }
      if (rewind) {
        retire(history.pop()!);
        this.index.checkpoints = this.index.checkpoints.filter((c) => c.historyLength <= history.length);
      } else {
        if (old) retire(old);
        this.addCheckpoint(); // "before the last file", so the next save of this file rewinds
      }
      history.push(result.record);
      this.index.state = state;
      this.touch();
      return undefined;
    });
  }

  /**
   * A file deleted (or renamed away): its regions leave the answers at once, without waiting for the
   * lock (nothing is scanned); a save of it that is still scanning then finds it removed and drops its result.
   */
  removeFile(path: string): boolean {
    this.touchedPaths?.add(path);
    this.removals.set(path, ++this.events);
    const record = this.liveByPath().get(path);
    if (!record) return false;
    retire(record);
    this.touch();
    return true;
  }

  /** Every live file under a folder (a workspace path), for folder deletes and renames. */
  liveUnder(folder: string): FileRecord[] {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    return this.index.history.filter((f) => f.live && f.path.startsWith(prefix));
  }

  /**
   * Rewinds to the newest checkpoint before the first stale entry and rescans the live files after it,
   * on a copy: file events go on meanwhile (queued ones go first before each file), and what they
   * changed is caught up before the copy replaces the index. A cancelled compaction changes nothing.
   */
  compact(options: SyncOptions = {}): Promise<void> {
    const run = this.compacting.then(() => this.compactOnce(options));
    this.compacting = run.catch(() => undefined);
    return run;
  }

  private async compactOnce(options: SyncOptions): Promise<void> {
    const history = this.index.history.slice();
    const firstStale = history.findIndex((f) => !f.live);
    if (firstStale < 0) return;
    const checkpoint = this.index.checkpoints
      .filter((c) => c.historyLength <= firstStale)
      .sort((a, b) => b.historyLength - a.historyLength)[0];
    const keep = checkpoint?.historyLength ?? 0;
    const work: WorkspaceIndex = {
      ...this.index,
      history: history.slice(0, keep),
      state: checkpoint ? cloneState(checkpoint.state) : zeroState(this.parts.card),
      checkpoints: this.index.checkpoints.filter((c) => c.historyLength <= keep),
    };
    const sub = new Indexer(this.parts, work);
    sub.checkpointTokens = this.checkpointTokens;
    // Each record of the index → the record that stands for it in the copy (itself in the kept prefix).
    const mapped = new Map<FileRecord, FileRecord | undefined>(history.slice(0, keep).map((f) => [f, f]));
    const rescan = async (records: FileRecord[], opts: SyncOptions) => {
      const live = records.filter((f) => f.live);
      for (const f of records) mapped.set(f, undefined);
      const from = work.history.length;
      await sub.appendFiles(
        live.map((f) => this.sourceOf(f)),
        'compact',
        opts,
        { scanned: 0, unchanged: 0, removed: 0, skipped: {}, tokens: 0, seconds: 0 },
        false,
      );
      const fresh = new Map(work.history.slice(from).map((f) => [f.path, f]));
      for (const f of live) mapped.set(f, fresh.get(f.path));
    };
    // File events go first while the stale share is low; past URGENT_STALE_SHARE the compaction takes
    // its turn with them (the share must stay bounded while edits keep coming).
    const urgent = () => this.index.state.tokens > 0 && staleTokens(this.index) / this.index.state.tokens >= URGENT_STALE_SHARE;
    const background = { ...options, yieldTo: () => (urgent() ? Promise.resolve() : this.yieldToUpdates()) };
    await rescan(history.slice(keep), background);
    // Catch up with file events that came meanwhile: without the lock while many came, then the rest under it.
    const arrived = () => this.index.history.filter((f) => !mapped.has(f));
    // These rounds do not wait for file events: each is shorter than the last only while it keeps pace with them.
    const catchUp = { ...options, yieldTo: undefined };
    for (let round = 0; round < 8 && arrived().length > 1; round++) await rescan(arrived(), catchUp);
    await this.exclusive(async () => {
      await rescan(arrived(), { signal: options.signal });
      for (const [original, copy] of mapped) if (copy && !original.live && copy.live) retire(copy);
      this.index.history = work.history;
      this.index.state = work.state;
      this.index.checkpoints = work.checkpoints;
      this.touch();
    });
  }

  private sourceOf(f: FileRecord): SourceFile {
    return {
      root: f.root,
      relPath: f.relPath,
      path: f.path,
      absPath: this.absPath(f),
      mtimeMs: f.mtimeMs,
      size: f.size,
      ctimeMs: f.ctimeMs,
    };
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

  /** Scans `files` in order onto the state; `locked`: each file under the lock (the live index, not a copy). */
  private async appendFiles(files: SourceFile[], phase: ScanProgress['phase'], options: SyncOptions, report: SyncReport, locked: boolean) {
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
      await options.yieldTo?.();
      const step = async () => {
        if (this.touchedPaths?.has(file.path)) return undefined; // a file event indexed it meanwhile
        if (i === files.length - 1) this.addCheckpoint(); // lets a later save of the last file rewind
        const result = await scanFile(this.parts, file, this.index.state, options.signal);
        if (!('skipped' in result)) {
          this.index.history.push(result.record);
          this.dirty = true;
        }
        return result;
      };
      const result = locked ? await this.exclusive(step) : await step();
      if (result === undefined) {
        report.unchanged++;
      } else if (!('skipped' in result)) {
        report.scanned++;
        report.tokens += result.record.tokens;
        tokensDone += result.record.tokens;
        bytesScanned += file.size;
        tokensSinceCheckpoint += result.record.tokens;
        if (tokensSinceCheckpoint >= this.checkpointTokens) {
          if (locked) await this.exclusive(() => this.addCheckpoint());
          else this.addCheckpoint();
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

/** A record leaves the answers: its tokens stay in the state as a trace, its regions are dropped (nothing reads a stale record's). */
function retire(record: FileRecord): void {
  record.live = false;
  record.regions = [];
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
