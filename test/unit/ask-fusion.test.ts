// ask() with keyword fusion: every region is a candidate, so a region keyword search ranks first but
// the model did not re-read is still among the answers (as a keyword hit); the model re-reads a fixed
// number of the best candidates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelCard } from '../../extension/engine/model/card';
import type { FileRecord, RegionRecord } from '../../extension/engine/index/types';
import { ask, type AskContext } from '../../extension/engine/query/ask';
import { regionKey } from '../../extension/engine/query/lexical';
import type { RegionView } from '../../extension/engine/query/regionMath';

const card = { rereadBelow: 0.5 } as ModelCard;

function unit(i: number, dim = 4): Float32Array {
  const v = new Float32Array(dim);
  v[i % dim] = 1;
  return v;
}

/** 12 forgotten regions; the memory right after reading points at region 0, BM25 at 11, 10, ... 6. */
function context(rereads: string[]): AskContext {
  const views: RegionView[] = Array.from({ length: 12 }, (_, i) => {
    const region = {
      name: `fn${i}`,
      kind: 'function',
      startLine: i * 10,
      endLine: i * 10 + 5,
      doc: '',
      signature: `fn${i}()`,
    } as RegionRecord;
    const file = { path: `src/f${i}.ts`, relPath: `src/f${i}.ts`, regions: [region] } as unknown as FileRecord;
    const held = new Float32Array(4);
    held[0] = 1 - i / 12; // the memory right after reading ranks region 0 first, region 11 last
    held[1] = i / 12;
    return {
      file,
      region,
      recall: 0.1,
      windowOverlap: 0,
      probeGain: undefined,
      memoryKept: 0.1,
      distance: 5000,
      fresh: held,
      memoryScale: Float64Array.of(1), // one head: the memory is the embedding itself
    };
  });
  const lexical = new Map<string, number>();
  for (let i = 11; i >= 6; i--) lexical.set(regionKey(views[i].file.path, views[i].region), i); // BM25: 11 first
  return {
    card,
    encode: async () => unit(0),
    views: () => views,
    reread: async (view) => {
      rereads.push(view.region.name);
      return view.fresh;
    },
    scanActive: async () => undefined,
    absPath: (file) => `/nonexistent/${file.path}`,
    lexical: () => lexical,
  };
}

test("fusing keeps BM25's best regions the model did not re-read, as keyword hits", async () => {
  const rereads: string[] = [];
  const result = await ask(context(rereads), 'question', { top: 5, maxRereads: 2 });
  assert.equal(rereads.length, 2);
  // BM25 ranks fn11, fn10, ... fn6; two of them were re-read, the best of the rest was not.
  const missed = ['fn11', 'fn10', 'fn9', 'fn8', 'fn7', 'fn6'].find((name) => !rereads.includes(name))!;
  const hit = result.hits.find((h) => h.symbol === missed);
  assert.ok(hit, `${missed} among the answers: ${result.hits.map((h) => h.symbol)}`);
  assert.equal(hit.source, 'keyword');
  assert.equal(hit.bm25, Number(missed.slice(2)));
  assert.ok(
    result.hits.every((h) => h.source !== 'keyword' || h.bm25 > 0),
    'keyword hits all matched BM25',
  );
});

test('without fusion there are no keyword hits: only what the model scored', async () => {
  const result = await ask(context([]), 'question', { top: 5, maxRereads: 2, fuse: false });
  assert.equal(result.hits.length, 2);
  assert.ok(
    result.hits.every((h) => h.source === 'reread'),
    result.hits.map((h) => h.source).join(),
  );
});

test('re-reads are a fixed number K of the best candidates, whatever they take: no time budget', async () => {
  const rereads: string[] = [];
  const ctx = context(rereads);
  const slow: AskContext = {
    ...ctx,
    reread: async (view) => {
      await new Promise((r) => setTimeout(r, 30));
      return ctx.reread(view);
    },
  };
  const result = await ask(slow, 'question', { top: 5, maxRereads: 3 });
  assert.equal(result.rereads, 3);
  // The best three by the fused rank: BM25's first three (the memory right after reading is weak).
  assert.deepEqual(rereads, ['fn11', 'fn10', 'fn9']);
  assert.deepEqual(
    result.hits.map((h) => h.fileRank),
    [1, 2, 3, 4, 5],
    'one region a file here: file ranks follow the hits',
  );
});

test("BM25's best region outranks memory hits the question does not match", async () => {
  // The e2e case: memory hits the question doesn't match (cosine 1, no keyword) must not bury the
  // region keyword search finds; z-scores keep the keyword score's margin.
  const make = (i: number, recall: number, held: Float32Array): RegionView => {
    const region = { name: `r${i}`, kind: 'function', startLine: i * 10, endLine: i * 10 + 5, doc: '', signature: '' } as RegionRecord;
    return {
      file: { path: `f${i}.ts`, relPath: `f${i}.ts`, regions: [region] } as unknown as FileRecord,
      region,
      recall,
      windowOverlap: 0,
      probeGain: undefined,
      memoryKept: recall,
      distance: 0,
      fresh: held,
      memoryScale: Float64Array.of(1),
    };
  };
  const views = [
    ...Array.from({ length: 5 }, (_, i) => make(i, 1, unit(0))), // memory hits, cosine 1, no BM25 match
    make(5, 0.1, Float32Array.of(0.6, 0.8, 0, 0)), // forgotten; BM25 second
    make(6, 0.1, unit(1)), // forgotten; BM25 first
  ];
  const key = (v: RegionView) => regionKey(v.file.path, v.region);
  const lexical = new Map([
    [key(views[6]), 9],
    [key(views[5]), 5],
  ]);
  const ctx: AskContext = {
    card,
    encode: async () => unit(0),
    views: () => views,
    reread: async (v) => v.fresh,
    scanActive: async () => undefined,
    absPath: (file) => `/nonexistent/${file.path}`,
    lexical: () => lexical,
  };
  const result = await ask(ctx, 'question', { top: 10, maxRereads: 0 });
  assert.equal(result.hits[0].symbol, 'r6');
  assert.equal(result.hits[0].source, 'keyword', 'not re-read (K = 0), found by keyword search');
  assert.equal(result.hits[1].symbol, 'r5');
  assert.equal(result.notReread, 2);
});

test('ask re-reads by what the memory embedding keeps, not by the shown recall', async () => {
  // Since the sixth session the shown recall also counts the window's shared wording: a region past
  // the window can show 0.9 while its memory embedding (retention-scaled) keeps nothing of it.
  const region = { name: 'far', kind: 'function', startLine: 0, endLine: 5, doc: '', signature: '' } as RegionRecord;
  const file = { path: 'far.ts', relPath: 'far.ts', regions: [region] } as unknown as FileRecord;
  const view: RegionView = {
    file,
    region,
    recall: 0.9,
    windowOverlap: 0.95,
    probeGain: undefined,
    memoryKept: 0.01,
    distance: 4000,
    fresh: unit(0),
    memoryScale: Float64Array.of(0), // the memory embedding kept nothing of it
  };
  const ctx: AskContext = {
    card,
    encode: async () => unit(0),
    views: () => [view],
    reread: async (v) => v.fresh,
    scanActive: async () => undefined,
    absPath: (f) => `/nonexistent/${f.path}`,
    lexical: () => new Map(),
  };
  const result = await ask(ctx, 'question', { top: 3 });
  assert.equal(result.hits[0].source, 'reread');
  assert.equal(result.hits[0].recall, 0.9, 'the hit still reports the shown recall');
  const kept = await ask({ ...ctx, views: () => [{ ...view, recall: 0.1, memoryKept: 0.9 }] }, 'question', { top: 3 });
  assert.equal(kept.hits[0].source, 'memory');
});

test("a README's file score lends its sections nothing unless the question asks for documentation", async () => {
  const views = ['README.md', 'src/a.ts', 'src/b.ts', 'src/c.ts'].map((path) => heldView(path, path.split('/').pop()!));
  // Both README's section and a.ts's function match the question alike; the README as a whole matches it far more.
  const lexical = new Map([views[0], views[1]].map((v) => [regionKey(v.file.path, v.region), 5]));
  const fileLexical = new Map([
    ['README.md', 20],
    ['src/a.ts', 4],
  ]);
  const ctx = keywordContext(views, lexical, fileLexical);
  const first = async (q: string) => (await ask(ctx, q, { top: 4, weights: { docPenalty: 0.5 } })).hits[0].path;
  assert.equal(await first('where are the options parsed?'), 'src/a.ts');
  assert.equal(await first('what does the documentation say about the options?'), 'README.md');
});

test('declarations rank after code only where their implementation is in the workspace', async () => {
  // Two declaration files that match the question best: one beside its implementation, one alone.
  const views = [
    heldView('lib/parse.d.ts', 'parseDecl'),
    heldView('lib/parse.js', 'parseImpl'),
    heldView('node/fs.d.ts', 'readFileDecl'),
    ...Array.from({ length: 8 }, (_, i) => heldView(`src/other${i}.js`, `other${i}`)),
  ];
  const lexical = new Map<string, number>([
    [regionKey('lib/parse.d.ts', views[0].region), 10],
    [regionKey('node/fs.d.ts', views[2].region), 10],
    [regionKey('lib/parse.js', views[1].region), 6],
  ]);
  const order = (await ask(keywordContext(views, lexical), 'question', { top: 11, maxRereads: 0 })).hits.map((h) => h.symbol);
  assert.deepEqual(order.slice(0, 2), ['readFileDecl', 'parseImpl'], order.join(', '));
  assert.ok(order.indexOf('parseDecl') > order.indexOf('parseImpl'), order.join(', '));
});

/** A file with one function region the memory holds whole, its embedding orthogonal to the question's. */
function heldView(path: string, name: string): RegionView {
  const region = { name, kind: 'function', startLine: 0, endLine: 3, doc: '', signature: `${name}()` } as RegionRecord;
  return {
    file: { path, relPath: path, regions: [region] } as unknown as FileRecord,
    region,
    recall: 1,
    windowOverlap: 0,
    probeGain: undefined,
    memoryKept: 1,
    distance: 0,
    fresh: unit(1),
    memoryScale: Float64Array.of(1),
  };
}

/** Ask's context over `views` whose keyword scores decide (no re-reads, no files on disk). */
function keywordContext(views: RegionView[], lexical: Map<string, number>, fileLexical?: Map<string, number>): AskContext {
  return {
    card,
    encode: async () => unit(0),
    views: () => views,
    reread: async () => undefined,
    scanActive: async () => undefined,
    absPath: (file) => `/nonexistent/${file.path}`,
    lexical: () => lexical,
    ...(fileLexical ? { fileLexical: () => fileLexical } : {}),
  };
}
