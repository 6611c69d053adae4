// The caller's side of the engine RPC: runs the engine in a worker thread so that parsing and
// model inference never block the extension host (or the CLI's event loop), and turns each call
// into a promise. vscode-free: the extension, the CLI and the tests all use it.
// runtime/offline first: the worker's native onnxruntime-node reads the process's real environment,
// which only this (parent) thread can set; it must hold ORT_DISABLE_TELEMETRY=1 before the worker starts.
import '../runtime/offline';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { EngineCrashedError, EngineRequestError, EngineStoppedError, RequestCancelledError } from './errors';
import { isFromWorker, type FromWorker, type MethodTable, type ProgressOf, type ToWorker } from './wire';

export interface RpcClientOptions {
  /** The worker's entry file: dist/engine-worker.js when bundled, a .ts file under tsx in tests. */
  workerFile: string | URL;
  /** Passed to the worker as `workerData` (e.g. where the WASM files are). */
  workerData?: unknown;
  /** Node flags for the worker; defaults to the parent's (so tsx carries over in tests). */
  execArgv?: string[];
  /** The worker's heap limits (the engine's: methods.ts ENGINE_OLD_SPACE_MB); default: Node's. */
  resourceLimits?: ResourceLimits;
  /** Called with a readable line whenever the worker dies unexpectedly (for the log). */
  onCrash?: (error: EngineCrashedError) => void;
  /** Stop restarting eagerly after this many crashes in a row without one successful reply. */
  maxEagerRestarts?: number;
}

export interface RequestOptions<P> {
  signal?: AbortSignal;
  onProgress?: (data: P) => void;
}

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (data: unknown) => void;
  detachAbort: () => void;
}

export class RpcClient<T extends MethodTable> {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  private crashesInARow = 0;
  private starts = 0;

  constructor(private readonly options: RpcClientOptions) {}

  /** How many times the worker has been started again after a crash (for logs and tests). */
  get restarts(): number {
    return Math.max(0, this.starts - 1);
  }

  request<M extends keyof T & string>(
    method: M,
    params: T[M]['params'],
    options: RequestOptions<ProgressOf<T[M]>> = {},
  ): Promise<T[M]['result']> {
    if (this.disposed) return Promise.reject(new EngineStoppedError());
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new RequestCancelledError(method));

    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<T[M]['result']>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.post({ kind: 'cancel', id });
        this.updateRef();
        reject(new RequestCancelledError(method));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (result: unknown) => void,
        reject,
        onProgress: onProgress as ((data: unknown) => void) | undefined,
        detachAbort: () => signal?.removeEventListener('abort', onAbort),
      });
      this.updateRef();
      worker.postMessage({ kind: 'request', id, method, params } satisfies ToWorker);
    });
  }

  /** Stops the worker; pending requests reject with EngineStoppedError. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(() => new EngineStoppedError());
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.workerFile, {
      workerData: this.options.workerData,
      ...(this.options.execArgv ? { execArgv: this.options.execArgv } : {}),
      ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}),
    });
    let lastError: unknown;
    worker.on('message', (raw: unknown) => {
      if (isFromWorker(raw)) this.onMessage(raw);
    });
    // 'error' (an uncaught exception in the worker) is always followed by 'exit'; keep the
    // error so the exit can report what happened.
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return; // terminated on purpose (dispose)
      this.worker = undefined;
      this.onCrash(code, lastError);
    });
    this.worker = worker;
    this.starts++;
    this.updateRef();
    return worker;
  }

  private onCrash(exitCode: number, cause: unknown): void {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : `exit code ${exitCode}`;
    const makeError = (method?: string) =>
      new EngineCrashedError(
        `The Longview engine worker stopped unexpectedly (${reason})` +
          (method ? ` while handling "${method}"` : '') +
          '. It is restarted automatically; try again.',
        exitCode,
        cause,
      );
    this.failAll((p) => makeError(p.method));
    this.crashesInARow++;
    this.options.onCrash?.(makeError());
    // Restart now so the next request finds a warm worker, unless it keeps dying at once; then
    // it is started again only when someone asks for it.
    if (!this.disposed && this.crashesInARow <= (this.options.maxEagerRestarts ?? 3)) this.ensureWorker();
  }

  private onMessage(message: FromWorker): void {
    const pending = this.pending.get(message.id);
    if (!pending) return; // answer to a request that was cancelled meanwhile
    if (message.kind === 'progress') {
      pending.onProgress?.(message.data);
      return;
    }
    this.pending.delete(message.id);
    pending.detachAbort();
    this.updateRef();
    this.crashesInARow = 0;
    if (message.kind === 'result') pending.resolve(message.result);
    else pending.reject(new EngineRequestError(pending.method, message.error.name, message.error.message, message.error.stack));
  }

  private failAll(makeError: (pending: Pending) => Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      p.detachAbort();
      p.reject(makeError(p));
    }
    this.updateRef();
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  /** An idle worker must not keep a CLI process alive; a busy one must. */
  private updateRef(): void {
    if (!this.worker) return;
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
