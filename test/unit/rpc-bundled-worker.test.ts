// The bundled engine worker (dist/engine-worker.js) exactly as the extension starts it: no tsx,
// WASM files from dist/wasm. Catches bundling mistakes (a dependency that reads import.meta.url,
// a missing .wasm) that the source-level tests cannot see. Needs `npm run build` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RpcClient } from '../../extension/engine/rpc/client';
import type { EngineMethods } from '../../extension/engine/rpc/methods';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const workerFile = `${dist}engine-worker.js`;
const fixture = fileURLToPath(new URL('../fixtures/workspace/src/inventory.ts', import.meta.url));

test(
  'the bundled worker outlines with the WASM files in dist/wasm',
  { skip: !existsSync(workerFile) && 'dist/engine-worker.js is not built (npm run build)' },
  async (t) => {
    const engine = new RpcClient<EngineMethods>({ workerFile, workerData: { wasmDir: `${dist}wasm` }, execArgv: [] });
    try {
      const text = readFileSync(fixture, 'utf8');
      let started = performance.now();
      const cold = await engine.request('outline', { path: 'src/inventory.ts', languageId: 'typescript', text });
      const coldMs = performance.now() - started;
      assert.equal(cold.structured, true);
      assert.ok(cold.outline.regions.some((r) => r.name === 'Inventory' && r.children.some((c) => c.name === 'sell')));

      const big = Array.from(
        { length: 250 },
        (_, i) => `/** Doc ${i}. */\nexport function f${i}(a: number): number {\n  return a * ${i};\n}\n\n`,
      ).join('');
      const warm: number[] = [];
      for (let i = 0; i < 7; i++) {
        started = performance.now();
        const result = await engine.request('outline', { path: 'big.ts', languageId: 'typescript', text: big });
        warm.push(performance.now() - started);
        assert.equal(result.outline.regions.length, 250);
      }
      warm.sort((a, b) => a - b);
      t.diagnostic(
        `bundled worker: cold start + first outline ${coldMs.toFixed(0)} ms; warm outline of ${big.split('\n').length} lines, median ${warm[3].toFixed(1)} ms`,
      );

      const py = await engine.request('outline', { path: 'a.py', languageId: 'python', text: 'def f():\n    """Doc."""\n' });
      assert.deepEqual(
        py.outline.regions.map((r) => r.name),
        ['f'],
      );
    } finally {
      await engine.dispose();
    }
  },
);
