// The recall probe (model-contract.md): a region's first k' tokens re-read twice, once from a zero
// state and once on top of the workspace's final state, and the NLL the memory saves on them per token
// of the region. It is a small, real measurement of what the memory still does for the region, where
// the decay products and the window overlap are only estimates (they ranked regions poorly).
//
// Cost: per region one scan.onnx call of k' tokens on the final state (attention over the window),
// plus one from a zero state for a head not seen before (cached by its ids: it depends on nothing
// else), and the NLL rows of a whole request batched into few token_nll.onnx calls. The scan session
// is called directly, not through ModelScanner: feed() would change the state (L, ssm, kv, window),
// and it drops the `hidden` output the NLLs need.
import type { ModelCard } from "../model/card";
import type { ModelSession, PlainTensor } from "../runtime/types";
import { probeGain, probeIds } from "../scan/probeHead";
import type { ScanState } from "../scan/scanState";
import { LruMap } from "../workspace/lruMap";

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
    super("recall probe cancelled");
  }
}

/** NLL rows per token_nll.onnx call: the logits [rows, vocab] float32 are its largest buffer (1024 × 8192 × 4 = 32 MB). */
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
  private zero: { ssm: Float32Array; kv: Float32Array } | undefined;

  constructor(
    readonly card: ModelCard,
    private readonly scan: ModelSession,
    private readonly nll: ModelSession,
    private readonly wte: { data: Uint16Array; dims: readonly [number, number] },
    options: { maxRows?: number; cacheSize?: number } = {},
  ) {
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.zeroNll = new LruMap(options.cacheSize ?? DEFAULT_CACHE);
  }

  /**
   * The probe of each target (nats per token; 0 for a region of fewer than 2 tokens) measured against
   * `state` (the workspace scan's final state), which is only read. The same order as `targets`.
   */
  async measure(targets: readonly ProbeTarget[], state: Pick<ScanState, "ssm" | "kv" | "kvLen">, options: ProbeOptions = {}): Promise<number[]> {
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
        const key = ids.join(",");
        const seen = zeroOf.get(key);
        const cached = seen ? seen.sum : this.zeroNll.get(key);
        if (cached !== undefined) zeroSums[i] = cached;
        else if (seen) seen.regions.push(i);
        else {
          const entry: { regions: number[]; sum?: number } = { regions: [i] };
          zeroOf.set(key, entry);
          const rowsZero = await this.hidden(ids, this.zeroState());
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
  private async hidden(ids: Uint16Array, from: { ssm: Float32Array; kv: Float32Array; kvLen: number }): Promise<Float32Array> {
    const { card } = this;
    const T = ids.length - 1;
    const d = this.wte.dims[1];
    const out = new Float32Array(T * d);
    let { ssm, kv, kvLen } = from;
    for (let start = 0; start < T; start += card.chunk) {
      const n = Math.min(card.chunk, T - start);
      const tokens = new BigInt64Array(n);
      for (let i = 0; i < n; i++) tokens[i] = BigInt(ids[start + i]);
      this.calls.scan++;
      const res = await this.scan.run({
        tokens: { data: tokens, dims: [1, n] },
        ssm_state: { data: ssm, dims: [card.NS, card.H, card.DK, card.DV] },
        kv_state: { data: kv, dims: [card.NA, 2, card.HA, card.W, card.HD] },
        kv_len: { data: BigInt64Array.of(BigInt(kvLen)), dims: [1] },
      });
      const h = floats(res, "hidden", "scan.onnx");
      if (h.length !== n * d) throw new Error(`scan.onnx returned hidden of ${h.length} values for ${n} tokens, expected d_model ${d} (the embedding's width)`);
      out.set(h, start * d);
      ssm = floats(res, "ssm_state_out", "scan.onnx");
      kv = floats(res, "kv_state_out", "scan.onnx");
      kvLen = Math.min(card.W, kvLen + n);
    }
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
    const nll = floats(res, "nll", "token_nll.onnx");
    if (nll.length !== N) throw new Error(`token_nll.onnx returned ${nll.length} values for ${N} rows`);
    r = 0;
    for (const p of batch) {
      let sum = 0;
      for (let t = 0; t < p.targets.length; t++) sum += nll[r + t];
      r += p.targets.length;
      p.done(sum);
    }
  }

  private zeroState() {
    const { card } = this;
    this.zero ??= {
      ssm: new Float32Array(card.NS * card.H * card.DK * card.DV),
      kv: new Float32Array(Math.max(1, card.NA) * 2 * card.HA * card.W * card.HD),
    };
    return { ...this.zero, kvLen: 0 };
  }
}

function floats(out: Record<string, PlainTensor>, name: string, graph: string): Float32Array {
  const t = out[name];
  if (!t || !(t.data instanceof Float32Array)) throw new Error(`${graph} did not return float32 output "${name}"`);
  return t.data;
}
