// The ONNX initializer reader: the shipped scan.onnx's fp16 embedding (what the recall probe passes to
// token_nll.onnx), and hand-built protobuf bytes for what the real file may not show: unpacked and
// packed dims, fields of every wire type to skip, a missing name, truncation, no raw_data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { float16Matrix, OnnxFormatError, readInitializer } from '../../extension/engine/model/onnxInitializer';

const SCAN = resolve('media/model/scan.onnx');

test("the shipped scan.onnx's fp16 token embedding: dims [8192, 256], float16, raw bytes a view", () => {
  const bytes = readFileSync(SCAN);
  const wte = readInitializer(bytes, 'model.wte.weight__fp16');
  assert.deepEqual(wte.dims, [8192, 256]);
  assert.equal(wte.dataType, 10);
  assert.equal(wte.raw.byteLength, 8192 * 256 * 2);
  assert.equal(wte.raw.buffer, bytes.buffer, 'a view into the model bytes, not a copy');
  const m = float16Matrix(bytes, 'model.wte.weight__fp16');
  assert.ok(m.data instanceof Uint16Array && m.data.length === 8192 * 256);
  // Spot check against the raw bytes (little-endian), and that the values are sane fp16 (finite, not all zero).
  assert.equal(m.data[12345], wte.raw[2 * 12345] | (wte.raw[2 * 12345 + 1] << 8));
  let nonZero = 0;
  for (let i = 0; i < 4096; i++) {
    assert.notEqual(m.data[i] & 0x7c00, 0x7c00, 'no inf/NaN');
    if (m.data[i] & 0x7fff) nonZero++;
  }
  assert.ok(nonZero > 4000);
  assert.throws(
    () => readInitializer(bytes, 'model.wte.weight'),
    (e: Error) => e instanceof OnnxFormatError && /no initializer "model.wte.weight"/.test(e.message),
  );
});

// A minimal protobuf writer for the hand-built cases.
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
const tag = (field: number, wire: number) => varint(field * 8 + wire);
const bytesField = (field: number, body: number[]) => [...tag(field, 2), ...varint(body.length), ...body];
const text = (s: string) => [...Buffer.from(s, 'utf8')];

function tensor(name: string, dims: number[], packed: boolean, raw: number[] | undefined, extra: number[] = []): number[] {
  const dimBytes = packed ? bytesField(1, dims.flatMap(varint)) : dims.flatMap((d) => [...tag(1, 0), ...varint(d)]);
  return [...dimBytes, ...tag(2, 0), ...varint(10), ...extra, ...bytesField(8, text(name)), ...(raw ? bytesField(9, raw) : [])];
}
// Fields of every wire type the walk must step over: a varint, a fixed64, a fixed32 and a string.
const noise = [
  ...tag(3, 0),
  ...varint(300),
  ...tag(4, 1),
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  ...tag(6, 5),
  9,
  9,
  9,
  9,
  ...bytesField(12, text('doc')),
];

function model(initializers: number[][]): Uint8Array {
  const graph = [...bytesField(1, text('node-ish')), ...initializers.flatMap((t) => bytesField(5, t)), ...tag(13, 0), ...varint(7)];
  return Uint8Array.from([
    ...tag(1, 0),
    ...varint(8),
    ...bytesField(2, text('producer')),
    ...noise,
    ...bytesField(7, graph),
    ...bytesField(14, [1, 2]),
  ]);
}

test('hand-built bytes: unpacked and packed dims, other tensors and every wire type skipped', () => {
  const bytes = model([
    tensor('a', [2, 3], false, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], noise),
    tensor('b', [300, 1, 70000], true, [0xaa, 0xbb]),
  ]);
  const a = readInitializer(bytes, 'a');
  assert.deepEqual(a.dims, [2, 3]);
  assert.equal(a.dataType, 10);
  assert.deepEqual([...a.raw], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const b = readInitializer(bytes, 'b');
  assert.deepEqual(b.dims, [300, 1, 70000], 'packed dims, multi-byte varints');
  assert.deepEqual([...b.raw], [0xaa, 0xbb]);
  const m = float16Matrix(model([tensor('m', [1, 2], true, [0x00, 0x3c, 0x00, 0xc0])]), 'm');
  assert.deepEqual([...m.data], [0x3c00, 0xc000], '1.0 and -2.0 as fp16 bit patterns');
});

test('clear errors: missing name, truncated bytes, no raw_data, external data, wrong shape for a matrix', () => {
  const bytes = model([tensor('a', [2, 2], false, [1, 2, 3, 4, 5, 6, 7, 8])]);
  assert.throws(() => readInitializer(bytes, 'z'), /no initializer "z"/);
  // Cuts inside the graph field (the model's last field is 4 bytes after it): its length runs past the end.
  for (const cut of [bytes.length - 5, bytes.length - 20, 30]) {
    assert.throws(
      () => readInitializer(bytes.subarray(0, cut), 'a'),
      (e: Error) => e instanceof OnnxFormatError && /truncated|corrupt/.test(e.message),
      `cut at ${cut}`,
    );
  }
  assert.throws(() => readInitializer(model([tensor('a', [2], false, undefined)]), 'a'), /no raw_data/);
  assert.throws(() => readInitializer(model([tensor('a', [2], false, undefined, [...tag(14, 0), 1])]), 'a'), /external/);
  assert.throws(() => float16Matrix(model([tensor('a', [2, 2], false, [1, 2, 3, 4, 5, 6])]), 'a'), /holds 6 bytes, expected 8/);
  assert.throws(() => float16Matrix(model([tensor('v', [4], false, [0, 0, 0, 0, 0, 0, 0, 0])]), 'v'), /expected a matrix/);
});
