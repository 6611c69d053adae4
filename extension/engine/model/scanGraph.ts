// scan.onnx's I/O contract (docs/model-contract.md) in one place: its tensor names, the states it
// carries (shaped from the card: stateShapes) and the chunked call that feeds token ids on top of them.
// The workspace scan (scan/modelScanner.ts) and the recall probe (query/recallProbe.ts) both feed
// through ScanGraph.feed; they differ only in which outputs they read and whether they keep the state.
import type { ChunkPace } from '../scan/chunkPace';
import type { ModelSession, TensorMap } from '../runtime/types';
import { stateShapes, type ModelCard, type StateShapes } from './card';

/** What one scan.onnx call starts from and leaves: the recurrent and attention states. */
export interface CarriedState {
  ssm: Float32Array; // ssm_state [NS, H, DK, DV]
  kv: Float32Array; // kv_state [NA, 2, HA, W, HD]
  kvLen: number; // kv_len: valid positions in kv, <= W
}

/** scan.onnx's per-token float32 outputs: log_decay [T, NS, H], readout [T, H, R], hidden [T, d_model]. */
export type ScanOutputName = 'log_decay' | 'readout' | 'hidden';

/** One chunk fed: where it starts in the ids, its length, the states after it, and its outputs. */
export interface ScanChunk {
  start: number;
  T: number;
  /** The states after this chunk: the session's new arrays (the states fed in are never written). */
  state: CarriedState;
  /** A per-token output of this chunk, read only when asked for (the probe's stand-ins return `hidden` alone). */
  output(name: ScanOutputName): Float32Array;
}

export class ScanCancelled extends Error {
  constructor() {
    super('scan cancelled');
  }
}

export class ScanGraph {
  readonly shapes: StateShapes;

  constructor(
    readonly card: ModelCard,
    private readonly session: ModelSession,
  ) {
    this.shapes = stateShapes(card);
  }

  /**
   * Feed `ids` on top of `from` (only read) in chunks of at most card.chunk tokens: one call per chunk
   * with the states as the contract lays them out (few, large inputs). `onChunk` sees each chunk as it
   * is done; an aborted `signal` throws ScanCancelled before the next call. Returns the states after
   * the last chunk (`from` itself for no ids).
   */
  async feed(
    ids: ArrayLike<number>,
    from: CarriedState,
    onChunk: (chunk: ScanChunk) => void,
    signal?: AbortSignal,
    pace?: ChunkPace,
  ): Promise<CarriedState> {
    const { card, shapes } = this;
    let state = from;
    for (let start = 0; start < ids.length; start += card.chunk) {
      const T = Math.min(card.chunk, ids.length - start);
      await pace?.before(T);
      if (signal?.aborted) throw new ScanCancelled();
      const tokens = new BigInt64Array(T);
      for (let i = 0; i < T; i++) tokens[i] = BigInt(ids[start + i]);
      const out = await this.session.run({
        tokens: { data: tokens, dims: [1, T] },
        ssm_state: { data: state.ssm, dims: shapes.ssm },
        kv_state: { data: state.kv, dims: shapes.kv },
        kv_len: { data: BigInt64Array.of(BigInt(state.kvLen)), dims: [1] },
      });
      state = {
        ssm: floatOutput(out, 'ssm_state_out'),
        kv: floatOutput(out, 'kv_state_out'),
        kvLen: Math.min(card.W, state.kvLen + T), // kv_len_out, by the contract
      };
      onChunk({ start, T, state, output: (name) => floatOutput(out, name) });
      pace?.after(T);
    }
    return state;
  }
}

/** A float32 output of a graph's run, or one clear line naming what is missing. */
export function floatOutput(out: TensorMap, name: string, graph = 'scan.onnx'): Float32Array {
  const t = out[name];
  if (!t || !(t.data instanceof Float32Array)) throw new Error(`${graph} did not return float32 output "${name}"`);
  return t.data;
}
