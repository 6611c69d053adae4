// The errors an RpcClient rejects with. Each says what happened in words a user can act on;
// callers tell them apart with instanceof.

/** The worker thread died (uncaught exception, out of memory, process.exit) while requests were in flight. */
export class EngineCrashedError extends Error {
  override name = 'EngineCrashedError';
  constructor(
    message: string,
    readonly exitCode: number | undefined,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The caller cancelled the request (AbortSignal) before the worker answered. */
export class RequestCancelledError extends Error {
  override name = 'RequestCancelledError';
  constructor(method: string) {
    super(`The engine request "${method}" was cancelled.`);
  }
}

/** The handler in the worker threw; carries the worker-side error name and stack. */
export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(
    readonly method: string,
    readonly remoteName: string,
    message: string,
    readonly remoteStack?: string,
  ) {
    super(message);
  }
}

/** The client was disposed (extension deactivated, CLI finished) with requests still pending. */
export class EngineStoppedError extends Error {
  override name = 'EngineStoppedError';
  constructor() {
    super('The Longview engine was stopped.');
  }
}
