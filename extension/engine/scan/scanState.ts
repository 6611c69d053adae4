// The recurrent state the scan carries from chunk to chunk and file to file, plus the running sum of
// log-decays L (float64: it grows without bound over a long scan, and retention is exp of a
// difference of two of its values, which float32 would round away). It also keeps the ids of the
// tokens the attention window holds (the window-overlap term of the shown recall reads them).
import type { ModelCard } from "../model/card";

export interface ScanState {
  ssm: Float32Array; // [NS, H, DK, DV]
  kv: Float32Array; // [NA, 2, HA, W, HD]
  kvLen: number; // valid positions in kv, <= W; also the count of valid entries in `window`
  /** [W] ids of the last kvLen tokens that entered (oldest first, across files): the tokens kv holds. */
  window: Int32Array;
  L: Float64Array; // [NS, H] running sum of log_decay since the scan started
  tokens: number; // tokens that have entered the state
}

export function zeroState(card: ModelCard): ScanState {
  return {
    ssm: new Float32Array(card.NS * card.H * card.DK * card.DV),
    kv: new Float32Array(Math.max(1, card.NA) * 2 * card.HA * card.W * card.HD),
    kvLen: 0,
    window: new Int32Array(card.W),
    L: new Float64Array(card.NS * card.H),
    tokens: 0,
  };
}

export function cloneState(s: ScanState): ScanState {
  return { ssm: s.ssm.slice(), kv: s.kv.slice(), kvLen: s.kvLen, window: s.window.slice(), L: s.L.slice(), tokens: s.tokens };
}

/** Bytes of the fixed-size workspace summary (what the model carries), independent of workspace size. */
export function summaryBytes(card: ModelCard): number {
  return 4 * (card.NS * card.H * card.DK * card.DV + card.NA * 2 * card.HA * card.W * card.HD);
}
