// onnxruntime-node: the native build (desktop). Loaded lazily so a host without the native binary
// (a browser-hosted VS Code, another platform's .vsix) falls back to WASM instead of failing to start.
import type { ModelRuntime, ModelSession, TensorMap } from "./types";

type OrtModule = typeof import("onnxruntime-node");

export async function loadOrtNode(threads: number): Promise<ModelRuntime> {
  const ort: OrtModule = await import("onnxruntime-node");
  return {
    name: "onnxruntime-node",
    threads,
    async createSession(model: Uint8Array): Promise<ModelSession> {
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
      return wrapSession(ort, session);
    },
  };
}

function wrapSession(ort: OrtModule, session: import("onnxruntime-node").InferenceSession): ModelSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: TensorMap): Promise<TensorMap> {
      const ortFeeds: Record<string, import("onnxruntime-node").Tensor> = {};
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
}
