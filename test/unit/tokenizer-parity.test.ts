// The TypeScript tokenizer must give exactly the ids that training used (Python `tokenizers`),
// on real files of every corpus language and on Unicode edge cases; and its offsets must cut the
// text into contiguous spans that reproduce it. Fixture: training/tokenizer/make_fixtures.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LongviewTokenizer } from '../../extension/engine/tokenizer/longviewTokenizer';

const root = join(import.meta.dirname, '..', '..');
const tokenizer = LongviewTokenizer.fromJson(readFileSync(join(root, 'media/model/tokenizer.json'), 'utf8'));
const cases: { name: string; text: string; ids: number[] }[] = readFileSync(join(root, 'test/fixtures/tokenizer/parity.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line));

test('the fixture covers real files and edge cases', () => {
  assert.ok(cases.length >= 50, `only ${cases.length} cases`);
  assert.ok(cases.some((c) => /[\ud800-\udfff]/.test(c.text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))));
});

for (const c of cases) {
  test(`ids equal Python's: ${c.name}`, () => {
    const { ids } = tokenizer.encode(c.text);
    assert.deepEqual(Array.from(ids), c.ids);
  });

  test(`spans reproduce the text: ${c.name}`, () => {
    const { ids, starts, ends } = tokenizer.encode(c.text);
    let joined = '';
    let previousEnd = 0;
    for (let i = 0; i < ids.length; i++) {
      assert.equal(starts[i], previousEnd, `token ${i} does not start where token ${i - 1} ended`);
      assert.ok(ends[i] >= starts[i]);
      joined += c.text.slice(starts[i], ends[i]);
      previousEnd = ends[i];
    }
    assert.equal(previousEnd, c.text.length);
    assert.equal(joined, c.text);
  });
}
