// The session API both onnxruntime packages share (onnxruntime-common): our plain tensors in, theirs
// out and back. Written once against the common types so the two runtimes cannot drift apart.
import type { InferenceSession, Tensor } from "onnxruntime-common";
import type { ModelSession, TensorMap } from "./types";

type TensorConstructor = new (type: "int64" | "float32", data: BigInt64Array | Float32Array, dims: readonly number[]) => Tensor;

export function wrapSession(TensorClass: TensorConstructor, session: InferenceSession): ModelSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: TensorMap): Promise<TensorMap> {
      const ortFeeds: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        ortFeeds[name] = new TensorClass(t.data instanceof BigInt64Array ? "int64" : "float32", t.data, t.dims);
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
