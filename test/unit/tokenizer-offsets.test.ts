// The engine's tokenizer beyond id parity: literal special-token strings, UTF-16 offsets around
// multi-byte and broken characters, and clear errors for a tokenizer.json that is not Longview's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LongviewTokenizer, SPECIAL_TOKENS, TokenizerLoadError } from '../../extension/engine/tokenizer/longviewTokenizer';
import { utf16OffsetAtByteBoundary } from '../../extension/engine/tokenizer/utf8Offsets';

const json = readFileSync(join(import.meta.dirname, '..', '..', 'media/model/tokenizer.json'), 'utf8');
const tokenizer = LongviewTokenizer.fromJson(json);

test('special-token strings inside text are text, never control ids', () => {
  const { ids } = tokenizer.encode("x = '<|file|><|eos|><|query|><|pad|>'");
  for (const special of Object.values(SPECIAL_TOKENS)) assert.ok(!Array.from(ids).includes(special));
});

test("byte boundaries inside a character round up to the character's end", () => {
  // "a" (1 byte), "é" (2 bytes), "😀" (4 bytes, 2 UTF-16 units), lone "\ud800" (3 bytes as U+FFFD)
  const map = Array.from(utf16OffsetAtByteBoundary('aé😀\ud800'));
  assert.deepEqual(map, [0, 1, 2, 2, 4, 4, 4, 4, 5, 5, 5]);
});

test("a surrogate pair's halves out of order are two lone surrogates", () => {
  assert.equal(utf16OffsetAtByteBoundary('\ude00\ud83d').length, 3 + 3 + 1);
});

test('decode returns the text of the ids', () => {
  const text = 'function 合計(a) {\r\n\treturn a; // 🚀\n}';
  assert.equal(tokenizer.decode(tokenizer.encode(text).ids), text);
});

test("a tokenizer that is not Longview's fails with a clear message", () => {
  const config = JSON.parse(json);
  assert.throws(
    () => LongviewTokenizer.fromJson('{oops', 'bad.json'),
    (e: Error) => e instanceof TokenizerLoadError && /bad\.json is not valid JSON/.test(e.message),
  );
  const withNormalizer = { ...config, normalizer: { type: 'NFC' } };
  assert.throws(() => LongviewTokenizer.fromJson(JSON.stringify(withNormalizer)), /has a normalizer/);
  const swapped = structuredClone(config);
  swapped.model.vocab['<|file|>'] = 5;
  assert.throws(() => LongviewTokenizer.fromJson(JSON.stringify(swapped)), /<\|file\|> must have id 1/);
});

test('a missing file is reported with its path', async () => {
  await assert.rejects(LongviewTokenizer.load('/nonexistent/tokenizer.json'), /cannot read tokenizer \/nonexistent\/tokenizer.json/);
});
