// The Recall section's measurements, without vscode (unit-tested under plain Node): one
// workspace.recall at a time. Recall over the whole workspace measures a recall probe per region,
// minutes of work on a large workspace (figures in bench/README.md and docs/engine.md), so the
// section shows the engine's count and keeps the previous chart meanwhile; a refresh while the
// index is unchanged joins the measurement under way (the engine keeps what a cancelled request
// measured only in whole slices of 64 regions, and only for the same index state); a change of the
// index cancels it at once (it measures a state that is gone). Up to `autoLimit` regions the next
// measurement starts after a quiet second, so a burst of saves costs one measurement, not one per
// save. Above it nothing starts by itself: the previous chart stays, marked out of date, until
// refresh() (the section's ↻) measures again.
import { RequestCancelledError } from '../engine/rpc/errors';
import type { RecallResult } from '../engine/query/recall';
import type { RecallProgress, RecallState, RecallView } from '../protocol';
import { reasonOf } from '../engine/reasonOf';

export interface RecallRunsOptions {
  /** workspace.recall over the whole workspace, cancelled by `signal`, with the engine's counts. */
  request(options: { signal: AbortSignal; onProgress: (progress: RecallProgress) => void }): Promise<RecallResult>;
  isOpen(): boolean;
  /** The result as the sidebar shows it (made when it arrives, so it marks the file active then). */
  toView(result: RecallResult): RecallView;
  /** Each new state; a 'measuring' one once per measurement. */
  onState(state: RecallState): void;
  /** A newer count while the state stays 'measuring'. */
  onProgress(progress: RecallProgress): void;
  /** Whether the refresh due after an index change should run now (the section is shown). */
  wanted(): boolean;
  warn(message: string): void;
  /** Quiet time after the last index change before recall is measured again. */
  debounceMs?: number;
  /** Without a count from the engine by then, the section says "Measuring recall…" anyway. */
  measuringAfterMs?: number;
  /**
   * Above this many regions (the last measurement's, or the count of one cancelled) an index change
   * does not start a measurement: the chart is marked out of date until refresh().
   */
  autoLimit?: number;
}

export const NOT_INDEXED: RecallState = { status: 'empty', reason: 'The workspace is not indexed yet.' };
export const NO_REGIONS: RecallState = { status: 'empty', reason: 'No regions are indexed yet.' };

interface Run {
  controller: AbortController;
  promise: Promise<RecallState>;
}

type Measuring = Extract<RecallState, { status: 'measuring' }>;

export const AUTO_LIMIT = 1500;

export class RecallRuns {
  private current: RecallState = NOT_INDEXED;
  private running: Run | undefined;
  private due: ReturnType<typeof setTimeout> | undefined;
  private readonly debounceMs: number;
  private readonly measuringAfterMs: number;
  private readonly autoLimit: number;
  /** Regions of the last measurement: its result's, or the engine's count for one cancelled. */
  private regions = 0;
  /** Milliseconds per region measured, from the engine's counts (undefined before any). */
  private msPerRegion: number | undefined;
  /** The index changed above the limit since the state shown was measured; nothing measures until refresh(). */
  private outOfDate = false;

  constructor(private readonly o: RecallRunsOptions) {
    this.debounceMs = o.debounceMs ?? 1000;
    this.measuringAfterMs = o.measuringAfterMs ?? 300;
    this.autoLimit = o.autoLimit ?? AUTO_LIMIT;
  }

  /** Whether the state shown is out of date and waits for refresh() (the section's ↻). */
  get waitingForRefresh(): boolean {
    return this.outOfDate;
  }

  get state(): RecallState {
    return this.current;
  }

  /** Whether a measurement is under way (for tests and logs). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Recall of the index as it stands: the measurement under way when there is one (the index has not
   * changed since it began, or it would have been cancelled), else a new one.
   */
  refresh(): Promise<RecallState> {
    clearTimeout(this.due);
    this.due = undefined;
    this.outOfDate = false;
    if (this.running) return this.running.promise;
    if (!this.o.isOpen()) return Promise.resolve(this.set(NOT_INDEXED));
    const run: Run = { controller: new AbortController(), promise: Promise.resolve(this.current) };
    this.running = run;
    run.promise = this.measure(run);
    return run.promise;
  }

  /**
   * The index changed: the measurement under way stops now; the next starts after `debounceMs` without
   * another change, unless the workspace has more than `autoLimit` regions: then the chart shown
   * (or the one kept under the count) is marked out of date and nothing is measured until refresh().
   */
  indexChanged(): void {
    const wasRunning = this.running !== undefined;
    this.cancel();
    clearTimeout(this.due);
    this.due = undefined;
    const shown = this.current.status;
    if (this.regions > this.autoLimit && (this.outOfDate || wasRunning || shown === 'ready' || shown === 'measuring')) {
      this.markOutOfDate();
      return;
    }
    this.due = setTimeout(() => {
      this.due = undefined;
      if (this.o.wanted()) void this.refresh();
    }, this.debounceMs);
  }

  /** A new view of the state shown (e.g. another file active), without measuring again. */
  replaceView(view: (current: RecallView) => RecallView): void {
    const shown = this.current;
    if (shown.status === 'ready')
      this.set(
        shown.stale ? { status: 'ready', recall: view(shown.recall), stale: shown.stale } : { status: 'ready', recall: view(shown.recall) },
      );
  }

  dispose(): void {
    this.cancel();
    clearTimeout(this.due);
    this.due = undefined;
  }

  private markOutOfDate(): void {
    const shown = this.current;
    if (this.outOfDate && (shown.status === 'ready' || shown.status === 'empty')) return; // already says so
    this.outOfDate = true;
    const previous = shown.status === 'ready' ? shown.recall : shown.status === 'measuring' ? shown.previous : null;
    const regions = this.regions;
    if (previous) {
      const estimateMs = this.msPerRegion === undefined ? null : Math.round(regions * this.msPerRegion);
      this.set({ status: 'ready', recall: previous, stale: { regions, estimateMs } });
    } else {
      this.set({
        status: 'empty',
        reason: `The summary changed while recall was being measured (${regions.toLocaleString('en-US')} regions). ↻ measures again.`,
      });
    }
  }

  private cancel(): void {
    const run = this.running;
    this.running = undefined;
    run?.controller.abort();
  }

  private async measure(run: Run): Promise<RecallState> {
    const { signal } = run.controller;
    const shown = this.current;
    const previous = shown.status === 'ready' ? shown.recall : shown.status === 'measuring' ? shown.previous : null;
    let measuring: Measuring | undefined;
    const show = (progress: RecallProgress | null) => {
      if (signal.aborted) return;
      if (!measuring) {
        measuring = { status: 'measuring', progress, previous };
        this.set(measuring);
      } else if (progress) {
        // Kept as the state (a webview made now gets the count in its handshake), sent as a count only.
        measuring = { ...measuring, progress };
        this.current = measuring;
        this.o.onProgress(progress);
      }
    };
    const timer = setTimeout(() => show(null), this.measuringAfterMs);
    const started = Date.now();
    const counted = (p: RecallProgress) => {
      if (signal.aborted) return;
      // A cancelled measurement's count still says how large the next one is.
      if (p.total > 0) this.regions = p.total;
      if (p.done > 0) this.msPerRegion = (Date.now() - started) / p.done;
      show({ done: p.done, total: p.total });
    };
    try {
      const result = await this.o.request({ signal, onProgress: counted });
      if (signal.aborted) return this.current;
      this.regions = result.regions.length;
      if (result.regions.length === 0) return this.set(NO_REGIONS);
      return this.set({ status: 'ready', recall: this.o.toView(result) });
    } catch (error) {
      // Cancelled: a newer measurement (or none, when the index closed) decides what is shown.
      if (signal.aborted || error instanceof RequestCancelledError) return this.current;
      const message = reasonOf(error);
      this.o.warn(message);
      return this.set({ status: 'error', message });
    } finally {
      clearTimeout(timer);
      if (this.running === run) this.running = undefined;
    }
  }

  private set(state: RecallState): RecallState {
    this.current = state;
    this.o.onState(state);
    return state;
  }
}
