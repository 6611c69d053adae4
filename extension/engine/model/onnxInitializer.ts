// Reads one named initializer (a stored weight) out of an ONNX model's bytes. The recall probe needs
// scan.onnx's fp16 token embedding as an input of token_nll.onnx (which ships without weights, so the
// 4 MB table is not shipped twice). Why a hand-written protobuf walk: onnxruntime does not expose a
// session's initializers, and the one protobuf package would need the whole onnx schema compiled in
// for one field. The walk reads only what it needs and skips every other field by its wire type:
//   ModelProto   7: graph (GraphProto)
//   GraphProto   5: initializer (TensorProto, repeated)
//   TensorProto  1: dims (int64, packed or not)  2: data_type  8: name  9: raw_data  14: data_location
// The result's bytes are a view into `model` (no copy of the table).

export interface OnnxInitializer {
  dims: number[];
  /** ONNX TensorProto.DataType: 1 FLOAT, 7 INT64, 10 FLOAT16, … */
  dataType: number;
  /** The raw little-endian element bytes: a view into the model bytes. */
  raw: Uint8Array;
}

export class OnnxFormatError extends Error {}

export const ONNX_FLOAT16 = 10;

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

/** A cursor over one protobuf message's bytes [pos, end). */
class Fields {
  constructor(
    private readonly bytes: Uint8Array,
    private pos: number,
    private readonly end: number,
    private readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a Number (exact up to 2^53: ample for dims, types, lengths). */
  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.pos >= this.end) throw new OnnxFormatError(`${this.what}: truncated varint`);
      const b = this.bytes[this.pos++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
    throw new OnnxFormatError(`${this.what}: varint longer than 10 bytes (corrupt)`);
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const t = this.varint();
    return { field: Math.floor(t / 8), wire: t % 8 };
  }

  /** A length-delimited field's body as [start, end) within the bytes. */
  span(): [number, number] {
    const n = this.varint();
    const start = this.pos;
    if (start + n > this.end) throw new OnnxFormatError(`${this.what}: a field runs past its end (truncated or corrupt)`);
    this.pos += n;
    return [start, start + n];
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === BYTES) this.span();
    else if (wire === FIXED64 || wire === FIXED32) {
      this.pos += wire === FIXED64 ? 8 : 4;
      if (this.pos > this.end) throw new OnnxFormatError(`${this.what}: truncated fixed-width field`);
    } else throw new OnnxFormatError(`${this.what}: unsupported wire type ${wire} (corrupt)`);
  }

  sub([start, end]: [number, number], what: string): Fields {
    return new Fields(this.bytes, start, end, what);
  }
}

const utf8 = new TextDecoder('utf-8');

/** The initializer called `name` in the ONNX model `model`. Throws OnnxFormatError with one line saying why not. */
export function readInitializer(model: Uint8Array, name: string): OnnxInitializer {
  const top = new Fields(model, 0, model.length, 'onnx model');
  const want = new TextEncoder().encode(name);
  while (!top.done) {
    const { field, wire } = top.tag();
    if (field !== 7 || wire !== BYTES) {
      top.skip(wire);
      continue;
    }
    const graph = top.sub(top.span(), 'onnx graph');
    while (!graph.done) {
      const g = graph.tag();
      if (g.field !== 5 || g.wire !== BYTES) {
        graph.skip(g.wire);
        continue;
      }
      const [start, end] = graph.span();
      const found = readTensor(model, graph.sub([start, end], 'onnx initializer'), want);
      if (found) return found;
    }
  }
  throw new OnnxFormatError(`onnx model has no initializer "${name}"`);
}

/** The tensor if its name is `want`, else undefined (its other fields are then not kept). */
function readTensor(model: Uint8Array, t: Fields, want: Uint8Array): OnnxInitializer | undefined {
  const dims: number[] = [];
  let dataType = 0;
  let raw: [number, number] | undefined;
  let external = false;
  let name: [number, number] | undefined;
  while (!t.done) {
    const { field, wire } = t.tag();
    if (field === 1 && wire === VARINT) dims.push(t.varint());
    else if (field === 1 && wire === BYTES) {
      const packed = t.sub(t.span(), 'onnx tensor dims');
      while (!packed.done) dims.push(packed.varint());
    } else if (field === 2 && wire === VARINT) dataType = t.varint();
    else if (field === 8 && wire === BYTES) name = t.span();
    else if (field === 9 && wire === BYTES) raw = t.span();
    else if (field === 14 && wire === VARINT) external = t.varint() === 1;
    else t.skip(wire);
  }
  if (!name || !sameBytes(model, name, want)) return undefined;
  const label = utf8.decode(want);
  if (external) throw new OnnxFormatError(`onnx initializer "${label}" is stored in an external file, not in the model`);
  if (!raw) throw new OnnxFormatError(`onnx initializer "${label}" has no raw_data (typed fields are not read)`);
  return { dims, dataType, raw: model.subarray(raw[0], raw[1]) };
}

function sameBytes(bytes: Uint8Array, [start, end]: [number, number], want: Uint8Array): boolean {
  if (end - start !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (bytes[start + i] !== want[i]) return false;
  return true;
}

/**
 * An fp16 [rows, cols] initializer as a Uint16Array of its bit patterns (what an onnxruntime
 * "float16" tensor takes). Copied once: the view into the file bytes may sit at an odd offset.
 */
export function float16Matrix(model: Uint8Array, name: string): { data: Uint16Array; dims: [number, number] } {
  const init = readInitializer(model, name);
  if (init.dataType !== ONNX_FLOAT16)
    throw new OnnxFormatError(`onnx initializer "${name}" has data type ${init.dataType}, expected ${ONNX_FLOAT16} (float16)`);
  if (init.dims.length !== 2) throw new OnnxFormatError(`onnx initializer "${name}" has dims [${init.dims}], expected a matrix`);
  const [rows, cols] = init.dims;
  if (init.raw.byteLength !== rows * cols * 2) {
    throw new OnnxFormatError(
      `onnx initializer "${name}" holds ${init.raw.byteLength} bytes, expected ${rows * cols * 2} for [${rows}, ${cols}] float16`,
    );
  }
  const data = new Uint16Array(rows * cols);
  new Uint8Array(data.buffer).set(init.raw);
  return { data, dims: [rows, cols] };
}
