// Outlines of real code this project did not write: sources of the project's own dependencies (installed by
// npm ci from the lockfile, never optional ones) and copies in test/fixtures/real-code (see its README).
// Expected line ranges are computed from the text itself (declaration line by pattern, end by the
// closing brace at the same indentation, or Python's dedent), so they hold across package updates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Region } from '../../extension/engine/regions/types';
import { discoverFiles } from '../../extension/engine/discovery/walk';
import { find, outlineFile } from './regions-helpers';

type EndRule = 'brace' | 'indent' | 'line';

interface Expectation {
  /** Dotted path of the region (see `find`). */
  path: string;
  kind: Region['kind'];
  /** Matches the declaration's first line (after any doc comment and attributes). */
  declaration: RegExp;
  end: EndRule;
  /** Text the doc comment must contain. */
  doc?: string;
}

function lineIndex(lines: string[], pattern: RegExp): number {
  const index = lines.findIndex((l) => pattern.test(l));
  assert.notEqual(index, -1, `pattern ${pattern} not found`);
  return index;
}

const indentOf = (l: string) => /^\s*/.exec(l)![0].length;

function expectedEnd(lines: string[], start: number, rule: EndRule): number {
  if (rule === 'line') return start;
  const indent = indentOf(lines[start]);
  if (rule === 'brace') {
    for (let i = start; i < lines.length; i++) {
      if (indentOf(lines[i]) === indent && /^\s*\}/.test(lines[i]) && (i > start || !/\{.*\}/.test(lines[i]))) return i;
    }
    throw new Error(`no closing brace after line ${start}`);
  }
  let last = start;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    if (indentOf(lines[i]) <= indent) break;
    last = i;
  }
  return last;
}

async function check(file: string, language: string, expectations: Expectation[]) {
  const { outline, text } = await outlineFile(file);
  assert.equal(outline.language, language);
  const lines = text.split('\n');
  for (const e of expectations) {
    const region = find(outline.regions, e.path);
    assert.ok(region, `${file}: no region ${e.path}`);
    const start = lineIndex(lines, e.declaration);
    assert.deepEqual([region.kind, region.endLine], [e.kind, expectedEnd(lines, start, e.end)], `${e.path} kind/end`);
    assert.ok(
      region.startLine <= start && start - region.startLine <= 3,
      `${e.path} starts at ${region.startLine}, declaration at ${start}`,
    );
    if (e.doc) assert.ok(region.doc?.includes(e.doc), `${e.path} doc: ${JSON.stringify(region.doc)}`);
  }
  return outline;
}

const REAL_CODE = path.join(__dirname, '..', 'fixtures', 'real-code');
/** A copy in test/fixtures/real-code, outlined under its original name (the `.fixture` suffix dropped). */
function realCode(name: string): string {
  return path.join(REAL_CODE, `${name}.fixture`);
}

test('TypeScript lib.es5.d.ts (typescript package)', async () => {
  const outline = await check('node_modules/typescript/lib/lib.es5.d.ts', 'typescript', [
    {
      path: 'parseInt',
      kind: 'function',
      declaration: /^declare function parseInt\(/,
      end: 'line',
      doc: 'Converts a string to an integer.',
    },
    { path: 'Array', kind: 'interface', declaration: /^interface Array<T> \{/, end: 'brace' },
    {
      path: 'Array.push',
      kind: 'method',
      declaration: /^ {4}push\(\.\.\.items: T\[\]\): number;/,
      end: 'line',
      doc: 'Appends new elements',
    },
    { path: 'PropertyKey', kind: 'type', declaration: /^declare type PropertyKey =/, end: 'line' },
  ]);
  assert.ok(
    outline.regions.some((r) => r.name === 'Array' && r.kind === 'variable'),
    'declare var Array is a region too',
  );
});

test('onnxruntime-common inference-session.d.ts: declared namespace, interface and constant of one name', async () => {
  const outline = await check('node_modules/onnxruntime-common/dist/esm/inference-session.d.ts', 'typescript', [
    { path: 'InferenceSessionFactory', kind: 'interface', declaration: /^export interface InferenceSessionFactory/, end: 'brace' },
  ]);
  assert.deepEqual(
    outline.regions.filter((r) => r.name === 'InferenceSession').map((r) => r.kind),
    ['namespace', 'interface', 'constant'],
  );
  assert.ok(outline.exports.some((e) => e.name === 'InferenceSessionFactory'));
});

test('esbuild lib/main.js (CommonJS bundle)', async () => {
  const outline = await check('node_modules/esbuild/lib/main.js', 'javascript', [
    { path: 'encodePacket', kind: 'function', declaration: /^function encodePacket\(/, end: 'brace' },
    { path: 'createChannel', kind: 'function', declaration: /^function createChannel\(/, end: 'brace' },
    { path: 'validateInitializeOptions', kind: 'function', declaration: /^function validateInitializeOptions\(/, end: 'brace' },
  ]);
  assert.ok(outline.imports.some((i) => i.source === 'child_process'));
});

test('Python stdlib textwrap.py and json/__init__.py', async () => {
  await check(realCode('textwrap.py'), 'python', [
    { path: 'TextWrapper', kind: 'class', declaration: /^class TextWrapper:/, end: 'indent', doc: 'Object for wrapping/filling text.' },
    { path: 'TextWrapper.wrap', kind: 'method', declaration: /^ {4}def wrap\(self, text\):/, end: 'indent' },
    { path: 'dedent', kind: 'function', declaration: /^def dedent\(text\):/, end: 'indent', doc: 'Remove any common leading whitespace' },
  ]);
  const json = await check(realCode('json__init__.py'), 'python', [
    {
      path: 'dumps',
      kind: 'function',
      declaration: /^def dumps\(obj,/,
      end: 'indent',
      doc: 'Serialize ``obj`` to a JSON formatted ``str``.',
    },
  ]);
  assert.deepEqual(json.exports.map((e) => e.name).sort(), [
    'JSONDecodeError',
    'JSONDecoder',
    'JSONEncoder',
    'dump',
    'dumps',
    'load',
    'loads',
  ]);
});

test('C: tree-sitter tree_cursor.c (web-tree-sitter package)', async () => {
  await check('node_modules/web-tree-sitter/lib/tree_cursor.c', 'c', [
    { path: 'ts_tree_cursor_new', kind: 'function', declaration: /^TSTreeCursor ts_tree_cursor_new\(/, end: 'brace' },
    {
      path: 'ts_tree_cursor_is_entry_visible',
      kind: 'function',
      declaration: /^static inline bool ts_tree_cursor_is_entry_visible\(/,
      end: 'brace',
    },
  ]);
});

test('C++: node-addon-api napi.h (a .h header outlined as C++)', async () => {
  await check(realCode('napi.h'), 'cpp', [
    { path: 'Napi', kind: 'namespace', declaration: /^namespace Napi \{/, end: 'brace' },
    { path: 'Napi.Env', kind: 'class', declaration: /^ {2}class Env \{/, end: 'brace' },
    { path: 'Napi.Object', kind: 'class', declaration: /^ {2}class Object : public Value \{/, end: 'brace' },
  ]);
});

test('Go: golang.org/x/net idna/punycode.go', async () => {
  await check(realCode('punycode.go'), 'go', [
    { path: 'decode', kind: 'function', declaration: /^func decode\(encoded string\)/, end: 'brace', doc: 'decode decodes a string' },
    { path: 'punyError', kind: 'function', declaration: /^func punyError\(/, end: 'line' },
    { path: 'adapt', kind: 'function', declaration: /^func adapt\(/, end: 'brace' },
  ]);
});

test('Rust: syn attr.rs', async () => {
  await check(realCode('attr.rs'), 'rust', [
    { path: 'Attribute', kind: 'impl', declaration: /^impl Attribute \{/, end: 'brace' },
    {
      path: 'Attribute.parse_meta',
      kind: 'method',
      declaration: /^ {4}pub fn parse_meta\(&self\)/,
      end: 'brace',
      doc: 'Parses the content of the attribute',
    },
    { path: 'FilterAttrs', kind: 'trait', declaration: /^pub trait FilterAttrs<'a> \{/, end: 'brace' },
  ]);
});

test('C#: node-gyp Find-VisualStudio.cs', async () => {
  await check(realCode('Find-VisualStudio.cs'), 'csharp', [
    { path: 'VisualStudioConfiguration', kind: 'namespace', declaration: /^namespace VisualStudioConfiguration/, end: 'brace' },
    { path: 'VisualStudioConfiguration.Main', kind: 'class', declaration: /^ {4}public static class Main/, end: 'brace' },
    {
      path: 'VisualStudioConfiguration.Main.PrintJson',
      kind: 'method',
      declaration: /^ {8}public static void PrintJson\(\)/,
      end: 'brace',
    },
  ]);
});

test('PHP: App Engine SDK MemcacheItemWithTimestamps.php', async () => {
  await check(realCode('MemcacheItemWithTimestamps.php'), 'php', [
    { path: 'MemcacheItemWithTimestamps', kind: 'class', declaration: /^class MemcacheItemWithTimestamps \{/, end: 'brace' },
    { path: 'MemcacheItemWithTimestamps.getValue', kind: 'method', declaration: /^ {2}public function getValue\(\)/, end: 'brace' },
  ]);
});

/** Every region's lines agree with its offsets, lie inside the text, and children lie inside parents. */
function checkInvariants(file: string, text: string, regions: Region[], parent?: Region): void {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const visit = (list: Region[], outer?: Region) => {
    for (const r of list) {
      const where = `${file}: ${r.kind} ${r.name}`;
      assert.ok(r.startOffset >= 0 && r.startOffset < r.endOffset && r.endOffset <= text.length, `${where}: offsets`);
      assert.equal(lineAt(r.startOffset), r.startLine, `${where}: startLine`);
      assert.equal(lineAt(r.endOffset - 1), r.endLine, `${where}: endLine`);
      if (outer) assert.ok(r.startOffset >= outer.startOffset && r.endOffset <= outer.endOffset, `${where}: inside ${outer.name}`);
      if (r.docStartOffset !== undefined) assert.ok(r.docStartOffset >= 0 && r.docStartOffset < r.endOffset, `${where}: doc offset`);
      visit(r.children, r);
    }
  };
  visit(regions, parent);
}

test('whole real package trees outline without errors, with consistent lines and offsets', async (t) => {
  // The project's own dependencies (npm ci installs each from the lockfile) and its real-code copies.
  const roots = [
    'node_modules/web-tree-sitter',
    'node_modules/typescript/lib',
    'node_modules/esbuild',
    'node_modules/picomatch',
    REAL_CODE,
  ];
  const { files } = await discoverFiles(roots, { exclude: [] });
  let characters = 0;
  let regions = 0;
  const started = performance.now();
  for (const file of files) {
    const { outline, text } = await outlineFile(file.path, file.path.replace(/\.fixture$/, ''));
    checkInvariants(file.relativePath, text, outline.regions);
    characters += text.length;
    regions += outline.regions.length;
  }
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`${files.length} files, ${(characters / 1e6).toFixed(1)} M chars, ${regions} top-level regions in ${seconds.toFixed(1)} s`);
  assert.ok(files.length > 100);
});
