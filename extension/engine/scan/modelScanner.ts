// Runs scan.onnx over a token stream in chunks of at most card.chunk tokens, carrying the state.
// One call per chunk with the states concatenated as the contract lays them out: few, large inputs.
import type { ModelCard } from "../model/card";
import type { ModelSession, PlainTensor } from "../runtime/types";
import { appendWindow } from "./bigrams";
import type { RegionAccumulator } from "./regionAccumulator";
import type { ScanState } from "./scanState";

export class ScanCancelled extends Error {
  constructor() {
    super("scan cancelled");
  }
}

export class ModelScanner {
  constructor(
    readonly card: ModelCard,
    private readonly session: ModelSession,
  ) {}

  /**
   * Feed `ids` into `state` (mutated). Region vectors are collected by `regions` if given;
   * `observe` sees each chunk's per-token readout (e.g. for salient lines).
   */
  async feed(
    state: ScanState,
    ids: ArrayLike<number>,
    regions?: RegionAccumulator,
    signal?: AbortSignal,
    observe?: (position: number, T: number, readout: Float32Array) => void,
  ): Promise<void> {
    const { card } = this;
    for (let start = 0; start < ids.length; start += card.chunk) {
      if (signal?.aborted) throw new ScanCancelled();
      const T = Math.min(card.chunk, ids.length - start);
      const tokens = new BigInt64Array(T);
      for (let i = 0; i < T; i++) tokens[i] = BigInt(ids[start + i]);
      const out = await this.session.run({
        tokens: { data: tokens, dims: [1, T] },
        ssm_state: { data: state.ssm, dims: [card.NS, card.H, card.DK, card.DV] },
        kv_state: { data: state.kv, dims: [card.NA, 2, card.HA, card.W, card.HD] },
        kv_len: { data: BigInt64Array.of(BigInt(state.kvLen)), dims: [1] },
      });
      const logDecay = floats(out, "log_decay");
      const readout = floats(out, "readout");
      observe?.(start, T, readout);
      if (regions) {
        regions.consumeChunk(start, T, logDecay, readout, state.L);
      } else {
        const n = card.NS * card.H;
        for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) state.L[i] += logDecay[t * n + i];
      }
      state.ssm = floats(out, "ssm_state_out");
      state.kv = floats(out, "kv_state_out");
      // The ids kv now holds, kept in step with kvLen (before it grows): a new array, like ssm/kv.
      state.window = appendWindow(state.window, state.kvLen, ids, start, T);
      state.kvLen = Math.min(card.W, state.kvLen + T);
      state.tokens += T;
    }
  }
}

function floats(out: Record<string, PlainTensor>, name: string): Float32Array {
  const t = out[name];
  if (!t || !(t.data instanceof Float32Array)) throw new Error(`scan.onnx did not return float32 output "${name}"`);
  return t.data;
}
