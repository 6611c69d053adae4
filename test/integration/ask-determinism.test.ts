// Ask is deterministic: the model re-reads a fixed number of candidates, never as many as a time
// budget allows, so the same question on the same index gives byte-identical hits, however busy the
// machine is. The shipped model (a time budget would re-read fewer regions under load), two ranks of
// CPU hogs running during the second question.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { tempDir } from './helpers';
import { writeWorkspace } from './workspaceFixture';

function longview(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'extension/engine/cli/cli.ts', ...args, '--threads', '2', '--quiet'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('the same question on the same index gives byte-identical --json hits, with the CPU busy in between', async () => {
  const dir = await tempDir('determinism');
  await writeWorkspace(dir, 12);
  const cache = await tempDir('determinism-cache');
  longview(['index', dir, '--cache', cache]);
  const question = ['ask', dir, 'where is the label of a widget formatted in upper case?', '--cache', cache, '--json', '--top', '10'];
  const hits = (out: string) => JSON.stringify(JSON.parse(out).hits);
  const first = longview(question);
  // Busy: two processes spinning on the cores while the second question runs.
  const hogs = [0, 1].map(() =>
    spawn(process.execPath, ['-e', 'const end = Date.now() + 60000; while (Date.now() < end) {}'], { stdio: 'ignore' }),
  );
  try {
    await new Promise((r) => setTimeout(r, 300));
    const second = longview(question);
    assert.equal(hits(second), hits(first));
    const parsed = JSON.parse(first);
    assert.ok(parsed.rereads > 0, 'the model re-read regions');
    assert.ok(
      parsed.hits.every((h: { fileRank: number }, i: number, all: { fileRank: number; path: string }[]) =>
        i === 0 ? h.fileRank === 1 : h.fileRank <= Math.max(...all.slice(0, i).map((x) => x.fileRank)) + 1,
      ),
      'file ranks follow the order of the files’ best hits',
    );
  } finally {
    for (const h of hogs) h.kill();
  }
});
