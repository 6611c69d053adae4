// The CLI's text answer is grouped by file: files in the order of their best hit, each file's regions
// under it in rank order, each with its overall rank.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAsk } from '../../extension/engine/cli/format';
import type { AskHit, AskResult } from '../../extension/engine/results';

const hit = (path: string, symbol: string, fileRank: number, startLine: number): AskHit => ({
  path,
  startLine,
  endLine: startLine + 2,
  symbol,
  kind: 'function',
  score: 0.5,
  bm25: 1,
  fileRank,
  source: 'keyword',
  recall: null,
  snippet: '',
});

test('formatAsk groups hits by file, best region first, the file’s other regions under it', () => {
  const r: AskResult = {
    question: 'q',
    answer: { text: 'parse (a.ts:1): …', path: 'a.ts', line: 1 },
    hits: [hit('a.ts', 'parse', 1, 1), hit('b.ts', 'lex', 2, 10), hit('a.ts', 'parseValue', 1, 20), hit('c.ts', 'read', 3, 5)],
    rereads: 0,
    notReread: 4,
    ms: 12,
  };
  const lines = formatAsk(r)
    .split('\n')
    .filter((l) => /^\d+\. |^ {3}#/.test(l))
    .map((l) => l.trim().split('  ')[0]);
  assert.deepEqual(lines, ['1. a.ts', '#1 1-3', '#3 20-22', '2. b.ts', '#2 10-12', '3. c.ts', '#4 5-7']);
});
