// What a Summary leads with: the file's own doc (regions/moduleDoc.ts) on real code and on the shapes
// that fool a naive "first comment" (a licence, a generated notice, a comment on a type variable), the
// first sentence whole, and the main symbol's doc when the file has none (query/fileAbout.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { moduleDoc } from '../../extension/engine/regions/moduleDoc';
import { firstParagraph, firstSentence, MAX_SENTENCE } from '../../extension/engine/regions/commentText';
import { fileAbout } from '../../extension/engine/query/fileAbout';
import { outlineFile } from './regions-helpers';

const REAL = path.resolve('test/fixtures/real-code');

test("real code: each file's own doc, first sentence whole", async () => {
  const cases: [string, string | null][] = [
    ['textwrap.py.fixture', 'Text wrapping and filling.'],
    [
      'json__init__.py.fixture',
      'JSON (JavaScript Object Notation) <https://json.org> is a subset of JavaScript syntax (ECMA-262 3rd edition) used as a lightweight data interchange format.',
    ],
    // Generated notice and licence passed over; the comment after `package` is the file's.
    ['punycode.go.fixture', 'This file implements the Punycode algorithm from RFC 3492.'],
    // Starts with `use` lines, then items: no doc of its own.
    ['attr.rs.fixture', null],
  ];
  for (const [file, expected] of cases) {
    const { outline } = await outlineFile(path.join(REAL, file));
    assert.equal(outline.doc ? firstSentence(firstParagraph(outline.doc)) : null, expected, file);
  }
});

test('a comment on top of a declaration is the declaration’s, not the file’s (httpx _client.py’s shape)', () => {
  const client = [
    'from __future__ import annotations',
    '',
    'import typing',
    '',
    '# The type annotation for @classmethod and context managers here follows PEP 484',
    'T = typing.TypeVar("T", bound="Client")',
  ].join('\n');
  assert.equal(moduleDoc('python', client), undefined);
  assert.equal(moduleDoc('python', '# Helpers for the CLI.\n\nimport os\n'), 'Helpers for the CLI.');
  assert.equal(moduleDoc('typescript', '// Copyright 2020 X. MIT licence.\n\n// Parses configs.\nimport a from "a";\n'), 'Parses configs.');
  assert.equal(moduleDoc('typescript', '/** Adds two numbers. */\nexport function add() {}\n'), undefined);
  assert.equal(moduleDoc('rust', '//! Attribute parsing.\n\nuse std::iter;\n'), 'Attribute parsing.');
  assert.equal(moduleDoc('rust', '/// An attribute.\npub struct Attr;\n'), undefined);
  assert.equal(moduleDoc('go', '// Package idna implements IDNA2008.\npackage idna\n'), 'Package idna implements IDNA2008.');
  assert.equal(moduleDoc('c', '#include <stdio.h>\n// not the file doc\nint main() {}\n'), undefined);
  assert.equal(
    moduleDoc('markdown', '# Title\n\n[![badge](x)](y)\n\nThe HTTP client for Python.\nFast.\n\n## More\n'),
    'The HTTP client for Python.\nFast.',
  );
});

test('first sentences are whole: "e.g." and "3.5" do not end one, and a long one is cut at a word', () => {
  assert.equal(firstSentence('Weighs e.g. 3.5 kg of stock. Then more.'), 'Weighs e.g. 3.5 kg of stock.');
  assert.equal(firstParagraph('\n  Wraps text\n  to a width.\n\n  Details.'), 'Wraps text to a width.');
  const long = firstSentence(`${'word '.repeat(80)}end.`);
  assert.ok(long.length <= MAX_SENTENCE && long.endsWith('word…'), long);
});

test("without a doc of its own, a file is described by its main symbol's doc, not its first one", async () => {
  const text = [
    'import typing',
    '',
    '# follows PEP 484',
    'T = typing.TypeVar("T")',
    '',
    'def _helper():',
    '    """A private helper."""',
    '',
    'class Client:',
    '    """An HTTP client, with connection pooling, HTTP/2, redirects, cookie persistence, etc. More."""',
    '    def send(self):',
    '        pass',
  ].join('\n');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lv-about-')), '_client.py');
  writeFileSync(file, text);
  const { outline } = await outlineFile(file, '_client.py');
  assert.deepEqual(fileAbout(outline), {
    text: 'An HTTP client, with connection pooling, HTTP/2, redirects, cookie persistence, etc.',
    symbol: 'Client',
  });
});
