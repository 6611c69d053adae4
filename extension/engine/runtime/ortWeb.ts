// onnxruntime-web: the WASM build, which runs everywhere (also a browser-hosted VS Code). In Node its
// threads are worker threads; `wasmPaths` points at the .wasm files when the code is bundled away
// from node_modules.
import { wrapSession } from './ortSession';
import type { ModelRuntime, ModelSession } from './types';

type OrtWebModule = typeof import('onnxruntime-web');

export interface OrtWebOptions {
  threads: number;
  /** Folder (ending in /) or URL prefix holding ort-wasm-simd-threaded*.wasm; default: the package's own. */
  wasmPaths?: string;
}

export async function loadOrtWeb(options: OrtWebOptions): Promise<ModelRuntime> {
  const ort: OrtWebModule = await import('onnxruntime-web');
  ort.env.wasm.numThreads = options.threads;
  ort.env.wasm.simd = true;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  ort.env.logLevel = 'error';
  return {
    name: 'onnxruntime-web',
    threads: options.threads,
    async createSession(model: Uint8Array): Promise<ModelSession> {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
      return wrapSession(ort.Tensor, session);
    },
  };
}
