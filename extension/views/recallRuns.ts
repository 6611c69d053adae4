// The Recall section's measurements, without vscode (unit-tested under plain Node): one
// workspace.recall at a time. Recall over the whole workspace measures a recall probe per region (a
// minute or more on 9,000 regions), so the section shows the engine's count and keeps the previous
// chart meanwhile; a refresh while the index is unchanged joins the measurement under way (cancelling
// it would throw away what it measured: the engine keeps nothing of a cancelled request); a change of
// the index cancels it at once (it measures a state that is gone) and starts the next after a quiet
// second, so a burst of saves costs one measurement, not one per save.
import { RequestCancelledError } from '../engine/rpc/errors';
import type { RecallResult } from '../engine/query/recall';
import type { RecallProgress, RecallState, RecallView } from '../protocol';

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
}

export const NOT_INDEXED: RecallState = { status: 'empty', reason: 'The workspace is not indexed yet.' };
export const NO_REGIONS: RecallState = { status: 'empty', reason: 'No regions are indexed yet.' };

interface Run {
  controller: AbortController;
  promise: Promise<RecallState>;
}

type Measuring = Extract<RecallState, { status: 'measuring' }>;

export class RecallRuns {
  private current: RecallState = NOT_INDEXED;
  private running: Run | undefined;
  private due: ReturnType<typeof setTimeout> | undefined;
  private readonly debounceMs: number;
  private readonly measuringAfterMs: number;

  constructor(private readonly o: RecallRunsOptions) {
    this.debounceMs = o.debounceMs ?? 1000;
    this.measuringAfterMs = o.measuringAfterMs ?? 300;
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
    if (this.running) return this.running.promise;
    if (!this.o.isOpen()) return Promise.resolve(this.set(NOT_INDEXED));
    const run: Run = { controller: new AbortController(), promise: Promise.resolve(this.current) };
    this.running = run;
    run.promise = this.measure(run);
    return run.promise;
  }

  /** The index changed: the measurement under way stops now; the next starts after `debounceMs` without another change. */
  indexChanged(): void {
    this.cancel();
    clearTimeout(this.due);
    this.due = setTimeout(() => {
      this.due = undefined;
      if (this.o.wanted()) void this.refresh();
    }, this.debounceMs);
  }

  /** A new view of the state shown (e.g. another file active), without measuring again. */
  replaceView(view: (current: RecallView) => RecallView): void {
    if (this.current.status === 'ready') this.set({ status: 'ready', recall: view(this.current.recall) });
  }

  dispose(): void {
    this.cancel();
    clearTimeout(this.due);
    this.due = undefined;
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
    try {
      const result = await this.o.request({ signal, onProgress: (p) => show({ done: p.done, total: p.total }) });
      if (signal.aborted) return this.current;
      if (result.regions.length === 0) return this.set(NO_REGIONS);
      return this.set({ status: 'ready', recall: this.o.toView(result) });
    } catch (error) {
      // Cancelled: a newer measurement (or none, when the index closed) decides what is shown.
      if (signal.aborted || error instanceof RequestCancelledError) return this.current;
      const message = error instanceof Error ? error.message : String(error);
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
