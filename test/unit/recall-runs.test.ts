// The Recall section's measurements (extension/present/recallRuns.ts) against a fake engine: the count
// while it measures with the previous chart kept, a refresh joining the measurement under way, an
// index change cancelling it at once and measuring again once after a quiet debounce, cancelled
// answers never shown, errors shown; above `autoLimit` regions an index change marks the chart out of
// date instead of measuring again, until refresh().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestCancelledError } from '../../extension/engine/rpc/errors';
import type { RecallResult } from '../../extension/engine/query/recall';
import type { RecallProgress, RecallState } from '../../extension/protocol';
import { RecallRuns } from '../../extension/present/recallRuns';
import { toRecallView } from '../../extension/present/engineViews';

const result = (recall: number): RecallResult => ({
  scope: 'workspace',
  regions: [
    {
      path: 'a.ts',
      symbol: 'f',
      kind: 'function',
      startLine: 1,
      endLine: 2,
      recall,
      distanceTokens: 900,
      windowOverlap: 0.1,
      probeGain: 0.3,
    },
  ],
  meanRecall: recall,
  summaryBytes: 1,
  stateTokens: 1000,
  staleTokens: 0,
});

/** A workspace.recall that answers when the test says so, like the RPC client (rejects at once on abort). */
function fakeEngine() {
  const calls: { signal: AbortSignal; onProgress: (p: RecallProgress) => void; answer(r: RecallResult): void; fail(e: Error): void }[] = [];
  const request = ({ signal, onProgress }: { signal: AbortSignal; onProgress: (p: RecallProgress) => void }) =>
    new Promise<RecallResult>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new RequestCancelledError('workspace.recall')), { once: true });
      calls.push({ signal, onProgress, answer: resolve, fail: reject });
    });
  return { calls, request };
}

/** A result of `n` regions (the count the auto limit compares). */
const resultOf = (n: number): RecallResult => {
  const one = result(0.5);
  return { ...one, regions: Array.from({ length: n }, (_, i) => ({ ...one.regions[0], startLine: 10 * i + 1, endLine: 10 * i + 2 })) };
};

function setup(options: { wanted?: boolean; measuringAfterMs?: number; autoLimit?: number } = {}) {
  const engine = fakeEngine();
  const states: RecallState[] = [];
  const counts: RecallProgress[] = [];
  const warnings: string[] = [];
  const runs = new RecallRuns({
    request: engine.request,
    isOpen: () => true,
    toView: (r) => toRecallView(r, (p) => `file:///w/${p}`, null),
    onState: (s) => states.push(s),
    onProgress: (p) => counts.push(p),
    wanted: () => options.wanted ?? true,
    warn: (m) => warnings.push(m),
    debounceMs: 30,
    measuringAfterMs: options.measuringAfterMs ?? 10_000,
    autoLimit: options.autoLimit,
  });
  return { engine, runs, states, counts, warnings };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const statuses = (states: RecallState[]) => states.map((s) => s.status);

test('recall runs: the count while measuring, sent once as a state then as counts; the chart when done', async () => {
  const { engine, runs, states, counts } = setup();
  const done = runs.refresh();
  assert.equal(engine.calls.length, 1);
  engine.calls[0].onProgress({ done: 1, total: 3 });
  engine.calls[0].onProgress({ done: 2, total: 3 });
  assert.deepEqual(states, [{ status: 'measuring', progress: { done: 1, total: 3 }, previous: null }]);
  assert.deepEqual(counts, [{ done: 2, total: 3 }]);
  assert.deepEqual(
    runs.state,
    { status: 'measuring', progress: { done: 2, total: 3 }, previous: null },
    'the handshake gets the latest count',
  );
  engine.calls[0].answer(result(0.4));
  const ready = await done;
  assert.equal(ready.status, 'ready');
  assert.equal(ready.status === 'ready' && ready.recall.regions[0].probeGain, 0.3);
  assert.deepEqual(statuses(states), ['measuring', 'ready']);
  assert.equal(runs.busy, false);
  runs.dispose();
});

test('recall runs: the previous chart stays while the next measures; no count yet says "measuring" after a while', async () => {
  const { engine, runs, states } = setup({ measuringAfterMs: 5 });
  const first = runs.refresh();
  engine.calls[0].answer(result(0.4));
  const shown = await first;
  assert.equal(shown.status, 'ready');
  const second = runs.refresh();
  await sleep(20);
  const measuring = states[states.length - 1];
  assert.equal(measuring.status, 'measuring');
  assert.equal(measuring.status === 'measuring' && measuring.progress, null);
  assert.deepEqual(
    measuring.status === 'measuring' && measuring.previous,
    shown.status === 'ready' && shown.recall,
    'the previous chart is kept',
  );
  engine.calls[1].onProgress({ done: 1, total: 1 });
  engine.calls[1].answer(result(0.6));
  const next = await second;
  assert.equal(next.status === 'ready' && next.recall.meanRecall, 0.6);
  runs.dispose();
});

test('recall runs: an answer in time says nothing about measuring (no flicker)', async () => {
  const { engine, runs, states } = setup({ measuringAfterMs: 50 });
  const done = runs.refresh();
  engine.calls[0].answer(result(0.4));
  await done;
  await sleep(70);
  assert.deepEqual(statuses(states), ['ready']);
  runs.dispose();
});

test('recall runs: a refresh while the index is unchanged joins the measurement under way', async () => {
  const { engine, runs } = setup();
  const a = runs.refresh();
  const b = runs.refresh();
  assert.equal(engine.calls.length, 1, 'one request, not two');
  assert.equal(engine.calls[0].signal.aborted, false, 'its work is not thrown away');
  engine.calls[0].answer(result(0.4));
  assert.deepEqual(await a, await b);
  runs.dispose();
});

test('recall runs: an index change cancels the measurement at once and measures again once, after the debounce', async () => {
  const { engine, runs, states } = setup();
  const stale = runs.refresh();
  engine.calls[0].onProgress({ done: 5, total: 100 });
  runs.indexChanged();
  assert.equal(engine.calls[0].signal.aborted, true, 'the stale request is cancelled at once');
  runs.indexChanged();
  runs.indexChanged(); // a burst of saves
  assert.equal(engine.calls.length, 1, 'nothing new before the debounce');
  assert.deepEqual(await stale, runs.state, 'a cancelled measurement answers with what is shown, never an error');
  assert.ok(!states.some((s) => s.status === 'error'));
  await sleep(60);
  assert.equal(engine.calls.length, 2, 'one measurement after the burst');
  engine.calls[1].answer(result(0.7));
  await sleep(0);
  assert.equal(runs.state.status === 'ready' && runs.state.recall.meanRecall, 0.7);
  runs.dispose();
});

test('recall runs: an answer that arrives after its cancel is never shown', async () => {
  const engine = fakeEngine();
  const states: RecallState[] = [];
  // An engine that answers even when cancelled (the result raced the cancel).
  const runs = new RecallRuns({
    request: (o) => new Promise((resolve) => engine.calls.push({ ...o, answer: resolve, fail: () => {} })),
    isOpen: () => true,
    toView: (r) => toRecallView(r, () => '', null),
    onState: (s) => states.push(s),
    onProgress: () => {},
    wanted: () => false,
    warn: () => {},
    debounceMs: 10,
  });
  const stale = runs.refresh();
  runs.indexChanged();
  engine.calls[0].answer(result(0.1));
  await stale;
  assert.deepEqual(states, [], 'the stale numbers are not shown');
  await sleep(30);
  assert.equal(engine.calls.length, 1, 'not shown: no new measurement until the section is');
  runs.dispose();
});

test('recall runs: an engine error is shown; an empty index says so; a closed index measures nothing', async () => {
  const { engine, runs, warnings } = setup();
  const failing = runs.refresh();
  engine.calls[0].fail(new Error('model missing'));
  assert.deepEqual(await failing, { status: 'error', message: 'model missing' });
  assert.deepEqual(warnings, ['model missing']);
  const empty = runs.refresh();
  engine.calls[1].answer({ ...result(0), regions: [] });
  assert.equal((await empty).status, 'empty');
  runs.dispose();
  const closed = new RecallRuns({
    request: () => assert.fail('no request'),
    isOpen: () => false,
    toView: () => assert.fail(),
    onState: () => {},
    onProgress: () => {},
    wanted: () => true,
    warn: () => {},
  });
  assert.deepEqual(await closed.refresh(), { status: 'empty', reason: 'The workspace is not indexed yet.' });
});

test('recall runs: above the auto limit an index change measures nothing and marks the chart out of date; refresh measures', async () => {
  const { engine, runs, states } = setup({ autoLimit: 3 });
  const first = runs.refresh();
  engine.calls[0].answer(resultOf(4));
  const shown = await first;
  assert.equal(shown.status, 'ready');
  runs.indexChanged();
  await sleep(60);
  assert.equal(engine.calls.length, 1, 'no measurement after the debounce');
  assert.deepEqual(
    runs.state,
    { status: 'ready', recall: shown.status === 'ready' && shown.recall, stale: { regions: 4, estimateMs: null } },
    'the previous chart, out of date',
  );
  assert.equal(runs.waitingForRefresh, true);
  const count = states.length;
  runs.indexChanged();
  await sleep(60);
  assert.equal(engine.calls.length, 1, 'another save measures nothing either');
  assert.equal(states.length, count, 'and sends nothing new');
  runs.replaceView((view) => ({ ...view }));
  assert.ok(runs.state.status === 'ready' && runs.state.stale, 'a new view of it stays out of date');
  const again = runs.refresh();
  assert.equal(engine.calls.length, 2, 'refresh measures');
  assert.equal(runs.waitingForRefresh, false);
  engine.calls[1].answer(resultOf(4));
  const next = await again;
  assert.equal(next.status, 'ready');
  assert.equal(next.status === 'ready' && next.stale, undefined, 'measured: no longer out of date');
  runs.dispose();
});

test('recall runs: at the auto limit an index change still measures again after the debounce', async () => {
  const { engine, runs } = setup({ autoLimit: 4 });
  const first = runs.refresh();
  engine.calls[0].answer(resultOf(4));
  await first;
  runs.indexChanged();
  await sleep(60);
  assert.equal(engine.calls.length, 2, 'measured again by itself');
  engine.calls[1].answer(resultOf(4));
  await sleep(0);
  assert.equal(runs.state.status === 'ready' && runs.state.stale, undefined);
  runs.dispose();
});

test('recall runs: the count of a cancelled measurement counts for the auto limit', async () => {
  const { engine, runs } = setup({ autoLimit: 3 });
  const first = runs.refresh();
  engine.calls[0].answer(resultOf(1));
  const shown = await first;
  void runs.refresh();
  engine.calls[1].onProgress({ done: 2, total: 10 });
  runs.indexChanged();
  assert.equal(engine.calls[1].signal.aborted, true, 'the measurement under way is cancelled');
  await sleep(60);
  assert.equal(engine.calls.length, 2, 'ten regions counted: nothing measured by itself');
  const state = runs.state;
  assert.equal(state.status, 'ready');
  assert.deepEqual(state.status === 'ready' && state.recall, shown.status === 'ready' && shown.recall, 'the last chart is kept');
  assert.equal(state.status === 'ready' && state.stale && state.stale.regions, 10);
  assert.equal(typeof (state.status === 'ready' && state.stale && state.stale.estimateMs), 'number', 'an estimate from the counts');
  runs.dispose();
});

test('recall runs: above the auto limit with no chart yet, a cancelled first measurement says so and waits for refresh', async () => {
  const { engine, runs } = setup({ autoLimit: 3 });
  void runs.refresh();
  engine.calls[0].onProgress({ done: 1, total: 9000 });
  runs.indexChanged();
  await sleep(60);
  assert.equal(engine.calls.length, 1);
  assert.deepEqual(runs.state, {
    status: 'empty',
    reason: 'The summary changed while recall was being measured (9,000 regions). ↻ measures again.',
  });
  runs.indexChanged();
  await sleep(60);
  assert.equal(engine.calls.length, 1, 'still nothing measured by itself');
  void runs.refresh();
  assert.equal(engine.calls.length, 2);
  runs.dispose();
});
