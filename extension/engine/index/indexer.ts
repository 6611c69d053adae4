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
// for at most one file's scan: a save scans its file on a copy of the state and swaps it in at once
// (its old record answers until then); a sync takes the lock per file; a compaction works on a copy
// without it, scanning only while no file event is queued or scanning (checked before every chunk),
// or, when edits are about to outrun it, before them (scanPriority.ts), and takes the lock
// only to catch up with what arrived since its last round and to swap its work in.
import { readSource, scanPrepared, type PrepareResult, type SourceFile } from './fileScan';
import { forkState, zeroState } from '../scan/scanState';
import { readStale, type FileRecord, type WorkspaceIndex } from './types';
import { IndexerCore } from './indexerCore';
import { retire, sameStat } from './records';
import type { SyncOptions, SyncReport } from './syncTypes';

export type { ScanProgress, SyncOptions, SyncReport } from './syncTypes';
export { thinCheckpoints } from './records';

/** Catch-up rounds a compaction runs without the lock before it takes it for what is still left. */
const CATCH_UP_ROUNDS = 32;

export class Indexer extends IndexerCore {
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
    // Read, outlined and tokenized at once (it reads only the file): while it waits for its turn, not after.
    const prepared = this.prepare(file);
    prepared.catch(() => undefined); // awaited under the lock; a failure is reported there
    return this.priority.fileEvent(() => this.exclusive(() => this.updateLocked(file, sent, prepared, signal)));
  }

  private async updateLocked(
    file: SourceFile,
    sent: number,
    preparing: Promise<PrepareResult>,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const { history } = this.index;
    // A compaction about to be outrun scans first (scanPriority.ts); this save leaves its old version stale.
    await this.priority.foregroundTurn(this.liveRecord(file.path)?.tokens ?? 0);
    const old = this.liveByPath().get(file.path);
    const before = this.index.checkpoints.find((c) => c.historyLength === history.length - 1);
    // Saving the last file again rewinds past its old version: exact, and as cheap as scanning it once.
    const rewind = old !== undefined && old === history[history.length - 1] && before !== undefined;
    const state = forkState(rewind ? before.state : this.index.state);
    const prepared = await this.stillCurrent(file, await preparing);
    const result = 'skipped' in prepared ? prepared : await scanPrepared(this.parts, file, prepared.prepared, state, signal);
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
  }

  /**
   * A file renamed (or moved with its folder) to `to`: relabels its record when the bytes there are
   * what it read (no scan; IndexerCore.relabelFile). False when they differ or cannot be read: the
   * caller rescans it.
   */
  async renamed(from: string, to: SourceFile): Promise<boolean> {
    const source = await readSource(to.absPath, this.parts.limits);
    return 'hash' in source && this.relabelFile(from, to, source.hash);
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
    const firstStale = history.findIndex(readStale);
    if (firstStale < 0) return;
    const checkpoint = this.index.checkpoints
      .filter((c) => c.historyLength <= firstStale)
      .sort((a, b) => b.historyLength - a.historyLength)[0];
    const keep = checkpoint?.historyLength ?? 0;
    const work: WorkspaceIndex = {
      ...this.index,
      history: history.slice(0, keep),
      state: checkpoint ? forkState(checkpoint.state) : zeroState(this.parts.card),
      checkpoints: this.index.checkpoints.filter((c) => c.historyLength <= keep),
    };
    const sub = new Indexer(this.parts, work);
    sub.checkpointTokens = this.checkpointTokens;
    // Each record of the index → the record that stands for it in the copy (itself in the kept prefix).
    const mapped = new Map<FileRecord, FileRecord | undefined>(history.slice(0, keep).map((f) => [f, f]));
    const rescan = async (records: FileRecord[], opts: SyncOptions) => {
      const live = records.filter((f) => f.live);
      for (const f of records) mapped.set(f, undefined);
      const report = { scanned: 0, unchanged: 0, removed: 0, skipped: {}, tokens: 0, seconds: 0 };
      await sub.appendFiles(
        live.map((f) => this.sourceOf(f)),
        'compact',
        opts,
        report,
        false,
        {
          // Saved, renamed or deleted since this round began: its new version (if any) is caught up below.
          skip: (i) => !live[i].live,
          done: (i, record) => mapped.set(live[i], record),
        },
      );
    };
    // What file events appended since the copy was taken (and since each round after).
    const arrived = () => this.index.history.filter((f) => !mapped.has(f));
    const paced = { ...options, pace: this.priority.background };
    // What the pass still has to scan: the live records it has not rescanned yet, those that arrived since included.
    const remaining = () => {
      let n = 0;
      for (const f of this.index.history) if (f.live && !mapped.get(f)) n += f.tokens;
      return n;
    };
    this.priority.compactionStarted(remaining);
    try {
      await rescan(history.slice(keep), paced);
      for (let round = 0; round < CATCH_UP_ROUNDS && arrived().length > 0; round++) await rescan(arrived(), paced);
    } finally {
      this.priority.compactionStopped();
    }
    // Under the lock only what came since the last round (the file events queued for the lock go first).
    await this.exclusive(async () => {
      await rescan(arrived(), { signal: options.signal });
      for (const [original, copy] of mapped) if (copy && !original.live && copy.live) retire(copy);
      this.index.history = work.history;
      this.index.state = work.state;
      this.index.checkpoints = work.checkpoints;
      this.touch();
    });
  }
}
