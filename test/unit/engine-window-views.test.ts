// End to end on the tiny contract model (W = 16): after a workspace scan the state's window is the
// last W ids of the files' streams, every view's overlap is its sketch against that window, the
// window survives the index on disk, and a format-2 index is rebuilt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildFileStream } from '../../extension/engine/scan/fileStream';
import { windowHashSet, windowOverlap } from '../../extension/engine/scan/bigrams';
import { shownRecall, retention } from '../../extension/engine/query/regionMath';
import { createEngineDeps } from '../../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../../extension/engine/workspace/workspaceEngine';

const TINY = resolve('test/integration/fixtures/tiny-model');
const FILES: [string, string][] = [
  ['a.ts', 'export function total(parts: number[]): number {\n  return parts.reduce((s, p) => s + p, 0);\n}\n'],
  ['b.ts', 'export function label(name: string): string {\n  return name.toUpperCase();\n}\n'],
  ['c.ts', '/** Sums parts. */\nexport function sum(parts: number[]): number {\n  return parts.reduce((s, p) => s + p, 0);\n}\n'],
];

test('views: window = last W ids of the scan, overlap from it, kept on disk, format 2 rebuilt', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lv-window-'));
  const cache = await mkdtemp(join(tmpdir(), 'lv-window-cache-'));
  for (const [name, text] of FILES) await writeFile(join(dir, name), text);
  const deps = await createEngineDeps({ modelDir: TINY, runtime: { prefer: 'onnxruntime-node', threads: 1 } });
  const engine = await WorkspaceEngine.open(deps, { roots: [dir], cacheDir: cache });
  await engine.sync();
  const { state, history } = engine.index;
  const card = deps.model.card;

  const all: number[] = [];
  for (const f of history) all.push(...buildFileStream(f.relPath, FILES.find(([n]) => n === f.relPath)![1], deps.tokenizer, []).ids);
  assert.equal(state.kvLen, card.W);
  assert.deepEqual([...state.window], all.slice(-card.W), 'the window spans the last file and the one before it');

  const set = windowHashSet(state.window, state.kvLen);
  const views = engine.views();
  assert.ok(views.length >= 3);
  for (const v of views) {
    assert.ok(v.region.sketch.length > 0 && v.region.sketch.length <= card.recallSketchSize);
    assert.equal(v.windowOverlap, windowOverlap(v.region.sketch, set), `${v.file.path} ${v.region.name}`);
  }
  // a.ts and c.ts share the body `return parts.reduce(...)`, which the window may hold: overlap > 0 somewhere.
  assert.ok(views.some((v) => v.windowOverlap > 0));
  const beyond = views.filter((v) => v.distance + v.region.tokEnd - v.region.tokStart > card.W);
  assert.ok(beyond.length >= 2);
  for (const v of beyond) assert.equal(v.recall, shownRecall(card, retention(card, v.file, v.region, state.L), false, v.windowOverlap));

  await engine.persist();
  const window = [...state.window];
  await engine.close();
  const reopened = await WorkspaceEngine.open(deps, { roots: [dir], cacheDir: cache });
  assert.deepEqual(reopened.notices, []);
  assert.deepEqual([...reopened.index.state.window], window);
  assert.deepEqual([...reopened.views()[0].region.sketch], [...views[0].region.sketch]);
  const path = reopened.indexPath;
  await reopened.close();

  // The same index stamped format 2 (checksum redone): refused by its format and rebuilt from scratch.
  const bytes = await readFile(path);
  const body = Buffer.from(bytes.subarray(0, bytes.length - 32));
  body.writeUInt32LE(2, 4);
  await writeFile(path, Buffer.concat([body, createHash('sha256').update(body).digest()]));
  const rebuilt = await WorkspaceEngine.open(deps, { roots: [dir], cacheDir: cache });
  assert.ok(
    rebuilt.notices.some((n) => /format 2/.test(n) && /rebuilding/.test(n)),
    rebuilt.notices.join('; '),
  );
  assert.equal(rebuilt.index.history.length, 0);
  await rebuilt.close();
});
