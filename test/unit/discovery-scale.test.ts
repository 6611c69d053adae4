// Discovery at workspace scale: a 20,000-file tree, and this project's node_modules (real packages).
// Prints the figures; the time limits are loose because the machine may be shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { discoverFiles } from '../../extension/engine/discovery/walk';
import { makeTree, removeTree } from './discovery-helpers';

test('a 20,000-file tree is walked completely, in reasonable time', async (t) => {
  const root = makeTree({});
  t.after(() => removeTree(root));
  for (let d = 0; d < 200; d++) {
    const folder = path.join(root, `pkg${d}`, 'src');
    mkdirSync(folder, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(path.join(folder, `m${f}.ts`), `export function f${f}() {\n  return ${f};\n}\n`);
  }
  const started = performance.now();
  const result = await discoverFiles([root]);
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`20,000 files: ${seconds.toFixed(2)} s (${Math.round(20_000 / seconds)} files/s)`);
  assert.equal(result.files.length, 20_000);
  assert.deepEqual(result.skipped, []);
  assert.ok(seconds < 60, `took ${seconds} s`);
});

const NODE_MODULES = path.join(__dirname, '..', '..', 'node_modules');
test(
  "this project's node_modules: real packages, known files found, binaries and bundles skipped",
  { skip: !existsSync(NODE_MODULES) },
  async (t) => {
    const started = performance.now();
    const result = await discoverFiles([NODE_MODULES], { exclude: [] });
    const seconds = (performance.now() - started) / 1000;
    const entries = result.files.length + result.skipped.length;
    t.diagnostic(
      `node_modules: ${result.files.length} files listed, ${result.skipped.length} skipped ${JSON.stringify(result.skippedByReason)} in ${seconds.toFixed(2)} s`,
    );
    const paths = new Set(result.files.map((f) => f.relativePath));
    assert.ok(paths.has('typescript/lib/lib.es5.d.ts'));
    assert.ok(paths.has('ignore/index.js'));
    assert.equal(result.files.find((f) => f.relativePath === 'web-tree-sitter/lib/tree_cursor.c')?.language, 'c');
    const skipped = new Map(result.skipped.map((s) => [s.relativePath, s.reason]));
    assert.equal(skipped.get('web-tree-sitter/tree-sitter.wasm'), 'binary');
    assert.equal(skipped.get('typescript/lib/typescript.js'), 'too-large');
    assert.ok(entries > 5_000);
    assert.ok(seconds < 120, `took ${seconds} s`);
  },
);
