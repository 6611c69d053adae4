// Who scans when (extension/engine/index/scanPriority.ts): file events go first; a compaction about to
// be outrun (its remaining tokens above CATCH_UP_RATIO × the headroom before STALE_SHARE_LIMIT) goes
// first until that holds again; neither side waits on the other forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATCH_UP_RATIO, STALE_SHARE_LIMIT, ScanPriority, type StaleCount } from '../../extension/engine/index/scanPriority';

const settle = () => new Promise((r) => setImmediate(r));

test('the headroom is the stale tokens saves may still add before the limit', () => {
  const count: StaleCount = { stale: 0, tokens: 1000 };
  const p = new ScanPriority(() => count);
  // (stale + h) / (tokens + h) = limit
  const h = p.headroom();
  assert.ok(Math.abs(h / (1000 + h) - STALE_SHARE_LIMIT) < 1e-9);
  count.stale = 600;
  assert.equal(p.headroom(), 0, 'past the limit: none');
});

test('a file event goes first unless the compaction would be outrun, then waits only until it is not', async () => {
  const count: StaleCount = { stale: 100, tokens: 1000 };
  let remaining = 0;
  const p = new ScanPriority(() => count);
  assert.equal(p.mustCompact(), false, 'no pass: nothing waits');
  p.compactionStarted(() => remaining);
  remaining = Math.floor(CATCH_UP_RATIO * p.headroom()) - 1;
  assert.equal(p.mustCompact(), false);
  remaining += 10;
  assert.equal(p.mustCompact(), true);
  let went = false;
  const event = p.fileEvent(async () => {
    await p.foregroundTurn();
    went = true;
  });
  await settle();
  assert.equal(went, false, 'the event waits for the compaction');
  // The compaction scans a chunk (remaining drops within its file), then finishes the file.
  await p.background.before(128);
  remaining -= 5;
  p.background.after(5);
  await settle();
  assert.equal(went, false, 'still outrun');
  remaining -= 10; // the file's record mapped after its last chunk: no after() call for that
  // The compaction's next chunk yields to the waiting event (it must not wait for it while the event waits for it).
  const yielded = p.background.before(128);
  await event;
  assert.equal(went, true);
  await yielded;
  p.compactionStopped();
});

test('a delete that eats the headroom during a pass is seen by both sides (indexChanged)', async () => {
  const count: StaleCount = { stale: 100, tokens: 1000 };
  const remaining = 500;
  const p = new ScanPriority(() => count);
  p.compactionStarted(() => remaining);
  let release!: () => void;
  const event = p.fileEvent(() => new Promise<void>((r) => (release = r)));
  const waiting = p.background.before(128); // an event is in: the compaction waits
  let resumed = false;
  void waiting.then(() => (resumed = true));
  await settle();
  assert.equal(resumed, false);
  count.stale = 440; // a large delete
  p.indexChanged();
  await settle();
  assert.equal(resumed, true, 'the compaction must catch up now, even with an event in');
  release();
  await event;
  p.compactionStopped();
});

test('an event whose own stale tokens would outrun the compaction wakes a compaction that yielded to it', async () => {
  const count: StaleCount = { stale: 100, tokens: 1000 };
  const p = new ScanPriority(() => count);
  let remaining = 0;
  p.compactionStarted(() => remaining);
  remaining = Math.floor(CATCH_UP_RATIO * p.headroom()) - 1; // free for an event that adds nothing
  let went = false;
  const event = p.fileEvent(async () => {
    await settle(); // queued: the compaction sees it and yields
    await p.foregroundTurn(200); // but it leaves 200 tokens stale: the compaction must go first
    went = true;
  });
  let resumed = false;
  const yielded = p.background.before(128).then(() => (resumed = true));
  await settle();
  await settle();
  assert.equal(resumed, true, 'the compaction goes on for the waiting event');
  assert.equal(went, false);
  remaining = Math.floor(CATCH_UP_RATIO * (p.headroom() - 200)) - 1;
  p.background.after(128);
  await p.background.before(128).catch(() => undefined);
  await event;
  assert.equal(went, true);
  await yielded;
  p.compactionStopped();
});

test('quiet() resolves once no file event is queued or scanning (index writes wait for it)', async () => {
  const p = new ScanPriority(() => ({ stale: 0, tokens: 1000 }));
  await p.quiet(); // none under way: at once
  let finishFirst!: () => void;
  let finishSecond!: () => void;
  const first = p.fileEvent(() => new Promise<void>((r) => (finishFirst = r)));
  const second = p.fileEvent(() => new Promise<void>((r) => (finishSecond = r)));
  let quiet = false;
  void p.quiet().then(() => (quiet = true));
  await settle();
  assert.equal(quiet, false);
  finishFirst();
  await first;
  await settle();
  assert.equal(quiet, false, 'one event is still under way');
  finishSecond();
  await second;
  await settle();
  assert.equal(quiet, true);
});
