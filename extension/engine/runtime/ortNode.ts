// onnxruntime-node: the native build (desktop). Loaded lazily so a host without the native binary
// (a browser-hosted VS Code, another platform's .vsix) falls back to WASM instead of failing to start.
// offline.ts first: it turns onnxruntime-node's telemetry off before the native library can load.
import { ortOfflineProblem } from './offline';
import { wrapSession } from './ortSession';
import type { ModelRuntime, ModelSession } from './types';

type OrtModule = typeof import('onnxruntime-node');

export async function loadOrtNode(threads: number): Promise<ModelRuntime> {
  // Never load the native build with its telemetry on (chooseRuntime then falls back to WASM and says why).
  const offline = ortOfflineProblem();
  if (offline) throw new Error(`onnxruntime-node not loaded: ${offline}`);
  const ort: OrtModule = await import('onnxruntime-node');
  return {
    name: 'onnxruntime-node',
    threads,
    async createSession(model: Uint8Array): Promise<ModelSession> {
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
      return wrapSession(ort.Tensor, session);
    },
  };
}
