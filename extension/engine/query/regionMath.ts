// What the contract derives from a stored region at query time: its retention per layer and head at
// the end of the scan, its distance from the end and whether the attention window still holds it,
// its overlap with the attention window's tokens, its shown recall (with the recall probe when one
// was measured: query/recallProbe.ts), and the two embeddings it can be scored with.
import { stateShapes, type ModelCard } from '../model/card';
import { windowOverlap, type HashSet } from '../scan/bigrams';
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
  /** Region embedding, L2-normalised (what the memory held right after reading the region); made once per region (freshEmbedding). */
  fresh: Float32Array;
  /**
   * The memory embedding (retention-weighted per head, L2-normalised; zeros when nothing is retained)
   * as one factor per head of `fresh`: memory[i] = fresh[i] · memoryScale[head of i]. Kept as H numbers
   * rather than a vector, so a new state of the index makes no embedding again (memoryDot scores it,
   * memoryEmbedding spells it out).
   */
  memoryScale: Float64Array;
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

/** viewRegion's retention, used and dropped within one call; 0 where it is not read. */
let scratch: Float64Array | undefined;
let scratchCard: ModelCard | undefined;

/** Per card: the [NS × H] entries of a region's retention a view reads (viewRegion). */
const readOf = new WeakMap<ModelCard, Int32Array>();

/**
 * The retentions a view reads: the last SSD layer's heads (its memory embedding and memoryKept) and,
 * when the card's recall counts decay at all, the heads its recall weighs. The others, multiplied by a
 * weight or a decay coefficient of 0, add exactly 0 to the recall: an exp per region and head saved
 * (48 per region for the shipped card, of which it reads 8).
 */
function readRetentions(card: ModelCard): Int32Array {
  let read = readOf.get(card);
  if (read) return read;
  const list: number[] = [];
  for (let l = 0; l < card.NS; l++)
    for (let h = 0; h < card.H; h++)
      if (l === card.NS - 1 || (card.recallDecay !== 0 && card.recallWeights[l][h] !== 0)) list.push(l * card.H + h);
  read = Int32Array.from(list);
  readOf.set(card, read);
  return read;
}

/** A region's normalised embedding and its heads' squared norms: what its views share, whatever the state. */
interface FreshEmbedding {
  fresh: Float32Array;
  headNorm2: Float64Array;
}
/** Made once per region record (a record's regions never change: an edit makes new ones). */
const freshCache = new WeakMap<RegionRecord, FreshEmbedding>();

/** The region's embedding dequantised and L2-normalised, with each head's squared norm: made once per region. */
function freshOf(card: ModelCard, region: RegionRecord): FreshEmbedding {
  let made = freshCache.get(region);
  if (made) return made;
  const fresh = normalise(dequantizePerHead(region.embedding, region.scales));
  const headNorm2 = new Float64Array(card.H);
  for (let h = 0; h < card.H; h++) for (let i = h * card.R; i < (h + 1) * card.R; i++) headNorm2[h] += fresh[i] * fresh[i];
  made = { fresh, headNorm2 };
  freshCache.set(region, made);
  return made;
}

/** The region's embedding, L2-normalised (RegionView.fresh): made once per region and shared, never to be written. */
export function freshEmbedding(card: ModelCard, region: RegionRecord): Float32Array {
  return freshOf(card, region).fresh;
}

/** dot(q, memory) of a view, without the memory vector: each head's dot with `fresh` times its memoryScale. */
export function memoryDot(q: Float32Array, view: Pick<RegionView, 'fresh' | 'memoryScale'>): number {
  const { fresh, memoryScale } = view;
  const width = fresh.length / memoryScale.length;
  let s = 0;
  for (let h = 0, i = 0; h < memoryScale.length; h++) {
    let d = 0;
    for (const end = i + width; i < end; i++) d += q[i] * fresh[i];
    s += memoryScale[h] * d;
  }
  return s;
}

/** A view's memory embedding as a vector (RegionView.memoryScale applied to `fresh`). */
export function memoryEmbedding(view: Pick<RegionView, 'fresh' | 'memoryScale'>): Float32Array {
  const { fresh, memoryScale } = view;
  const width = fresh.length / memoryScale.length;
  const out = new Float32Array(fresh.length);
  for (let i = 0; i < fresh.length; i++) out[i] = fresh[i] * memoryScale[Math.floor(i / width)];
  return out;
}

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
 * remembered exactly: its memory embedding is its full embedding, not the decayed one. `memoryScale`:
 * where its H memory factors are written (views of one block for a whole index: one allocation, not
 * one per region), else a new array. Only numbers are made per view: the embedding is the region's
 * own (freshEmbedding), made once.
 */
export function viewRegion(
  card: ModelCard,
  file: FileRecord,
  region: RegionRecord,
  scanEndL: Float64Array,
  tokensAfterFile = 0,
  windowSet?: HashSet,
  memoryScale: Float64Array = new Float64Array(card.H),
): RegionView {
  if (scratchCard !== card) {
    scratch = new Float64Array(card.NS * card.H);
    scratchCard = card;
  }
  // Only the retentions the view reads: the last layer's (its memory) and those the recall weighs.
  const ret = scratch!;
  for (const i of readRetentions(card)) {
    const lEnd = file.lBase[i] + region.lEnd[i];
    ret[i] = Math.min(1, Math.exp(scanEndL[i] - lEnd));
  }
  const { after, inWindow } = regionDistance(card, file, region, tokensAfterFile);
  const { fresh, headNorm2 } = freshOf(card, region);
  const lastLayer = (card.NS - 1) * card.H;
  let kept = 0;
  let norm2 = 0;
  for (let h = 0; h < card.H; h++) {
    const r = inWindow ? 1 : ret[lastLayer + h];
    kept += r / card.H;
    memoryScale[h] = r;
    norm2 += r * r * headNorm2[h];
  }
  // Inside the window the memory is the embedding itself (factors of 1, as normalised already).
  const norm = inWindow ? 1 : Math.sqrt(norm2);
  for (let h = 0; h < card.H; h++) memoryScale[h] = norm > 0 ? memoryScale[h] / norm : 0;
  const overlap = windowSet ? windowOverlap(region.sketch, windowSet) : 0;
  return {
    file,
    region,
    recall: shownRecall(card, ret, inWindow, overlap),
    windowOverlap: overlap,
    probeGain: undefined,
    memoryKept: kept,
    distance: after,
    fresh,
    memoryScale,
  };
}
