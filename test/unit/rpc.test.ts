// The engine RPC against a real worker thread. This file is both the tests (main thread) and the
// worker they talk to (when loaded by `new Worker` with workerData.role === 'rpc-test-worker'),
// so the handlers below are real code running in a real worker, not stand-ins.
import { isMainThread, resourceLimits, threadId, workerData } from 'node:worker_threads';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RpcClient } from '../../extension/engine/rpc/client';
import { serveRpc } from '../../extension/engine/rpc/server';
import { EngineCrashedError, EngineRequestError, EngineStoppedError, RequestCancelledError } from '../../extension/engine/rpc/errors';

type TestMethods = {
  echo: { params: { value: string }; result: { value: string; threadId: number } };
  count: { params: { upTo: number }; result: number; progress: { done: number } };
  waitUntilCancelled: { params: { token: string }; result: string };
  cancelledTokens: { params: Record<string, never>; result: string[] };
  sleep: { params: { ms: number }; result: number };
  fail: { params: { message: string }; result: never };
  exitWorker: { params: { code: number }; result: never };
  throwUncaught: { params: { message: string }; result: never };
  heapLimit: { params: Record<string, never>; result: number | undefined };
};

const ROLE = 'rpc-test-worker';
// tsx's `--import` hook does not reach worker threads on Node 20; its CommonJS hook does.
const TSX_IN_WORKER = ['--require', 'tsx/cjs'];

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE) {
  const cancelled: string[] = [];
  serveRpc<TestMethods>({
    echo: ({ value }) => ({ value, threadId }),
    count: async ({ upTo }, { progress }) => {
      for (let done = 1; done <= upTo; done++) progress({ done });
      return upTo;
    },
    waitUntilCancelled: ({ token }, { signal }) =>
      new Promise<string>((resolve) => {
        signal.addEventListener('abort', () => {
          cancelled.push(token);
          resolve('aborted');
        });
      }),
    cancelledTokens: () => [...cancelled],
    heapLimit: () => resourceLimits.maxOldGenerationSizeMb,
    sleep: ({ ms }) => new Promise((resolve) => setTimeout(() => resolve(ms), ms)),
    fail: ({ message }) => {
      throw new RangeError(message);
    },
    exitWorker: ({ code }) => process.exit(code),
    throwUncaught: ({ message }) =>
      new Promise<never>(() => {
        setImmediate(() => {
          throw new Error(message);
        });
      }),
  });
} else {
  const newClient = () =>
    new RpcClient<TestMethods>({ workerFile: new URL(import.meta.url), workerData: { role: ROLE }, execArgv: TSX_IN_WORKER });

  test('the worker gets the heap limit it is given (the engine worker: ENGINE_OLD_SPACE_MB)', async () => {
    const client = new RpcClient<TestMethods>({
      workerFile: new URL(import.meta.url),
      workerData: { role: ROLE },
      execArgv: TSX_IN_WORKER,
      resourceLimits: { maxOldGenerationSizeMb: 300 },
    });
    try {
      assert.equal(await client.request('heapLimit', {}), 300);
    } finally {
      await client.dispose();
    }
  });

  test('answers requests in a worker thread and matches replies to ids', async () => {
    const client = newClient();
    try {
      const slow = client.request('sleep', { ms: 80 });
      const fast = client.request('echo', { value: 'hi' });
      const echoed = await fast;
      assert.equal(echoed.value, 'hi');
      assert.notEqual(echoed.threadId, threadId, 'the handler must run in another thread');
      assert.equal(await slow, 80);
    } finally {
      await client.dispose();
    }
  });

  test('delivers progress events in order before the result', async () => {
    const client = newClient();
    try {
      const seen: number[] = [];
      const result = await client.request('count', { upTo: 5 }, { onProgress: (p) => seen.push(p.done) });
      assert.equal(result, 5);
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    } finally {
      await client.dispose();
    }
  });

  test('a handler error rejects only that request and the worker keeps serving', async () => {
    const client = newClient();
    try {
      await assert.rejects(client.request('fail', { message: 'bad input: line 0' }), (error: unknown) => {
        assert.ok(error instanceof EngineRequestError);
        assert.equal(error.remoteName, 'RangeError');
        assert.equal(error.message, 'bad input: line 0');
        assert.equal(error.method, 'fail');
        return true;
      });
      assert.equal((await client.request('echo', { value: 'still here' })).value, 'still here');
      assert.equal(client.restarts, 0);
    } finally {
      await client.dispose();
    }
  });

  test('an unknown method is a clear error, not a hang', async () => {
    const client = newClient();
    try {
      const untyped = client as unknown as RpcClient<{ nope: { params: object; result: unknown } }>;
      await assert.rejects(untyped.request('nope', {}), /The engine has no method "nope"/);
    } finally {
      await client.dispose();
    }
  });

  test('cancelling rejects at once and the handler sees the abort', async () => {
    const client = newClient();
    try {
      const controller = new AbortController();
      const pending = client.request('waitUntilCancelled', { token: 't1' }, { signal: controller.signal });
      await client.request('echo', { value: 'the worker has the request by now' });
      controller.abort();
      await assert.rejects(pending, RequestCancelledError);
      // The worker handles messages in order, so the cancel has arrived before this request.
      assert.deepEqual(await client.request('cancelledTokens', {}), ['t1']);
      // An already-aborted signal never reaches the worker.
      await assert.rejects(client.request('echo', { value: 'x' }, { signal: AbortSignal.abort() }), RequestCancelledError);
    } finally {
      await client.dispose();
    }
  });

  test('a worker that exits fails every pending request with a clear error, then is restarted', async () => {
    const crashes: EngineCrashedError[] = [];
    const client = new RpcClient<TestMethods>({
      workerFile: new URL(import.meta.url),
      workerData: { role: ROLE },
      execArgv: TSX_IN_WORKER,
      onCrash: (error) => crashes.push(error),
    });
    try {
      const bystander = client.request('sleep', { ms: 10_000 });
      const crashing = client.request('exitWorker', { code: 7 });
      for (const pending of [crashing, bystander]) {
        await assert.rejects(pending, (error: unknown) => {
          assert.ok(error instanceof EngineCrashedError);
          assert.equal(error.exitCode, 7);
          assert.match(error.message, /engine worker stopped unexpectedly \(exit code 7\)/);
          return true;
        });
      }
      assert.equal(crashes.length, 1);
      assert.equal((await client.request('echo', { value: 'after restart' })).value, 'after restart');
      assert.equal(client.restarts, 1);
    } finally {
      await client.dispose();
    }
  });

  test('an uncaught exception in the worker names the exception', async () => {
    const client = newClient();
    try {
      await assert.rejects(
        client.request('throwUncaught', { message: 'grammar table corrupt' }),
        /stopped unexpectedly \(Error: grammar table corrupt\) while handling "throwUncaught"/,
      );
      assert.equal((await client.request('echo', { value: 'ok' })).value, 'ok');
    } finally {
      await client.dispose();
    }
  });

  test('dispose rejects pending requests and refuses new ones', async () => {
    const client = newClient();
    const rejected = assert.rejects(client.request('sleep', { ms: 10_000 }), EngineStoppedError);
    await client.dispose();
    await rejected;
    await assert.rejects(client.request('echo', { value: 'late' }), EngineStoppedError);
  });
}
