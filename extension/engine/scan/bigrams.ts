// Token-bigram hashes behind the shown recall's window-overlap term (model-contract.md): what makes a
// region beyond the attention window easier to re-read at the end of a scan is the window's last W
// tokens sharing its vocabulary, not the recurrent state. The Python evals (training/onnx_model.py
// bigram_hashes / region_sketch / window_overlap) compute the same numbers: the hash must match bit
// for bit, so it is written out step by step exactly as the contract gives it.

/** Bigram sketch size when the card has no `recall_sketch_size`. */
export const DEFAULT_SKETCH_SIZE = 48;

/** 32-bit hash of the consecutive token ids (a, b) (ids < 65536). */
export function bigramHash(a: number, b: number): number {
  let x = (a * 65536 + b) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hashes of the pairs (ids[i], ids[i+1]) with start <= i and i + 1 < end, in order. */
export function bigramHashes(ids: ArrayLike<number>, start = 0, end = ids.length): Uint32Array {
  const n = Math.max(0, end - start - 1);
  const out = new Uint32Array(n);
  for (let k = 0; k < n; k++) out[k] = bigramHash(ids[start + k], ids[start + k + 1]);
  return out;
}

/**
 * A region's sketch: the `k` smallest distinct bigram hashes of its tokens [tokStart, tokEnd) (a
 * bottom-k sample, so the share of it found in the window estimates the share of all its bigrams).
 * Empty for a region of fewer than 2 tokens.
 */
export function regionSketch(ids: ArrayLike<number>, tokStart: number, tokEnd: number, k = DEFAULT_SKETCH_SIZE): Uint32Array {
  const sorted = bigramHashes(ids, tokStart, tokEnd).sort(); // typed-array sort is numeric
  const out: number[] = [];
  for (let i = 0; i < sorted.length && out.length < k; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  return Uint32Array.from(out);
}

/** A set of 32-bit hashes looked up by windowOverlap. */
export interface HashSet {
  /** Distinct hashes held. */
  readonly size: number;
  has(hash: number): boolean;
}

/**
 * Distinct 32-bit hashes in an open-addressed table of typed arrays: every region's sketch is looked
 * up in the window's (48 lookups per region, every region on every state of the index), and a Set of
 * numbers above 2^30 keeps each as a heap number.
 */
class Hashes implements HashSet {
  private readonly keys: Uint32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;
  readonly size: number = 0;

  constructor(hashes: Uint32Array) {
    let size = 16;
    while (size < 2 * hashes.length) size *= 2;
    this.keys = new Uint32Array(size);
    this.used = new Uint8Array(size);
    this.mask = size - 1;
    for (const h of hashes) {
      let i = h & this.mask;
      while (this.used[i] && this.keys[i] !== h) i = (i + 1) & this.mask;
      if (this.used[i]) continue;
      this.keys[i] = h;
      this.used[i] = 1;
      this.size++;
    }
  }

  has(hash: number): boolean {
    // The values are hashes already (bigramHash mixes its bits): their low bits place them.
    for (let i = hash & this.mask; this.used[i]; i = (i + 1) & this.mask) if (this.keys[i] === hash) return true;
    return false;
  }
}

/** A set of `hashes` (each kept once). */
export function hashSet(hashes: Uint32Array): HashSet {
  return new Hashes(hashes);
}

/** The bigram hashes of the first `count` window ids (the valid ones, oldest first). */
export function windowHashSet(window: ArrayLike<number>, count: number): HashSet {
  return hashSet(bigramHashes(window, 0, count));
}

/** Share of `sketch` found in `windowSet`; 0 for an empty sketch. */
export function windowOverlap(sketch: Uint32Array, windowSet: HashSet): number {
  if (sketch.length === 0) return 0;
  let hits = 0;
  for (const h of sketch) if (windowSet.has(h)) hits++;
  return hits / sketch.length;
}

/**
 * The window after `ids[start, start + T)` entered it: the last min(W, count + T) ids of the old
 * valid window followed by those, oldest first (what kv_state then holds). A new array, so a caller
 * holding the old one (fileScan's undo of a cancelled file) keeps it intact.
 */
export function appendWindow(window: Int32Array, count: number, ids: ArrayLike<number>, start: number, T: number): Int32Array {
  const W = window.length;
  const next = new Int32Array(W);
  const total = Math.min(W, count + T);
  const fromOld = total - Math.min(T, W); // old ids that stay: those just before the new ones
  next.set(window.subarray(count - fromOld, count), 0);
  for (let j = fromOld, i = start + T - (total - fromOld); j < total; j++, i++) next[j] = ids[i];
  return next;
}
