// A file's search terms counted line by line (lexicalTerms.ts, fileTerms.ts) are searchTerms' terms, whatever the text:
// the scanner for ASCII lines against searchTerms itself on tricky cases, random lines and this
// repository's own sources; and each region's, uncovered text's and file's fields as the joined texts give them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addLineTerms, commentOf, Ints, searchTerms, vocabulary } from '../../extension/engine/query/lexicalTerms';
import { DOC_HEAD, FIELDS, fieldStart, fileTermsOf, type DocTerms } from '../../extension/engine/query/fileTerms';

/** A multiset of terms as sorted "term×count" strings. */
function bag(terms: string[]): string[] {
  const m = new Map<string, number>();
  for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
  return [...m].map(([t, n]) => `${t}×${n}`).sort();
}

function lineBag(line: string): string[] {
  const ids = new Ints();
  addLineTerms(line, ids);
  return bag(Array.from(ids.data.subarray(0, ids.length), (id) => vocabulary.terms[id]));
}

test('a line gives the terms searchTerms gives: camelCase, acronyms, digits, snake_case, compounds, non-ASCII', () => {
  const lines = [
    'parseHTTPHeaders read_file_sync X',
    'HTTP2Server ABCDef aBC a1B2c3 XMLHttpRequest getURLForID IOError ABc IDs',
    '__init__ _x x_ a_b _a_b_ 9abc 1a2b3 __proto__ snake_Case_Name',
    'How do I parse the options? it is the way',
    '  // Parsing, parsed, parser: connections connected  ',
    'café naïve \u0130stanbul \u212aelvin straße ΣΑΣ',
    'const s = \'a\\tb\' + "x"; /* c */ # d -- e',
    '',
    '    ',
    'ALLCAPS lower MiXeD mIxEd A B C ab cd',
  ];
  for (const line of lines) assert.deepEqual(lineBag(line), bag(searchTerms(line)), JSON.stringify(line));
});

test('random lines: the scanner and searchTerms agree', () => {
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const ascii = 'aAbBcCxXyYzZeEiIoOsStT019_ .-/*#"\'()\t';
  for (let n = 0; n < 6000; n++) {
    // Mostly ASCII (the scanner's lines); one in six with characters whose lower case is ASCII or not.
    const alphabet = n % 6 ? ascii : `${ascii}\u0130\u212a\u00e9`;
    const length = Math.floor(next() * 40);
    let line = '';
    for (let i = 0; i < length; i++) line += alphabet[Math.floor(next() * alphabet.length)];
    assert.deepEqual(lineBag(line), bag(searchTerms(line)), JSON.stringify(line));
  }
});

test("this repository's sources: every line gives searchTerms' terms", () => {
  const dir = join(__dirname, '../../extension/engine/query');
  let lines = 0;
  for (const name of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, name), 'utf8').split(/\r?\n/)) {
      assert.deepEqual(lineBag(line), bag(searchTerms(line)), `${name}: ${JSON.stringify(line)}`);
      lines++;
    }
  }
  assert.ok(lines > 1000);
});

/** One field of a DocTerms as a bag of terms. */
function fieldBag(doc: DocTerms, f: number): string[] {
  const out: string[] = [];
  const at = fieldStart(doc, f);
  for (let i = at; i < at + 2 * doc[FIELDS.length + f]; i += 2) out.push(`${vocabulary.terms[doc[i]]}×${doc[i + 1]}`);
  return out.sort();
}

test("a file's fields are the terms of the joined texts: region name, signature, doc with its comments, body, path; uncovered text; whole file", () => {
  const path = 'src/http/headerParser.ts';
  const lines = [
    "import { thing } from './thing';",
    '/** Parses HTTP headers. */',
    'export function parseHeaders(raw: string): Headers {',
    '  // split on CRLF',
    '  return raw.split("\\r\\n").map(lineToHeader);',
    '}',
    'const headerTable = new Map();',
    'headerTable.set("content-type", 1);',
    '# not a comment in TypeScript, but commentOf reads it',
  ];
  const region = {
    name: 'parseHeaders',
    signature: 'export function parseHeaders(raw: string): Headers',
    doc: 'Parses HTTP headers.',
    startLine: 1,
    endLine: 5,
  };
  const terms = fileTermsOf(path, [region], lines);
  const body = lines.slice(region.startLine, region.endLine + 1);
  const comments = body.map(commentOf).filter(Boolean).join('\n');
  const expected = [
    searchTerms(region.name),
    searchTerms(region.signature),
    searchTerms(`${region.doc}\n${comments}`),
    searchTerms(body.join('\n')),
    searchTerms(path),
  ];
  const doc = terms.regions[0];
  FIELDS.forEach((_, f) => {
    assert.deepEqual(fieldBag(doc, f), bag(expected[f]), FIELDS[f]);
    assert.equal(doc[f], expected[f].length, `${FIELDS[f]}'s length`);
  });
  assert.equal(doc.length, DOC_HEAD + FIELDS.reduce((s, _, f) => s + 2 * doc[FIELDS.length + f], 0));
  // The uncovered text: lines 0, 6, 7, 8.
  const kept = [0, 6, 7, 8].map((i) => lines[i]);
  const u = terms.uncovered!;
  assert.deepEqual([u.startLine, u.endLine], [0, 8]);
  const uncoveredExpected = [
    searchTerms('headerParser.ts'),
    [],
    searchTerms(kept.map(commentOf).filter(Boolean).join('\n')),
    searchTerms(kept.join('\n')),
    searchTerms(path),
  ];
  FIELDS.forEach((_, f) => assert.deepEqual(fieldBag(u.terms, f), bag(uncoveredExpected[f]), `uncovered ${FIELDS[f]}`));
  const whole = searchTerms(`${path}\n${lines.join('\n')}`);
  assert.equal(terms.length, whole.length);
  const counts: string[] = [];
  for (let i = 0; i < terms.counts.length; i += 2) counts.push(`${vocabulary.terms[terms.counts[i]]}×${terms.counts[i + 1]}`);
  assert.deepEqual(counts.sort(), bag(whole));
  // Too few uncovered lines: none.
  assert.equal(fileTermsOf(path, [{ ...region, startLine: 0, endLine: 7 }], lines).uncovered, null);
  // An unreadable file: its regions by name, signature and doc; the file by its regions' names and signatures.
  const blind = fileTermsOf(path, [region], undefined);
  assert.equal(blind.uncovered, null);
  assert.equal(blind.regions[0][3], 0, 'no body');
  assert.equal(blind.length, searchTerms(`${path}\n${region.name} ${region.signature}`).length);
});
