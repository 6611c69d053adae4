// The contract's shown recall: 1 while the attention window holds the whole region, else the card's
// floor plus its overlap and decay terms, clamped; distance counts the tokens read after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileRecord, RegionRecord } from '../../extension/engine/index/types';
import type { ModelCard } from '../../extension/engine/model/card';
import { parseCard } from '../../extension/engine/model/card';
import { recall } from '../../extension/engine/query/recall';
import { memoryDot, memoryEmbedding, retention, shownRecall, viewRegion, withProbe } from '../../extension/engine/query/regionMath';
import { regionSketch, windowHashSet } from '../../extension/engine/scan/bigrams';

// The coefficients an older card (floor 0.2, no overlap or decay fields) parses to: parseCard's defaults.
const card = {
  NS: 1,
  H: 2,
  R: 2,
  W: 100,
  recallWeights: [[0.5, 0.5]],
  recallFloor: 0.2,
  recallOverlap: 0,
  recallDecay: 0.8,
} as unknown as ModelCard;
// Region: tokens [150, 180) of a 200-token file, so 20 of its file's tokens come after it.
const region = {
  name: 'f',
  kind: 'function',
  startLine: 3,
  endLine: 9,
  doc: '',
  signature: 'f()',
  embedding: Int8Array.of(10, 0, 0, 10),
  scales: Float32Array.of(1, 1),
  lEnd: Float32Array.of(-1, -2),
  tokStart: 150,
  tokEnd: 180,
  sketch: new Uint32Array(0),
} as RegionRecord;
const file = { path: 'a.ts', relPath: 'a.ts', tokens: 200, lBase: Float64Array.of(0, 0), regions: [region] } as unknown as FileRecord;
// At the scan's end head 0 has decayed by another ln 2 since the region, head 1 not at all: retention 0.5 and 1.
const scanEndL = Float64Array.of(-1 - Math.LN2, -2);

test('a region the window holds whole (after + length <= W) has recall 1 and its full embedding as memory', () => {
  const v = viewRegion(card, file, region, scanEndL, 0); // after 20 + length 30 = 50 <= 100
  assert.equal(v.distance, 20);
  assert.equal(v.recall, 1);
  assert.deepEqual(
    [...memoryEmbedding(v)].map((x) => Math.round(x * 1e6) / 1e6),
    [0.707107, 0, 0, 0.707107],
  );
  assert.equal(v.memoryKept, 1);
});

test("beyond the window: floor + (1 - floor) * Σ weights · retention, memory weighted by the last layer's retention", () => {
  const v = viewRegion(card, file, region, scanEndL, 60); // after 80 + length 30 = 110 > 100
  assert.equal(v.distance, 80);
  assert.ok(Math.abs(v.recall - (0.2 + 0.8 * 0.75)) < 1e-6, String(v.recall));
  const [a, , , d] = memoryEmbedding(v);
  assert.ok(Math.abs(a / d - 0.5) < 1e-6, 'head 0 kept half as much as head 1');
  assert.ok(Math.abs(v.memoryKept - 0.75) < 1e-12, "memoryKept: the last layer's mean retention, (0.5 + 1) / 2");
});

test('a region partly out of the window counts as out: its re-read would no longer meet all its tokens', () => {
  const v = viewRegion(card, file, region, scanEndL, 51); // after 71 + 30 = 101
  assert.ok(v.recall < 1);
});

// The window-overlap term (contract v1, sixth session): clamp(floor + overlap · o + decay · Σ w · ret, 0, 1).
const ids = [5, 6, 7, 8, 9]; // the region's tokens: 4 bigrams
const withSketch = { ...region, sketch: regionSketch(ids, 0, ids.length) } as RegionRecord;
const windowSet = windowHashSet(Int32Array.of(40, 5, 6, 7, 41, 0, 0, 0), 5); // holds (5,6) and (6,7): overlap 1/2
const fitted = (floor: number, overlap: number, decay: number) =>
  ({ ...card, recallFloor: floor, recallOverlap: overlap, recallDecay: decay }) as ModelCard;

test('beyond the window: floor + recall_overlap · overlap + recall_decay · Σ w · ret, overlap exposed on the view', () => {
  const v = viewRegion(fitted(0.1, 0.4, 0.2), file, withSketch, scanEndL, 60, windowSet);
  assert.equal(v.windowOverlap, 0.5);
  assert.ok(Math.abs(v.recall - (0.1 + 0.4 * 0.5 + 0.2 * 0.75)) < 1e-12, String(v.recall));
  assert.equal(shownRecall(fitted(0.1, 0.4, 0.2), Float64Array.of(0.5, 1), false, 0.5), v.recall);
});

test("an older card's defaults give exactly the old number, with or without an overlap", () => {
  const raw = {
    version: 1,
    model_hash: 'x',
    chunk: 8,
    NS: 1,
    H: 2,
    DK: 1,
    DV: 1,
    NA: 0,
    HA: 1,
    W: 100,
    HD: 1,
    R: 2,
    recall_weights: [[0.5, 0.5]],
    recall_floor: 0.147516,
    reread_below: 0.1,
    max_query: 8,
    flops_per_token: 1,
    tokenizer_sha256: null,
  };
  const old = parseCard(raw);
  const ret = Float64Array.of(0.3, 0.9);
  const oldNumber = 0.147516 + (1 - 0.147516) * (0.5 * 0.3 + 0.5 * 0.9);
  assert.equal(shownRecall(old, ret, false, 0), oldNumber);
  assert.equal(shownRecall(old, ret, false, 0.8), oldNumber, 'recall_overlap defaults to 0');
  assert.equal(viewRegion(old, file, withSketch, scanEndL, 60, windowSet).recall, 0.147516 + (1 - 0.147516) * (0.5 * 0.5 + 0.5 * 1));
});

test('the number is clamped to [0, 1]; inside the window it is 1 whatever the coefficients', () => {
  const ret = Float64Array.of(0.5, 1);
  assert.equal(shownRecall(fitted(0.5, 2, 0.5), ret, false, 1), 1);
  assert.equal(shownRecall(fitted(0, -3, 0.1), ret, false, 1), 0);
  assert.equal(shownRecall(fitted(0, -3, 0.1), ret, true, 1), 1);
  assert.equal(viewRegion(fitted(0, -3, 0.1), file, withSketch, scanEndL, 0, windowSet).recall, 1);
});

test('no window set or an empty sketch means overlap 0', () => {
  const c = fitted(0.1, 0.4, 0.2);
  assert.equal(viewRegion(c, file, withSketch, scanEndL, 60).windowOverlap, 0);
  const empty = viewRegion(c, file, region, scanEndL, 60, windowSet);
  assert.equal(empty.windowOverlap, 0);
  assert.ok(Math.abs(empty.recall - (0.1 + 0.2 * 0.75)) < 1e-12);
});

test("recall() reports each region's window overlap", () => {
  const v = viewRegion(fitted(0.1, 0.4, 0.2), file, withSketch, scanEndL, 60, windowSet);
  const r = recall(card, [v], {}, { tokens: 0, staleTokens: 0 });
  assert.equal(r.regions[0].windowOverlap, 0.5);
});

test('card: recall_overlap, recall_decay and recall_sketch_size parsed, defaulted and validated', () => {
  const raw = {
    version: 1,
    model_hash: 'x',
    chunk: 8,
    NS: 1,
    H: 1,
    DK: 1,
    DV: 1,
    NA: 0,
    HA: 1,
    W: 4,
    HD: 1,
    R: 1,
    recall_weights: [[1]],
    recall_floor: 0.25,
    reread_below: 0.1,
    max_query: 8,
    flops_per_token: 1,
    tokenizer_sha256: null,
  };
  const d = parseCard(raw);
  assert.deepEqual([d.recallOverlap, d.recallDecay, d.recallSketchSize], [0, 0.75, 48]);
  assert.equal(parseCard({ ...raw, recall_floor: undefined }).recallDecay, 1, 'no floor: decay 1');
  const c = parseCard({ ...raw, recall_overlap: 0.62, recall_decay: -0.05, recall_sketch_size: 16 });
  assert.deepEqual([c.recallOverlap, c.recallDecay, c.recallSketchSize], [0.62, -0.05, 16]);
  assert.throws(() => parseCard({ ...raw, recall_overlap: '0.5' }), /recall_overlap/);
  assert.throws(() => parseCard({ ...raw, recall_overlap: Infinity }), /recall_overlap/);
  assert.throws(() => parseCard({ ...raw, recall_decay: NaN }), /recall_decay/);
  assert.throws(() => parseCard({ ...raw, recall_sketch_size: 0 }), /recall_sketch_size/);
  assert.throws(() => parseCard({ ...raw, recall_sketch_size: 2.5 }), /recall_sketch_size/);
});

// The recall probe term (model-contract.md): clamp(floor + overlap · o + recall_probe · probe + decay · Σ w · ret, 0, 1).
const probing = (probe: number) => ({ ...fitted(0.1, 0.4, 0.2), recallProbe: probe }) as ModelCard;

test('beyond the window the probe adds recall_probe · probe; inside it the recall stays 1 and no probe is shown', () => {
  const ret = Float64Array.of(0.5, 1);
  const base = 0.1 + 0.4 * 0.5 + 0.2 * 0.75;
  assert.ok(Math.abs(shownRecall(probing(0.3), ret, false, 0.5, 0.41) - (base + 0.3 * 0.41)) < 1e-12);
  assert.ok(Math.abs(shownRecall(probing(0.3), ret, false, 0.5, -0.2) - (base - 0.3 * 0.2)) < 1e-12, 'a negative probe lowers it');
  assert.equal(shownRecall(probing(0.3), ret, false, 0.5, 10), 1, 'clamped');
  assert.equal(shownRecall(probing(0.3), ret, true, 0.5, -10), 1);
  const v = withProbe(probing(0.3), viewRegion(probing(0.3), file, withSketch, scanEndL, 60, windowSet), scanEndL, 0.41);
  assert.equal(v.probeGain, 0.41);
  assert.equal(v.recall, shownRecall(probing(0.3), ret, false, 0.5, 0.41));
  const inside = withProbe(probing(0.3), viewRegion(probing(0.3), file, withSketch, scanEndL, 0, windowSet), scanEndL, 0.41);
  assert.equal(inside.recall, 1);
  assert.equal(inside.probeGain, undefined, 'not a term inside the window');
  assert.equal(viewRegion(probing(0.3), file, withSketch, scanEndL, 60, windowSet).probeGain, undefined, 'not measured: undefined');
});

test('an older card (no recall_probe) gives exactly the number it gave before, whatever probe is passed', () => {
  const raw = {
    version: 1,
    model_hash: 'x',
    chunk: 8,
    NS: 1,
    H: 2,
    DK: 1,
    DV: 1,
    NA: 0,
    HA: 1,
    W: 100,
    HD: 1,
    R: 2,
    recall_weights: [[0.5, 0.5]],
    recall_floor: -0.057275,
    recall_overlap: 0.641635,
    recall_decay: 0.5,
    reread_below: 0.1,
    max_query: 8,
    flops_per_token: 1,
    tokenizer_sha256: null,
  };
  const old = parseCard(raw);
  assert.equal(old.recallProbe, 0);
  const ret = Float64Array.of(0.3, 0.9);
  const before = Math.min(1, Math.max(0, -0.057275 + 0.641635 * 0.37 + 0.5 * (0.5 * 0.3 + 0.5 * 0.9)));
  assert.equal(shownRecall(old, ret, false, 0.37), before);
  assert.equal(shownRecall(old, ret, false, 0.37, 0.8), before, 'recall_probe 0: the probe does not count');
  const plain = viewRegion(old, file, withSketch, scanEndL, 60, windowSet);
  assert.equal(withProbe(old, plain, scanEndL, 0.8).recall, plain.recall);
});

test('recall() reports a measured probe (rounded), and no probeGain key when none was measured', () => {
  const v = withProbe(probing(0.3), viewRegion(probing(0.3), file, withSketch, scanEndL, 60, windowSet), scanEndL, 0.123456789);
  assert.equal(recall(card, [v], {}, { tokens: 0, staleTokens: 0 }).regions[0].probeGain, 0.123457);
  const none = recall(card, [viewRegion(probing(0.3), file, withSketch, scanEndL, 60, windowSet)], {}, { tokens: 0, staleTokens: 0 })
    .regions[0];
  assert.ok(!('probeGain' in none), 'the entry is what it was before the probe');
});

test('card: recall_probe, recall_probe_tokens and token_nll parsed, defaulted and validated', () => {
  const raw = {
    version: 1,
    model_hash: 'x',
    chunk: 8,
    NS: 1,
    H: 1,
    DK: 1,
    DV: 1,
    NA: 0,
    HA: 1,
    W: 4,
    HD: 1,
    R: 1,
    recall_weights: [[1]],
    reread_below: 0.1,
    max_query: 8,
    flops_per_token: 1,
    tokenizer_sha256: null,
  };
  const d = parseCard(raw);
  assert.deepEqual([d.recallProbe, d.recallProbeTokens, d.tokenNll], [0, 16, undefined]);
  const names = { graph: 'token_nll.onnx', wte: 'model.wte.weight__fp16' };
  const c = parseCard({ ...raw, recall_probe: 0.35, recall_probe_tokens: 8, token_nll: names });
  assert.deepEqual([c.recallProbe, c.recallProbeTokens, c.tokenNll], [0.35, 8, names]);
  assert.equal(parseCard({ ...raw, token_nll: names }).recallProbe, 0, 'a graph named but no coefficient: no probe');
  assert.throws(() => parseCard({ ...raw, recall_probe: -0.1, token_nll: names }), /"recall_probe" must be a number >= 0, got -0.1/);
  assert.throws(() => parseCard({ ...raw, recall_probe: '0.3', token_nll: names }), /"recall_probe" must be a number >= 0/);
  assert.throws(() => parseCard({ ...raw, recall_probe: Infinity, token_nll: names }), /recall_probe/);
  assert.throws(() => parseCard({ ...raw, recall_probe_tokens: 0 }), /"recall_probe_tokens" must be an integer >= 1, got 0/);
  assert.throws(() => parseCard({ ...raw, recall_probe_tokens: 2.5 }), /recall_probe_tokens/);
  assert.throws(() => parseCard({ ...raw, recall_probe: 0.3 }), /"recall_probe" is 0.3 but the card names no "token_nll"/);
  assert.throws(() => parseCard({ ...raw, token_nll: { graph: 'token_nll.onnx' } }), /"token_nll" must be/);
  assert.throws(() => parseCard({ ...raw, token_nll: { graph: '../x.onnx', wte: 'w' } }), /a file name in the model folder/);
  assert.throws(() => parseCard({ ...raw, token_nll: 'token_nll.onnx' }), /"token_nll" must be/);
});

test('withProbe: only the recall and probeGain change, embeddings shared; a view inside the window as it is', () => {
  const c = probing(0.3);
  const plain = viewRegion(c, file, withSketch, scanEndL, 60, windowSet);
  const probed = withProbe(c, plain, scanEndL, 0.41);
  assert.equal(probed.recall, shownRecall(c, Float64Array.of(0.5, 1), false, plain.windowOverlap, 0.41));
  assert.equal(probed.probeGain, 0.41);
  assert.equal(probed.memoryScale, plain.memoryScale);
  assert.equal(probed.fresh, plain.fresh);
  assert.deepEqual({ ...probed, recall: 0, probeGain: 0 }, { ...plain, recall: 0, probeGain: 0 });
  const inside = viewRegion(c, file, withSketch, scanEndL, 0, windowSet);
  assert.equal(withProbe(c, inside, scanEndL, 0.41), inside);
});

// Views of a new state of the index make no embedding again: the region's normalised embedding is made
// once and shared, the memory embedding is H factors of it, and the view reads only the retentions it
// needs. Each checked against the definitions spelled out here.
test('the memory embedding, as factors of the shared normalised embedding, is normalise(retention · u) per head', () => {
  // NS 2, H 3, R 2: the last layer's three heads decay by 1/2, 1/4 and 1 since the region.
  const c = {
    ...card,
    NS: 2,
    H: 3,
    R: 2,
    recallWeights: [
      [0, 0.5, 0],
      [0.5, 0, 0],
    ],
    recallDecay: 0.7,
  } as ModelCard;
  const r = {
    ...region,
    embedding: Int8Array.of(10, -20, 30, 5, 0, 7),
    scales: Float32Array.of(0.5, 2, 1),
    lEnd: Float32Array.of(-1, -2, -3, -1, -2, -3),
  } as RegionRecord;
  const f = { ...file, lBase: new Float64Array(6), regions: [r] } as FileRecord;
  const end = Float64Array.of(-1.5, -2.25, -3, -1 - Math.LN2, -2 - 2 * Math.LN2, -3);
  const v = viewRegion(c, f, r, end, 60);
  // The definitions: u dequantised, memory[i] = ret[last layer, head of i] · u[i], each L2-normalised.
  const u = [10 * 0.5, -20 * 0.5, 30 * 2, 5 * 2, 0, 7];
  const ret = [0.5, 0.25, 1];
  const norm = (x: number[]) => x.map((y) => y / Math.hypot(...x));
  const memory = norm(u.map((x, i) => ret[Math.floor(i / 2)] * x));
  memoryEmbedding(v).forEach((x, i) => assert.ok(Math.abs(x - memory[i]) < 1e-6, `memory[${i}] ${x} vs ${memory[i]}`));
  norm(u).forEach((x, i) => assert.ok(Math.abs(v.fresh[i] - x) < 1e-6, `fresh[${i}]`));
  const q = Float32Array.of(0.1, -0.4, 0.3, 0.2, 0.5, -0.6);
  const want = memory.reduce((s, x, i) => s + x * q[i], 0);
  assert.ok(Math.abs(memoryDot(q, v) - want) < 1e-6, `${memoryDot(q, v)} vs ${want}`);
  assert.ok(Math.abs(v.memoryKept - (0.5 + 0.25 + 1) / 3) < 1e-12);
  // The recall reads the retentions it weighs (layer 0's head 1, layer 1's head 0) exactly as the full retention does.
  assert.equal(v.recall, shownRecall(c, retention(c, f, r, end), false, 0));
  const noDecay = { ...c, recallDecay: 0 } as ModelCard;
  assert.equal(viewRegion(noDecay, f, r, end, 60).recall, shownRecall(noDecay, retention(noDecay, f, r, end), false, 0));
  // Another state (the scan went on): new factors, the same embedding object.
  const later = viewRegion(
    c,
    f,
    r,
    Float64Array.from(end, (x, i) => (i === 3 ? x - 1 : x)),
    60,
  ); // head 0 decayed further
  assert.equal(later.fresh, v.fresh);
  assert.ok(later.memoryScale[0] < v.memoryScale[0] && later.memoryScale[2] > v.memoryScale[2]);
  // Inside the window the memory is the embedding itself.
  const inside = viewRegion(c, f, r, end, 0);
  assert.deepEqual([...memoryEmbedding(inside)], [...inside.fresh]);
});
