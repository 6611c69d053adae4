// Picks the runtime at start: the native build when its binary loads on this platform (about five
// times faster here on the same graphs), else WASM. The reason for a fallback is kept so the status
// can say why the slower one runs.
import { cpus } from 'node:os';
import { loadOrtNode } from './ortNode';
import { loadOrtWeb } from './ortWeb';
import type { ModelRuntime, RuntimeName } from './types';

export interface RuntimeChoice {
  runtime: ModelRuntime;
  /** Why this runtime, in words, for the status line. */
  reason: string;
}

export interface RuntimeOptions {
  /** Force one runtime; "auto" (default) takes the fastest present. */
  prefer?: RuntimeName | 'auto';
  /** Intra-op threads; default: all cores. */
  threads?: number;
  wasmPaths?: string;
}

export function defaultThreads(): number {
  return Math.max(1, cpus().length);
}

export async function chooseRuntime(options: RuntimeOptions = {}): Promise<RuntimeChoice> {
  const threads = options.threads && options.threads > 0 ? Math.floor(options.threads) : defaultThreads();
  const prefer = options.prefer ?? 'auto';
  if (prefer === 'onnxruntime-web') {
    return { runtime: await loadOrtWeb({ threads, wasmPaths: options.wasmPaths }), reason: 'requested' };
  }
  try {
    const runtime = await loadOrtNode(threads);
    return { runtime, reason: prefer === 'onnxruntime-node' ? 'requested' : 'native build present (faster)' };
  } catch (err) {
    if (prefer === 'onnxruntime-node') {
      throw new Error(`onnxruntime-node cannot be loaded on this platform: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    const runtime = await loadOrtWeb({ threads, wasmPaths: options.wasmPaths });
    return { runtime, reason: `native build unavailable (${(err as Error).message.split('\n')[0]}), using WASM` };
  }
}
