// The index pipeline's queue (extension/engine/index/filePipeline.ts): results in the scan's order
// whatever order preparations finish in, never more than its limits ahead of the scan, nothing started
// once closed, and one item's failure is that item's result only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrepareQueue } from '../../extension/engine/index/filePipeline';

interface Item {
  name: string;
  size: number;
}

const items = (n: number, size = 10): Item[] => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, size }));
const tick = () => new Promise((r) => setImmediate(r));

/** A prepare whose calls finish only when the test says so, in any order. */
function controlled() {
  const calls: string[] = [];
  const finish = new Map<string, (v: string) => void>();
  const fail = new Map<string, (e: Error) => void>();
  const prepare = (item: Item) => {
    calls.push(item.name);
    return new Promise<string>((resolve, reject) => {
      finish.set(item.name, resolve);
      fail.set(item.name, reject);
    });
  };
  return {
    calls,
    prepare,
    done: (name: string) => finish.get(name)!(`prepared ${name}`),
    fail: (name: string) => fail.get(name)!(new Error(`broke ${name}`)),
  };
}

test('results come in the order of the items, whatever order their preparations finish in', async () => {
  const list = items(6);
  // Later items finish first: each waits a decreasing time.
  const queue = new PrepareQueue(
    list,
    async (item) => {
      await new Promise((r) => setTimeout(r, (list.length - Number(item.name.slice(1))) * 3));
      return item.name;
    },
    () => 'failed',
    { files: 4, bytes: 1000 },
  );
  const got: string[] = [];
  for (let i = 0; i < list.length; i++) got.push(await queue.take());
  assert.deepEqual(got, ['f0', 'f1', 'f2', 'f3', 'f4', 'f5']);
});

test('never more than `files` items ahead of the one taken, and each item is prepared once', async () => {
  const c = controlled();
  const queue = new PrepareQueue(items(10), c.prepare, () => 'failed', { files: 3, bytes: 1000 });
  assert.deepEqual(c.calls, [], 'nothing starts before the first take');
  const first = queue.take();
  assert.deepEqual(c.calls, ['f0', 'f1', 'f2', 'f3'], 'the one taken and three ahead');
  c.done('f2'); // finished ahead: still counts as ahead until taken
  await tick();
  assert.equal(c.calls.length, 4);
  c.done('f0');
  assert.equal(await first, 'prepared f0');
  await tick();
  assert.deepEqual(c.calls, ['f0', 'f1', 'f2', 'f3'], 'f0 was taken but the ahead count is still 3 (f1, f2, f3)');
  const second = queue.take();
  assert.deepEqual(c.calls, ['f0', 'f1', 'f2', 'f3', 'f4']);
  assert.equal(queue.ahead, 3);
  c.done('f1');
  assert.equal(await second, 'prepared f1');
  assert.equal(await queue.take(), 'prepared f2');
  assert.equal(new Set(c.calls).size, c.calls.length, 'no item prepared twice');
});

test('the bytes ahead stay under the limit, but the next item always starts, however large', async () => {
  const c = controlled();
  const list = [
    { name: 'big', size: 500 },
    { name: 'a', size: 40 },
    { name: 'b', size: 40 },
    { name: 'huge', size: 5000 },
    { name: 'c', size: 10 },
  ];
  const queue = new PrepareQueue(list, c.prepare, () => 'failed', { files: 8, bytes: 600 });
  const big = queue.take();
  assert.deepEqual(c.calls, ['big', 'a', 'b'], '500 + 40 + 40 fit in 600; huge does not');
  c.done('big');
  await big;
  await tick();
  assert.deepEqual(c.calls, ['big', 'a', 'b'], 'huge waits while a and b are ahead');
  c.done('a');
  c.done('b');
  assert.equal(await queue.take(), 'prepared a');
  assert.equal(await queue.take(), 'prepared b');
  await tick();
  assert.deepEqual(c.calls, ['big', 'a', 'b', 'huge'], 'nothing else ahead: huge starts whatever its size');
  const huge = queue.take();
  assert.deepEqual(c.calls, ['big', 'a', 'b', 'huge', 'c'], "taken, huge is the scan's: c is next");
  c.done('huge');
  c.done('c');
  assert.equal(await huge, 'prepared huge');
  assert.equal(await queue.take(), 'prepared c');
});

test("one item's failure is its own result; the items after it are prepared and taken as usual", async () => {
  const c = controlled();
  const queue = new PrepareQueue(items(4), c.prepare, (error, item) => `skipped ${item.name}: ${(error as Error).message}`, {
    files: 2,
    bytes: 1000,
  });
  const first = queue.take();
  c.fail('f0');
  c.done('f1');
  assert.equal(await first, 'skipped f0: broke f0');
  assert.equal(await queue.take(), 'prepared f1');
  const third = queue.take();
  c.done('f2');
  assert.equal(await third, 'prepared f2');
  // A prepare that throws synchronously is a failure of that item too.
  const sync = new PrepareQueue(
    items(2),
    (item) => {
      if (item.name === 'f0') throw new Error('at once');
      return Promise.resolve(item.name);
    },
    (error) => (error as Error).message,
  );
  assert.equal(await sync.take(), 'at once');
  assert.equal(await sync.take(), 'f1');
});

test('closed: nothing more starts, what is under way finishes unseen, and take refuses', async () => {
  const c = controlled();
  const queue = new PrepareQueue(items(10), c.prepare, () => 'failed', { files: 3, bytes: 1000 });
  const first = queue.take();
  c.done('f0');
  await first;
  queue.close();
  for (const name of ['f1', 'f2', 'f3']) c.done(name);
  await tick();
  assert.deepEqual(c.calls, ['f0', 'f1', 'f2', 'f3'], 'no item started after close');
  assert.throws(() => queue.take(), /closed/);
});

test('taking past the last item is an error, not a hang', async () => {
  const queue = new PrepareQueue(
    items(1),
    (item) => Promise.resolve(item.name),
    () => 'failed',
  );
  assert.equal(await queue.take(), 'f0');
  assert.throws(() => queue.take(), /no items left/);
});
