// The recall probe (model-contract.md): a region's first k' tokens re-read twice, once from a zero
// state and once on top of the workspace's final state, and the NLL the memory saves on them per token
// of the region. It is a small, real measurement of what the memory still does for the region, where
// the decay products and the window overlap are only estimates (they ranked regions poorly).
//
// Cost: per region one scan.onnx call of k' tokens on the final state (attention over the window),
// plus one from a zero state for a head not seen before (cached by its ids: it depends on nothing
// else), and the NLL rows of a whole request batched into few token_nll.onnx calls. The scan graph is
// fed directly (ScanGraph), not through ModelScanner: its feed() would change the workspace state (L,
// ssm, kv, window), and it drops the `hidden` output the NLLs need.
import type { ModelCard } from '../model/card';
import { floatOutput, ScanGraph, type CarriedState } from '../model/scanGraph';
import type { ModelSession } from '../runtime/types';
import { probeGain, probeIds } from '../scan/probeHead';
import { zeroState } from '../scan/scanState';
import { LruMap } from '../workspace/lruMap';

/** What the probe needs of a region: its stored head ids and its token count n = tokEnd − tokStart. */
export interface ProbeTarget {
  head: Uint16Array;
  length: number;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Regions measured so far of `total` (called after each region). */
  onProgress?: (done: number, total: number) => void;
}

export class ProbeCancelled extends Error {
  constructor() {
    super('recall probe cancelled');
  }
}

/** NLL rows per token_nll.onnx call: the logits [rows, vocab] float32 are its largest buffer (32 MB with the shipped vocabulary of 8192). */
const DEFAULT_MAX_ROWS = 1024;
/** Zero-state NLL sums kept (one number per distinct head). */
const DEFAULT_CACHE = 32768;

/** Hidden rows waiting for token_nll, and where their NLL sum goes. */
interface Pending {
  rows: Float32Array; // [k', d]
  targets: Uint16Array; // [k']
  done(sum: number): void;
}

export class RecallProbe {
  /** Model calls made so far (tests check that cached probes cost none). */
  readonly calls = { scan: 0, nll: 0 };
  private readonly zeroNll: LruMap<string, number>;
  private readonly maxRows: number;
  private readonly scan: ScanGraph;
  /** The cold read's state, allocated once: feeds never write the states they are given. */
  private zero: CarriedState | undefined;

  constructor(
    readonly card: ModelCard,
    scan: ModelSession,
    private readonly nll: ModelSession,
    private readonly wte: { data: Uint16Array; dims: readonly [number, number] },
    options: { maxRows?: number; cacheSize?: number } = {},
  ) {
    this.scan = new ScanGraph(card, scan);
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.zeroNll = new LruMap(options.cacheSize ?? DEFAULT_CACHE);
  }

  /**
   * The probe of each target (nats per token; 0 for a region of fewer than 2 tokens) measured against
   * `state` (the workspace scan's final state), which is only read. The same order as `targets`.
   */
  async measure(targets: readonly ProbeTarget[], state: CarriedState, options: ProbeOptions = {}): Promise<number[]> {
    // The state's arrays are replaced, never written, by later scans (ModelScanner.feed): holding these
    // references measures every region of the request against the same state.
    const from = { ssm: state.ssm, kv: state.kv, kvLen: state.kvLen };
    const k = this.card.recallProbeTokens;
    const zeroSums = new Float64Array(targets.length);
    const stateSums = new Float64Array(targets.length);
    // The zero-state NLL of each head this request measures (by its ids): the regions waiting for it
    // until its batch is flushed, then its sum (kept here too: the LRU may drop it in a large request).
    const zeroOf = new Map<string, { regions: number[]; sum?: number }>();
    let batch: Pending[] = [];
    let rows = 0;
    const enqueue = async (p: Pending) => {
      if (rows + p.targets.length > this.maxRows && batch.length) {
        const full = batch;
        batch = [];
        rows = 0;
        await this.flush(full);
      }
      batch.push(p);
      rows += p.targets.length;
    };
    for (let i = 0; i < targets.length; i++) {
      if (options.signal?.aborted) throw new ProbeCancelled();
      const ids = probeIds(targets[i].head, targets[i].length, k);
      if (ids.length > 0) {
        const key = ids.join(',');
        const seen = zeroOf.get(key);
        const cached = seen ? seen.sum : this.zeroNll.get(key);
        if (cached !== undefined) zeroSums[i] = cached;
        else if (seen) seen.regions.push(i);
        else {
          const entry: { regions: number[]; sum?: number } = { regions: [i] };
          zeroOf.set(key, entry);
          const rowsZero = await this.hidden(ids, (this.zero ??= zeroState(this.card)));
          await enqueue({
            rows: rowsZero,
            targets: ids.subarray(1),
            done: (sum) => {
              entry.sum = sum;
              this.zeroNll.set(key, sum);
              for (const j of entry.regions) zeroSums[j] = sum;
            },
          });
        }
        await enqueue({ rows: await this.hidden(ids, from), targets: ids.subarray(1), done: (sum) => (stateSums[i] = sum) });
      }
      options.onProgress?.(i + 1, targets.length);
    }
    if (batch.length) await this.flush(batch);
    return targets.map((t, i) => probeGain(zeroSums[i], stateSums[i], t.length));
  }

  /** scan.onnx's `hidden` rows for ids[0..k'−1] (row t predicts ids[t + 1]) read on top of `from`, which is not changed. */
  private async hidden(ids: Uint16Array, from: CarriedState): Promise<Float32Array> {
    const d = this.wte.dims[1];
    const out = new Float32Array((ids.length - 1) * d);
    await this.scan.feed(ids.subarray(0, ids.length - 1), from, ({ start, T, output }) => {
      this.calls.scan++;
      const h = output('hidden');
      if (h.length !== T * d)
        throw new Error(`scan.onnx returned hidden of ${h.length} values for ${T} tokens, expected d_model ${d} (the embedding's width)`);
      out.set(h, start * d);
    });
    return out;
  }

  /** One token_nll.onnx call for the batch's rows; each pending item gets the float64 sum of its rows' NLLs. */
  private async flush(batch: Pending[]): Promise<void> {
    const d = this.wte.dims[1];
    const N = batch.reduce((s, p) => s + p.targets.length, 0);
    const hidden = new Float32Array(N * d);
    const targets = new BigInt64Array(N);
    let r = 0;
    for (const p of batch) {
      hidden.set(p.rows, r * d);
      for (let t = 0; t < p.targets.length; t++) targets[r + t] = BigInt(p.targets[t]);
      r += p.targets.length;
    }
    this.calls.nll++;
    const res = await this.nll.run({
      hidden: { data: hidden, dims: [N, d] },
      wte: { data: this.wte.data, dims: this.wte.dims },
      targets: { data: targets, dims: [N] },
    });
    const nll = floatOutput(res, 'nll', 'token_nll.onnx');
    if (nll.length !== N) throw new Error(`token_nll.onnx returned ${nll.length} values for ${N} rows`);
    r = 0;
    for (const p of batch) {
      let sum = 0;
      for (let t = 0; t < p.targets.length; t++) sum += nll[r + t];
      r += p.targets.length;
      p.done(sum);
    }
  }
}
