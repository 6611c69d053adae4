// The recurrent state the scan carries from chunk to chunk and file to file, plus the running sum of
// log-decays L (float64: it grows without bound over a long scan, and retention is exp of a
// difference of two of its values, which float32 would round away). It also keeps the ids of the
// tokens the attention window holds (the window-overlap term of the shown recall reads them).
import { stateShapes, type ModelCard } from '../model/card';
import type { CarriedState } from '../model/scanGraph';

export interface ScanState extends CarriedState {
  /** [W] ids of the last kvLen tokens that entered (oldest first, across files): the tokens kv holds. */
  window: Int32Array;
  L: Float64Array; // [NS, H] running sum of log_decay since the scan started
  tokens: number; // tokens that have entered the state
}

/** The state at the start of a workspace scan (and the recall probe's cold read): all zeros. */
export function zeroState(card: ModelCard): ScanState {
  const shapes = stateShapes(card);
  return {
    ssm: new Float32Array(shapes.ssmSize),
    kv: new Float32Array(shapes.kvSize),
    kvLen: 0,
    window: new Int32Array(card.W),
    L: new Float64Array(shapes.decaySize),
    tokens: 0,
  };
}

/**
 * A state of its own to scan on or to keep as a checkpoint: L, which a scan adds into, copied; ssm, kv
 * and window shared, since a scan replaces them chunk by chunk and nothing writes into them (the
 * session's outputs are new arrays every chunk), so sharing them is as safe as copying them, and
 * costs no copy of the summary (summaryBytes) on every save.
 */
export function forkState(s: ScanState): ScanState {
  return { ssm: s.ssm, kv: s.kv, kvLen: s.kvLen, window: s.window, L: s.L.slice(), tokens: s.tokens };
}

/** Bytes of the fixed-size workspace summary (what the model carries), independent of workspace size. */
export function summaryBytes(card: ModelCard): number {
  return stateShapes(card).summaryBytes;
}
