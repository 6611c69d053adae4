// Entry of the engine worker thread (bundled to dist/engine-worker.js). It only registers handler
// modules; each method's types live in rpc/methods.ts. Add a method by adding one line below.
// runtime/offline first (telemetry off before onnxruntime-node can load; its parent, rpc/client.ts,
// set the variable in the real environment before starting this thread).
import './runtime/offline';
import { workerData } from 'node:worker_threads';
import { serveRpc } from './rpc/server';
import type { EngineMethods, EngineWorkerData } from './rpc/methods';
import { outlineHandler } from './rpc/handlers/outline';
import { workspaceHandlers } from './workspace/workspaceHandlers';

const data: EngineWorkerData = (workerData ?? {}) as EngineWorkerData;

serveRpc<EngineMethods>({
  outline: outlineHandler(data),
  ...workspaceHandlers(data),
});
