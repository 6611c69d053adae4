// The on-disk index: round trip, and every kind of damage detected with a one-line reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { decodeIndex, encodeIndex, INDEX_FORMAT, IndexUnusable, loadIndex } from '../../extension/engine/index/indexFile';
import { saveIndex } from '../../extension/engine/index/indexWrite';
import { quantizePerHead, dequantizePerHead } from '../../extension/engine/index/quantize';
import type { WorkspaceIndex } from '../../extension/engine/index/types';

function sampleIndex(): WorkspaceIndex {
  const state = {
    ssm: Float32Array.of(1, 2, 3),
    kv: Float32Array.of(4, 5),
    kvLen: 2,
    window: Int32Array.of(8190, 3, 0),
    L: Float64Array.of(-1e6 - 0.25, -3),
    tokens: 42,
  };
  return {
    modelHash: 'abc',
    roots: ['/w'],
    complete: true,
    skipped: { binary: 2 },
    updatedAt: 5,
    state,
    checkpoints: [{ historyLength: 1, state: { ...state, window: Int32Array.of(1, 97, 0), tokens: 7 } }],
    history: [
      {
        path: 'a.ts',
        root: 0,
        relPath: 'a.ts',
        mtimeMs: 1,
        size: 10,
        ctimeMs: 1.5,
        contentHash: 'h',
        tokens: 7,
        language: 'typescript',
        imports: ['./b'],
        exports: ['f'],
        live: true,
        lBase: Float64Array.of(-0.5, -1),
        regions: [
          {
            kind: 'function',
            name: 'f',
            startLine: 0,
            endLine: 3,
            doc: 'does f',
            signature: 'function f()',
            embedding: Int8Array.of(1, -2, 127, 0),
            scales: Float32Array.of(0.5, 2),
            lEnd: Float32Array.of(-0.1, -0.2),
            tokStart: 7,
            tokEnd: 19,
            sketch: Uint32Array.of(41655503, 273159489, 4195535061),
            head: Uint16Array.of(1, 8191, 300, 65535),
          },
        ],
      },
      {
        path: 'old.ts',
        root: 0,
        relPath: 'old.ts',
        mtimeMs: 1,
        size: 10,
        contentHash: 'h2',
        tokens: 35,
        language: 'typescript',
        imports: [],
        exports: [],
        live: false,
        lBase: Float64Array.of(0, 0),
        regions: [],
      },
    ],
  };
}

test('encode/decode round-trips every field, float64 L exactly', () => {
  const back = decodeIndex(encodeIndex(sampleIndex()), 'abc');
  assert.deepEqual(back, sampleIndex());
});

test("the round trip keeps region sketches (full 32-bit) and the state's and checkpoints' window ids", () => {
  const back = decodeIndex(encodeIndex(sampleIndex()), 'abc');
  const sketch = back.history[0].regions[0].sketch;
  assert.ok(sketch instanceof Uint32Array);
  assert.deepEqual([...sketch], [41655503, 273159489, 4195535061]);
  assert.ok(back.state.window instanceof Int32Array);
  assert.deepEqual([...back.state.window], [8190, 3, 0]);
  assert.equal(back.state.kvLen, 2);
  assert.deepEqual([...back.checkpoints[0].state.window], [1, 97, 0]);
});

test("the round trip keeps region heads (the recall probe's token ids, 16-bit)", () => {
  const back = decodeIndex(encodeIndex(sampleIndex()), 'abc');
  const head = back.history[0].regions[0].head;
  assert.ok(head instanceof Uint16Array);
  assert.deepEqual([...head], [1, 8191, 300, 65535]);
});

const OLD_FORMATS: Record<number, string> = {
  2: 'no sketches, no window',
  3: 'no region heads',
  4: 'older outlines',
  5: 'licence headers in docs',
  6: 'older C/C++ outlines',
};
for (const old of [2, 3, 4, 5, 6]) {
  test(`a format-${old} index (${OLD_FORMATS[old]}) is refused as 'format', so the engine rebuilds it`, () => {
    assert.equal(INDEX_FORMAT, 7);
    // The same bytes with the old format number and a valid checksum: only the format number stops it.
    const good = encodeIndex(sampleIndex());
    const body = Buffer.from(good.subarray(0, good.length - 32));
    body.writeUInt32LE(old, 4);
    const bytes = Buffer.concat([body, createHash('sha256').update(body).digest()]);
    assert.throws(
      () => decodeIndex(bytes, 'abc'),
      (e: IndexUnusable) =>
        e instanceof IndexUnusable && e.reason === 'format' && new RegExp(`format ${old}, this engine reads 7`).test(e.message),
    );
  });
}

test('a flipped byte, a truncated file, another model and another format each give one clear line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lv-index-'));
  const path = join(dir, 'w.lvix');
  await saveIndex(path, sampleIndex());
  const good = await readFile(path);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 40] ^= 0xff;
  await writeFile(path, flipped);
  await assert.rejects(loadIndex(path, 'abc'), (e: IndexUnusable) => e.reason === 'corrupt' && !e.message.includes('\n'));
  await writeFile(path, good.subarray(0, good.length - 100));
  await assert.rejects(loadIndex(path, 'abc'), (e: IndexUnusable) => e.reason === 'truncated' || e.reason === 'corrupt');
  await writeFile(path, good.subarray(0, 10));
  await assert.rejects(loadIndex(path, 'abc'), (e: IndexUnusable) => e.reason === 'truncated');
  await writeFile(path, good);
  await assert.rejects(loadIndex(path, 'other'), (e: IndexUnusable) => e.reason === 'model');
  const otherFormat = Buffer.from(good);
  otherFormat.writeUInt32LE(99, 4);
  await writeFile(path, otherFormat);
  await assert.rejects(loadIndex(path, 'abc'), (e: IndexUnusable) => e.reason === 'format');
  await assert.rejects(loadIndex(join(dir, 'none.lvix'), 'abc'), (e: IndexUnusable) => e.reason === 'missing');
});

test('per-head int8 keeps a quiet head next to a loud one', () => {
  const u = Float32Array.of(1000, -500, 0.001, -0.002);
  const { q, scales } = quantizePerHead(u, 2);
  const back = dequantizePerHead(q, scales);
  assert.ok(Math.abs(back[2] - 0.001) < 2e-5 && Math.abs(back[3] + 0.002) < 2e-5);
  assert.ok(Math.abs(back[0] - 1000) < 5);
});
