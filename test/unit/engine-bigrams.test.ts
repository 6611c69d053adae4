// The window-overlap term's pieces: the bigram hash (bit for bit the Python evals'), region sketches,
// the window kept as tokens enter, and the overlap share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendWindow,
  bigramHash,
  bigramHashes,
  hashSet,
  regionSketch,
  windowHashSet,
  windowOverlap,
} from '../../extension/engine/scan/bigrams';

// The contract's test vector (training/onnx_model.py bigram_hashes gives the same).
const IDS = [1, 523, 17, 8191, 0, 17, 8191, 42, 42, 42, 7000, 3];
const HASHES = [
  3994332289, 3153590234, 4010093112, 273159489, 41655503, 4010093112, 4195535061, 2902782494, 2902782494, 2475528041, 3050456899,
];

test("bigram hashes match the contract's vector, one per consecutive pair, as unsigned 32-bit", () => {
  assert.deepEqual([...bigramHashes(IDS)], HASHES);
  assert.equal(bigramHash(1, 523), 3994332289);
  assert.equal(bigramHash(523, 1) === bigramHash(1, 523), false, 'order matters');
});

test('a sketch is the distinct hashes, ascending, truncated to k', () => {
  const all = [41655503, 273159489, 2475528041, 2902782494, 3050456899, 3153590234, 3994332289, 4010093112, 4195535061];
  assert.deepEqual([...regionSketch(IDS, 0, IDS.length, 48)], all);
  assert.deepEqual([...regionSketch(IDS, 0, IDS.length, 5)], all.slice(0, 5));
  assert.ok(regionSketch(IDS, 0, IDS.length) instanceof Uint32Array);
  assert.equal(regionSketch(IDS, 0, IDS.length).length, 9, 'default k 48 keeps all 9');
});

test('a sketch covers only pairs inside [tokStart, tokEnd); under 2 tokens it is empty', () => {
  // Tokens 1..4 are 523 17 8191 0: pairs 1..3, not (1,523) before them nor (0,17) after.
  assert.deepEqual(
    [...regionSketch(IDS, 1, 5)],
    [HASHES[1], HASHES[2], HASHES[3]].sort((a, b) => a - b),
  );
  assert.equal(regionSketch(IDS, 3, 4).length, 0);
  assert.equal(regionSketch(IDS, 3, 3).length, 0);
});

test("overlap is the share of the sketch among the window's bigrams; 0 for an empty sketch", () => {
  const sketch = regionSketch(IDS, 0, IDS.length); // 9 hashes
  // A window holding 1 523 17 8191 0 (4 of the region's pairs) then unrelated ids.
  const window = Int32Array.of(1, 523, 17, 8191, 0, 99, 98, 0);
  const set = windowHashSet(window, 5);
  assert.equal(set.size, 4);
  assert.equal(windowOverlap(sketch, set), 4 / 9);
  assert.equal(windowOverlap(new Uint32Array(0), set), 0);
  // Only the valid entries count: with 2 valid ids the window has one pair.
  assert.equal(windowOverlap(sketch, windowHashSet(window, 2)), 1 / 9);
  assert.equal(windowOverlap(sketch, windowHashSet(window, 1)), 0);
});

test('a hash set holds each hash once and finds exactly those it holds, however many share their low bits', () => {
  // 40 hashes with the same low 12 bits (they all probe from one slot), above and below 2^31, one repeated.
  const held = Array.from({ length: 40 }, (_, i) => ((i * 2 ** 26 + i * 4096 + 7) >>> 0) % 2 ** 32);
  const set = hashSet(Uint32Array.from([...held, held[3]]));
  assert.equal(set.size, 40);
  for (const h of held) assert.ok(set.has(h), String(h));
  for (const h of held) assert.ok(!set.has((h + 4096 * 97) >>> 0) || held.includes((h + 4096 * 97) >>> 0));
  assert.ok(!set.has(7 + 4096 * 41));
  assert.ok(!set.has(0));
  assert.equal(hashSet(new Uint32Array(0)).size, 0);
  assert.ok(!hashSet(new Uint32Array(0)).has(0));
  // The window's set is that of its valid pairs' hashes.
  const pairs = windowHashSet(Int32Array.of(1, 2, 1, 2, 5), 4); // (1,2) twice, (2,1): the 5th id is not valid
  assert.equal(pairs.size, 2);
  for (const h of bigramHashes([1, 2, 1])) assert.ok(pairs.has(h));
  assert.ok(!pairs.has(bigramHash(2, 5)));
});

test('appendWindow keeps the last W ids, oldest first, and never writes into the old array', () => {
  const W = 5;
  let w: Int32Array = new Int32Array(W);
  let n = 0;
  const ids = [10, 11, 12, 13, 14, 15, 16, 17];
  const first = appendWindow(w, n, ids, 0, 3);
  assert.deepEqual([...first.subarray(0, 3)], [10, 11, 12]);
  assert.deepEqual([...w], [0, 0, 0, 0, 0], 'old array untouched');
  w = first;
  n = 3;
  w = appendWindow(w, n, ids, 3, 4); // 3 + 4 > W: the oldest two drop
  n = Math.min(W, n + 4);
  assert.deepEqual([...w], [12, 13, 14, 15, 16]);
  // A chunk longer than W keeps its own last W ids.
  assert.deepEqual([...appendWindow(w, n, [1, 2, 3, 4, 5, 6, 7], 0, 7)], [3, 4, 5, 6, 7]);
  // Offsets into the id stream are honoured.
  assert.deepEqual([...appendWindow(new Int32Array(W), 0, ids, 6, 2).subarray(0, 2)], [16, 17]);
});
