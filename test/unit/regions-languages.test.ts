// Outlines of Go, Rust, Java, C, C++, C#, Ruby, PHP, Markdown and plain-text fixtures, and of binary content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createRegionParser } from '../../extension/engine/regions/regionParser';
import { type Region } from '../../extension/engine/regions/types';
import { mustFind, outlineFixture, sharedParser, summary } from './regions-helpers';

/** Every region, depth-first, as "kind name start-end". */
function flat(regions: Region[], prefix = ''): string[] {
  return regions.flatMap((r) => [`${prefix}${r.kind} ${r.name} ${r.startLine}-${r.endLine}`, ...flat(r.children, `${prefix}  `)]);
}

test('Go: functions, methods, types by kind, grouped consts; doc comments; imports; capitalised exports', async () => {
  const { outline } = await outlineFixture('sample.go');
  assert.deepEqual(flat(outline.regions), [
    'constant Pi 11-11',
    'constant A 14-14',
    'constant B 15-15',
    'variable registry 18-18',
    'interface Shape 21-23',
    'struct Circle 26-28',
    'type ID 30-30',
    'method Area 33-35',
    'function Describe 38-40',
    'function helper 42-42',
  ]);
  assert.equal(mustFind(outline.regions, 'Area').doc, 'Area returns πr².');
  assert.equal(mustFind(outline.regions, 'Area').signature, 'func (c *Circle) Area() float64');
  assert.equal(mustFind(outline.regions, 'Shape').doc, 'Shape has an area.');
  assert.deepEqual(
    outline.imports.map((i) => i.source),
    ['fmt', 'math', 'strings'],
  );
  assert.ok(!outline.exports.some((e) => e.name === 'helper' || e.name === 'registry'));
  assert.ok(outline.exports.some((e) => e.name === 'Describe'));
});

test('Rust: items, impls with methods, traits, attributes inside the range, /// docs, pub exports', async () => {
  const { outline, text } = await outlineFixture('sample.rs');
  assert.deepEqual(flat(outline.regions), [
    'constant MAX 5-5',
    'constant COUNTER 7-7',
    'struct Point 10-13',
    'enum Dir 16-16',
    'trait Speak 19-23',
    '  method speak 21-21',
    '  method default_loud 22-22',
    'impl Point 25-30',
    '  method new 27-29',
    'impl Speak for Point 32-34',
    '  method speak 33-33',
    'type Map 36-36',
    'function run 39-41',
    'module inner 43-45',
    '  function nested 44-44',
    'function square! 47-49',
  ]);
  const point = mustFind(outline.regions, 'Point');
  assert.equal(point.doc, 'A point.');
  assert.ok(text.slice(point.startOffset).startsWith('#[derive(Debug, Clone)]'));
  assert.equal(mustFind(outline.regions, 'Speak.speak').doc, 'Says something.');
  assert.deepEqual(
    outline.imports.map((i) => i.source),
    ['std::collections::HashMap', 'crate::util::{a, b}'],
  );
  assert.deepEqual(
    outline.exports.map((e) => e.name),
    ['MAX', 'Point', 'Dir', 'Speak', 'Map', 'run'],
  );
});

test('Java: classes with constructors, methods, constants and nested classes; Javadoc; annotations out of signatures', async () => {
  const { outline } = await outlineFixture('Sample.java');
  assert.deepEqual(flat(outline.regions), [
    'class Sample 8-27',
    '  constant NAME 10-10',
    '  method Sample 13-13',
    '  method greet 19-22',
    '  class Inner 24-26',
    '    method run 25-25',
    'interface Greeter 29-31',
    '  method greet 30-30',
    'enum Mood 33-33',
    'class Pair 35-35',
  ]);
  const greet = mustFind(outline.regions, 'Sample.greet');
  assert.equal(greet.doc, 'Greets.\n@param who whom');
  assert.equal(greet.signature, 'public String greet(String who)');
  assert.deepEqual(
    outline.imports.map((i) => i.source),
    ['java.util.List', 'java.lang.Math.max'],
  );
  assert.deepEqual(
    outline.exports.map((e) => e.name),
    ['Sample'],
  );
});

test('C: macros, structs, typedefs, enums, functions (a prototype gives way to its definition), #ifdef bodies', async () => {
  const { outline } = await outlineFixture('sample.c');
  assert.deepEqual(summary(outline.regions), [
    ['MAX_ITEMS', 'constant', 3, 3],
    ['point', 'struct', 6, 8],
    ['size_t2', 'struct', 10, 12],
    ['color', 'enum', 14, 14],
    ['add', 'function', 20, 22],
    ['buffer', 'function', 25, 28],
    ['trace', 'function', 31, 31],
  ]);
  assert.equal(mustFind(outline.regions, 'add').doc, 'Adds two ints.');
  assert.equal(mustFind(outline.regions, 'buffer').signature, 'static char *buffer(void)');
  assert.deepEqual(
    outline.imports.map((i) => i.source),
    ['stdio.h', 'local.h'],
  );
  assert.ok(!outline.exports.some((e) => e.name === 'buffer'), 'static functions are not exported');
});

test('C++: namespaces, classes with methods, templates, prototypes, qualified definitions', async () => {
  const { outline } = await outlineFixture('sample.cpp');
  assert.deepEqual(flat(outline.regions), [
    'namespace geo 3-23',
    '  class Shape 6-11',
    '    method area 9-9',
    '    method sides 10-10',
    '  struct Square 13-16',
    '    method area 15-15',
    '  function twice 18-19',
    '  function Shape_total 21-21',
    'function geo_count 25-25',
    'method geo::Square::perimeter 27-27',
  ]);
  assert.equal(mustFind(outline.regions, 'geo.Shape').doc, 'A shape.');
  assert.equal(mustFind(outline.regions, 'geo.Shape.area').doc, 'Area of the shape.');
  assert.equal(mustFind(outline.regions, 'geo.twice').signature, 'template <typename T> T twice(T x)');
});

test('C++: functions inside a namespace opened and closed by bare macros (NLOHMANN_JSON_NAMESPACE_BEGIN) are outlined', async () => {
  const text = [
    'NLOHMANN_JSON_NAMESPACE_BEGIN', // 0
    'namespace detail',
    '{',
    '/// Replaces every occurrence of a substring.',
    'template<typename S>',
    'inline void replace_substring(S& s, const S& f) // 5',
    '{',
    '}',
    'class lexer_base',
    '{',
    '  public:', // 10
    '    int get() const { return 1; }',
    '};',
    '}  // namespace detail',
    'NLOHMANN_JSON_NAMESPACE_END',
    '', // 15
    'NLOHMANN_JSON_NAMESPACE_BEGIN',
    '/// A JSON value.',
    'class basic_json',
    '{',
    '    void clear() noexcept {}', // 20
    '};',
    'NLOHMANN_JSON_NAMESPACE_END',
  ].join('\n');
  const outline = await (await sharedParser()).outline('json.hpp', text);
  assert.deepEqual(flat(outline.regions), [
    'namespace detail 1-13',
    '  function replace_substring 4-7',
    '  class lexer_base 8-12',
    '    method get 11-11',
    'class basic_json 18-21',
    '  method clear 20-20',
  ]);
  assert.equal(mustFind(outline.regions, 'detail.replace_substring').doc, 'Replaces every occurrence of a substring.');
  assert.equal(mustFind(outline.regions, 'basic_json').signature, 'class basic_json');
});

test('C#: namespace members, XML doc text, attributes out of signatures, public exports', async () => {
  const { outline } = await outlineFixture('Sample.cs');
  assert.deepEqual(flat(outline.regions), [
    'namespace Demo.App 3-35',
    '  class Greeter 6-21',
    '    constant Max 8-8',
    '    method Greeter 11-11',
    '    method Hello 14-18',
    '    variable Count 20-20',
    '  interface IGreeter 23-26',
    '    method Hello 25-25',
    '  struct Point 28-28',
    '  enum Mood 30-30',
    '  class Pair 32-32',
    '  type Handler 34-34',
  ]);
  const hello = mustFind(outline.regions, 'Demo.App.Greeter.Hello');
  assert.equal(hello.doc, 'Says hello.');
  assert.equal(hello.signature, 'public string Hello(string name)');
  assert.deepEqual(
    outline.imports.map((i) => i.source),
    ['System', 'System.Collections.Generic'],
  );
  assert.deepEqual(
    outline.exports.map((e) => e.name),
    ['Greeter', 'IGreeter', 'Point', 'Mood', 'Pair', 'Handler'],
  );
});

test('Ruby: modules, classes, singleton methods, constants, # docs, require imports', async () => {
  const { outline } = await outlineFixture('sample.rb');
  assert.deepEqual(flat(outline.regions), [
    'constant MAX 4-4',
    'module Util 7-24',
    '  method self.format 9-11',
    '  class Stack 14-23',
    '    method initialize 15-17',
    '    method push 20-22',
    'function top_level 26-28',
  ]);
  assert.equal(mustFind(outline.regions, 'Util').signature, 'module Util');
  assert.equal(mustFind(outline.regions, 'Util.self.format').doc, 'Formats a value.');
  assert.equal(mustFind(outline.regions, 'Util.Stack.push').doc, 'Pushes an item.');
  assert.deepEqual(
    outline.imports.map((i) => i.source),
    ['json', 'helper'],
  );
});

test('PHP: functions, classes, interfaces, traits, enums, methods, constants; use and require imports', async () => {
  const { outline } = await outlineFixture('sample.php');
  assert.deepEqual(flat(outline.regions), [
    'constant VERSION 7-7',
    'function format_name 12-14',
    'class User 19-28',
    '  constant TABLE 20-20',
    '  method fullName 23-25',
    '  method hidden 27-27',
    'interface Named 30-32',
    '  method name 31-31',
    'trait Greets 34-36',
    '  method greet 35-35',
    'enum Suit 38-40',
  ]);
  assert.equal(mustFind(outline.regions, 'format_name').doc, 'Formats a name.');
  assert.equal(mustFind(outline.regions, 'User.fullName').doc, 'Full name.');
  assert.deepEqual(
    outline.imports.map((i) => i.source),
    ['App\\Contracts\\Shape', 'Illuminate\\Support\\Str', 'helpers.php'],
  );
});

test('Markdown: headings nest by level, fenced code is not a heading, setext headings count', async () => {
  const { outline, text } = await outlineFixture('sample.md');
  assert.equal(outline.language, 'markdown');
  assert.deepEqual(flat(outline.regions), [
    'heading Title 0-22',
    '  heading Install 4-15',
    '    heading From source 13-15',
    '  heading Usage 17-17',
    '  heading Setext Heading 19-22',
    'heading Second top 24-24',
  ]);
  const install = mustFind(outline.regions, 'Title.Install');
  assert.ok(text.slice(install.startOffset, install.endOffset).startsWith('## Install'));
  assert.ok(text.slice(install.startOffset, install.endOffset).endsWith('Build it.'));
});

test('Markdown: YAML front matter is not read as a setext heading', async () => {
  const outline = await (await sharedParser()).outline('post.md', '---\ntitle: Post\ntags: [a]\n---\n\n# Post\n\nBody.\n');
  assert.deepEqual(flat(outline.regions), ['heading Post 5-7']);
});

test('plain text: blank-line blocks with CRLF endings, named by their first line', async () => {
  const { outline, text } = await outlineFixture('notes.txt');
  assert.equal(outline.language, 'text');
  assert.equal(outline.supported, true);
  assert.deepEqual(summary(outline.regions), [
    ['First block line one', 'block', 0, 1],
    ['Second block', 'block', 4, 4],
    ['Third', 'block', 6, 6],
  ]);
  const first = outline.regions[0];
  assert.equal(text.slice(first.startOffset, first.endOffset), 'First block line one\nline two');
});

test('binary content and binary extensions are not supported; unknown text extensions are text', async () => {
  const parser = await sharedParser();
  const image = await parser.outline('logo.png', 'PNG\0\0data');
  assert.deepEqual([image.supported, image.regions.length], [false, 0]);
  const nulInCode = await parser.outline('weird.ts', 'const a = 1;\0\0\0');
  assert.equal(nulInCode.supported, false);
  assert.equal(parser.languageFor('Makefile'), 'text');
  assert.equal(parser.languageFor('x/y/config.toml'), 'text');
  assert.equal(parser.languageFor('model.onnx'), undefined);
  assert.equal(parser.languageFor('C:\\src\\App.TSX'), 'tsx');
});

test('a .h header with C++ constructs is outlined as C++', async () => {
  const parser = await sharedParser();
  const outline = await parser.outline('shape.h', 'namespace geo {\nclass Shape {\n public:\n  int sides() const;\n};\n}\n');
  assert.equal(outline.language, 'cpp');
  assert.deepEqual(flat(outline.regions), ['namespace geo 0-5', '  class Shape 1-4', '    method sides 3-3']);
  assert.equal((await parser.outline('plain.h', 'int add(int a, int b);\n')).language, 'c');
});

test('empty files and files with syntax errors give an outline, not an exception', async () => {
  const parser = await sharedParser();
  assert.deepEqual((await parser.outline('empty.py', '')).regions, []);
  const broken = await parser.outline('broken.ts', 'export function ok() {}\nfunction broken( {\n');
  assert.equal(broken.supported, true);
  assert.equal(broken.regions[0].name, 'ok');
});

test('preload loads grammars ahead of use; a missing grammar file is one clear error naming it, and later calls retry', async (t) => {
  const parser = await createRegionParser({ preload: ['python', 'go', 'not-a-language'] });
  assert.equal((await parser.outline('a.go', 'package a\nfunc A() {}\n')).regions[0].name, 'A');

  const wasmDir = mkdtempSync(path.join(tmpdir(), 'longview-wasm-'));
  t.after(() => rmSync(wasmDir, { recursive: true, force: true }));
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), path.join(wasmDir, 'tree-sitter.wasm'));
  const partial = await createRegionParser({ wasmDir });
  await assert.rejects(partial.outline('a.rb', 'def a; end\n'), (error: Error) =>
    error.message.startsWith(`Longview: could not load the ruby grammar ${path.join(wasmDir, 'tree-sitter-ruby.wasm')}`),
  );
  assert.equal((await partial.outline('notes.md', '# Title\n')).regions[0].name, 'Title', 'other outlines still work');
  copyFileSync(
    path.join(path.dirname(require.resolve('tree-sitter-wasms/package.json')), 'out', 'tree-sitter-ruby.wasm'),
    path.join(wasmDir, 'tree-sitter-ruby.wasm'),
  );
  assert.equal((await partial.outline('a.rb', 'def a; end\n')).regions[0].name, 'a', 'a failed load is retried');
});
