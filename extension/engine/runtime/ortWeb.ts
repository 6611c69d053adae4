// onnxruntime-web: the WASM build, which runs everywhere (also a browser-hosted VS Code). In Node its
// threads are worker threads; `wasmPaths` points at the .wasm files when the code is bundled away
// from node_modules.
import type { ModelRuntime, ModelSession, TensorMap } from "./types";

type OrtWebModule = typeof import("onnxruntime-web");

export interface OrtWebOptions {
  threads: number;
  /** Folder (ending in /) or URL prefix holding ort-wasm-simd-threaded*.wasm; default: the package's own. */
  wasmPaths?: string;
}

export async function loadOrtWeb(options: OrtWebOptions): Promise<ModelRuntime> {
  const ort: OrtWebModule = await import("onnxruntime-web");
  ort.env.wasm.numThreads = options.threads;
  ort.env.wasm.simd = true;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  ort.env.logLevel = "error";
  return {
    name: "onnxruntime-web",
    threads: options.threads,
    async createSession(model: Uint8Array): Promise<ModelSession> {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: ["wasm"],
        graphOptimizationLevel: "all",
      });
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds: TensorMap): Promise<TensorMap> {
          const ortFeeds: Record<string, import("onnxruntime-web").Tensor> = {};
          for (const [name, t] of Object.entries(feeds)) {
            ortFeeds[name] = new ort.Tensor(t.data instanceof BigInt64Array ? "int64" : "float32", t.data, t.dims);
          }
          const out = await session.run(ortFeeds);
          const result: TensorMap = {};
          for (const [name, t] of Object.entries(out)) {
            result[name] = { data: t.data as Float32Array | BigInt64Array, dims: t.dims };
          }
          return result;
        },
        release: () => session.release(),
      };
    },
  };
}
