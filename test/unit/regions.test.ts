// Outlines of TypeScript, JavaScript and Python fixtures: names, kinds, line ranges, docs, imports, exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegionParser } from '../../extension/engine/regions/regionParser';
import { mustFind, outlineFixture, sharedParser, summary } from './regions-helpers';

test('TypeScript: top-level declarations with kinds and 0-based inclusive line ranges', async () => {
  const { outline } = await outlineFixture('sample.ts');
  assert.equal(outline.language, 'typescript');
  assert.equal(outline.supported, true);
  assert.deepEqual(summary(outline.regions), [
    ['add', 'function', 7, 9],
    ['Shape', 'interface', 12, 14],
    ['Id', 'type', 16, 16],
    ['Color', 'enum', 18, 18],
    ['LIMIT', 'constant', 20, 20],
    ['load', 'function', 23, 23],
    ['Circle', 'class', 26, 35],
    ['Internal', 'namespace', 37, 39],
  ]);
});

test('TypeScript: doc comments stripped of markers, with where they start', async () => {
  const { outline, text } = await outlineFixture('sample.ts');
  const add = mustFind(outline.regions, 'add');
  assert.equal(add.doc, 'Adds two numbers.\n@param a first');
  assert.ok(text.slice(add.docStartOffset).startsWith('/**\n * Adds two numbers.'));
  assert.equal(mustFind(outline.regions, 'load').doc, 'Reads a file as text.');
  assert.equal(mustFind(outline.regions, 'Circle.area').doc, 'The area, πr².');
  assert.equal(mustFind(outline.regions, 'Id').doc, undefined);
});

test('TypeScript: offsets slice exactly the declaration; signatures stop at the body', async () => {
  const { outline, text } = await outlineFixture('sample.ts');
  const add = mustFind(outline.regions, 'add');
  assert.equal(text.slice(add.startOffset, add.endOffset), 'export function add(a: number, b: number): number {\n  return a + b;\n}');
  assert.equal(add.signature, 'export function add(a: number, b: number): number');
  assert.equal(mustFind(outline.regions, 'Circle').signature, 'export class Circle implements Shape');
  assert.equal(mustFind(outline.regions, 'LIMIT').signature, 'export const LIMIT = 10;');
});

test('TypeScript: class members and namespace members are children', async () => {
  const { outline } = await outlineFixture('sample.ts');
  assert.deepEqual(summary(mustFind(outline.regions, 'Circle').children), [
    ['constructor', 'method', 27, 27],
    ['area', 'method', 30, 32],
    ['scaled', 'method', 34, 34],
  ]);
  assert.deepEqual(summary(mustFind(outline.regions, 'Internal').children), [['helper', 'function', 38, 38]]);
});

test('TypeScript: imports and exports', async () => {
  const { outline } = await outlineFixture('sample.ts');
  assert.deepEqual(outline.imports, [
    { source: 'node:fs/promises', line: 0 },
    { source: './thing', line: 1 },
    { source: './thing', line: 42 },
  ]);
  assert.deepEqual(
    outline.exports.map((e) => e.name),
    ['add', 'Shape', 'Id', 'Color', 'LIMIT', 'load', 'Circle', 'Inner', '*'],
  );
});

test('offsets are UTF-16 string indices even after astral and accented characters', async () => {
  const { outline, text } = await outlineFixture('unicode.ts');
  const fn = mustFind(outline.regions, 'afterUnicode');
  assert.equal(text.slice(fn.startOffset, fn.endOffset), 'export function afterUnicode(): string { return greeting; }');
  assert.equal(fn.doc, 'Ünïcödé doc 🎉');
  assert.equal(text.slice(fn.docStartOffset, fn.docStartOffset! + 3), '/**');
  const wave = mustFind(outline.regions, 'Émoji.wave');
  assert.equal(text.slice(wave.startOffset, wave.endOffset), "wave() { return '👋'; }");
  assert.equal(wave.startLine, 4);
});

test('JavaScript: functions, classes with getters, function-valued consts, CommonJS imports and exports', async () => {
  const { outline } = await outlineFixture('sample.js');
  assert.equal(outline.language, 'javascript');
  assert.deepEqual(summary(outline.regions), [
    ['join', 'function', 4, 6],
    ['Queue', 'class', 8, 12],
    ['handler', 'function', 14, 14],
  ]);
  assert.equal(mustFind(outline.regions, 'join').doc, 'Joins two parts.');
  assert.deepEqual(
    mustFind(outline.regions, 'Queue').children.map((c) => [c.name, c.doc]),
    [
      ['push', 'Adds an item.'],
      ['length', undefined],
    ],
  );
  assert.deepEqual(outline.imports, [{ source: 'path', line: 1 }]);
  assert.deepEqual(outline.exports, [
    { name: 'join', line: 16 },
    { name: 'Queue', line: 17 },
  ]);
});

test('JavaScript: the functions of an object literal (module.exports = {…}, a table of handlers) are its members', async () => {
  const text = [
    "const unicode = require('./unicode')",
    'module.exports = {',
    '    isSpaceSeparator (c) {',
    '        return unicode.Space_Separator.test(c)',
    '    },',
    '    /** Whether c is one of 0-9, a-f, A-F. */', // 5
    '    isHexDigit: function (c) {',
    '        return /[0-9A-Fa-f]/.test(c)',
    '    },',
    '    plain: 1,',
    '}', // 10
    'const lexStates = {',
    '    start: () => 2,',
    '}',
    "const config = { name: 'x', size: 2 }",
  ].join('\n');
  const outline = await (await sharedParser()).outline('util.js', text);
  assert.deepEqual(summary(outline.regions), [
    ['module.exports', 'constant', 1, 10],
    ['lexStates', 'constant', 11, 13],
    ['config', 'constant', 14, 14],
  ]);
  assert.deepEqual(
    mustFind(outline.regions, 'module.exports').children.map((c) => [c.name, c.kind, c.startLine, c.doc]),
    [
      ['isSpaceSeparator', 'method', 2, undefined],
      ['isHexDigit', 'method', 6, 'Whether c is one of 0-9, a-f, A-F.'],
    ],
  );
  assert.deepEqual(
    mustFind(outline.regions, 'lexStates').children.map((c) => c.name),
    ['start'],
  );
  assert.deepEqual(mustFind(outline.regions, 'config').children, []);
});

test('a doc block one blank line above its declaration is its doc (picomatch style); a file header is not', async () => {
  const text = [
    '/**',
    ' * @license MIT',
    ' */',
    '',
    'function first() {}',
    '/**', // 5
    ' * Creates a matcher function from glob patterns.',
    ' */',
    '',
    'const picomatch = (glob) => glob;',
    '// a plain comment, then a blank line', // 10
    '',
    'function plain() {}',
    '/** Two blank lines are too many. */',
    '',
    '', // 15
    'function far() {}',
  ].join('\n');
  const outline = await (await sharedParser()).outline('picomatch.js', text);
  assert.deepEqual(
    outline.regions.map((r) => [r.name, r.doc]),
    [
      ['first', undefined],
      ['picomatch', 'Creates a matcher function from glob patterns.'],
      ['plain', undefined],
      ['far', undefined],
    ],
  );
});

test("a licence header right above a declaration's own doc block is not part of its doc (App Engine's PHP)", async () => {
  const text = [
    '<?php',
    '/**',
    ' * Copyright 2007 Google Inc.',
    ' *',
    ' * Licensed under the Apache License, Version 2.0 (the "License");',
    ' */',
    '/**',
    ' * A memcache item with a value and timestamps.',
    ' */',
    '',
    'class MemcacheItemWithTimestamps {',
    '}',
    '// Copyright 2024 Someone.',
    'function licensed() {}',
  ].join('\n');
  const outline = await (await sharedParser()).outline('MemcacheItemWithTimestamps.php', text);
  assert.deepEqual(
    outline.regions.map((r) => [r.name, r.doc]),
    [
      ['MemcacheItemWithTimestamps', 'A memcache item with a value and timestamps.'],
      ['licensed', undefined],
    ],
  );
});

test('Python: functions, decorated definitions, classes, methods, docstrings and comment docs', async () => {
  const { outline, text } = await outlineFixture('sample.py');
  assert.equal(outline.language, 'python');
  assert.deepEqual(summary(outline.regions), [
    ['RETRIES', 'constant', 4, 4],
    ['default_name', 'variable', 5, 5],
    ['helper', 'function', 9, 10],
    ['decorated', 'function', 13, 19],
    ['Store', 'class', 22, 34],
    ['_private', 'function', 37, 38],
  ]);
  assert.equal(mustFind(outline.regions, 'helper').doc, 'Comment doc for helper.');
  const decorated = mustFind(outline.regions, 'decorated');
  assert.equal(decorated.doc, 'Decorated function.\n\nReturns a.');
  assert.equal(decorated.signature, 'def decorated(a, b=2)');
  assert.ok(text.slice(decorated.startOffset).startsWith('@staticmethod_like\ndef decorated'));
  assert.ok(text.slice(decorated.docStartOffset).startsWith('"""Decorated function.'));
  assert.equal(mustFind(outline.regions, 'Store').doc, 'A small store.');
  assert.deepEqual(summary(mustFind(outline.regions, 'Store').children), [
    ['__init__', 'method', 25, 26],
    ['size', 'method', 28, 31],
    ['fetch', 'method', 33, 34],
  ]);
  assert.equal(mustFind(outline.regions, 'Store.size').doc, 'Number of items.');
  assert.equal(mustFind(outline.regions, 'Store.size').signature, 'def size(self) -> int');
});

test('Python: imports, and public names as exports when there is no __all__', async () => {
  const { outline } = await outlineFixture('sample.py');
  assert.deepEqual(outline.imports, [
    { source: 'os', line: 1 },
    { source: 'collections', line: 2 },
  ]);
  assert.deepEqual(
    outline.exports.map((e) => e.name),
    ['RETRIES', 'default_name', 'helper', 'decorated', 'Store'],
  );
});

test('TSX: components as functions and arrow-function constants', async () => {
  const parser = await sharedParser();
  const text =
    'import React from "react";\n\n/** The app. */\nexport function App() {\n  return <div className="x">{items.map((i) => <Item key={i} />)}</div>;\n}\n\nexport const Button = (props: { label: string }) => <button>{props.label}</button>;\n';
  const outline = await parser.outline('src/App.tsx', text);
  assert.equal(outline.language, 'tsx');
  assert.deepEqual(summary(outline.regions), [
    ['App', 'function', 3, 5],
    ['Button', 'function', 7, 7],
  ]);
  assert.equal(outline.regions[0].doc, 'The app.');
  assert.deepEqual(
    outline.exports.map((e) => e.name),
    ['App', 'Button'],
  );
});

test('Python offsets are UTF-16 indices after non-ASCII text; CRLF line endings keep lines and signatures clean', async () => {
  const parser = await sharedParser();
  const text =
    '# -*- coding: utf-8 -*-\r\nGREETING = "grüße 🌍"\r\n\r\ndef wave(name: str) -> str:\r\n    """Says 👋 to name."""\r\n    return name\r\n';
  const outline = await parser.outline('wave.py', text);
  const wave = mustFind(outline.regions, 'wave');
  assert.deepEqual([wave.startLine, wave.endLine], [3, 5]);
  assert.equal(text.slice(wave.startOffset, wave.startOffset + 8), 'def wave');
  assert.equal(text.slice(wave.docStartOffset, wave.docStartOffset! + 3), '"""');
  assert.equal(wave.doc, 'Says 👋 to name.');
  assert.equal(wave.signature, 'def wave(name: str) -> str');
});

test('a parse over its time limit falls back to blank-line blocks with a note, and the parser stays usable', async () => {
  const parser = await createRegionParser({ parseTimeLimitMs: 0 });
  const text = Array.from({ length: 20_000 }, (_, i) => `function f${i}(a) { return a + ${i}; }\n`).join('\n');
  const slow = await parser.outline('big.js', text);
  assert.equal(slow.supported, true);
  assert.match(slow.note ?? '', /syntax parse stopped after 0 ms/);
  assert.equal(slow.regions[0].kind, 'block');
  const roomy = await createRegionParser({ parseTimeLimitMs: 60_000 });
  assert.equal((await roomy.outline('big.js', text)).regions.length, 20_000);
});
