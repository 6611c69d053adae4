// The messages that cross the worker_threads boundary between an RpcClient and serveRpc.
// Plain objects only: they go through the structured clone algorithm.

/** A method table: for each method name, its params, result and (optional) progress payloads. */
export interface MethodSpec {
  params: unknown;
  result: unknown;
  progress?: unknown;
}
export type MethodTable = { [method: string]: MethodSpec };

export type ProgressOf<S extends MethodSpec> = S extends { progress: infer P } ? P : never;

export type ToWorker =
  | { t: 'request'; id: number; method: string; params: unknown }
  | { t: 'cancel'; id: number };

export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker =
  | { t: 'result'; id: number; result: unknown }
  | { t: 'error'; id: number; error: WireError }
  | { t: 'progress'; id: number; data: unknown };

export function isFromWorker(raw: unknown): raw is FromWorker {
  if (typeof raw !== 'object' || raw === null) return false;
  const m = raw as { t?: unknown; id?: unknown };
  return (m.t === 'result' || m.t === 'error' || m.t === 'progress') && Number.isInteger(m.id);
}

export function isToWorker(raw: unknown): raw is ToWorker {
  if (typeof raw !== 'object' || raw === null) return false;
  const m = raw as { t?: unknown; id?: unknown; method?: unknown };
  if (!Number.isInteger(m.id)) return false;
  return m.t === 'cancel' || (m.t === 'request' && typeof m.method === 'string');
}
