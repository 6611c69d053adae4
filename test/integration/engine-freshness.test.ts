// Freshness: a save rescans only that file; saving the last file again is exact (rewind); an older
// file's edit leaves a decaying trace until compact(), which makes the state equal a clean scan;
// deleted files leave the answers at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maxAbsDiff, openEngine, tempDir } from './helpers';
import { moduleSource, writeWorkspace } from './workspaceFixture';

async function cleanState(dir: string) {
  const clean = await openEngine([dir], await tempDir('fresh-clean'));
  await clean.sync();
  const state = clean.index.state;
  await clean.close();
  return state;
}

async function save(dir: string, i: number, extra: string, secondsFromNow = 0) {
  const path = join(dir, `mod${i}.ts`);
  await writeFile(path, moduleSource(i, extra));
  const t = Date.now() / 1000 + secondsFromNow;
  await utimes(path, t, t);
  return path;
}

test('saving the most recent file again rewinds to its checkpoint: exact, one file scanned', async () => {
  const dir = await tempDir('fresh-last');
  await writeWorkspace(dir, 8);
  const engine = await openEngine([dir], await tempDir('fresh-last-cache'));
  await engine.sync();
  const tokensBefore = engine.index.state.tokens;
  const path = await save(dir, 7, 'export const added = 1;\n');
  assert.equal(await engine.fileChanged(path), undefined);
  assert.equal(engine.status().staleTokens, 0, 'rewound, no stale trace');
  assert.ok(engine.index.state.tokens > tokensBefore);
  assert.ok(engine.views().some((v) => v.file.path === 'mod7.ts' && v.region.name === 'added'));
  const clean = await cleanState(dir);
  assert.ok(maxAbsDiff(engine.index.state.ssm, clean.ssm) < 1e-4);
  await engine.close();
});

test('editing an older file appends it (old version stale) and compact() makes the state exact', async () => {
  const dir = await tempDir('fresh-old');
  await writeWorkspace(dir, 8);
  const engine = await openEngine([dir], await tempDir('fresh-old-cache'));
  await engine.sync();
  const path = await save(dir, 2, '/** Brand new export. */\nexport function fresh(): number { return 2; }\n');
  await engine.fileChanged(path);
  const status = engine.status();
  assert.ok(status.staleTokens > 0);
  assert.equal(status.files, 8);
  const mod2 = engine.views().filter((v) => v.file.path === 'mod2.ts');
  assert.ok(
    mod2.some((v) => v.region.name === 'fresh'),
    'new version answered',
  );
  assert.equal(new Set(mod2.map((v) => v.file)).size, 1, 'only one version of mod2.ts answers');
  // A second save of the same file now takes the exact rewind path.
  await save(dir, 2, '/** Brand new export. */\nexport function fresh(): number { return 3; }\n');
  await engine.fileChanged(path);
  assert.equal(engine.status().staleTokens, status.staleTokens);
  await engine.compact();
  assert.equal(engine.status().staleTokens, 0);
  const clean = await cleanState(dir);
  assert.equal(engine.index.state.tokens, clean.tokens);
  assert.ok(maxAbsDiff(engine.index.state.ssm, clean.ssm) < 1e-4);
  assert.ok(maxAbsDiff(engine.index.state.L, clean.L) < 1e-6);
  await engine.close();
});

test('a deleted file leaves the answers at once and the index on disk', async () => {
  const dir = await tempDir('fresh-del');
  await writeWorkspace(dir, 5);
  const cache = await tempDir('fresh-del-cache');
  const engine = await openEngine([dir], cache);
  await engine.sync();
  await rm(join(dir, 'mod1.ts'));
  assert.equal(await engine.fileDeleted(join(dir, 'mod1.ts')), true);
  const result = await engine.ask('widget total', { top: 50 });
  assert.ok(!result.hits.some((h) => h.path === 'mod1.ts'));
  await engine.close();
  const reopened = await openEngine([dir], cache);
  assert.ok(!reopened.views().some((v) => v.file.path === 'mod1.ts'));
  await reopened.close();
});

test('a rename removes the old path and indexes the new one', async () => {
  const dir = await tempDir('fresh-mv');
  await writeWorkspace(dir, 4);
  const engine = await openEngine([dir], await tempDir('fresh-mv-cache'));
  await engine.sync();
  const { rename } = await import('node:fs/promises');
  await rename(join(dir, 'mod0.ts'), join(dir, 'renamed.ts'));
  await engine.fileRenamed(join(dir, 'mod0.ts'), join(dir, 'renamed.ts'));
  const paths = new Set(engine.views().map((v) => v.file.path));
  assert.ok(paths.has('renamed.ts') && !paths.has('mod0.ts'));
  await engine.close();
});

test('an unchanged file renamed or moved with its folder answers at its new path without a scan; a compaction then reads it there, exactly', async () => {
  const dir = await tempDir('fresh-relabel');
  await writeWorkspace(dir, 6);
  const { mkdir, rename } = await import('node:fs/promises');
  await mkdir(join(dir, 'lib'));
  await writeFile(join(dir, 'lib/util.ts'), moduleSource(9, ''));
  await writeFile(join(dir, 'lib/more.ts'), moduleSource(8, ''));
  const cache = await tempDir('fresh-relabel-cache');
  const engine = await openEngine([dir], cache);
  await engine.sync();
  const tokensBefore = engine.index.state.tokens;
  const regionsOf = (path: string) =>
    engine
      .views()
      .filter((v) => v.file.path === path)
      .map((v) => v.region.name);
  const mod1 = regionsOf('mod1.ts');
  await rename(join(dir, 'mod1.ts'), join(dir, 'moved.ts'));
  await engine.fileRenamed(join(dir, 'mod1.ts'), join(dir, 'moved.ts'));
  await rename(join(dir, 'lib'), join(dir, 'core'));
  await engine.fileRenamed(join(dir, 'lib'), join(dir, 'core'));
  assert.equal(engine.index.state.tokens, tokensBefore, 'nothing was scanned');
  assert.deepEqual(regionsOf('moved.ts'), mod1, 'the renamed file answers at its new path');
  assert.deepEqual(regionsOf('mod1.ts'), []);
  assert.ok(regionsOf('core/util.ts').length > 0 && regionsOf('core/more.ts').length > 0, 'the folder moved');
  assert.deepEqual([...regionsOf('lib/util.ts'), ...regionsOf('lib/more.ts')], []);
  const hits = await engine.ask('widget total', { top: 50 });
  assert.ok(!hits.hits.some((h) => h.path === 'mod1.ts' || h.path.startsWith('lib/')), 'no answer at an old path');
  // Its header (the old path) was read as it was: stale until a compaction reads the file where it is now.
  const relabelled = engine.index.history.filter((f) => f.readAs !== undefined);
  assert.deepEqual(relabelled.map((f) => [f.readAs!.path, f.path]).sort(), [
    ['lib/more.ts', 'core/more.ts'],
    ['lib/util.ts', 'core/util.ts'],
    ['mod1.ts', 'moved.ts'],
  ]);
  for (const f of relabelled)
    assert.ok(f.readAs!.tokens >= 2 && f.readAs!.tokens < f.tokens / 4, `${f.path}: its header's tokens, not the file's`);
  const stale = engine.status().staleTokens;
  assert.equal(
    stale,
    relabelled.reduce((n, f) => n + f.readAs!.tokens, 0),
  );
  // The marker survives a restart (the index on disk keeps it).
  await engine.close();
  const reopened = await openEngine([dir], cache);
  assert.equal(reopened.status().staleTokens, stale);
  await reopened.compact();
  assert.equal(reopened.status().staleTokens, 0);
  assert.equal(reopened.index.history.filter((f) => f.readAs !== undefined).length, 0);
  const clean = await cleanState(dir);
  assert.equal(reopened.index.state.tokens, clean.tokens);
  assert.ok(maxAbsDiff(reopened.index.state.ssm, clean.ssm) < 1e-4);
  await reopened.close();
});

test('a renamed file whose bytes changed too, or that discovery now leaves out, is rescanned or leaves the answers', async () => {
  const dir = await tempDir('fresh-relabel-changed');
  await writeWorkspace(dir, 4);
  const engine = await openEngine([dir], await tempDir('fresh-relabel-changed-cache'));
  await engine.sync();
  const { rename } = await import('node:fs/promises');
  await rename(join(dir, 'mod0.ts'), join(dir, 'edited.ts'));
  await writeFile(
    join(dir, 'edited.ts'),
    moduleSource(0, '/** Added while moving. */\nexport function movedAndEdited(): number { return 1; }\n'),
  );
  await engine.fileRenamed(join(dir, 'mod0.ts'), join(dir, 'edited.ts'));
  const edited = engine.views().filter((v) => v.file.path === 'edited.ts');
  assert.ok(
    edited.some((v) => v.region.name === 'movedAndEdited'),
    'the new bytes were read',
  );
  assert.equal(edited[0]!.file.readAs, undefined, 'scanned at its new path');
  await rename(join(dir, 'mod1.ts'), join(dir, 'mod1.min.js'));
  await engine.fileRenamed(join(dir, 'mod1.ts'), join(dir, 'mod1.min.js'));
  assert.ok(!engine.views().some((v) => v.file.path === 'mod1.ts' || v.file.path === 'mod1.min.js'), 'left out, as a walk would');
  await engine.close();
});
