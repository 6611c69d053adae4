// Index writes (workspace/indexStore.ts, index/indexFile.ts saveIndex): the index is taken as it stands
// when its write starts, a change made while it is written keeps it dirty and is written by the next
// write, writes land in call order, a failed write leaves it dirty, and the streamed file is the bytes
// encodeIndex makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeIndex, encodeIndex } from '../../extension/engine/index/indexFile';
import type { FileRecord, WorkspaceIndex } from '../../extension/engine/index/types';
import type { ModelFiles } from '../../extension/engine/model/card';
import { IndexStore, PERSIST_DELAY_MS, PERSIST_MAX_DELAY_MS } from '../../extension/engine/workspace/indexStore';

function record(path: string, tokens: number): FileRecord {
  return {
    path,
    root: 0,
    relPath: path,
    mtimeMs: 1,
    size: 10,
    contentHash: `h-${path}`,
    tokens,
    language: 'typescript',
    imports: [],
    exports: [],
    live: true,
    lBase: Float64Array.of(0, 0),
    regions: [],
  };
}

function sampleIndex(): WorkspaceIndex {
  // Large enough state arrays that the write takes several slices.
  const state = {
    ssm: new Float32Array(600_000).fill(0.5),
    kv: new Float32Array(3),
    kvLen: 0,
    window: new Int32Array(4),
    L: Float64Array.of(-1, -2),
    tokens: 5,
  };
  return {
    modelHash: 'abc',
    roots: ['/w'],
    complete: true,
    skipped: {},
    updatedAt: 1,
    state,
    checkpoints: [],
    history: [record('a.ts', 5)],
  };
}

const model = { filesHash: 'abc' } as ModelFiles;

async function store() {
  const dir = await mkdtemp(join(tmpdir(), 'lv-store-'));
  return new IndexStore(dir, ['/w'], model);
}

test('a change made while the index is written stays dirty and is in the next write; writes land in call order', async () => {
  const s = await store();
  const target = { index: sampleIndex(), dirty: true };
  const first = s.persist(target);
  for (let i = 0; target.dirty && i < 100; i++) await null;
  assert.equal(target.dirty, false, 'the write takes the index when it starts (and marks it clean then)');
  target.index.history.push(record('b.ts', 7));
  target.index.state = { ...target.index.state, tokens: 12 };
  target.dirty = true;
  await first;
  assert.equal(target.dirty, true, 'the change came after the first write took the index');
  const written = decodeIndex(await readFile(s.indexPath), 'abc');
  assert.deepEqual(
    written.history.map((f) => f.path),
    ['a.ts'],
    'the first write is the index as it stood when it started',
  );
  const second = s.persist(target);
  const third = s.persist(target); // nothing changed after the second: writes nothing
  await Promise.all([second, third]);
  assert.equal(target.dirty, false);
  const again = decodeIndex(await readFile(s.indexPath), 'abc');
  assert.deepEqual(
    again.history.map((f) => f.path),
    ['a.ts', 'b.ts'],
  );
  assert.equal(again.state.tokens, 12);
  assert.ok((await readFile(s.indexPath)).equals(encodeIndex(target.index)), 'the streamed file is what encodeIndex makes');
});

test('a write that fails leaves the index dirty; flush waits for the write under way', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lv-store-bad-'));
  await writeFile(join(dir, 'cache'), 'a file where the cache folder should be');
  const bad = new IndexStore(join(dir, 'cache'), ['/w'], model);
  const target = { index: sampleIndex(), dirty: true };
  await assert.rejects(bad.persist(target));
  assert.equal(target.dirty, true);
  const s = await store();
  const ok = { index: sampleIndex(), dirty: true };
  void s.persist(ok);
  await s.flush(ok);
  assert.ok(decodeIndex(await readFile(s.indexPath), 'abc').history.length === 1, 'written when flush resolves');
});

test('a write waits for its pace (the engine: until no file event is under way) before it takes the index and before each slice', async () => {
  const s = await store();
  let open!: () => void;
  let gate = new Promise<void>((r) => (open = r));
  let paced = 0;
  s.pace = async () => {
    paced++;
    await gate;
  };
  const target = { index: sampleIndex(), dirty: true };
  const write = s.persist(target);
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  assert.equal(target.dirty, true, 'the index is not taken while the pace holds');
  target.index.history.push(record('c.ts', 3)); // a file event's change before the write could start: written now
  open();
  gate = Promise.resolve();
  await write;
  assert.ok(paced > 2, `paced ${paced} times (before the write and before its slices)`);
  assert.deepEqual(
    decodeIndex(await readFile(s.indexPath), 'abc').history.map((f) => f.path),
    ['a.ts', 'c.ts'],
  );
});

test('file events are written once they pause (PERSIST_DELAY_MS after the last), and no later than PERSIST_MAX_DELAY_MS after the first', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  const s = await store();
  const target = { index: sampleIndex(), dirty: true };
  const writes: number[] = [];
  s.persistOrNotice = async () => void writes.push(Date.now());
  // A save every second for a while: each one starts the wait again...
  for (let i = 0; i < 5; i++) {
    s.schedule(target);
    t.mock.timers.tick(1000);
  }
  assert.deepEqual(writes, [], 'no write while saves keep coming within PERSIST_DELAY_MS');
  // ...and the pause after the last one writes it.
  t.mock.timers.tick(PERSIST_DELAY_MS - 1000);
  assert.deepEqual(writes, [4000 + PERSIST_DELAY_MS]);
  // Saves that never pause are written PERSIST_MAX_DELAY_MS after the first one not written.
  const first = Date.now();
  for (let i = 0; i < 30; i++) {
    s.schedule(target);
    t.mock.timers.tick(500);
  }
  assert.equal(writes[1], first + PERSIST_MAX_DELAY_MS);
  assert.ok(writes.length >= 2 && writes.length <= 3, String(writes));
});
