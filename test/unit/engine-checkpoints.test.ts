// Checkpoint thinning: dense near the end of the history (where edits land), sparse near the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thinCheckpoints } from '../../extension/engine/index/indexer';

test('thinning keeps the first and last, at most max, denser towards the end', () => {
  const positions = Array.from({ length: 40 }, (_, i) => i * 10);
  const kept = thinCheckpoints(positions, 400, 8);
  assert.equal(kept.length, 8);
  assert.equal(kept[0], 0);
  assert.equal(kept[kept.length - 1], 390);
  const gaps = kept.slice(1).map((p, i) => p - kept[i]);
  assert.ok(gaps[0] > gaps[gaps.length - 1], `gaps ${gaps} shrink towards the end`);
});

test('nothing is dropped when there are few', () => {
  assert.deepEqual(thinCheckpoints([0, 5, 9], 10, 8), [0, 5, 9]);
});
