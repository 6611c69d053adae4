// The real engine worker (extension/engine/worker.ts) through the RPC: the outline handler with
// the real regions module and the real tree-sitter grammars from node_modules.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { RpcClient } from '../../extension/engine/rpc/client';
import type { EngineMethods } from '../../extension/engine/rpc/methods';

const engine = new RpcClient<EngineMethods>({
  workerFile: new URL('../../extension/engine/worker.ts', import.meta.url),
  workerData: {},
  // tsx's `--import` hook does not reach worker threads on Node 20; its CommonJS hook does.
  execArgv: ['--require', 'tsx/cjs'],
});
after(() => engine.dispose());

const TS_SOURCE = `import { readFile } from 'node:fs/promises';

/** Adds two numbers. */
export function add(a: number, b: number): number {
  return a + b;
}

export class Cart {
  /** Total price in cents. */
  total(): number {
    return 0;
  }
}
`;

test('outline of TypeScript: regions with doc comments, nested methods, imports, exports', async () => {
  const { outline, structured } = await engine.request('outline', { path: 'src/cart.ts', languageId: 'typescript', text: TS_SOURCE });
  assert.equal(structured, true);
  assert.equal(outline.language, 'typescript');
  const names = outline.regions.map((r) => [r.kind, r.name, r.startLine, r.endLine]);
  assert.deepEqual(names, [
    ['function', 'add', 3, 5],
    ['class', 'Cart', 7, 12],
  ]);
  assert.match(outline.regions[0].doc ?? '', /^Adds two numbers\./);
  assert.deepEqual(
    outline.regions[1].children.map((c) => [c.kind, c.name]),
    [['method', 'total']],
  );
  assert.deepEqual(
    outline.imports.map((i) => i.source),
    ['node:fs/promises'],
  );
  assert.deepEqual(outline.exports.map((e) => e.name).sort(), ['Cart', 'add']);
});

test('outline of Python, and no structured outline for a language without a spec', async () => {
  const py = await engine.request('outline', {
    path: 'tools/ship.py',
    languageId: 'python',
    text: 'import os\n\ndef ship(order):\n    """Sends an order."""\n    return os.getcwd()\n',
  });
  assert.equal(py.structured, true);
  assert.deepEqual(
    py.outline.regions.map((r) => [r.name, r.doc]),
    [['ship', 'Sends an order.']],
  );

  const text = await engine.request('outline', { path: 'notes.txt', languageId: 'plaintext', text: 'hello\n\nworld\n' });
  assert.equal(text.structured, false);
});

test('many requests in flight share one worker and one parser', async () => {
  const paths = Array.from({ length: 20 }, (_, i) => `f${i}.py`);
  const results = await Promise.all(
    paths.map((path, i) => engine.request('outline', { path, languageId: 'python', text: `def f${i}():\n    pass\n` })),
  );
  assert.deepEqual(
    results.map((r) => r.outline.regions[0]?.name),
    paths.map((_, i) => `f${i}`),
  );
  assert.equal(engine.restarts, 0);
});

test('timings: worker start + first outline, then warm outlines of a 1,500-line file', async (t) => {
  const fresh = new RpcClient<EngineMethods>({
    workerFile: new URL('../../extension/engine/worker.ts', import.meta.url),
    workerData: {},
    execArgv: ['--require', 'tsx/cjs'],
  });
  try {
    const body = Array.from(
      { length: 250 },
      (_, i) => `/** Doc ${i}. */\nexport function f${i}(a: number): number {\n  const b = a * ${i};\n  return b + 1;\n}\n\n`,
    ).join('');
    const lines = body.split('\n').length;
    let started = performance.now();
    const first = await fresh.request('outline', { path: 'big.ts', languageId: 'typescript', text: body });
    const coldMs = performance.now() - started;
    assert.equal(first.outline.regions.length, 250);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      await fresh.request('outline', { path: 'big.ts', languageId: 'typescript', text: body });
      warm.push(performance.now() - started);
    }
    warm.sort((a, b) => a - b);
    t.diagnostic(
      `outline of ${lines} lines: cold (worker start + grammar load) ${coldMs.toFixed(0)} ms, warm median ${warm[2].toFixed(1)} ms`,
    );
    // Generous bound: only catches something badly wrong (e.g. the grammar compiled on every call).
    assert.ok(warm[2] < 2_000, `warm outline took ${warm[2]} ms`);
  } finally {
    await fresh.dispose();
  }
});
