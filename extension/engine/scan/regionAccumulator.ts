// Per-region embeddings and end-of-region decay sums, computed while the tokens stream through the
// model, so no per-token output is ever held for a whole file.
//
// For a region of tokens [a, b] the contract defines
//   u[h] = Σ_{s=a..b} exp(L[b,last,h] − L[s,last,h]) · readout[s,h]
// which is the recurrence  acc ← exp(log_decay[s,last,h]) · acc + readout[s,h]  started at s = a:
// the same decay the state itself applies, so the region's embedding is what the memory held of it
// right after reading it.
import { stateShapes, type ModelCard } from '../model/card';

/** A region as token indices into the file's token stream, [tokStart, tokEnd). */
export interface TokenRegion {
  tokStart: number;
  tokEnd: number;
}

export interface RegionVectors {
  /** u, concatenated over heads: H × R, not normalised. */
  embedding: Float32Array;
  /** L at the region's last token, [NS × H] (float64 as accumulated). */
  lEnd: Float64Array;
}

export class RegionAccumulator {
  private readonly H: number;
  private readonly R: number;
  private readonly NS: number;
  private readonly decaySize: number; // NS × H: log_decay values per token
  private readonly order: number[]; // region indices sorted by start
  private next = 0; // next region in `order` to open
  private readonly open = new Map<number, Float32Array>();
  readonly results: (RegionVectors | undefined)[];

  constructor(
    card: ModelCard,
    private readonly regions: readonly TokenRegion[],
  ) {
    this.H = card.H;
    this.R = card.R;
    this.NS = card.NS;
    this.decaySize = stateShapes(card).decaySize;
    this.order = regions
      .map((_, i) => i)
      .filter((i) => regions[i].tokEnd > regions[i].tokStart)
      .sort((x, y) => regions[x].tokStart - regions[y].tokStart);
    this.results = new Array(regions.length).fill(undefined);
  }

  /**
   * Feed one chunk's outputs. `position` is the file-stream index of the chunk's first token;
   * `L` is the running sum *before* this chunk and is advanced in place.
   */
  consumeChunk(position: number, T: number, logDecay: Float32Array, readout: Float32Array, L: Float64Array): void {
    const { H, R, NS, decaySize } = this;
    const lastLayer = (NS - 1) * H;
    for (let t = 0; t < T; t++) {
      const s = position + t;
      const ldBase = t * decaySize;
      for (let i = 0; i < decaySize; i++) L[i] += logDecay[ldBase + i];
      while (this.next < this.order.length && this.regions[this.order[this.next]].tokStart <= s) {
        const idx = this.order[this.next++];
        if (this.regions[idx].tokEnd > s) this.open.set(idx, new Float32Array(H * R));
      }
      if (this.open.size === 0) continue;
      const roBase = t * H * R;
      for (const [idx, acc] of this.open) {
        for (let h = 0; h < H; h++) {
          const decay = Math.exp(logDecay[ldBase + lastLayer + h]);
          const o = h * R;
          for (let r = 0; r < R; r++) acc[o + r] = decay * acc[o + r] + readout[roBase + o + r];
        }
        if (this.regions[idx].tokEnd - 1 === s) {
          this.results[idx] = { embedding: acc, lEnd: L.slice() };
          this.open.delete(idx);
        }
      }
    }
  }
}
