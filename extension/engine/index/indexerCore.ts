// The Indexer's foundation: the index it keeps, its one FIFO lock, the bookkeeping every change shares
// (dirty, updatedAt, checkpoints, record paths) and the scan of files in order onto the state with its
// progress. indexer.ts builds sync, per-file updates and compaction on it (the top of that file says how).
import { prepareFile, scanPrepared, unchangedSince, type PrepareResult, type ScanParts, type SourceFile } from './fileScan';
import { PREPARE_AHEAD, PrepareQueue, type AheadLimits } from './filePipeline';
import { reasonOf } from '../reasonOf';
import { fileHeadTokens } from '../scan/fileStream';
import { forkState } from '../scan/scanState';
import { staleTokens, type FileRecord, type WorkspaceIndex } from './types';
import { resolveInRoot } from '../paths/containment';
import { WorkEstimate } from './workEstimate';
import { retire, thinCheckpoints } from './records';
import { ScanPriority } from './scanPriority';
import type { ScanProgress, SyncOptions, SyncReport } from './syncTypes';

// Each checkpoint is one summary state (summaryBytes; the shipped model's: docs/engine.md): a few, spaced
// geometrically from the end, suffice to resume and rewind without a full rescan.
const MAX_CHECKPOINTS = 8;
/** Bytes per token assumed for tokensTotal until the scan has measured its own. */
const BYTES_PER_TOKEN_ESTIMATE = 3.5;

export class IndexerCore {
  /** Periodic checkpoints every this many tokens (at file boundaries). */
  checkpointTokens = 65536;
  /** How far ahead of the model a scan of many files prepares them (filePipeline.ts). */
  prepareAhead: AheadLimits = PREPARE_AHEAD;
  /**
   * True once the index in memory differs from what was last written (or read): set by every change,
   * cleared by the owner after writing it. A sync that found nothing changed leaves it false, so an
   * unchanged workspace is never rewritten.
   */
  dirty = false;

  /** The FIFO lock every change of history or state takes (see the top of this file). */
  protected lock: Promise<void> = Promise.resolve();
  /** Compactions run one at a time (a second waits for the first). */
  protected compacting: Promise<void> = Promise.resolve();
  /** Paths a file event changed while a sync runs: the sync does not scan them again. */
  protected touchedPaths: Set<string> | undefined;
  /** Holders of and waiters for the lock. */
  protected waiting = 0;
  /** Who scans when: file events before compaction, unless edits are about to outrun it (scanPriority.ts). */
  readonly priority = new ScanPriority(() => ({ stale: staleTokens(this.index), tokens: this.index.state.tokens }));
  /** File events counted, and the count at each path's last removal (a save scanning meanwhile is dropped). */
  protected events = 0;
  protected readonly removals = new Map<string, number>();

  constructor(
    protected readonly parts: ScanParts,
    readonly index: WorkspaceIndex,
  ) {}

  protected async exclusive<T>(work: () => Promise<T> | T): Promise<T> {
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

  /** Keeps a full walk's count of skipped files by reason (the index is dirty only when it differs). */
  recordSkipped(skipped: Record<string, number>): void {
    const sorted = (m: Record<string, number>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (sorted(this.index.skipped) === sorted(skipped)) return;
    this.index.skipped = skipped;
    this.dirty = true;
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

  /**
   * A file renamed (or moved with its folder) with its bytes unchanged (`contentHash`): its record answers
   * at the new path at once, without a scan. The state read it under the old path (a file's path heads
   * its tokens), so those header tokens count as stale (`readAs`) until a compaction rescans it. Returns
   * false when `from` has no live record of that content (the caller rescans the file instead).
   */
  relabelFile(from: string, to: SourceFile, contentHash: string): boolean {
    const { history } = this.index;
    const old = this.liveRecord(from);
    if (!old || old.contentHash !== contentHash) return false;
    const i = history.indexOf(old);
    if (to.path !== from) this.removeFile(to.path); // the rename replaced a file there
    this.touchedPaths?.add(from);
    this.touchedPaths?.add(to.path);
    this.removals.set(from, ++this.events); // a save of the old path still scanning is dropped
    // A new object in the old one's place: a compaction under way retires its copy of the old one and
    // catches this one up, at its new path.
    history[i] = {
      ...old,
      path: to.path,
      root: to.root,
      relPath: to.relPath,
      mtimeMs: to.mtimeMs,
      size: to.size,
      ctimeMs: to.ctimeMs,
      // What the state read first: the file's header (its path) as the stream puts it (scan/fileStream.ts).
      readAs: old.readAs ?? { path: old.path, tokens: fileHeadTokens(old.relPath, this.parts.tokenizer) },
      regions: old.regions.map((r) => ({ ...r })), // new objects: what is cached per region (its path's terms) is made again
    };
    retire(old);
    this.touch();
    return true;
  }

  /** The live record of a file (a workspace path), if it has one. */
  liveRecord(path: string): FileRecord | undefined {
    return this.index.history.find((f) => f.live && f.path === path);
  }

  /** Every live file under a folder (a workspace path), for folder deletes and renames. */
  liveUnder(folder: string): FileRecord[] {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    return this.index.history.filter((f) => f.live && f.path.startsWith(prefix));
  }

  protected sourceOf(f: FileRecord): SourceFile {
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
  protected touch(): void {
    this.index.updatedAt = Math.max(Date.now(), this.index.updatedAt + 1);
    this.dirty = true;
    this.priority.indexChanged(); // the stale share moved: a file event or a compaction waiting checks again
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

  /**
   * Scans `files` in order onto the state; `locked`: each file under the lock (the live index, not a copy).
   * `each.skip(i)` leaves file i out when its turn comes; `each.done(i, record)` gets what file i became.
   */
  protected async appendFiles(
    files: SourceFile[],
    phase: ScanProgress['phase'],
    options: SyncOptions,
    report: SyncReport,
    locked: boolean,
    each?: { skip(i: number): boolean; done(i: number, record: FileRecord | undefined): void },
  ) {
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
    // Each file's read, outline and tokens are made ahead of the model (filePipeline.ts), outside the
    // lock; the periodic write goes on while the next files are scanned (IndexStore writes one at a time).
    const queue = new PrepareQueue(files, (f) => this.prepare(f), failedPreparing, this.prepareAhead);
    let writing: Promise<void> | undefined;
    let writeError: { error: unknown } | undefined;
    try {
      for (let i = 0; i < files.length; i++) {
        const file = files[i];
        emit(file.path);
        const prepared = await queue.take();
        const step = async () => {
          if (this.touchedPaths?.has(file.path) || each?.skip(i)) return undefined; // a file event indexed it meanwhile
          if (i === files.length - 1) this.addCheckpoint(); // lets a later save of the last file rewind
          const now = await this.stillCurrent(file, prepared);
          if ('skipped' in now) return now;
          // Read onto a copy of the state (a scan replaces its arrays chunk by chunk and adds into L, copied
          // here), swapped in with the record: the index's state and history agree at every moment, also
          // for a write or a query that comes between two chunks of a file.
          const state = forkState(this.index.state);
          const result = await scanPrepared(this.parts, file, now.prepared, state, options.signal, options.pace);
          this.index.state = state;
          this.index.history.push(result.record);
          this.dirty = true;
          return result;
        };
        const result = locked ? await this.exclusive(step) : await step();
        each?.done(i, result && 'record' in result ? result.record : undefined);
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
          if (options.persist && !writing && Date.now() - lastPersist >= (options.persistEveryMs ?? 10_000)) {
            writing = options.persist().then(
              () => undefined,
              (error: unknown) => void (writeError ??= { error }),
            );
            void writing.then(() => {
              writing = undefined;
              lastPersist = Date.now();
            });
          }
        } else {
          report.skipped[result.skipped] = (report.skipped[result.skipped] ?? 0) + 1;
        }
        // The whole step counts (read, outline, scan, checkpoint, the periodic write): what the rest will cost too.
        const now = Date.now();
        estimate.fileDone(file.size, (now - fileStarted) / 1000);
        fileStarted = now;
      }
    } finally {
      queue.close();
      await writing;
    }
    if (writeError) throw writeError.error;
    emit();
  }

  /** A file's read, outline and tokens: what its scan feeds the model (the pipeline's stage before the model). */
  protected prepare(file: SourceFile): Promise<PrepareResult> {
    return prepareFile(this.parts, file);
  }

  /**
   * A preparation made ahead of its scan, or, when the file changed, was replaced or vanished since it
   * was read (one stat), made again now: the scan reads the file as it is when its turn comes.
   */
  protected async stillCurrent(file: SourceFile, prepared: PrepareResult): Promise<PrepareResult> {
    const stamp = 'prepared' in prepared ? prepared.prepared.stamp : undefined;
    if (!stamp || (await unchangedSince(file.absPath, stamp))) return prepared;
    return this.prepare(file).catch(failedPreparing);
  }

  /** Checkpoint of the current state; older ones are thinned (thinCheckpoints) to MAX_CHECKPOINTS. */
  protected addCheckpoint(): void {
    const at = this.index.history.length;
    // The same position again holds the same state (nothing entered since): no change to write.
    if (!this.index.checkpoints.some((c) => c.historyLength === at)) this.dirty = true;
    const cps = this.index.checkpoints.filter((c) => c.historyLength !== at && c.historyLength < at);
    cps.push({ historyLength: at, state: forkState(this.index.state) });
    const keep = new Set(
      thinCheckpoints(
        cps.map((c) => c.historyLength),
        at,
        MAX_CHECKPOINTS,
      ),
    );
    this.index.checkpoints = cps.filter((c) => keep.has(c.historyLength));
  }

  protected liveByPath(): Map<string, FileRecord> {
    const map = new Map<string, FileRecord>();
    for (const f of this.index.history) if (f.live) map.set(f.path, f);
    return map;
  }

  staleTokens(): number {
    return staleTokens(this.index);
  }
}

/** What preparing a file threw, as that file's skip reason: one file's failure does not stop the others. */
function failedPreparing(error: unknown): PrepareResult {
  return { skipped: `failed (${reasonOf(error).split('\n')[0].slice(0, 160)})` };
}
