// One small interface over the two ONNX Runtime builds, so the scanner, the query encoder and the
// benchmarks run the same graphs on either. Tensors are plain objects so no caller depends on
// which package's Tensor class is loaded.

/**
 * Uint16Array is float16 (its bit patterns, as both onnxruntime packages take a "float16" tensor's
 * data); only ever an input: the recall probe's fp16 embedding.
 */
export type TensorData = Float32Array | BigInt64Array | Uint16Array;

export interface PlainTensor {
  data: TensorData;
  dims: readonly number[];
}

export type TensorMap = Record<string, PlainTensor>;

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: TensorMap): Promise<TensorMap>;
  release(): Promise<void>;
}

export type RuntimeName = 'onnxruntime-node' | 'onnxruntime-web';

export interface ModelRuntime {
  readonly name: RuntimeName;
  readonly threads: number;
  createSession(model: Uint8Array): Promise<ModelSession>;
}

export function float32(data: Float32Array, dims: readonly number[]): PlainTensor {
  return { data, dims };
}

export function int64(values: ArrayLike<number>, dims: readonly number[]): PlainTensor {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
  return { data, dims };
}
