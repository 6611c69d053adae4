// The scan against the contract's formulas, on the tiny contract model (real ONNX, both runtimes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModelFiles } from '../../extension/engine/model/card';
import { loadOrtNode } from '../../extension/engine/runtime/ortNode';
import { loadOrtWeb } from '../../extension/engine/runtime/ortWeb';
import { ModelScanner } from '../../extension/engine/scan/modelScanner';
import { RegionAccumulator } from '../../extension/engine/scan/regionAccumulator';
import { zeroState } from '../../extension/engine/scan/scanState';

const MODEL = 'test/integration/fixtures/tiny-model';
const ids = Array.from({ length: 150 }, (_, i) => 4 + ((i * 37) % 290));

test('chunk size does not change the state, L or region embeddings (states carried correctly)', async () => {
  const m = await loadModelFiles(MODEL);
  const session = await (await loadOrtNode(1)).createSession(m.scanOnnx);
  const run = async (chunk: number) => {
    const card = { ...m.card, chunk };
    const state = zeroState(card);
    const acc = new RegionAccumulator(card, [
      { tokStart: 20, tokEnd: 90 },
      { tokStart: 5, tokEnd: 149 },
    ]);
    await new ModelScanner(card, session).feed(state, ids, acc);
    return { state, acc };
  };
  const a = await run(32);
  const b = await run(5);
  assert.equal(a.state.tokens, 150);
  assert.equal(a.state.kvLen, m.card.W);
  // The window's ids are the last W that entered, whatever the chunking: the tokens kv_state holds.
  assert.deepEqual([...a.state.window], ids.slice(-m.card.W));
  assert.deepEqual([...b.state.window], ids.slice(-m.card.W));
  const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    let d = 0;
    for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
    return d;
  };
  assert.ok(maxDiff(a.state.ssm, b.state.ssm) < 1e-4);
  assert.ok(maxDiff(a.state.kv, b.state.kv) < 1e-4);
  assert.ok(maxDiff(a.state.L, b.state.L) < 1e-3);
  for (let r = 0; r < 2; r++) assert.ok(maxDiff(a.acc.results[r]!.embedding, b.acc.results[r]!.embedding) < 1e-4);
});

test('region embedding equals the contract sum Σ exp(L[b]−L[s])·readout[s]', async () => {
  const m = await loadModelFiles(MODEL);
  const card = m.card;
  const session = await (await loadOrtNode(1)).createSession(m.scanOnnx);
  const scanner = new ModelScanner(card, session);
  // Record per-token outputs with a region per token... via the observer and L after each token.
  const readouts: Float32Array[] = [];
  const state = zeroState(card);
  const perTokenL: Float64Array[] = [];
  const singles = ids.map((_, i) => ({ tokStart: i, tokEnd: i + 1 }));
  const acc = new RegionAccumulator(card, [{ tokStart: 10, tokEnd: 60 }, ...singles]);
  await scanner.feed(state, ids, acc, undefined, (_p, T, readout) => {
    const w = card.H * card.R;
    for (let t = 0; t < T; t++) readouts.push(readout.slice(t * w, (t + 1) * w));
  });
  for (let i = 0; i < ids.length; i++) perTokenL.push(acc.results[1 + i]!.lEnd);
  const last = (card.NS - 1) * card.H;
  const expected = new Float64Array(card.H * card.R);
  for (let s = 10; s < 60; s++) {
    for (let h = 0; h < card.H; h++) {
      const w = Math.exp(perTokenL[59][last + h] - perTokenL[s][last + h]);
      for (let r = 0; r < card.R; r++) expected[h * card.R + r] += w * readouts[s][h * card.R + r];
    }
  }
  const got = acc.results[0]!.embedding;
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(got[i] - expected[i]) < 1e-4 * (1 + Math.abs(expected[i])), `component ${i}`);
  assert.deepEqual(Array.from(acc.results[0]!.lEnd), Array.from(perTokenL[59]));
});

test('onnxruntime-web and onnxruntime-node agree on the same graph', async () => {
  const m = await loadModelFiles(MODEL);
  const results = [];
  for (const runtime of [await loadOrtNode(1), await loadOrtWeb({ threads: 1 })]) {
    const state = zeroState(m.card);
    await new ModelScanner(m.card, await runtime.createSession(m.scanOnnx)).feed(state, ids);
    results.push(state);
  }
  for (let i = 0; i < results[0].ssm.length; i++) assert.ok(Math.abs(results[0].ssm[i] - results[1].ssm[i]) < 1e-3);
});

test('a cancelled feed throws ScanCancelled before running another chunk', async () => {
  const m = await loadModelFiles(MODEL);
  const session = await (await loadOrtNode(1)).createSession(m.scanOnnx);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(new ModelScanner(m.card, session).feed(zeroState(m.card), ids, undefined, controller.signal), /cancelled/);
});
