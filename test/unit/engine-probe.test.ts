// The recall probe's bookkeeping: which tokens it reads (k' = min(k, n − 1)), how the NLLs make one
// number (÷ n − 1), the heads a scan keeps, and RecallProbe's model calls (chunks, the state only
// read, batches of at most maxRows rows, the zero-state cache, cancellation). Stand-in sessions whose
// outputs are simple functions of their inputs keep this about the bookkeeping; the real model's
// numbers are checked in test/integration/engine-probe.test.ts and against Python in test/parity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanText, type ScanParts } from '../../extension/engine/index/fileScan';
import { parseCard } from '../../extension/engine/model/card';
import type { Outline, RegionParser } from '../../extension/engine/regions/types';
import type { ModelSession, TensorMap } from '../../extension/engine/runtime/types';
import { ProbeCancelled, RecallProbe } from '../../extension/engine/query/recallProbe';
import { ModelScanner } from '../../extension/engine/scan/modelScanner';
import { probeGain, probeIds, probeSpan, regionHead } from '../../extension/engine/scan/probeHead';
import { zeroState } from '../../extension/engine/scan/scanState';

test("k' = min(k, n − 1); nothing to predict when n < 2", () => {
  assert.deepEqual(
    [0, 1, 2, 5, 17, 18, 200].map((n) => probeSpan(n, 16)),
    [0, 0, 1, 4, 16, 16, 16],
  );
  assert.equal(probeSpan(5, 2), 2);
});

test("a region's stored head is its first min(k + 1, n) ids; the probe reads head[0..k']", () => {
  const ids = [1, 9, 8, 7, 6, 5, 4, 3];
  assert.deepEqual([...regionHead(ids, 2, 8, 3)], [8, 7, 6, 5], "k + 1 = 4 of the region's 6");
  assert.deepEqual([...regionHead(ids, 2, 4, 3)], [8, 7], 'a short region: all of it');
  assert.deepEqual([...regionHead(ids, 2, 3, 3)], [8]);
  assert.deepEqual([...regionHead(ids, 2, 2, 3)], []);
  assert.ok(regionHead([8191, 40000], 0, 2, 1) instanceof Uint16Array);
  assert.deepEqual([...regionHead([8191, 40000], 0, 2, 1)], [8191, 40000]);
  assert.deepEqual([...probeIds(Uint16Array.of(8, 7, 6, 5), 6, 3)], [8, 7, 6, 5]);
  assert.deepEqual([...probeIds(Uint16Array.of(8, 7, 6, 5), 6, 2)], [8, 7, 6], 'a smaller k reads fewer');
  assert.deepEqual([...probeIds(Uint16Array.of(8, 7), 2, 16)], [8, 7], "n = 2: k' = 1");
  assert.equal(probeIds(Uint16Array.of(8), 1, 16).length, 0, 'n = 1: nothing');
  assert.throws(() => probeIds(Uint16Array.of(8, 7), 6, 3), /another recall_probe_tokens/);
});

test('probe = (Σ zero-state NLL − Σ final-state NLL) / (n − 1); 0 for n < 2', () => {
  assert.equal(probeGain(10, 6, 5), 1);
  assert.equal(probeGain(10, 6, 201), 0.02, "divided by the region's n − 1, not by k'");
  assert.equal(probeGain(3, 5, 3), -1, 'a memory that misleads gives a negative probe');
  assert.equal(probeGain(10, 6, 1), 0);
  assert.equal(probeGain(10, 6, 0), 0);
});

// A card with chunk 3 (a head of 5 predicted tokens takes two scan calls) and k = 5.
const card = parseCard({
  version: 1,
  model_hash: 'x',
  chunk: 3,
  NS: 1,
  H: 1,
  DK: 1,
  DV: 1,
  NA: 1,
  HA: 1,
  W: 8,
  HD: 1,
  R: 1,
  recall_weights: [[1]],
  reread_below: 0.1,
  max_query: 8,
  flops_per_token: 1,
  tokenizer_sha256: null,
  recall_probe: 0.5,
  recall_probe_tokens: 5,
  token_nll: { graph: 'token_nll.onnx', wte: 'w' },
});
const D = 2;

/**
 * Stand-in scan: row t's hidden[0] = (ssm[0] + 1) · (id + 1), hidden[1] = kv_len; each call maps ssm[0]
 * to 3 · ssm[0] + 1 (so a chunk carries the state) and returns new arrays. Stand-in NLL: hidden[0] + 0.1 · hidden[1] + 0.001 · target.
 */
function fakeSessions() {
  const nllRows: number[] = [];
  const scan: ModelSession = {
    inputNames: [],
    outputNames: [],
    async run(feeds: TensorMap): Promise<TensorMap> {
      const T = feeds.tokens.dims[1];
      const s = (feeds.ssm_state.data as Float32Array)[0];
      const kvLen = Number((feeds.kv_len.data as BigInt64Array)[0]);
      const hidden = new Float32Array(T * D);
      for (let t = 0; t < T; t++) {
        hidden[t * D] = (s + 1) * (Number((feeds.tokens.data as BigInt64Array)[t]) + 1);
        hidden[t * D + 1] = kvLen;
      }
      const ssm = (feeds.ssm_state.data as Float32Array).slice();
      ssm[0] = 3 * ssm[0] + 1;
      return {
        ssm_state_out: { data: ssm, dims: feeds.ssm_state.dims },
        kv_state_out: { data: (feeds.kv_state.data as Float32Array).slice(), dims: feeds.kv_state.dims },
        hidden: { data: hidden, dims: [T, D] },
      };
    },
    async release() {},
  };
  const nll: ModelSession = {
    inputNames: [],
    outputNames: [],
    async run(feeds: TensorMap): Promise<TensorMap> {
      const N = feeds.hidden.dims[0];
      assert.ok(feeds.wte.data instanceof Uint16Array, 'wte goes in as float16 bit patterns');
      nllRows.push(N);
      const h = feeds.hidden.data as Float32Array;
      const targets = feeds.targets.data as BigInt64Array;
      return {
        nll: { data: Float32Array.from({ length: N }, (_, n) => h[n * D] + 0.1 * h[n * D + 1] + 0.001 * Number(targets[n])), dims: [N] },
      };
    },
    async release() {},
  };
  return { scan, nll, nllRows };
}

/** What the stand-ins give for a head read from a state whose ssm[0] is s and kv_len kvLen (chunks of 3, W 8). */
function expectedSum(ids: number[], s: number, kvLen: number): number {
  let sum = 0;
  for (let t = 0; t + 1 < ids.length; t++) {
    if (t > 0 && t % 3 === 0) [s, kvLen] = [3 * s + 1, Math.min(8, kvLen + 3)];
    sum += (s + 1) * (ids[t] + 1) + 0.1 * kvLen + 0.001 * ids[t + 1];
  }
  return sum;
}

const wte = { data: new Uint16Array(4), dims: [2, D] as [number, number] };

function finalState() {
  const state = zeroState(card);
  state.ssm[0] = 2;
  state.kvLen = 7;
  return state;
}

test("RecallProbe: the contract's number from the rows it feeds; the state is only read", async () => {
  const { scan, nll } = fakeSessions();
  const probe = new RecallProbe(card, scan, nll, wte);
  const state = finalState();
  const before = { ssm: [...state.ssm], kv: [...state.kv], kvLen: state.kvLen, ssmRef: state.ssm, kvRef: state.kv };
  const regions = [[5, 6, 7, 8, 9, 10, 11, 12], [4, 3], [9], [1, 2, 3, 4]];
  const targets = regions.map((ids) => ({ head: regionHead(ids, 0, ids.length, 5), length: ids.length }));
  const progress: number[] = [];
  const got = await probe.measure(targets, state, { onProgress: (done, total) => progress.push(done / total) });
  regions.forEach((ids, i) => {
    const n = ids.length;
    const head = ids.slice(0, probeSpan(n, 5) + 1);
    const want = n < 2 ? 0 : (expectedSum(head, 0, 0) - expectedSum(head, 2, 7)) / (n - 1);
    assert.ok(Math.abs(got[i] - want) < 1e-5, `region ${i}: ${got[i]} vs ${want}`);
  });
  assert.deepEqual(progress, [0.25, 0.5, 0.75, 1]);
  assert.deepEqual({ ssm: [...state.ssm], kv: [...state.kv], kvLen: state.kvLen, ssmRef: state.ssm, kvRef: state.kv }, before);
  // The 8-token region's head: 5 predicted tokens in chunks of 3 + 2, from both states; the others one call each.
  assert.deepEqual(probe.calls, { scan: 2 * 2 + 2 + 2, nll: 1 });
});

test('RecallProbe: zero-state NLLs are cached by head (also within a request); batches hold at most maxRows rows', async () => {
  const { scan, nll, nllRows } = fakeSessions();
  const probe = new RecallProbe(card, scan, nll, wte, { maxRows: 7 });
  const heads = Array.from({ length: 6 }, (_, i) => [i, i + 1, i + 2, i + 3]); // 3 rows per read
  heads.push([0, 1, 2, 3]); // the first head again: its zero-state read is shared
  const targets = heads.map((ids) => ({ head: Uint16Array.from(ids), length: 4 }));
  const first = await probe.measure(targets, finalState());
  assert.equal(probe.calls.scan, 7 + 6, 'one final-state read per region, one zero-state read per distinct head');
  assert.ok(
    nllRows.every((n) => n <= 7),
    `rows per call ${nllRows}`,
  );
  assert.equal(
    nllRows.reduce((a, b) => a + b, 0),
    13 * 3,
  );
  assert.equal(first[6], first[0]);
  const calls = probe.calls.scan;
  const again = await probe.measure(targets, finalState());
  assert.deepEqual(again, first);
  assert.equal(probe.calls.scan - calls, 7, 'the second time only the final-state reads run');
  // A fresh probe (no cache) gives the same numbers.
  const fresh = fakeSessions();
  assert.deepEqual(await new RecallProbe(card, fresh.scan, fresh.nll, wte).measure(targets, finalState()), first);
});

test('RecallProbe: a cancelled request stops between regions', async () => {
  const { scan, nll } = fakeSessions();
  const probe = new RecallProbe(card, scan, nll, wte);
  const controller = new AbortController();
  const targets = Array.from({ length: 5 }, (_, i) => ({ head: Uint16Array.of(i, 1, 2), length: 3 }));
  await assert.rejects(
    probe.measure(targets, finalState(), { signal: controller.signal, onProgress: (done) => done === 2 && controller.abort() }),
    (e: Error) => e instanceof ProbeCancelled,
  );
  assert.equal(probe.calls.scan, 4, 'two regions measured, then nothing');
});

// A scan keeps each region's head, made with the card's recall_probe_tokens (k = 5: 6 ids).
const tokenizer = {
  encode: (text: string) => ({ ids: Array.from(text, (c) => c.charCodeAt(0)), starts: Array.from(text, (_, i) => i) }),
};
const parser = {
  async outline(): Promise<Outline> {
    const region = (name: string, start: number, end: number) => ({
      kind: 'function',
      name,
      startLine: 0,
      endLine: 0,
      startOffset: start,
      endOffset: end,
      signature: '',
      children: [],
    });
    return {
      language: 'text',
      supported: true,
      regions: [region('long', 0, 9), region('short', 9, 11)],
      imports: [],
      exports: [],
    } as unknown as Outline;
  },
} as unknown as RegionParser;

test("scanText keeps each region's first min(k + 1, n) ids", async () => {
  const { scan } = fakeSessions();
  const scanSession: ModelSession = {
    ...scan,
    async run(feeds) {
      const out = await scan.run(feeds);
      const T = feeds.tokens.dims[1];
      return { ...out, log_decay: { data: new Float32Array(T), dims: [T] }, readout: { data: new Float32Array(T), dims: [T] } };
    },
  };
  const parts: ScanParts = { card, scanner: new ModelScanner(card, scanSession), tokenizer, regions: parser };
  const result = await scanText(
    parts,
    { root: 0, relPath: 'p', path: 'p', absPath: '/w/p', mtimeMs: 0, size: 0 },
    'abcdefghiXY',
    'h',
    zeroState(card),
  );
  assert.ok('record' in result);
  const [long, short] = result.record.regions;
  const codes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  assert.deepEqual([...long.head], codes('abcdef'), 'k + 1 = 6 of its 9');
  assert.deepEqual([...short.head], codes('XY'), 'all of a 2-token region');
  assert.ok(long.head instanceof Uint16Array);
});
