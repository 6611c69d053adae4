// The Ask section patches the recall badges in place when only the cards' recall changed (the probes
// arrive file by file after the answer), so a card keeps its focus and opened snippet; any other
// change draws the section anew (webview/askView.ts, recallChanges).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recallChanges } from '../../webview/recallChanges';
import type { AskHitView, AskView } from '../../extension/protocol';

function hit(path: string, startLine: number, recall: AskHitView['recall']): AskHitView {
  return {
    path,
    startLine,
    endLine: startLine + 4,
    symbol: `f${startLine}`,
    kind: 'function',
    score: 0.5,
    source: 'memory',
    recall,
    snippet: 'x',
    uri: `file:///w/${path}`,
  };
}

function view(hits: AskHitView[], question = 'where is it saved?'): AskView {
  return { question, mode: 'hybrid', rereads: 1, notReread: 0, ms: 40, answer: null, hits, partial: null };
}

test('a recall that arrives changes only its card', () => {
  const before = view([hit('a.ts', 1, null), hit('b.ts', 10, null), hit('a.ts', 20, 0.4)]);
  const after = view([hit('a.ts', 1, 0.12), hit('b.ts', 10, null), hit('a.ts', 20, 0.4)]);
  assert.deepEqual(recallChanges(before, after), [0]);
  assert.deepEqual(recallChanges(after, after), []);
  // Text no region covers: measured, it has none, and its card changes (the "measuring" badge goes).
  assert.deepEqual(recallChanges(before, view([hit('a.ts', 1, null), hit('b.ts', 10, 'none'), hit('a.ts', 20, 0.4)])), [1]);
});

test('another answer, order, source or question is drawn anew', () => {
  const before = view([hit('a.ts', 1, null), hit('b.ts', 10, null)]);
  assert.equal(recallChanges(before, view([hit('b.ts', 10, null), hit('a.ts', 1, null)])), null, 'order');
  assert.equal(recallChanges(before, view([hit('a.ts', 1, null)])), null, 'fewer cards');
  assert.equal(recallChanges(before, view(before.hits, 'another question')), null, 'question');
  assert.equal(recallChanges(before, view([{ ...hit('a.ts', 1, 0.3), source: 'reread' }, hit('b.ts', 10, null)])), null, 'source');
  assert.equal(recallChanges(before, { ...view(before.hits), partial: { filesIndexed: 3 } }), null, 'partial');
});
