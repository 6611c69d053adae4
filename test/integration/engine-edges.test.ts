// The engine's side of issue 14's edges: an unchanged workspace is never rewritten, a same-size edit
// with its mtime put back is still seen, and temporaries of killed writers are cleared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openEngine, tempDir } from './helpers';
import { writeWorkspace } from './workspaceFixture';

async function fileId(path: string): Promise<string> {
  const s = await stat(path);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

test('a sync that finds nothing changed writes nothing; a touched file (same content) is written once', async () => {
  const dir = await tempDir('edges-dirty');
  await writeWorkspace(dir, 5);
  const cache = await tempDir('edges-dirty-cache');
  const first = await openEngine([dir], cache);
  await first.sync();
  await first.close();
  const written = await fileId(first.indexPath);

  const again = await openEngine([dir], cache);
  const report = await again.sync();
  assert.equal(report.unchanged, 5);
  await again.ask('widget total');
  await again.recall();
  await again.summarize('mod1.ts');
  await again.close();
  assert.equal(await fileId(first.indexPath), written, 'the unchanged index was rewritten');

  // A checkout that rewrites a file with the same bytes (new mtime and ctime): read and hashed, not
  // rescanned; the new times are written once, so the next run takes the stat fast path again.
  await utimes(join(dir, 'mod2.ts'), new Date(), new Date());
  await chmod(join(dir, 'mod3.ts'), 0o600); // a ctime-only change
  const touched = await openEngine([dir], cache);
  const r2 = await touched.sync();
  assert.equal(r2.scanned, 0);
  assert.equal(r2.unchanged, 5);
  await touched.close();
  const rewritten = await fileId(first.indexPath);
  assert.notEqual(rewritten, written, 'new stat times are kept');
  const last = await openEngine([dir], cache);
  assert.equal((await last.sync()).scanned, 0);
  await last.close();
  assert.equal(await fileId(first.indexPath), rewritten);
});

test('a same-size edit with its mtime restored is rescanned (ctime changed, content hash differs)', async () => {
  const dir = await tempDir('edges-utimes');
  await writeWorkspace(dir, 4);
  const path = join(dir, 'mod2.ts');
  // Whole seconds, so utimes() below restores the recorded mtime exactly.
  const t = Math.floor((await stat(path)).mtimeMs / 1000);
  await utimes(path, t, t);
  const engine = await openEngine([dir], await tempDir('edges-utimes-cache'));
  await engine.sync();
  const before = await stat(path);
  const text = await readFile(path, 'utf8');
  const edited = text.replace('Computes the 2th', 'Measures the 2th');
  assert.equal(edited.length, text.length);
  await writeFile(path, edited);
  await utimes(path, t, t);
  const after = await stat(path);
  assert.equal(after.mtimeMs, before.mtimeMs, 'mtime restored');
  assert.equal(after.size, before.size, 'same size');
  const report = await engine.sync();
  assert.equal(report.scanned, 1, 'the edited file is rescanned');
  const doc = engine.views().find((v) => v.file.path === 'mod2.ts' && v.region.name === 'widget2')!.region.doc;
  assert.equal(doc, 'Measures the 2th widget total from its parts.');
  assert.equal(engine.status().files, 4);
  await engine.close();
});

test("temporaries of dead writers (or older than 10 minutes) are removed at open; a live writer's is kept", async () => {
  const dir = await tempDir('edges-temps');
  await writeWorkspace(dir, 2);
  const cache = await tempDir('edges-temps-cache');
  const engine = await openEngine([dir], cache);
  await engine.sync();
  await engine.close();
  const index = basename(engine.indexPath);
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const names = {
    dead: `${index}.${dead}.${Date.now() - 5000}.tmp`,
    deadOtherIndex: `other-0123456789ab.lvix.${dead}.${Date.now()}.tmp`,
    deadKeywords: `${index.replace(/\.lvix$/, '.lvkw')}.${dead}.${Date.now()}.tmp`,
    live: `${index}.${process.pid}.${Date.now()}.tmp`,
    liveButOld: `${index}.${process.ppid}.${Date.now() - 3_600_000}.tmp`,
    notOurs: `notes.txt.${dead}.${Date.now()}.tmp`,
  };
  for (const name of Object.values(names)) await writeFile(join(cache, name), 'partial');
  const hourAgo = (Date.now() - 3_600_000) / 1000;
  await utimes(join(cache, names.liveButOld), hourAgo, hourAgo);
  const reopened = await openEngine([dir], cache);
  assert.equal(dirname(reopened.indexPath), cache);
  assert.deepEqual(reopened.notices, []);
  await reopened.close();
  const left = new Set(await readdir(cache));
  assert.ok(!left.has(names.dead), "a dead writer's temporary is removed");
  assert.ok(!left.has(names.deadOtherIndex), "another workspace's dead temporary too");
  assert.ok(!left.has(names.deadKeywords), "a dead writer's keyword file temporary too");
  assert.ok(!left.has(names.liveButOld), 'an hour-old temporary is removed whoever holds the pid');
  assert.ok(left.has(names.live), "a live writer's temporary is kept");
  assert.ok(left.has(names.notOurs), 'files that are not index temporaries are left alone');
  assert.ok(left.has(index));
});
