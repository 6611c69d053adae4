// The `longview` command as a user runs it: JSON on stdout, one-line reasons and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, TINY_MODEL } from './helpers';
import { writeWorkspace } from './workspaceFixture';

function longview(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'extension/engine/cli/cli.ts', ...args, '--model', TINY_MODEL, '--threads', '1'],
    { encoding: 'utf8' },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('index, ask, summarize, recall and status with --json', async () => {
  const dir = await tempDir('cli');
  await writeWorkspace(dir, 5);
  const cache = await tempDir('cli-cache');
  const index = longview(['index', dir, '--cache', cache, '--json']);
  assert.equal(index.code, 0, index.stderr);
  assert.equal(JSON.parse(index.stdout).report.scanned, 5);
  const ask = JSON.parse(longview(['ask', dir, 'widget total from parts', '--cache', cache, '--json', '--top', '3']).stdout);
  assert.equal(ask.hits.length, 3);
  assert.deepEqual(Object.keys(ask.hits[0]).sort(), [
    'bm25',
    'endLine',
    'fileRank',
    'kind',
    'path',
    'recall',
    'score',
    'snippet',
    'source',
    'startLine',
    'symbol',
  ]);
  // --memory-only: what the recurrent memory alone answers (the sidebar's "memory alone"): every hit from memory.
  const memory = JSON.parse(longview(['ask', dir, 'widget total from parts', '--cache', cache, '--json', '--memory-only']).stdout);
  assert.ok(memory.hits.length > 0 && memory.hits.every((h: { source: string }) => h.source === 'memory'), JSON.stringify(memory.hits));
  assert.equal(memory.rereads, 0);
  const file = JSON.parse(longview(['summarize', dir, 'mod3.ts', '--cache', cache, '--json']).stdout);
  assert.deepEqual(
    file.symbols.map((s: { symbol: string }) => s.symbol),
    ['widget3', 'helper3'],
  );
  assert.equal(file.symbols[0].description, 'Computes the 3th widget total from its parts.');
  const ws = JSON.parse(longview(['summarize', dir, '--cache', cache, '--json']).stdout);
  assert.equal(ws.files, 5);
  const recall = JSON.parse(longview(['recall', dir, '--file', 'mod4.ts', '--cache', cache, '--json']).stdout);
  assert.ok(recall.regions.length === 2 && recall.summaryBytes > 0);
  assert.ok(recall.regions.every((r: { windowOverlap: number }) => r.windowOverlap >= 0 && r.windowOverlap <= 1));
  assert.match(longview(['recall', dir, '--file', 'mod4.ts', '--cache', cache]).stdout, /\(window overlap \d\.\d\d\)/);
  const status = JSON.parse(longview(['status', dir, '--cache', cache, '--json']).stdout);
  assert.equal(status.files, 5);
  assert.equal(status.complete, true);
});

test('bad input: one line on stderr and a non-zero exit', async () => {
  const missing = longview(['ask', '/no/such/folder', 'q']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), 'longview: folder not found: /no/such/folder');
  const usage = longview(['frobnicate', '.']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^longview: unknown command "frobnicate"\n/);
  const badModel = spawnSync(process.execPath, ['--import', 'tsx', 'extension/engine/cli/cli.ts', 'status', '.', '--model', '/no/model'], {
    encoding: 'utf8',
  });
  assert.equal(badModel.status, 1);
  assert.match(badModel.stderr, /^longview: model file \/no\/model\/card.json cannot be read: ENOENT\n$/);
});

test('a corrupt cache is reported in one line and rebuilt; the command succeeds', async () => {
  const dir = await tempDir('cli-corrupt');
  await writeWorkspace(dir, 2);
  const cache = await tempDir('cli-corrupt-cache');
  assert.equal(longview(['index', dir, '--cache', cache]).code, 0);
  const file = readdirSync(cache).find((f) => f.endsWith('.lvix'))!;
  writeFileSync(join(cache, file), 'garbage');
  const r = longview(['status', dir, '--cache', cache]);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /longview: index .* is (truncated|corrupt|not a Longview index).*; rebuilding it\n/);
});
