// BM25 over region names and reciprocal rank fusion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LexicalIndex, reciprocalRankFusion, splitIdentifiers } from '../../extension/engine/query/lexical';
import type { RegionView } from '../../extension/engine/query/regionMath';

const view = (path: string, name: string, signature: string, startLine = 0) =>
  ({ file: { path }, region: { name, signature, startLine } }) as unknown as RegionView;

test('identifiers split on camelCase, acronyms and snake_case', () => {
  assert.deepEqual(splitIdentifiers('parseHTTPHeaders read_file_sync X'), ['parse', 'http', 'headers', 'read', 'file', 'sync']);
  assert.deepEqual(splitIdentifiers('How do I parse the options?'), ['parse', 'options'], 'English stopwords dropped');
});

test('BM25 ranks the region named like the question first; rare terms weigh more', () => {
  const views = [
    view('src/a.ts', 'parseOptions', 'function parseOptions(argv: string[])'),
    view('src/b.ts', 'formatOptions', 'function formatOptions(options: Options)'),
    view('src/c.ts', 'readConfig', 'function readConfig(path: string)', 3),
  ];
  const scores = [...LexicalIndex.fromRecords(views).scores('parse the options').entries()];
  assert.equal(scores[0][0], 'src/a.ts:0:parseOptions');
  assert.equal(scores.length, 2, 'a region matching no term is not returned');
  assert.ok(scores[0][1] > scores[1][1]);
  assert.equal(LexicalIndex.fromRecords(views).scores('nothing matches').size, 0);
});

test('reciprocal rank fusion prefers items ranked well by both', () => {
  const fused = reciprocalRankFusion([
    ['a', 'b', 'c'],
    ['b', 'c'],
  ]);
  const order = [...fused.entries()].sort((x, y) => y[1] - x[1]).map(([k]) => k);
  assert.deepEqual(order, ['b', 'c', 'a']);
});
