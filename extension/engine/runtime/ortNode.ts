// onnxruntime-node: the native build (desktop). Loaded lazily so a host without the native binary
// (a browser-hosted VS Code, another platform's .vsix) falls back to WASM instead of failing to start.
import { wrapSession } from "./ortSession";
import type { ModelRuntime, ModelSession } from "./types";

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
      return wrapSession(ort.Tensor, session);
    },
  };
}
