// Runs scan.onnx over a token stream (model/scanGraph.ts: chunked by card.chunk, states carried) and
// keeps the workspace scan's state: the running sum L of log-decays, the attention window's ids, the
// token count, and the region vectors of a file as they pass.
import type { ModelCard } from '../model/card';
import { ScanGraph } from '../model/scanGraph';
import type { ModelSession } from '../runtime/types';
import { appendWindow } from './bigrams';
import type { RegionAccumulator } from './regionAccumulator';
import type { ScanState } from './scanState';
import type { ChunkPace } from './chunkPace';

export { ScanCancelled } from '../model/scanGraph';

export class ModelScanner {
  private readonly graph: ScanGraph;

  constructor(
    readonly card: ModelCard,
    session: ModelSession,
  ) {
    this.graph = new ScanGraph(card, session);
  }

  /**
   * Feed `ids` into `state` (mutated, chunk by chunk: a cancelled feed leaves the chunks fed so far).
   * Region vectors are collected by `regions` if given; `observe` sees each chunk's per-token readout
   * (e.g. for salient lines); `pace` is awaited before each chunk (compaction yielding to file events).
   */
  async feed(
    state: ScanState,
    ids: ArrayLike<number>,
    regions?: RegionAccumulator,
    signal?: AbortSignal,
    observe?: (position: number, T: number, readout: Float32Array) => void,
    pace?: ChunkPace,
  ): Promise<void> {
    const n = this.graph.shapes.decaySize;
    await this.graph.feed(
      ids,
      state,
      (chunk) => {
        const { start, T } = chunk;
        const logDecay = chunk.output('log_decay');
        const readout = chunk.output('readout');
        observe?.(start, T, readout);
        if (regions) {
          regions.consumeChunk(start, T, logDecay, readout, state.L);
        } else {
          for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) state.L[i] += logDecay[t * n + i];
        }
        state.ssm = chunk.state.ssm;
        state.kv = chunk.state.kv;
        // The ids kv now holds, kept in step with kvLen (before it grows): a new array, like ssm/kv.
        state.window = appendWindow(state.window, state.kvLen, ids, start, T);
        state.kvLen = chunk.state.kvLen;
        state.tokens += T;
      },
      signal,
      pace,
    );
  }
}
