// The session API both onnxruntime packages share (onnxruntime-common): our plain tensors in, theirs
// out and back. Written once against the common types so the two runtimes cannot drift apart.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { ModelSession, PlainTensor, TensorMap } from './types';

type TensorConstructor = new (
  type: 'int64' | 'float32' | 'float16',
  data: BigInt64Array | Float32Array | Uint16Array,
  dims: readonly number[],
) => Tensor;

/** Our tensor data's element type: a Uint16Array carries float16 bit patterns (types.ts). */
function elementType(data: PlainTensor['data']): 'int64' | 'float32' | 'float16' {
  return data instanceof BigInt64Array ? 'int64' : data instanceof Uint16Array ? 'float16' : 'float32';
}

export function wrapSession(TensorClass: TensorConstructor, session: InferenceSession): ModelSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: TensorMap): Promise<TensorMap> {
      const ortFeeds: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        ortFeeds[name] = new TensorClass(elementType(t.data), t.data, t.dims);
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
