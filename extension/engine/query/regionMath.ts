// What the contract derives from a stored region at query time: its retention per layer and head at
// the end of the scan, its distance from the end and whether the attention window still holds it,
// its overlap with the attention window's tokens, its shown recall (with the recall probe when one
// was measured: query/recallProbe.ts), and the two embeddings it can be scored with.
import { stateShapes, type ModelCard } from '../model/card';
import { windowOverlap } from '../scan/bigrams';
import { dequantizePerHead } from '../index/quantize';
import type { FileRecord, RegionRecord } from '../index/types';

export interface RegionView {
  file: FileRecord;
  region: RegionRecord;
  /** The contract's shown recall, in [0, 1] (shownRecall). */
  recall: number;
  /** Share of the region's bigram sketch among the bigrams of the window's tokens at the scan's end. */
  windowOverlap: number;
  /**
   * The recall probe (nats per token, query/recallProbe.ts) counted in `recall`; undefined when not
   * measured: inside the window (recall 1 anyway), with a card without a probe, or not yet asked for
   * (views() never runs the model: recall and summarize measure probes, ask shows those measured).
   */
  probeGain: number | undefined;
  /**
   * How much of the region's embedding the memory embedding keeps: 1 inside the window, else the mean
   * over the last SSD layer's heads of their retention. Ask re-reads a region when this is below
   * card.reread_below. (Not the shown recall: since the sixth session that also counts the window's
   * shared wording, which helps a re-read of the text but is not in the region's memory embedding.)
   */
  memoryKept: number;
  /** Tokens the summary read after the region's last token. */
  distance: number;
  /** Region embedding, L2-normalised (what the memory held right after reading the region). */
  fresh: Float32Array;
  /** Memory embedding (retention-weighted per head), L2-normalised; zeros when nothing is retained. */
  memory: Float32Array;
}

/** ret[l,h] = exp(L_end_of_scan − L_region_end), clamped to [0, 1]; into `out` when given. */
export function retention(
  card: ModelCard,
  file: FileRecord,
  region: RegionRecord,
  scanEndL: Float64Array,
  out?: Float64Array,
): Float64Array {
  const ret = out ?? new Float64Array(stateShapes(card).decaySize);
  for (let i = 0; i < ret.length; i++) {
    const lEnd = file.lBase[i] + region.lEnd[i];
    ret[i] = Math.min(1, Math.exp(scanEndL[i] - lEnd));
  }
  return ret;
}

/**
 * Tokens the summary read after the region's last token (`tokensAfterFile`: the files that entered
 * after its file), and whether attention still holds all of it: re-reading the region at the end of
 * the scan meets each of its tokens `after + length` tokens later, inside the window W or not.
 */
export function regionDistance(card: ModelCard, file: FileRecord, region: RegionRecord, tokensAfterFile: number) {
  const after = tokensAfterFile + Math.max(0, file.tokens - region.tokEnd);
  return { after, inWindow: after + (region.tokEnd - region.tokStart) <= card.W };
}

/**
 * The contract's shown recall: 1 for a region the attention window still holds whole; otherwise
 * clamp(floor + recall_overlap · overlap + recall_probe · probe + recall_decay · Σ recall_weights ·
 * retention, 0, 1). The overlap term is there because measurements found the recurrent state keeps
 * little that is region-specific: what eases a re-read beyond the window is the window's tokens
 * sharing the region's bigrams. The probe term measures it instead of estimating it: the region's
 * first tokens re-read after the memory and after nothing (the difference of their NLLs) is a small,
 * real measurement of what the memory still does for that region; the decay products and the overlap
 * alone ranked regions poorly. All coefficients are fitted on val (card.json); a card without the
 * probe has recall_probe 0, and its numbers are what they were.
 */
export function shownRecall(card: ModelCard, ret: Float64Array, inWindow = false, overlap = 0, probe = 0): number {
  if (inWindow) return 1;
  let r = 0;
  for (let l = 0; l < card.NS; l++) for (let h = 0; h < card.H; h++) r += card.recallWeights[l][h] * ret[l * card.H + h];
  // Without a probe the term is exactly 0 (x + 0 is x): an older card's number, bit for bit.
  const probeTerm = card.recallProbe > 0 && probe !== 0 ? card.recallProbe * probe : 0;
  return Math.min(1, Math.max(0, card.recallFloor + card.recallOverlap * overlap + probeTerm + card.recallDecay * r));
}

/** Whether the attention window holds the view's region whole (its recall is then 1, and no probe is needed). */
export function heldWhole(card: ModelCard, view: Pick<RegionView, 'distance' | 'region'>): boolean {
  return view.distance + (view.region.tokEnd - view.region.tokStart) <= card.W;
}

/** viewRegion's retention, used and dropped within one call. */
let scratch: Float64Array | undefined;

export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * `view` with its measured recall probe counted: the recall recomputed (what viewRegion with the probe
 * gives), everything else shared with `view` (the embeddings do not depend on the probe). `scanEndL`
 * must be the L the view was made with. A view the window holds whole is returned as it is.
 */
export function withProbe(card: ModelCard, view: RegionView, scanEndL: Float64Array, probe: number): RegionView {
  if (heldWhole(card, view)) return view;
  const ret = retention(card, view.file, view.region, scanEndL);
  return { ...view, recall: shownRecall(card, ret, false, view.windowOverlap, probe), probeGain: probe };
}

/**
 * `tokensAfterFile`: tokens the summary read after this file (0 for the last file or a file scanned
 * on its own). `windowSet`: the bigram hashes of the window's ids at the scan's end (windowHashSet,
 * made once per set of views); without it the overlap is 0. No probe is counted here (views are made
 * without model calls): withProbe adds one measured. A region the attention window holds whole is
 * remembered exactly: its memory embedding is its full embedding, not the decayed one. `into`: where
 * its two embeddings are written (views of one block for a whole index: one allocation, not two per
 * region), else new arrays.
 */
export function viewRegion(
  card: ModelCard,
  file: FileRecord,
  region: RegionRecord,
  scanEndL: Float64Array,
  tokensAfterFile = 0,
  windowSet?: ReadonlySet<number>,
  into?: { fresh: Float32Array; memory: Float32Array },
): RegionView {
  const size = stateShapes(card).decaySize;
  if (scratch?.length !== size) scratch = new Float64Array(size);
  const ret = retention(card, file, region, scanEndL, scratch);
  const { after, inWindow } = regionDistance(card, file, region, tokensAfterFile);
  const u = dequantizePerHead(region.embedding, region.scales, into?.fresh);
  const memory = into?.memory ?? new Float32Array(u.length);
  const lastLayer = (card.NS - 1) * card.H;
  let kept = 0;
  for (let h = 0; h < card.H; h++) {
    const r = inWindow ? 1 : ret[lastLayer + h];
    kept += r / card.H;
    for (let i = h * card.R; i < (h + 1) * card.R; i++) memory[i] = r * u[i];
  }
  const overlap = windowSet ? windowOverlap(region.sketch, windowSet) : 0;
  return {
    file,
    region,
    recall: shownRecall(card, ret, inWindow, overlap),
    windowOverlap: overlap,
    probeGain: undefined,
    memoryKept: kept,
    distance: after,
    fresh: normalise(u),
    memory: normalise(memory),
  };
}
