// The workspace methods through the real engine worker (worker_threads RPC), as the extension uses
// them: open, index with progress, cancel then resume, a save, ask, status.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RpcClient } from '../../extension/engine/rpc/client';
import type { EngineMethods } from '../../extension/engine/rpc/methods';
import type { ScanProgress } from '../../extension/engine/index/indexer';
import { tempDir, TINY_MODEL } from './helpers';
import { writeWorkspace } from './workspaceFixture';

const client = new RpcClient<EngineMethods>({
  workerFile: new URL('../../extension/engine/worker.ts', import.meta.url),
  workerData: {},
  execArgv: ['--require', 'tsx/cjs'],
});
after(() => client.dispose());

test('index with progress, cancel and resume, a save, ask and status through the worker', async () => {
  const dir = await tempDir('worker');
  await writeWorkspace(dir, 12);
  const cacheDir = await tempDir('worker-cache');
  const opened = await client.request('workspace.open', {
    roots: [dir],
    cacheDir,
    modelDir: TINY_MODEL,
    runtime: 'onnxruntime-node',
    threads: 1,
  });
  assert.equal(opened.runtime, 'onnxruntime-node');
  assert.equal(opened.files, 0);

  const controller = new AbortController();
  await assert.rejects(
    client.request('workspace.index', {}, { signal: controller.signal, onProgress: (p) => p.filesDone >= 3 && controller.abort() }),
  );
  const partial = await client.request('workspace.status', {});
  assert.ok(partial.files >= 3 && partial.files < 12, `${partial.files} files after cancel`);

  const progress: ScanProgress[] = [];
  const report = await client.request('workspace.index', {}, { onProgress: (p) => progress.push(p) });
  assert.equal(report.scanned, 12 - partial.files, 'resumed, not restarted');
  const last = progress[progress.length - 1];
  assert.equal(last.filesDone, last.filesTotal);
  assert.ok(progress.some((p) => p.tokensPerSecond > 0 && p.etaSeconds >= 0));

  await appendFile(join(dir, 'mod11.ts'), '\n/** Counts sprockets. */\nexport function sprocketCount(): number { return 7; }\n');
  const changed = await client.request('workspace.fileChanged', { path: join(dir, 'mod11.ts') });
  assert.equal(changed.skipped, undefined);
  const answer = await client.request('workspace.ask', { question: 'sprocketCount', top: 3 });
  assert.equal(answer.hits[0].symbol, 'sprocketCount', 'the saved version answers (BM25 on its name)');
  const status = await client.request('workspace.status', {});
  assert.equal(status.files, 12);
  assert.equal(status.complete, true);
});

test('a question and a status sent while the workspace opens wait for the open and are answered', async () => {
  const dir = await tempDir('worker-early');
  await writeWorkspace(dir, 4);
  const cacheDir = await tempDir('worker-early-cache');
  const early = new RpcClient<EngineMethods>({
    workerFile: new URL('../../extension/engine/worker.ts', import.meta.url),
    workerData: {},
    execArgv: ['--require', 'tsx/cjs'],
  });
  try {
    // Indexed first, by one engine; then a new worker opens it and is asked at once.
    const params = { roots: [dir], cacheDir, modelDir: TINY_MODEL, runtime: 'onnxruntime-node' as const, threads: 1 };
    await client.request('workspace.open', params);
    await client.request('workspace.index', {});
    const open = early.request('workspace.open', params);
    const [answer, status, opened] = await Promise.all([
      early.request('workspace.ask', { question: 'widget total', top: 3 }),
      early.request('workspace.status', {}),
      open,
    ]);
    assert.equal(opened.files, 4);
    assert.equal(status.files, 4);
    assert.ok(answer.hits.length > 0 && answer.hits[0].symbol.startsWith('widget'), JSON.stringify(answer.hits[0]));
  } finally {
    early.dispose();
  }
});
