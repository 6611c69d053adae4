// runtime/offline.ts: onnxruntime-node's telemetry is off in every thread that may load it. The
// native library reads the process's real environment, which a worker thread cannot change (its
// process.env is a copy), so a worker whose parent did not set the variable refuses the native build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { ORT_OFFLINE_ENV, ortOfflineProblem } from '../../extension/engine/runtime/offline';

const OFFLINE = new URL('../../extension/engine/runtime/offline.ts', import.meta.url).pathname;
const ORT_NODE = new URL('../../extension/engine/runtime/ortNode.ts', import.meta.url).pathname;

/** Runs in a worker: what offline.ts says there, and whether loadOrtNode refuses. */
function inWorker(env: NodeJS.ProcessEnv | undefined): Promise<{ problem: string | null; load: string }> {
  const code = `
    const { parentPort } = require("node:worker_threads");
    const { ortOfflineProblem } = require(${JSON.stringify(OFFLINE)});
    const { loadOrtNode } = require(${JSON.stringify(ORT_NODE)});
    const problem = ortOfflineProblem();
    // Only the refusal is awaited: loading the native build for real is not this test's business.
    (problem ? loadOrtNode(1).then(() => "loaded", (e) => "refused: " + e.message) : Promise.resolve("allowed"))
      .then((load) => parentPort.postMessage({ problem, load }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, execArgv: ['--require', 'tsx/cjs'], ...(env ? { env } : {}) });
    worker.once('message', (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

test("importing it sets ORT_DISABLE_TELEMETRY=1 in this process's environment", () => {
  assert.deepEqual(ORT_OFFLINE_ENV, { ORT_DISABLE_TELEMETRY: '1' });
  assert.equal(process.env.ORT_DISABLE_TELEMETRY, '1');
  assert.equal(ortOfflineProblem(), null); // the main thread set it itself
});

test('a worker started after the import inherits it and may load onnxruntime-node', async () => {
  const got = await inWorker(undefined);
  assert.equal(got.problem, null);
  assert.equal(got.load, 'allowed');
});

test('a worker whose parent did not set it refuses onnxruntime-node (its own setting would not reach native code)', async () => {
  const got = await inWorker({ PATH: process.env.PATH });
  assert.match(got.problem ?? '', /ORT_DISABLE_TELEMETRY=1/);
  assert.match(got.load, /^refused: onnxruntime-node not loaded: telemetry would stay on/);
});
