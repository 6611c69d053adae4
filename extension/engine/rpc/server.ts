// The worker's side of the engine RPC: answers requests from an RpcClient with a table of
// handlers, one per method. A handler gets an AbortSignal (fired when the caller cancels) and a
// progress callback. Whatever it throws goes back to the caller as an error; it never kills the worker.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { isToWorker, type FromWorker, type MethodTable, type ProgressOf, type WireError } from './wire';

export interface HandlerContext<P> {
  signal: AbortSignal;
  progress: (data: P) => void;
}

export type Handler<S extends MethodTable[string]> = (
  params: S['params'],
  context: HandlerContext<ProgressOf<S>>,
) => Promise<S['result']> | S['result'];

export type Handlers<T extends MethodTable> = { [M in keyof T]: Handler<T[M]> };

/** Serves `handlers` on the worker's parent port (or `port`) until the worker ends. */
export function serveRpc<T extends MethodTable>(handlers: Handlers<T>, port: MessagePort | null = parentPort): void {
  if (!port) throw new Error('serveRpc must run inside a worker thread (no parentPort).');
  const running = new Map<number, AbortController>();
  const send = (message: FromWorker) => port.postMessage(message);

  port.on('message', (raw: unknown) => {
    if (!isToWorker(raw)) return;
    if (raw.kind === 'cancel') {
      running.get(raw.id)?.abort();
      running.delete(raw.id);
      return;
    }
    const { id, method, params } = raw;
    const handler = Object.prototype.hasOwnProperty.call(handlers, method) ? handlers[method] : undefined;
    if (!handler) {
      send({ kind: 'error', id, error: { name: 'UnknownMethod', message: `The engine has no method "${method}".` } });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    const context: HandlerContext<unknown> = {
      signal: controller.signal,
      progress: (data) => {
        if (!controller.signal.aborted) send({ kind: 'progress', id, data });
      },
    };
    void answer(id, () => handler(params, context), controller.signal, send).finally(() => running.delete(id));
  });
}

/** Runs one handler and sends its result or error, unless the caller cancelled meanwhile. */
async function answer(id: number, run: () => unknown, signal: AbortSignal, send: (message: FromWorker) => void): Promise<void> {
  let message: FromWorker;
  try {
    message = { kind: 'result', id, result: await run() };
  } catch (error) {
    message = { kind: 'error', id, error: toWireError(error) };
  }
  if (signal.aborted) return;
  try {
    send(message);
  } catch (error) {
    // e.g. a result the structured clone cannot copy (a function, a class instance with private state)
    send({ kind: 'error', id, error: toWireError(error) });
  }
}

function toWireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}
