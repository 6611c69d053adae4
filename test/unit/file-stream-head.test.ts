// fileStreamHead: a stream's first tokens from a prefix of the text, always the whole text's first tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LongviewTokenizer } from '../../extension/engine/tokenizer/longviewTokenizer';
import { buildFileStream, fileStreamHead } from '../../extension/engine/scan/fileStream';

const ROOT = join(import.meta.dirname, '..', '..');
const json = readFileSync(join(ROOT, 'media/model/tokenizer.json'), 'utf8');
const tokenizer = LongviewTokenizer.fromJson(json);
const LIMITS = [1, 2, 5, 16, 64, 128, 129, 300, 1000, 5000];

function assertHeadsMatch(relPath: string, text: string, what: string) {
  const whole = buildFileStream(relPath, text, tokenizer, []).ids;
  for (const max of LIMITS) {
    // The engine's first prefix, and prefixes of 1 and 2 characters a token, which often fall short:
    // then the rule for which of a prefix's tokens are exact decides.
    for (const charsPerToken of [undefined, 1, 2]) {
      assert.deepEqual(
        Array.from(fileStreamHead(relPath, text, tokenizer, max, charsPerToken)),
        Array.from(whole.subarray(0, max)),
        `${what}: first ${max} tokens, first prefix ${charsPerToken ?? 'default'} characters a token`,
      );
    }
  }
}

test("a region's first tokens from a prefix are the whole text's, in every fixture file and from every line", () => {
  const dir = join(ROOT, 'test/fixtures/real-code');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.fixture'))) {
    const lines = readFileSync(join(dir, name), 'utf8').split(/\r?\n/);
    // Texts of up to 300 lines starting at every 23rd line, as regions start anywhere in a file.
    for (let start = 0; start < lines.length; start += 23) {
      assertHeadsMatch(name, lines.slice(start, start + 300).join('\n'), `${name} from line ${start + 1}`);
    }
  }
});

test('lines that end in whitespace, Unicode spaces, contractions, CRLF, emoji or nothing at all', () => {
  const words = ['it', "it's", 'x', '  ', '\t', '\u00a0', '\u3000', '\r', '😀', '12', '//', '"', "'ll", 'über', ' ', ''];
  // Deterministic pseudo-random lines from those pieces: every kind of line end meets every kind of line start.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let round = 0; round < 40; round++) {
    const lines: string[] = [];
    for (let l = 0; l < 200; l++) {
      let line = '';
      for (let w = next() % 9; w > 0; w--) line += words[next() % words.length] + (next() % 3 ? ' ' : '');
      lines.push(line);
    }
    assertHeadsMatch('src/a.py', lines.join('\n'), `round ${round}`);
  }
  // Every count of tokens, on lines whose trailing whitespace the next line's indentation would join.
  for (const text of ['ab  \n   cd\n'.repeat(100), "it's \u00a0\n\t\t\u3000x\n".repeat(100), 'f(x)\t\r\n  y  \r\n'.repeat(100)]) {
    const whole = buildFileStream('b.c', text, tokenizer, []).ids;
    for (let max = 1; max <= 160; max++) {
      for (const charsPerToken of [1, 2, 3]) {
        const head = fileStreamHead('b.c', text, tokenizer, max, charsPerToken);
        assert.deepEqual(
          Array.from(head),
          Array.from(whole.subarray(0, max)),
          `${JSON.stringify(text.slice(0, 12))}: ${max}, ${charsPerToken}`,
        );
      }
    }
  }
  // One long line (no line end to cut at), and whitespace-only text.
  assertHeadsMatch('a.js', 'x = 1; '.repeat(2000), 'one long line');
  assertHeadsMatch('a.js', ' \n\t\n  \n'.repeat(500), 'whitespace only');
  assertHeadsMatch('a.js', '', 'empty');
});

test('a tokenizer whose byte-level pre-tokenizer does not split by its regex is refused', () => {
  const config = JSON.parse(json);
  const noRegex = { ...config, pre_tokenizer: { ...config.pre_tokenizer, use_regex: false } };
  assert.throws(() => LongviewTokenizer.fromJson(JSON.stringify(noRegex)), /regex pieces/);
});
