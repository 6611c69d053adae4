// Compaction under file events (issue 16): a save sent while a compaction runs is fresh before the
// compaction finishes (the compaction yields from its next chunk), the compaction's result is still
// exact, and the stale share stays within its bound across an edit storm sent at full speed (the
// compaction goes first when edits are about to outrun it, counted in tokens, so the bound does not depend on timing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maxAbsDiff, openEngine, tempDir, tinyDeps } from './helpers';
import { moduleSource, writeWorkspace } from './workspaceFixture';
import { WorkspaceEngine } from '../../extension/engine/workspace/workspaceEngine';

async function saveModule(dir: string, i: number, extra: string) {
  const path = join(dir, `mod${i}.ts`);
  await writeFile(path, moduleSource(i, extra));
  const t = Date.now() / 1000;
  await utimes(path, t, t);
  return path;
}

async function cleanState(dir: string) {
  const clean = await openEngine([dir], await tempDir('compaction-clean'));
  await clean.sync();
  const state = clean.index.state;
  await clean.close();
  return state;
}

const share = (engine: WorkspaceEngine) => engine.status().staleTokens / engine.index.state.tokens;

test('a save sent while a compaction runs is fresh before the compaction finishes, and the compaction stays exact', async () => {
  const dir = await tempDir('compaction-save');
  await writeWorkspace(dir, 40);
  // No background compaction: the test starts the one it watches.
  const engine = await WorkspaceEngine.open(await tinyDeps(), {
    roots: [dir],
    cacheDir: await tempDir('compaction-save-cache'),
    compactAtStaleShare: Infinity,
  });
  await engine.sync();
  for (const i of [0, 1, 2]) await engine.fileChanged(await saveModule(dir, i, `export const early${i} = ${i};\n`));
  assert.ok(engine.status().staleTokens > 0);
  const target = await saveModule(dir, 20, 'export function savedDuringCompaction(): number {\n  return 20;\n}\n');

  const order: string[] = [];
  let save: Promise<string | undefined> | undefined;
  const compaction = engine
    .compact(undefined, (p) => {
      // Sent with the compaction two files in (of ~40): the save is reported exactly as the editor would.
      if (p.phase === 'compact' && p.filesDone === 2 && !save) save = engine.fileChanged(target).finally(() => order.push('save'));
    })
    .then(() => order.push('compaction'));
  await compaction;
  assert.ok(save, 'the save was sent during the compaction');
  assert.equal(await save, undefined);
  assert.deepEqual(order, ['save', 'compaction'], 'the save was fresh before the compaction finished');
  assert.ok(engine.views().some((v) => v.file.path === 'mod20.ts' && v.region.name === 'savedDuringCompaction'));
  // What the compaction caught up with is exact too: the state is that of a clean scan.
  assert.equal(engine.status().staleTokens, 0);
  const clean = await cleanState(dir);
  assert.equal(engine.index.state.tokens, clean.tokens);
  assert.ok(maxAbsDiff(engine.index.state.ssm, clean.ssm) < 1e-4);
  await engine.close();
});

test('a save sent while a compaction runs waits for none of its files: the compaction finishes no file until the save is in', async () => {
  const dir = await tempDir('compaction-order');
  await writeWorkspace(dir, 30);
  const engine = await WorkspaceEngine.open(await tinyDeps(), {
    roots: [dir],
    cacheDir: await tempDir('compaction-order-cache'),
    compactAtStaleShare: Infinity,
  });
  await engine.sync();
  await engine.fileChanged(await saveModule(dir, 0, 'export const early = 0;\n'));
  const target = await saveModule(dir, 15, 'export const during = 15;\n');
  let sentAt = -1;
  let doneAt = -1;
  let latest = 0;
  let save: Promise<unknown> | undefined;
  await engine.compact(undefined, (p) => {
    if (p.phase !== 'compact') return;
    if (p.filesDone === 3 && !save) {
      sentAt = p.filesDone;
      save = engine.fileChanged(target).then(() => (doneAt = latest));
    }
    latest = p.filesDone;
  });
  await save;
  assert.ok(sentAt >= 0, 'sent during the compaction');
  // Sent as the compaction began its fourth file: it yields from that file's first chunk until the save is in.
  assert.equal(doneAt, sentAt, `the compaction finished ${doneAt - sentAt} files while the save was scanned`);
  await engine.close();
});

test('stale history stays within half of what the state read across an edit storm sent at full speed', async () => {
  const dir = await tempDir('compaction-bound');
  await writeWorkspace(dir, 30);
  const engine = await openEngine([dir], await tempDir('compaction-bound-cache'));
  await engine.sync();
  let maxShare = 0;
  let compacted = 0;
  let last = share(engine);
  const sample = () => {
    const s = share(engine);
    maxShare = Math.max(maxShare, s);
    if (s < last) compacted++;
    last = s;
  };
  // Sampled at every turn of the event loop while the storm runs, not only between events.
  let running = true;
  const sampler = (async () => {
    while (running) {
      sample();
      await new Promise((r) => setImmediate(r));
    }
  })();
  for (let round = 0; round < 60; round++) {
    // Three events at once, none waiting for the others or for the compaction: saves of older files
    // (each leaves its old version stale), a delete and a re-create.
    const events: Promise<unknown>[] = [];
    for (let k = 0; k < 3; k++) {
      const i = (round * 7 + k * 11) % 30;
      if (round % 10 === 9 && k === 2) {
        await rm(join(dir, `mod${i}.ts`));
        events.push(engine.fileDeleted(join(dir, `mod${i}.ts`)));
      } else {
        events.push(engine.fileChanged(await saveModule(dir, i, `export const r${round}k${k} = ${round};\n`)));
      }
    }
    await Promise.all(events);
    sample();
  }
  running = false;
  await sampler;
  await engine.settled();
  assert.ok(compacted > 0, 'compactions ran during the storm');
  assert.ok(maxShare <= 0.5, `stale share at most 50% of what the state read (max ${(100 * maxShare).toFixed(1)}%)`);
  for (const f of engine.index.history) if (!f.live) assert.equal(f.regions.length, 0, 'stale records keep no regions');
  await engine.close();
});
