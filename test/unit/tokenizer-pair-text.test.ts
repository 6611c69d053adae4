// Rules that turn a documented region into a (query, code) training pair (training/corpus/pair-text.mts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docCut, firstSentence, isBareSignature, stringLiteralEnd, withoutDocstring } from '../../training/corpus/pair-text.mts';
import type { Region } from '../../extension/engine/regions/types.ts';

const region = (startOffset: number, endOffset: number, docStartOffset?: number): Region => ({
  kind: 'function',
  name: 'f',
  startLine: 0,
  endLine: 0,
  startOffset,
  endOffset,
  docStartOffset,
  signature: '',
  children: [],
});

test('first sentence stops at a sentence end, not at an abbreviation', () => {
  assert.equal(firstSentence('Parses the input, e.g. a file. Then more.'), 'Parses the input, e.g. a file.');
  assert.equal(firstSentence('Returns the sum of two numbers'), 'Returns the sum of two numbers');
});

test('first sentence ignores tags, links and markup', () => {
  assert.equal(
    firstSentence('Creates a {@link Foo} from <b>raw</b> bytes\nover two lines.\n@param a the bytes'),
    'Creates a Foo from raw bytes over two lines.',
  );
  assert.equal(firstSentence('See {@link Bar|the bar} for details here.'), 'See the bar for details here.');
  assert.equal(firstSentence('@param x only tags'), undefined);
});

test('too short docs and directives are not queries', () => {
  assert.equal(firstSentence('Internal.'), undefined);
  assert.equal(firstSentence('eslint-disable-next-line no-console because'), undefined);
  assert.equal(firstSentence('Copyright 2020 the authors of this'), undefined);
});

test('a doc comment before the region is already outside its code', () => {
  const text = '/** Adds two. */\nfunction add(a, b) { return a + b; }\n';
  const start = text.indexOf('function');
  assert.equal(withoutDocstring(text, region(start, text.length - 1, 0)), 'function add(a, b) { return a + b; }');
});

test('a Python docstring is cut out with its line', () => {
  const text = 'def f(x):\n    """Compute f.\n\n    More.\n    """\n    return x\n';
  const code = withoutDocstring(text, region(0, text.length - 1, text.indexOf('"""')));
  assert.equal(code, 'def f(x):\n    return x');
});

test('the doc cut spans a comment before the region, or a docstring with its lines inside it', () => {
  const js = '  /** Adds two. */\n  function add(a, b) { return a + b; }\n';
  const start = js.indexOf('function');
  assert.deepEqual(docCut(js, region(start, js.length - 1, 2)), [2, start]);
  const py = 'def f(x):\n    """Compute f."""\n    return x\n';
  const cut = docCut(py, region(0, py.length - 1, py.indexOf('"""')));
  assert.deepEqual(cut, [py.indexOf('    """'), py.indexOf('    return')]);
  assert.equal(py.slice(0, cut![0]) + py.slice(cut![1], py.length - 1), withoutDocstring(py, region(0, py.length - 1, py.indexOf('"""'))));
  assert.equal(docCut(py, region(0, py.length - 1)), undefined);
  assert.equal(docCut('def f():\n    "open\n', region(0, 18, 13)), undefined); // the literal never closes
});

test('string literal ends honour escapes and prefixes', () => {
  assert.equal(stringLiteralEnd('r"a\\"b" + 1', 0), 7);
  assert.equal(stringLiteralEnd("'''x ' y''' z", 0), 11);
  assert.equal(stringLiteralEnd('"open\nline', 0), undefined);
});

test('tag-led docs give their @summary, else their @description', () => {
  assert.equal(
    firstSentence('@name addDays\n@category Day Helpers\n@summary Add the specified number\nof days.\n\n@description\nMore.'),
    'Add the specified number of days.',
  );
  assert.equal(firstSentence('@name x\n@description\nParses a date string. Then more.\n@param s'), 'Parses a date string.');
});

test('functions without a body are bare signatures, except in C and Python', () => {
  assert.equal(isBareSignature('method', 'typescript', "constructor(kind: 'N', value?: T)"), true);
  assert.equal(isBareSignature('function', 'rust', 'fn len(&self) -> usize;'), true);
  assert.equal(isBareSignature('function', 'typescript', 'export const f = (a: number) => a + 1'), false);
  assert.equal(isBareSignature('function', 'go', 'func Add(a int) int {\n\treturn a\n}'), false);
  assert.equal(isBareSignature('function', 'c', 'int sqlite3_open(const char *f);'), false);
  assert.equal(isBareSignature('function', 'python', 'def f(x):\n    return x'), false);
  assert.equal(isBareSignature('interface', 'typescript', 'interface A { x: number }'), false);
});
