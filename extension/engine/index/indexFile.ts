// The on-disk index: one file per workspace, written atomically (temp file + fsync + rename) and
// checksummed, so a crash mid-write leaves the previous index, and a damaged file is detected.
//
// Layout: "LVIX" | u32 format | u32 headerBytes | header JSON | zero pad to 8 | blobs | sha256(all before)
// The header holds everything but the numeric arrays, which live in the blob area at offsets the
// header names, so loading a large index is a few copies rather than a JSON parse of numbers.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { resolveInRoot, unsafeRelativePath } from '../paths/containment';
import type { ScanState } from '../scan/scanState';
import type { Checkpoint, FileRecord, RegionRecord, WorkspaceIndex } from './types';

// 2: regions keep their token range (a, b). 3: regions keep their bigram sketch (h) and states the
// ids of the attention window (w), both read by the shown recall's window-overlap term; a format-2
// index has neither, so it is rebuilt rather than read with overlaps of 0. 4: regions keep the ids of
// their head (p), which the recall probe re-reads; a format-3 index has none, so it is rebuilt rather
// than shown without probes. 5: outlines gained regions (the functions of JavaScript object literals,
// C/C++ code wrapped in bare namespace macros); a format-4 index keeps the old outline of every file
// not edited since, so it is rebuilt rather than searched with those functions missing. 6: a licence
// header right above a declaration's doc is no longer part of that doc (regions/outlineWalker.ts), and
// a record may carry readAs (a renamed file's old header, types.ts); a format-5 index keeps the old
// docs of every file not edited since, so it is rebuilt. 7: C/C++ outlines gained regions (code around
// the macros a grammar cannot expand, regions/languages/cMacros.ts; definitions inside ERROR nodes;
// functions returning references; friend and conversion-operator definitions); a format-6 index keeps
// the old outline of every file not edited since, so it is rebuilt.
export const INDEX_FORMAT = 7;
const MAGIC = Buffer.from('LVIX', 'latin1');
const HASH_BYTES = 32;

/** The index cannot be used; `message` is one line saying why. */
export class IndexUnusable extends Error {
  constructor(
    message: string,
    readonly reason: 'missing' | 'corrupt' | 'truncated' | 'format' | 'model',
  ) {
    super(message);
  }
}

type Typed = Float32Array | Float64Array | Int8Array | Int32Array | Uint32Array | Uint16Array;
interface BlobRef {
  o: number; // byte offset in the blob area
  n: number; // element count
}

const padTo8 = (n: number) => n + ((8 - (n % 8)) % 8);

/** The blob area as it is laid out: the arrays in order, each padded to 8 bytes; referenced, not copied. */
class BlobWriter {
  readonly arrays: Typed[] = [];
  size = 0;
  add(a: Typed): BlobRef {
    const ref = { o: this.size, n: a.length };
    this.arrays.push(a);
    this.size += padTo8(a.byteLength);
    return ref;
  }
}

interface StateJson {
  ssm: BlobRef;
  kv: BlobRef;
  L: BlobRef;
  w: BlobRef; // window ids (all W entries; the first kvLen are valid)
  kvLen: number;
  tokens: number;
}

function writeState(w: BlobWriter, s: ScanState): StateJson {
  // L is the one array a scan writes into (ModelScanner adds each chunk's decays): copied, so the layout stays what it was.
  return { ssm: w.add(s.ssm), kv: w.add(s.kv), L: w.add(s.L.slice()), w: w.add(s.window), kvLen: s.kvLen, tokens: s.tokens };
}

/** A file record's plain fields, as the header keeps them (written and read alike; the arrays go to the blob). */
function plainFields(f: Omit<FileRecord, 'lBase' | 'regions'>): Omit<FileRecord, 'lBase' | 'regions'> {
  return {
    path: f.path,
    root: f.root,
    relPath: f.relPath,
    mtimeMs: f.mtimeMs,
    size: f.size,
    ...(typeof f.ctimeMs === 'number' ? { ctimeMs: f.ctimeMs } : {}), // absent in indexes written before it was kept
    contentHash: f.contentHash,
    tokens: f.tokens,
    language: f.language,
    imports: f.imports,
    exports: f.exports,
    live: f.live,
    ...(validReadAs(f) ? { readAs: { path: f.readAs.path, tokens: f.readAs.tokens } } : {}), // a malformed one is dropped
  };
}

function validReadAs(
  f: Pick<FileRecord, 'readAs' | 'tokens'>,
): f is Pick<FileRecord, 'tokens'> & { readAs: NonNullable<FileRecord['readAs']> } {
  const r: unknown = f.readAs;
  if (typeof r !== 'object' || r === null) return false;
  const { path, tokens } = r as Record<string, unknown>;
  return typeof path === 'string' && Number.isInteger(tokens) && (tokens as number) >= 0 && (tokens as number) <= f.tokens;
}

/**
 * The index as it will be written: the bytes before the blob area (magic, format, header, padding) and
 * the blob area's arrays. Made synchronously, so it is one consistent state of the index however long
 * the write then takes: the header is serialised now, and the arrays are referenced, not copied (the
 * index never writes into an array it keeps: a scan replaces the states' arrays chunk by chunk, and
 * the one it adds into, L, is copied above; records and checkpoints are made once).
 */
export interface IndexLayout {
  head: Buffer;
  blobs: readonly Typed[];
  /** The whole file's size, digest included. */
  bytes: number;
}

export function layoutIndex(index: WorkspaceIndex): IndexLayout {
  const w = new BlobWriter();
  const header = {
    modelHash: index.modelHash,
    roots: index.roots,
    complete: index.complete,
    skipped: index.skipped,
    updatedAt: index.updatedAt,
    state: writeState(w, index.state),
    checkpoints: index.checkpoints.map((c) => ({ historyLength: c.historyLength, state: writeState(w, c.state) })),
    history: index.history.map((f) => ({
      ...plainFields(f),
      lBase: w.add(f.lBase),
      // Regions of superseded versions can never be answered again: only their token count matters.
      regions: f.live
        ? f.regions.map((r) => ({
            k: r.kind,
            n: r.name,
            s: r.startLine,
            e: r.endLine,
            d: r.doc,
            g: r.signature,
            q: w.add(r.embedding),
            c: w.add(r.scales),
            l: w.add(r.lEnd),
            a: r.tokStart,
            b: r.tokEnd,
            h: w.add(r.sketch),
            p: w.add(r.head),
            ...(r.salientLine === undefined ? {} : { v: r.salientLine }),
          }))
        : [],
    })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(padTo8(12 + headerBytes.length));
  MAGIC.copy(head, 0);
  head.writeUInt32LE(INDEX_FORMAT, 4);
  head.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(head, 12);
  return { head, blobs: w.arrays, bytes: head.length + w.size + HASH_BYTES };
}

const ZEROS = Buffer.alloc(8);

/** The layout's bytes in order, the digest excepted: views of its arrays (and their padding), no copies. */
export function* layoutParts(layout: IndexLayout): Generator<Buffer> {
  yield layout.head;
  for (const a of layout.blobs) {
    if (a.byteLength > 0) yield Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const pad = padTo8(a.byteLength) - a.byteLength;
    if (pad) yield ZEROS.subarray(0, pad);
  }
}

export function encodeIndex(index: WorkspaceIndex): Buffer {
  const layout = layoutIndex(index);
  const body = Buffer.concat([...layoutParts(layout)], layout.bytes - HASH_BYTES);
  const digest = createHash('sha256').update(body).digest();
  return Buffer.concat([body, digest]);
}

export function decodeIndex(bytes: Buffer, expectedModelHash: string, where = 'index'): WorkspaceIndex {
  if (bytes.length < 12 + HASH_BYTES) throw new IndexUnusable(`${where} is truncated (${bytes.length} bytes)`, 'truncated');
  if (!bytes.subarray(0, 4).equals(MAGIC)) throw new IndexUnusable(`${where} is not a Longview index (bad magic)`, 'corrupt');
  const format = bytes.readUInt32LE(4);
  if (format !== INDEX_FORMAT) throw new IndexUnusable(`${where} has format ${format}, this engine reads ${INDEX_FORMAT}`, 'format');
  const body = bytes.subarray(0, bytes.length - HASH_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(bytes.subarray(bytes.length - HASH_BYTES))) {
    const headerLen = bytes.readUInt32LE(8);
    const kind = 12 + headerLen > body.length ? 'truncated' : 'corrupt';
    throw new IndexUnusable(`${where} is ${kind} (checksum mismatch)`, kind);
  }
  const headerLen = bytes.readUInt32LE(8);
  let header: any;
  try {
    header = JSON.parse(body.subarray(12, 12 + headerLen).toString('utf8'));
  } catch {
    throw new IndexUnusable(`${where} has an unreadable header`, 'corrupt');
  }
  if (header.modelHash !== expectedModelHash) {
    throw new IndexUnusable(`${where} was built with another model (${String(header.modelHash).slice(0, 12)}…)`, 'model');
  }
  let index: WorkspaceIndex;
  try {
    index = readBody(header, body, headerLen);
  } catch (err) {
    throw new IndexUnusable(`${where} has an unexpected layout (${(err as Error).message})`, 'corrupt');
  }
  const refused = refusedRecord(index);
  if (refused) throw new IndexUnusable(`${where} has a file record outside the workspace (${refused})`, 'corrupt');
  return index;
}

/**
 * The index is data, not authority: a checksum only says the file is whole, not who wrote it. Every file
 * record must name one of the index's roots and a plain relative path below it (discovery/containment.ts);
 * else the first offending record, said in one line (JSON-quoted, so a newline in it stays escaped).
 */
function refusedRecord(index: WorkspaceIndex): string | undefined {
  if (!Array.isArray(index.roots) || index.roots.some((r) => typeof r !== 'string' || !isAbsolute(r) || r.includes('\0'))) {
    return 'roots are not absolute paths';
  }
  for (const f of index.history) {
    const quoted = JSON.stringify(String(f.relPath)).slice(0, 120);
    if (!Number.isInteger(f.root) || f.root < 0 || f.root >= index.roots.length) return `${quoted} names root ${JSON.stringify(f.root)}`;
    const why = unsafeRelativePath(f.relPath) ?? unsafeRelativePath(f.path);
    if (why)
      return `${quoted} ${unsafeRelativePath(f.relPath) ? why : `is shown as ${JSON.stringify(String(f.path)).slice(0, 120)}, which ${why}`}`;
    try {
      resolveInRoot(index.roots[f.root], f.relPath);
    } catch {
      return `${quoted} resolves outside ${index.roots[f.root]}`;
    }
  }
  return undefined;
}

function readBody(header: any, body: Buffer, headerLen: number): WorkspaceIndex {
  const blobStart = 12 + headerLen + ((8 - ((12 + headerLen) % 8)) % 8);
  const blob = body.subarray(blobStart);
  const offset = (r: BlobRef) => {
    if (!Number.isInteger(r?.o) || !Number.isInteger(r?.n) || r.o < 0 || r.n < 0) throw new Error('a bad array reference');
    return r.o;
  };
  // The states' arrays (few, large) are copied one by one, so a checkpoint dropped later frees its memory.
  const copy =
    <T>(C: new (b: ArrayBufferLike) => T, bytes: number) =>
    (r: BlobRef) =>
      new C(blob.buffer.slice(blob.byteOffset + offset(r), blob.byteOffset + r.o + r.n * bytes));
  const f32 = copy(Float32Array, 4);
  const f64 = copy(Float64Array, 8);
  const i32 = copy(Int32Array, 4);
  // The records' arrays (many, small: several per region) are views of one copy of the blob area from
  // the first of them on (the states come before them): one allocation instead of one per array.
  let from = blob.length;
  for (const f of header.history) {
    from = Math.min(from, offset(f.lBase));
    for (const r of f.regions) from = Math.min(from, offset(r.q), offset(r.c), offset(r.l), offset(r.h), offset(r.p));
  }
  from -= from % 8;
  const area = new Uint8Array(blob.length - from);
  area.set(blob.subarray(from));
  const view =
    <T>(C: new (b: ArrayBuffer, o: number, n: number) => T) =>
    (r: BlobRef) =>
      new C(area.buffer, offset(r) - from, r.n);
  const recordF64 = view(Float64Array);
  const recordF32 = view(Float32Array);
  const i8 = view(Int8Array);
  const u16 = view(Uint16Array);
  const u32 = view(Uint32Array);
  const readState = (s: StateJson): ScanState => ({
    ssm: f32(s.ssm),
    kv: f32(s.kv),
    kvLen: s.kvLen,
    window: i32(s.w),
    L: f64(s.L),
    tokens: s.tokens,
  });
  const history: FileRecord[] = header.history.map((f: any) => ({
    ...plainFields(f),
    lBase: recordF64(f.lBase),
    regions: f.regions.map((r: any): RegionRecord => ({
      kind: r.k,
      name: r.n,
      startLine: r.s,
      endLine: r.e,
      doc: r.d,
      signature: r.g,
      embedding: i8(r.q),
      scales: recordF32(r.c),
      lEnd: recordF32(r.l),
      tokStart: r.a,
      tokEnd: r.b,
      sketch: u32(r.h),
      head: u16(r.p),
      ...(typeof r.v === 'number' ? { salientLine: r.v } : {}),
    })),
  }));
  const checkpoints: Checkpoint[] = header.checkpoints.map((c: any) => ({ historyLength: c.historyLength, state: readState(c.state) }));
  return {
    modelHash: header.modelHash,
    roots: header.roots,
    complete: header.complete,
    skipped: header.skipped ?? {},
    updatedAt: header.updatedAt,
    state: readState(header.state),
    checkpoints,
    history,
  };
}

export async function loadIndex(path: string, expectedModelHash: string): Promise<WorkspaceIndex> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new IndexUnusable(`no index at ${path}`, 'missing');
    throw new IndexUnusable(`index ${path} cannot be read: ${(err as NodeJS.ErrnoException).code}`, 'corrupt');
  }
  return decodeIndex(bytes, expectedModelHash, `index ${path}`);
}
