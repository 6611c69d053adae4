// The time-left estimate of a long scan (index/workEstimate.ts) on synthetic sequences with a known end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkEstimate } from '../../extension/engine/index/workEstimate';
import { formatSeconds } from '../../extension/engine/cli/progress';

/** A scan whose files cost `cost(i)` seconds each: after each file, the true time left and the estimates. */
function simulate(sizes: number[], cost: (i: number) => number) {
  const costs = sizes.map((_, i) => cost(i));
  const total = costs.reduce((a, b) => a + b, 0);
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  const est = new WorkEstimate(sizes.length, bytesTotal);
  let spent = 0;
  let bytesDone = 0;
  return sizes.map((size, i) => {
    est.fileDone(size, costs[i]);
    spent += costs[i];
    bytesDone += size;
    return {
      done: i + 1,
      trueLeft: total - spent,
      estimate: est.secondsLeft(),
      // Files left at the average pace so far: what a file count predicts.
      filesGuess: (spent / (i + 1)) * (sizes.length - i - 1),
      // The formula this replaced: bytes left ÷ 3.5 bytes a token ÷ the run's tokens per second, with
      // 3.04 bytes a token (the shipped tokenizer on this repository's own code, measured).
      oldGuess: (bytesTotal - bytesDone) / 3.5 / (bytesDone / 3.04 / spent),
    };
  });
}

test('oldest-first order puts 40k small files before 10k large ones: the estimate follows the bytes left, not the files', () => {
  // 50k files as a real mtime order often has them: small old ones first, the large recent ones last;
  // each costs 2 ms (read, outline, session calls) plus 2 µs a byte.
  const sizes = [
    ...Array.from({ length: 40_000 }, (_, i) => 600 + (i % 7) * 150),
    ...Array.from({ length: 10_000 }, (_, i) => 12_000 + (i % 11) * 2_000),
  ];
  const points = simulate(sizes, (i) => 0.002 + 0.000002 * sizes[i]);
  const at = points[40_000 - 1]; // 80% of the files done
  assert.ok(at.trueLeft > 7 * 60, `true ${at.trueLeft}`);
  assert.ok(at.filesGuess < at.trueLeft / 4, `a file count says ${at.filesGuess.toFixed(0)} s of ${at.trueLeft.toFixed(0)}`);
  assert.ok(
    at.oldGuess > at.trueLeft * 1.3 || at.oldGuess < at.trueLeft / 1.3,
    `the old formula says ${at.oldGuess.toFixed(0)} s of ${at.trueLeft.toFixed(0)}`,
  );
  // Within 10% of the truth throughout: the small files' varied sizes already separate the per-file
  // and per-byte costs before any large file is scanned.
  for (const p of points.filter((_, i) => i >= 100 && i % 500 === 0)) {
    assert.ok(
      Math.abs(p.estimate - p.trueLeft) <= 0.1 * p.trueLeft + 1,
      `after ${p.done} files: ${p.estimate} s estimated, ${p.trueLeft.toFixed(0)} s left`,
    );
  }
  assert.equal(points.at(-1)!.estimate, 0);
});

test('a pace that slows as the run goes (the periodic write of a growing index): recent files weigh more', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const sizes = Array.from({ length: 50_000 }, () => Math.round(300 * Math.exp(random() * 4.5)));
  // Three times slower at the end than at the start.
  const points = simulate(sizes, (i) => (0.0008 + 0.0000012 * sizes[i]) * (1 + (2 * i) / sizes.length));
  const at = points.find((p) => p.trueLeft < 210)!; // 3.5 minutes to go
  assert.ok(at.estimate >= 0.85 * at.trueLeft, `${at.estimate} s estimated, ${at.trueLeft.toFixed(0)} s left`);
  assert.ok(at.oldGuess < 0.7 * at.trueLeft, `the old formula says ${at.oldGuess.toFixed(0)} s`);
});

test('a change of pace shows within a minute or two of work (recent files weigh more)', () => {
  const sizes = Array.from({ length: 4_000 }, (_, i) => 1_000 + (i % 13) * 500);
  const cost = (i: number) => (0.001 + 0.00001 * sizes[i]) * (i < 2_000 ? 1 : 3); // 3x slower from file 2,000 on
  const est = new WorkEstimate(
    sizes.length,
    sizes.reduce((a, b) => a + b, 0),
  );
  for (let i = 0; i < 3_000; i++) est.fileDone(sizes[i], cost(i));
  // 1,000 files (~120 s of work) into the slower pace, the estimate has caught up with it.
  let truth = 0;
  for (let i = 3_000; i < 4_000; i++) truth += cost(i);
  const left = est.secondsLeft();
  assert.ok(Math.abs(left - truth) < 0.1 * truth, `${left} s estimated, ${truth.toFixed(0)} s left`);
  for (let i = 3_000; i < 4_000; i++) est.fileDone(sizes[i], cost(i));
  assert.equal(est.secondsLeft(), 0);
});

test('no estimate before a few files and a second of work; equal sizes fall back to the byte rate', () => {
  const est = new WorkEstimate(10, 10_000);
  est.fileDone(1_000, 0.5);
  est.fileDone(1_000, 0.5);
  assert.equal(est.secondsLeft(), -1, 'two files');
  est.fileDone(1_000, 0.5);
  assert.equal(est.secondsLeft(), 4, '7,000 bytes at 0.5 ms a byte... 3.5 s, rounded');
  assert.deepEqual(est.rates(), { perFile: 0, perByte: 0.0005 });
});

test('the printed time left keeps minutes and seconds', () => {
  assert.deepEqual([44, 89, 90, 210, 3599, 3900].map(formatSeconds), ['44s', '89s', '1m 30s', '3m 30s', '59m 59s', '1h 05m']);
});
