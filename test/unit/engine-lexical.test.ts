// BM25 over region names, abbreviations the code uses for the question's words, and reciprocal rank fusion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LEXICAL, LexicalIndex } from '../../extension/engine/query/lexical';
import { questionTerms, reciprocalRankFusion } from '../../extension/engine/query/lexicalQuestion';
import { splitIdentifiers } from '../../extension/engine/query/lexicalTerms';
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

test('a file whose text no region covers is still searchable: its uncovered text is a candidate of its own', async () => {
  const covered = { path: 'src/a.ts', regions: [] as unknown[] };
  const region = { name: 'parseOptions', signature: 'function parseOptions()', doc: '', startLine: 0, endLine: 2 };
  covered.regions.push(region);
  const bare = { path: 'lib/util.js', regions: [] };
  const texts: Record<string, string[]> = {
    'src/a.ts': ['function parseOptions() {', '  return 1;', '}'],
    'lib/util.js': ['module.exports = {', '  isHexDigit (c) {', '    return /[0-9a-f]/i.test(c)', '  },', '}'],
  };
  const views = [{ file: covered, region }] as unknown as RegionView[];
  const index = await LexicalIndex.build(views, async (f) => texts[f.path], undefined, [covered, bare] as never[]);
  assert.deepEqual(
    index.uncovered.map((u) => [u.file.path, u.region.name, u.region.startLine, u.region.endLine]),
    [['lib/util.js', 'util.js', 0, 4]],
  );
  assert.equal([...index.scores('check for a hex digit').keys()][0], 'lib/util.js:0:util.js');
});

test("a question's words meet the code's abbreviations of them (char, arg, len), at a lower weight", () => {
  const vocabulary = new Set(['char', 'start', 'arg', 'len', 'cha']);
  const terms = questionTerms('which character may start the arguments, and what length?', (t) => vocabulary.has(t), 0.5);
  assert.equal(terms.get('charact'), 1, 'the word itself, stemmed, at full weight');
  assert.equal(terms.get('char'), 0.5, 'the longest abbreviation the code uses, not a shorter one');
  assert.equal(terms.has('cha'), false);
  assert.equal(terms.get('arg'), 0.5);
  assert.equal(terms.get('len'), 0.5);
  assert.equal(terms.get('start'), 1, 'a word the code uses whole is not weakened');
  assert.equal(questionTerms('which character', (t) => vocabulary.has(t), 0).has('char'), false, 'weight 0: no abbreviations');
  const views = [view('src/util.js', 'isIdChar', 'isIdChar (c)'), view('src/other.js', 'parseText', 'parseText (text)')];
  assert.deepEqual(
    [...LexicalIndex.fromRecords(views, DEFAULT_LEXICAL).scores('is this character allowed').keys()],
    ['src/util.js:0:isIdChar'],
  );
  const without = LexicalIndex.fromRecords(views, { ...DEFAULT_LEXICAL, abbreviation: 0, synonym: 0 });
  assert.equal(without.scores('this character').size, 0);
});

test('a file that holds every part of the question outranks one that repeats a single part many times', async () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
  const texts: Record<string, string[]> = {
    'src/cookie.js': ['cookie cookie cookie cookie cookie cookie'],
    'src/expiry.js': [`cookie expiry ${filler(30)}`],
    'src/date.js': [`expiry ${filler(10)}`],
    'src/a.js': [filler(10)],
    'src/b.js': [filler(10)],
  };
  const files = Object.keys(texts).map((path) => ({ path, regions: [] }));
  const index = await LexicalIndex.build([], async (f) => texts[f.path], undefined, files as never[]);
  const ranked = (coverage?: number) =>
    [...index.fileScores('cookie expiry', coverage).entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
  assert.deepEqual(ranked().slice(0, 2), ['src/expiry.js', 'src/cookie.js']);
  assert.deepEqual(ranked(0).slice(0, 2), ['src/cookie.js', 'src/expiry.js'], 'BM25 alone prefers the repetition');
});

test('a question meets the words code uses for the same thing (delete → remove), below the word itself', () => {
  const vocabulary = new Set(['remov', 'delet', 'eras', 'param']);
  const terms = questionTerms('how is an entry deleted?', (t) => vocabulary.has(t), 0.5, 0.3);
  assert.equal(terms.get('delet'), 1);
  assert.equal(terms.get('remov'), 0.3);
  assert.equal(terms.get('eras'), 0.3);
  assert.equal(terms.has('drop'), false, 'a synonym the code never uses is not searched');
  assert.equal(questionTerms('how is an entry deleted?', (t) => vocabulary.has(t), 0.5, 0).has('remov'), false, 'weight 0: none');
  const views = [view('src/store.js', 'removeEntry', 'removeEntry (key)'), view('src/other.js', 'parseText', 'parseText (text)')];
  assert.deepEqual([...LexicalIndex.fromRecords(views).scores('where is an entry deleted?').keys()][0], 'src/store.js:0:removeEntry');
});
