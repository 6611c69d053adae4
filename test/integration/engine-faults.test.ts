// Fault tests: a file vanishing mid-scan, a corrupt or truncated cache, a cancelled then resumed
// scan, a killed scan, a 20 MB minified file, invalid UTF-8 and a symbolic-link loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maxAbsDiff, openEngine, tempDir, TINY_MODEL } from './helpers';
import { writeWorkspace } from './workspaceFixture';

test('a file that vanishes mid-scan is skipped as vanished; the scan completes', async () => {
  const dir = await tempDir('vanish');
  await writeWorkspace(dir, 8);
  const engine = await openEngine([dir], await tempDir('vanish-cache'));
  const report = await engine.sync({
    onProgress: (p) => {
      if (p.currentFile === 'mod3.ts') void rm(join(dir, 'mod6.ts'));
    },
  });
  assert.equal(report.skipped.vanished, 1);
  assert.equal(engine.status().files, 7);
  assert.ok(!engine.views().some((v) => v.file.path === 'mod6.ts'));
  await engine.close();
});

test('a corrupt or truncated index is reported in one line and rebuilt', async () => {
  const dir = await tempDir('corrupt');
  await writeWorkspace(dir, 4);
  const cache = await tempDir('corrupt-cache');
  const first = await openEngine([dir], cache);
  await first.sync();
  const path = first.indexPath;
  await first.close();
  const bytes = await readFile(path);
  for (const damaged of [
    bytes.subarray(0, bytes.length >> 1),
    Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(50, 7), bytes.subarray(150)]),
    Buffer.from('not an index'),
  ]) {
    await writeFile(path, damaged);
    const engine = await openEngine([dir], cache);
    assert.equal(engine.notices.length, 1);
    assert.match(engine.notices[0], /(corrupt|truncated|not a Longview index).*rebuilding/);
    assert.ok(!engine.notices[0].includes('\n'));
    const report = await engine.sync();
    assert.equal(report.scanned, 4);
    assert.equal(engine.status().complete, true);
    await engine.close();
  }
});

test('a cancelled scan resumes where it stopped, ending in the same state as an uninterrupted one', async () => {
  const dir = await tempDir('resume');
  await writeWorkspace(dir, 10);
  const cache = await tempDir('resume-cache');
  const engine = await openEngine([dir], cache);
  const controller = new AbortController();
  await assert.rejects(engine.sync({ signal: controller.signal, onProgress: (p) => p.filesDone === 4 && controller.abort() }), /cancelled/);
  assert.equal(engine.status().files, 4);
  await engine.close();

  const resumed = await openEngine([dir], cache);
  assert.match(resumed.notices[0] ?? '', /resuming an interrupted scan \(4 files/);
  const report = await resumed.sync();
  assert.equal(report.scanned, 6);
  const clean = await openEngine([dir], await tempDir('resume-clean'));
  await clean.sync();
  assert.equal(resumed.index.state.tokens, clean.index.state.tokens);
  assert.ok(maxAbsDiff(resumed.index.state.ssm, clean.index.state.ssm) < 1e-4);
  assert.ok(maxAbsDiff(resumed.index.state.L, clean.index.state.L) < 1e-6);
  await resumed.close();
  await clean.close();
});

test('a killed CLI scan resumes on the next run', async () => {
  const dir = await tempDir('killed');
  await writeWorkspace(dir, 40);
  const cache = await tempDir('killed-cache');
  const cli = ['--import', 'tsx', 'extension/engine/cli/cli.ts', 'index', dir, '--model', TINY_MODEL, '--cache', cache, '--threads', '1'];
  const child = spawn(process.execPath, cli, { env: { ...process.env, LONGVIEW_PERSIST_EVERY_MS: '0' }, stdio: 'ignore' });
  const started = Date.now();
  // Wait until a partial index is on disk, then kill without warning.
  const { readdir } = await import('node:fs/promises');
  while (Date.now() - started < 60_000) {
    const files = (await readdir(cache)).filter((f) => f.endsWith('.lvix'));
    if (files.length) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const engine = await openEngine([dir], cache);
  const before = engine.status().files;
  assert.ok(before > 0 && before < 40, `partial index had ${before} files`);
  assert.match(engine.notices[0] ?? '', /resuming/);
  const report = await engine.sync();
  assert.equal(report.scanned, 40 - before);
  assert.equal(engine.status().files, 40);
  await engine.close();
});

test('a 20 MB minified file, invalid UTF-8 and a symlink loop are skipped with reasons', async () => {
  const dir = await tempDir('odd');
  await writeWorkspace(dir, 3);
  await writeFile(join(dir, 'bundle.js'), 'var a=1;'.repeat(2_500_000)); // 20 MB, one line
  await writeFile(
    join(dir, 'latin1.ts'),
    Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from('\nexport const x = 1;\n')]),
  );
  await mkdir(join(dir, 'sub'));
  await symlink(dir, join(dir, 'sub', 'loop'));
  const engine = await openEngine([dir], await tempDir('odd-cache'));
  const t0 = Date.now();
  const report = await engine.sync();
  assert.ok(Date.now() - t0 < 30_000);
  assert.equal(engine.status().files, 3);
  const reasons = Object.keys(report.skipped).join(',');
  assert.match(reasons, /too-large|minified/);
  assert.match(reasons, /undecodable|invalid UTF-8/);
  assert.match(reasons, /symlink-loop/);
  assert.ok(!existsSync(join(dir, 'sub', 'loop', 'missing')));
  await engine.close();
});
