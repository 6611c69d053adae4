// The messages that cross the worker_threads boundary between an RpcClient and serveRpc.
// Plain objects only: they go through the structured clone algorithm. Each is told apart by `kind`,
// the discriminant the webview's messages use too (extension/protocolMessages.ts).

/** A method table: for each method name, its params, result and (optional) progress payloads. */
export interface MethodSpec {
  params: unknown;
  result: unknown;
  progress?: unknown;
}
export type MethodTable = { [method: string]: MethodSpec };

export type ProgressOf<S extends MethodSpec> = S extends { progress: infer P } ? P : never;

export type ToWorker = { kind: 'request'; id: number; method: string; params: unknown } | { kind: 'cancel'; id: number };

export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: WireError }
  | { kind: 'progress'; id: number; data: unknown };

export function isFromWorker(raw: unknown): raw is FromWorker {
  if (typeof raw !== 'object' || raw === null) return false;
  const m = raw as { kind?: unknown; id?: unknown };
  return (m.kind === 'result' || m.kind === 'error' || m.kind === 'progress') && Number.isInteger(m.id);
}

export function isToWorker(raw: unknown): raw is ToWorker {
  if (typeof raw !== 'object' || raw === null) return false;
  const m = raw as { kind?: unknown; id?: unknown; method?: unknown };
  if (!Number.isInteger(m.id)) return false;
  return m.kind === 'cancel' || (m.kind === 'request' && typeof m.method === 'string');
}
