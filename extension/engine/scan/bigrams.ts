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

/** The bigram hashes of the first `count` window ids (the valid ones, oldest first). */
export function windowHashSet(window: ArrayLike<number>, count: number): Set<number> {
  return new Set(bigramHashes(window, 0, count));
}

/** Share of `sketch` found in `windowSet`; 0 for an empty sketch. */
export function windowOverlap(sketch: Uint32Array, windowSet: ReadonlySet<number>): number {
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
