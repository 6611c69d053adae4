// The keyword terms kept beside the index (<index>.lvkw, workspace/keywordStore.ts) on a real
// workspace (semver's sources and README, the real outlines, tokenizer and tiny model): an engine that
// starts from them reads no file for keyword search and answers every question exactly as an engine
// that made them from the files, also after an edit and a new file; a damaged, crafted or unreadable
// keyword file costs one notice and a rebuild, never an answer; one that cannot be written, one notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openEngine, tempDir } from './helpers';
import type { WorkspaceEngine } from '../../extension/engine/workspace/workspaceEngine';
import { keywordPathFor } from '../../extension/engine/workspace/keywordStore';

const QUESTIONS = [
  'how are two versions compared',
  'where is a version string parsed and validated',
  'increment the prerelease identifier',
  'does a version satisfy a range',
  'strip leading v and equals from a version',
  'coerce a string into a version',
  'caret and tilde ranges',
  'sort a list of versions',
  'what is the maximum length of a version string',
  'loose mode regular expressions',
  'intersect two comparators',
  'how is the semver library used from the command line',
  'compare versions by their build metadata',
  'the lowest version a caret range allows',
];

async function workspace(): Promise<string> {
  const dir = await tempDir('kw');
  for (const part of ['classes', 'functions', 'ranges', 'internal', 'index.js', 'README.md'])
    await cp(resolve('node_modules/semver', part), join(dir, part), { recursive: true });
  return dir;
}

/** Every question's answer and hits, without timings. */
async function answers(engine: WorkspaceEngine): Promise<string> {
  const out = [];
  for (const q of QUESTIONS) {
    const r = await engine.ask(q, { top: 15 });
    out.push({ answer: r.answer, hits: r.hits, rereads: r.rereads, notReread: r.notReread });
  }
  return JSON.stringify(out);
}

/** Files whose keyword terms came from the keyword file, of the live files. */
function restored(engine: WorkspaceEngine): number {
  return (engine as unknown as { store: { keywords: { restored: number } } }).store.keywords.restored;
}

/** An engine on a copy of `cache` without its keyword file: keyword terms made from the files. */
async function fromFiles(dir: string, cache: string): Promise<WorkspaceEngine> {
  const copy = await tempDir('kw-copy');
  await cp(cache, copy, { recursive: true });
  for (const name of await readdir(copy)) if (name.endsWith('.lvkw')) await rm(join(copy, name));
  const engine = await openEngine([dir], copy);
  assert.equal(existsSync(keywordPathFor(engine.indexPath)), false);
  return engine;
}

test('an engine starting from the kept terms reads no file for them and answers exactly as one that made them, before and after an edit', async () => {
  const dir = await workspace();
  const cache = await tempDir('kw-cache');
  const first = await openEngine([dir], cache);
  await first.sync();
  const files = first.status().files;
  assert.ok(files > 40, `${files} files`);
  await first.close();
  const kw = keywordPathFor(first.indexPath);
  assert.ok(existsSync(kw), 'the index write wrote the keyword file');

  const made = await fromFiles(dir, cache);
  const kept = await openEngine([dir], cache);
  const expected = await answers(made);
  assert.equal(await answers(kept), expected);
  assert.equal(restored(kept), files, 'every file had its terms from the keyword file');
  assert.equal(restored(made), 0);
  assert.deepEqual(kept.notices, []);

  // An edit of one file and a new file: both engines follow them, and still agree.
  const edited = join(dir, 'functions/compare.js');
  await writeFile(
    edited,
    `${await readFile(edited, 'utf8')}\n/** Compares two versions by their build metadata. */\nconst compareBuildOnly = (a, b) => a.build.join('.').localeCompare(b.build.join('.'))\nmodule.exports.compareBuildOnly = compareBuildOnly\n`,
  );
  const added = join(dir, 'functions/caret-floor.js');
  await writeFile(
    added,
    "/** The lowest version a caret range allows. */\nconst caretFloor = (range) => range.replace(/^\\^/, '')\nmodule.exports = caretFloor\n",
  );
  for (const engine of [made, kept]) {
    assert.equal(await engine.fileChanged(edited), undefined);
    assert.equal(await engine.fileChanged(added), undefined);
  }
  const afterEdit = await answers(made);
  assert.notEqual(afterEdit, expected, 'the edit changed the answers');
  assert.ok(afterEdit.includes('compareBuildOnly') && afterEdit.includes('caretFloor'));
  assert.equal(await answers(kept), afterEdit);
  await kept.close(); // writes the index, and the terms with it
  await made.close();

  // The next start has every file's terms, the edited and the new one included.
  const again = await openEngine([dir], cache);
  assert.equal(await answers(again), afterEdit);
  assert.equal(restored(again), files + 1);
  await again.close();
});

test('a damaged, truncated, crafted or unreadable keyword file: one notice, the same answers, and the next write replaces it', async () => {
  const dir = await workspace();
  const cache = await tempDir('kw-bad-cache');
  const first = await openEngine([dir], cache);
  await first.sync();
  await first.close();
  const kw = keywordPathFor(first.indexPath);
  const good = await readFile(kw);
  const reference = await openEngine([dir], cache);
  const expected = await answers(reference);
  await reference.close();
  const flipped = Buffer.from(good);
  flipped[Math.floor(good.length / 2)] ^= 0x40;
  const outside = await tempDir('kw-outside');
  await writeFile(join(outside, 'elsewhere.lvkw'), good);
  const cases: [string, () => Promise<void>, RegExp][] = [
    ['bit flipped', () => writeFile(kw, flipped), /^keyword index .*\.lvkw is damaged \(checksum mismatch\); rebuilding it$/],
    [
      'truncated',
      () => writeFile(kw, good.subarray(0, good.length - 100)),
      /^keyword index .*\.lvkw is damaged \(checksum mismatch\); rebuilding it$/,
    ],
    ['empty', () => writeFile(kw, ''), /^keyword index .*\.lvkw is not a Longview keyword file; rebuilding it$/],
    [
      'another format',
      async () => {
        const other = Buffer.from(good);
        other.writeUInt32LE(99, 4);
        await writeFile(kw, other);
      },
      /^keyword index .*\.lvkw has format 99, this engine reads 1; rebuilding it$/,
    ],
    [
      'a link out of the cache folder',
      () => symlink(join(outside, 'elsewhere.lvkw'), kw),
      /^keyword index .*\.lvkw not read \(outside-workspace: resolves to .*elsewhere\.lvkw\); rebuilding it$/,
    ],
    ['a folder', () => mkdir(kw), /^keyword index .*\.lvkw not read \(not-a-file: a folder\); rebuilding it$/],
  ];
  for (const [what, damage, notice] of cases) {
    await rm(kw, { recursive: true, force: true });
    await damage();
    const engine = await openEngine([dir], cache);
    assert.equal(await answers(engine), expected, what);
    assert.equal(restored(engine), 0, what);
    assert.equal(engine.notices.length, 1, `${what}: ${engine.notices.join(' | ')}`);
    assert.match(engine.notices[0], notice, what);
    // The worker's warm-up writes the terms again (a folder in the way: one more notice, the answers stand).
    await engine.warmQueries();
    await engine.close();
    if (what === 'a folder') {
      assert.equal(engine.notices.length, 2, engine.notices.join(' | '));
      assert.match(
        engine.notices[1],
        /^the keyword index could not be written to .* \(EISDIR\); the next start reads the files for keyword search$/,
      );
      continue;
    }
    const next = await openEngine([dir], cache);
    assert.equal(await answers(next), expected, `${what}, rewritten`);
    assert.ok(restored(next) > 40, `${what}: rewritten whole`);
    assert.deepEqual(next.notices, []);
    await next.close();
  }
  // A crafted link to the outside was not followed: the file there is as it was.
  assert.deepEqual(await readFile(join(outside, 'elsewhere.lvkw')), good);
});

test('a start without a keyword file: a question makes the terms and writes nothing; the worker warm-up writes them once', async () => {
  const dir = await workspace();
  const cache = await tempDir('kw-missing-cache');
  const first = await openEngine([dir], cache);
  await first.sync();
  await first.close();
  const kw = keywordPathFor(first.indexPath);
  await rm(kw);
  const cli = await openEngine([dir], cache);
  await answers(cli);
  await cli.close();
  assert.equal(existsSync(kw), false, 'a read-only command wrote nothing');
  const worker = await openEngine([dir], cache);
  await worker.warmQueries();
  assert.ok(existsSync(kw));
  const written = await stat(kw);
  await worker.warmQueries(); // nothing new to keep: not written again (a write renames a new file into place)
  assert.equal((await stat(kw)).ino, written.ino);
  await worker.close();
});

test('a compaction that rescans unchanged files gives their new records the kept terms and leaves the keyword file as it is', async () => {
  const dir = await workspace();
  const cache = await tempDir('kw-compact-cache');
  const engine = await openEngine([dir], cache, 60_000);
  await engine.sync();
  const kw = keywordPathFor(engine.indexPath);
  // An older file edited: appended at the end, its old version a stale trace until a compaction.
  const edited = join(dir, 'classes/semver.js');
  await writeFile(edited, `${await readFile(edited, 'utf8')}\n// edited\n`);
  assert.equal(await engine.fileChanged(edited), undefined);
  await engine.persist();
  const before = await stat(kw);
  const expected = await answers(engine);
  const restoredBefore = restored(engine);
  const records = new Set(engine.index.history.filter((f) => f.live));
  await engine.compact();
  const rescanned = engine.index.history.filter((f) => f.live && !records.has(f));
  assert.ok(rescanned.length > 5, `${rescanned.length} files rescanned`);
  assert.equal(await answers(engine), expected);
  assert.equal(restored(engine) - restoredBefore, rescanned.length, 'the rescanned records got the kept terms, no file read');
  assert.equal((await stat(kw)).ino, before.ino, 'the keyword file was not written again');
  await engine.close();
});
