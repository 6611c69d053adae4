// The attention window's token ids in the scan state: kept in step with kv_len as tokens enter
// (chunk after chunk, feed after feed, file after file), copied, zeroed and undone with the state.
// A stand-in session (shapes only) keeps this about the bookkeeping, not the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanText, type ScanParts } from '../../extension/engine/index/fileScan';
import { parseCard, type ModelCard } from '../../extension/engine/model/card';
import type { Outline, RegionParser } from '../../extension/engine/regions/types';
import type { ModelSession, TensorMap } from '../../extension/engine/runtime/types';
import { regionSketch, windowHashSet, windowOverlap } from '../../extension/engine/scan/bigrams';
import { ModelScanner } from '../../extension/engine/scan/modelScanner';
import { forkState, zeroState } from '../../extension/engine/scan/scanState';

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
  recall_sketch_size: 3,
});

function fakeSession(onRun?: () => void): ModelSession {
  return {
    inputNames: [],
    outputNames: [],
    async run(feeds: TensorMap): Promise<TensorMap> {
      onRun?.();
      const T = feeds.tokens.dims[1];
      const f = (n: number) => ({ data: new Float32Array(n), dims: [n] });
      return {
        ssm_state_out: { data: (feeds.ssm_state.data as Float32Array).slice(), dims: feeds.ssm_state.dims },
        kv_state_out: { data: (feeds.kv_state.data as Float32Array).slice(), dims: feeds.kv_state.dims },
        log_decay: f(T * card.NS * card.H),
        readout: f(T * card.H * card.R),
      };
    },
    async release() {},
  };
}

// One id per UTF-16 unit (its code), so ids are easy to read back; one region: the whole text.
const tokenizer = {
  encode: (text: string) => ({ ids: Array.from(text, (c) => c.charCodeAt(0)), starts: Array.from(text, (_, i) => i) }),
};
const parser = {
  async outline(_path: string, text: string): Promise<Outline> {
    const region = {
      kind: 'function',
      name: 'all',
      startLine: 0,
      endLine: 0,
      startOffset: 0,
      endOffset: text.length,
      signature: '',
      children: [],
    };
    return { language: 'text', supported: true, regions: [region], imports: [], exports: [] } as unknown as Outline;
  },
} as unknown as RegionParser;

function parts(c: ModelCard, session = fakeSession()): ScanParts {
  return { card: c, scanner: new ModelScanner(c, session), tokenizer, regions: parser };
}
const source = (relPath: string) => ({ root: 0, relPath, path: relPath, absPath: `/w/${relPath}`, mtimeMs: 0, size: 0 });
const codes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

test('zeroState has W zero ids; a scan on forkState(s) leaves s as it was (a save scans on a fork)', async () => {
  const s = zeroState(card);
  assert.deepEqual([...s.window], new Array(8).fill(0));
  const before = { ssm: [...s.ssm], kv: [...s.kv], window: [...s.window], L: [...s.L], kvLen: s.kvLen, tokens: s.tokens };
  const fork = forkState(s);
  assert.notEqual(fork.L, s.L, 'L, which a scan adds into, is copied');
  await new ModelScanner(card, fakeSession()).feed(fork, [10, 11, 12, 13, 14]);
  assert.deepEqual([...fork.window.subarray(0, 5)], [10, 11, 12, 13, 14]);
  assert.deepEqual({ ssm: [...s.ssm], kv: [...s.kv], window: [...s.window], L: [...s.L], kvLen: s.kvLen, tokens: s.tokens }, before);
  assert.equal(fork.tokens, 5);
});

test('the window holds the last min(W, tokens) ids, oldest first, across chunks and feeds', async () => {
  const state = zeroState(card);
  const scanner = new ModelScanner(card, fakeSession());
  await scanner.feed(state, [10, 11, 12, 13, 14]); // chunks of 3 and 2
  assert.equal(state.kvLen, 5);
  assert.deepEqual([...state.window.subarray(0, 5)], [10, 11, 12, 13, 14]);
  await scanner.feed(state, [15, 16, 17, 18, 19]);
  assert.equal(state.kvLen, 8);
  assert.equal(state.tokens, 10);
  assert.deepEqual([...state.window], [12, 13, 14, 15, 16, 17, 18, 19]);
});

test("across a file boundary the window spans both files; sketches are made with the card's size", async () => {
  const state = zeroState(card);
  const a = await scanText(parts(card), source('p'), 'abcdef', 'h', state); // 1 'p' '\n' a..f: 9 ids
  await scanText(parts(card), source('q'), 'xy', 'h', state); // 1 'q' '\n' x y: 5 ids
  assert.deepEqual([...state.window], [...codes('def'), 1, ...codes('q\nxy')]);
  assert.equal(state.kvLen, 8);
  assert.ok('record' in a);
  const region = a.record.regions[0];
  const ids = [1, ...codes('p\nabcdef')];
  assert.deepEqual([region.tokStart, region.tokEnd], [3, 9]);
  assert.deepEqual([...region.sketch], [...regionSketch(ids, 3, 9, 3)], 'recall_sketch_size 3');
  assert.equal(region.sketch.length, 3);
  // The window holds (d,e) and (e,f) of the region's 5 pairs.
  const full = regionSketch(ids, 3, 9, 48);
  assert.equal(windowOverlap(full, windowHashSet(state.window, state.kvLen)), 2 / 5);
});

test('a file cancelled halfway leaves the window (and kvLen) as before it', async () => {
  const state = zeroState(card);
  await scanText(parts(card), source('p'), 'abc', 'h', state);
  const before = { window: [...state.window], kvLen: state.kvLen };
  const controller = new AbortController();
  const aborting = parts(
    card,
    fakeSession(() => controller.abort()),
  ); // the first chunk runs, the second is refused
  await assert.rejects(scanText(aborting, source('q'), 'wxyz', 'h', state, controller.signal), /cancelled/);
  assert.deepEqual({ window: [...state.window], kvLen: state.kvLen }, before);
});
