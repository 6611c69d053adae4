// C and C++ code around the macros a grammar cannot expand (regions/languages/cMacros.ts): namespace
// macros, export macros, attribute macros, macros standing for a return type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeSkeleton, withoutMacros } from '../../extension/engine/regions/languages/cMacros';
import type { Region } from '../../extension/engine/regions/types';
import { mustFind, outlineFixture, sharedParser } from './regions-helpers';

function flat(regions: Region[], prefix = ''): string[] {
  return regions.flatMap((r) => [`${prefix}${r.kind} ${r.name} ${r.startLine}-${r.endLine}`, ...flat(r.children, `${prefix}  `)]);
}

function everyRegion(regions: Region[]): Region[] {
  return regions.flatMap((r) => [r, ...everyRegion(r.children)]);
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length - 1;

test('C++: a class, its members and the functions after export, attribute and namespace macros are outlined', async () => {
  const { outline } = await outlineFixture('macros.hpp');
  assert.equal(outline.language, 'cpp');
  assert.deepEqual(flat(outline.regions), [
    'constant TOYLIB_NAMESPACE_BEGIN 3-3',
    'constant TOYLIB_NAMESPACE_END 4-4',
    'function parse_document 9-9',
    'class reader 11-36',
    '  method reader 15-16',
    '  method peek 19-19',
    '  method current 21-21',
    '  method skip_spaces 23-26',
    '  method operator bool 28-28',
    '  method operator== 30-30',
    '  method operator!= 31-31',
    'function clamp_value 38-42',
    'function checked_add 44-48',
    'method toylib::reader::reset 55-55',
  ]);
});

test('C++: regions start at the macros written before a declaration, and their offsets and lines agree with the file', async () => {
  const { outline, text } = await outlineFixture('macros.hpp');
  const peek = mustFind(outline.regions, 'reader.peek');
  assert.equal(
    text.slice(peek.startOffset, peek.endOffset),
    'TOYLIB_FORCE_INLINE char peek() const TOYLIB_NOEXCEPT { return data_[pos_]; }',
  );
  assert.equal(peek.signature, 'TOYLIB_FORCE_INLINE char peek() const TOYLIB_NOEXCEPT');
  assert.equal(peek.doc, 'The next character, or zero at the end.');
  assert.equal(mustFind(outline.regions, 'parse_document').doc, 'Parses a whole document from a buffer.');
  assert.equal(mustFind(outline.regions, 'reader').signature, 'class TOYLIB_API reader : public base_reader');
  assert.equal(mustFind(outline.regions, 'checked_add').signature, 'TOYLIB_RETURN_IF((is_integral<T>), (T&)) checked_add(T& a, T b)');
  assert.equal(
    mustFind(outline.regions, 'reader.reader').signature,
    'explicit TOYLIB_CONSTEXPR reader(const char* data) TOYLIB_NOEXCEPT : data_(data), pos_(0)',
  );
  // A macro name inside a comment is not code: the comment stays the function's doc, word for word.
  assert.equal(
    mustFind(outline.regions, 'toylib::reader::reset').doc,
    'A comment that mentions\n   TOYLIB_NAMESPACE_END\n   on a line of its own stays as written.',
  );
  for (const region of everyRegion(outline.regions)) {
    assert.equal(lineAt(text, region.startOffset), region.startLine, `${region.name} starts on its line`);
    assert.equal(lineAt(text, region.endOffset - 1), region.endLine, `${region.name} ends on its line`);
  }
});

test('C: a macro standing for a return type, export macros and field macros leave the functions whole', async () => {
  const text = [
    'YAML_DECLARE(int)', // 0
    'yaml_parser_initialize(yaml_parser_t *parser)',
    '{',
    '    return 1;',
    '}',
    'UV_EXTERN int uv_loop_close(uv_loop_t* loop);', // 5
    'static STATUS_CODE',
    'read_header(FILE *fp)',
    '{',
    '    return (int) STATUS_OK_MASK;',
    '}', // 10
    'struct uv_loop_s {',
    '  UV_LOOP_PRIVATE_FIELDS',
    '  void* data;',
    '};',
    'int ZEXPORT deflateEnd(z_streamp strm) { return 0; }', // 15
  ].join('\n');
  const outline = await (await sharedParser()).outline('api.c', text);
  assert.deepEqual(flat(outline.regions), [
    'function yaml_parser_initialize 0-4',
    'function uv_loop_close 5-5',
    'function read_header 6-10',
    'struct uv_loop_s 11-14',
    'function deflateEnd 15-15',
  ]);
  assert.equal(
    mustFind(outline.regions, 'yaml_parser_initialize').signature,
    'YAML_DECLARE(int) yaml_parser_initialize(yaml_parser_t *parser)',
  );
});

test('C++: a test macro with its body (TEST_F(Suite, Name) then a block) stays a definition', async () => {
  const text =
    'TEST_F(ReaderTest, SkipsSpaces)\n{\n    EXPECT_EQ(1, 1);\n}\n\nTEST(Reader, Peeks) {\n    ASSERT_TRUE(true) << "never";\n}\n';
  const outline = await (await sharedParser()).outline('reader_test.cpp', text);
  assert.deepEqual(flat(outline.regions), ['function TEST_F 0-3', 'function TEST 5-7']);
});

test('the rewritten text keeps every offset: same length, same line breaks, comments and strings untouched', () => {
  const text = [
    'FMT_BEGIN_NAMESPACE',
    '// FMT_API in a comment',
    'FMT_API void print(const char* s = "FMT_API in a string");',
    'GTEST_DISABLE_MSC_WARNINGS_PUSH_(4251,',
    '  4275)',
    'class GTEST_API_ Test {};',
    'YAML_DECLARE(int) yaml_x(void);',
    "int n = 1'000;",
    'FMT_END_NAMESPACE',
  ].join('\n');
  const rewritten = withoutMacros(text);
  assert.equal(rewritten.length, text.length);
  assert.deepEqual(
    [...rewritten.matchAll(/\n/g)].map((m) => m.index),
    [...text.matchAll(/\n/g)].map((m) => m.index),
  );
  assert.deepEqual(rewritten.split('\n'), [
    ' '.repeat(19),
    '// FMT_API in a comment',
    '        void print(const char* s = "FMT_API in a string");',
    ' '.repeat(38),
    '       ',
    'class            Test {};',
    'YAML_DECLARE_____ yaml_x(void);',
    "int n = 1'000;",
    ' '.repeat(17),
  ]);
  const skeleton = codeSkeleton('a /* b\nc */ "d" \'e\'\n#x\n#define Y \\\n  Z\nf');
  assert.deepEqual(
    skeleton.split('\n').map((l) => l.trim()),
    ['a', '', '', '', '', 'f'],
  );
});

test('.h files: an export macro before a class name, or a member defined outside its class, make the header C++', async () => {
  const parser = await sharedParser();
  assert.equal((await parser.outline('node.h', 'class YAML_CPP_API Node {\n public:\n  int size() const;\n};\n')).language, 'cpp');
  assert.equal((await parser.outline('logger-inl.h', 'SPDLOG_INLINE void spdlog::logger::flush()\n{\n}\n')).language, 'cpp');
  assert.equal((await parser.outline('uv.h', 'UV_EXTERN int uv_run(uv_loop_t*, uv_run_mode mode);\n')).language, 'c');
});
