// The keyword index's terms kept beside the index file, so that a start does not read every indexed
// file again and split, stem and count its text (bench/README.md "Warm start"): per file record, its
// regions', uncovered text's and whole text's term counts (lexicalTerms.ts FileTerms), under the key of
// the record version they were made from (lexical.ts termsKey: path, content hash, regions). A start
// gives each record the terms stored under its own key and makes the others; the ranking is the same
// either way (test/unit/lexical-file.test.ts, test/integration/keyword-terms.test.ts).
//
// Layout: "LVKW" | u32 format | u32 payload bytes | the payload deflated | sha256(all before). The
// payload: u32 headerBytes | header JSON | zero pad to 8 | terms (UTF-8, one per line) | zero pad to 8 |
// int32 data. The header names the rules' canary (below), the numbers of terms and ints, and per file
// its path, key, and where its ints lie; each field's (term, count) pairs are in term order, each term
// given as its difference to the one before, so the data deflates to about a fifth (deflate and inflate
// run on libuv's threads, beside the engine's: the read overlaps the sessions made at open).
// Like the index, it is data, not authority: the checksum says it is whole, and every count, offset and
// term id is checked against the bounds before anything is made of it; anything wrong and none of it is
// used (one notice; the terms are made from the files, and the next index write replaces it).
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import { vocabulary } from './lexicalTerms';
import { DOC_HEAD, FIELDS, fieldStart, fileTermsOf, type DocTerms, type FileTerms } from './fileTerms';

// 1: the first.
export const KEYWORD_FORMAT = 1;
const MAGIC = Buffer.from('LVKW', 'latin1');
const HASH_BYTES = 32;
const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);
/** A payload this many times its deflated size is refused before it is inflated (deflate's own limit is about 1,000). */
const MAX_RATIO = 1032;
const F = FIELDS.length;
const padTo8 = (n: number) => n + ((8 - (n % 8)) % 8);

/** Why a keyword file was not used; `message` is one line. */
export class KeywordsUnusable extends Error {}

/** One record's terms as kept: under its key (lexical.ts termsKey). */
export interface KeptFileTerms {
  path: string;
  key: string;
  terms: FileTerms;
}

/**
 * The terms of a small fixed file, spelled out: stored in the header and compared at read, so terms
 * made by other rules (another stemmer, stop list, splitting, comment or uncovered-text rule) are not
 * mixed with this engine's without a format change.
 */
function canary(): string {
  const lines = [
    '/** Parses the HTTPHeaders of read_file_sync: connecting, connected, connections. */',
    'export function parseHTTPHeaders(raw_input: string, maxLen2 = 0): XMLHttpRequest { // X-Forwarded-For',
    "  # caf\u00e9 \u0130stanbul \u212aelvin -- 'quoted' \"\"\" docstring ''' being happily",
    '',
    '  return a1B2c3 + ABCDef + __init__ + _x + x_;',
    '}',
    'const tableOne = 1;',
    'const tableTwo = 2;',
    '/* the uncovered text */',
  ];
  const region = { name: 'parseHTTPHeaders', signature: 'export function parseHTTPHeaders(raw_input: string)', doc: 'Parses headers.' };
  const terms = fileTermsOf('src/canary_file.ts', [{ ...region, startLine: 1, endLine: 5 }], lines);
  const spell = (pairs: ArrayLike<number>) => {
    const out: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) out.push(`${vocabulary.terms[pairs[i]]}:${pairs[i + 1]}`);
    return out.sort().join(' ');
  };
  const doc = (d: DocTerms) =>
    FIELDS.map((_, f) => `${d[f]}[${spell(d.subarray(fieldStart(d, f), fieldStart(d, f) + 2 * d[F + f]))}]`).join(' ');
  const u = terms.uncovered;
  return [
    terms.regions.map(doc).join(),
    u ? `${u.startLine}-${u.endLine} ${doc(u.terms)}` : '',
    `${terms.length}[${spell(terms.counts)}]`,
  ].join(' | ');
}
let canaryText: string | undefined;

/**
 * One file's ints (terms as this process numbers them, each field's in order as differences), made
 * once per FileTerms (which never change): a write encodes only files made or changed since the last.
 */
const chunks = new WeakMap<FileTerms, Int32Array>();

function chunkOf(t: FileTerms): Int32Array {
  let chunk = chunks.get(t);
  if (chunk) return chunk;
  let size = 6 + t.counts.length + (t.uncovered ? 1 + t.uncovered.terms.length : 0);
  for (const r of t.regions) size += 1 + r.length;
  chunk = new Int32Array(size);
  const data = chunk;
  let at = 0;
  const pairs = (src: Int32Array, from: number, to: number) => {
    let list = src.subarray(from, to);
    // Made here, a field's pairs are in term order; read back into a process that numbered terms
    // before, they may not be.
    let sorted = true;
    for (let i = 2; i < list.length && sorted; i += 2) sorted = list[i] > list[i - 2];
    if (!sorted) {
      const order = Array.from({ length: list.length / 2 }, (_, i) => i).sort((x, y) => list[2 * x] - list[2 * y]);
      const copy = new Int32Array(list.length);
      order.forEach((k, i) => {
        copy[2 * i] = list[2 * k];
        copy[2 * i + 1] = list[2 * k + 1];
      });
      list = copy;
    }
    let last = 0;
    for (let i = 0; i < list.length; i += 2) {
      data[at++] = list[i] - last;
      data[at++] = list[i + 1];
      last = list[i];
    }
  };
  const doc = (d: DocTerms) => {
    data[at++] = d.length;
    data.set(d.subarray(0, DOC_HEAD), at);
    at += DOC_HEAD;
    for (let f = 0; f < F; f++) pairs(d, fieldStart(d, f), fieldStart(d, f) + 2 * d[F + f]);
  };
  const u = t.uncovered;
  data[at++] = t.regions.length;
  data[at++] = u ? 1 : 0;
  data[at++] = u ? u.startLine : 0;
  data[at++] = u ? u.endLine : 0;
  data[at++] = t.length;
  data[at++] = t.counts.length;
  pairs(t.counts, 0, t.counts.length);
  if (u) doc(u.terms);
  for (const r of t.regions) doc(r);
  chunks.set(t, chunk);
  return chunk;
}

/** The keyword file's bytes for `files` (with the process's whole term list: ids need no renumbering then). */
export async function encodeKeywords(files: readonly KeptFileTerms[]): Promise<Buffer> {
  const fileChunks = files.map((f) => chunkOf(f.terms));
  const refs: [string, string, number, number][] = [];
  let ints = 0;
  files.forEach((f, i) => {
    refs.push([f.path, f.key, ints, fileChunks[i].length]);
    ints += fileChunks[i].length;
  });
  canaryText ??= canary(); // before the term list is taken: its terms are in it
  const vocab = Buffer.from(vocabulary.terms.join('\n'), 'utf8');
  const header = Buffer.from(
    JSON.stringify({ canary: canaryText, terms: vocabulary.size, vocabBytes: vocab.length, ints, files: refs }),
    'utf8',
  );
  const vocabAt = padTo8(4 + header.length);
  const intsAt = padTo8(vocabAt + vocab.length);
  const payload = Buffer.alloc(intsAt + 4 * ints);
  payload.writeUInt32LE(header.length, 0);
  header.copy(payload, 4);
  vocab.copy(payload, vocabAt);
  let at = intsAt;
  for (const c of fileChunks) {
    Buffer.from(c.buffer, c.byteOffset, c.byteLength).copy(payload, at);
    at += c.byteLength;
  }
  const packed = await deflate(payload, { level: 6 });
  const head = Buffer.alloc(12);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(KEYWORD_FORMAT, 4);
  head.writeUInt32LE(payload.length, 8);
  const digest = createHash('sha256').update(head).update(packed).digest();
  return Buffer.concat([head, packed, digest]);
}

/**
 * The files' terms in `bytes`, by path; throws KeywordsUnusable (one line naming `where`) when the file
 * is not whole, of another format or rules, or says anything out of bounds.
 */
export async function decodeKeywords(bytes: Buffer, where: string): Promise<Map<string, { key: string; terms: FileTerms }>> {
  const bad = (why: string) => new KeywordsUnusable(`${where} ${why}`);
  if (bytes.length < 12 + HASH_BYTES || !bytes.subarray(0, 4).equals(MAGIC)) throw bad('is not a Longview keyword file');
  const format = bytes.readUInt32LE(4);
  if (format !== KEYWORD_FORMAT) throw bad(`has format ${format}, this engine reads ${KEYWORD_FORMAT}`);
  const body = bytes.subarray(0, bytes.length - HASH_BYTES);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(body.length))) throw bad('is damaged (checksum mismatch)');
  const size = bytes.readUInt32LE(8);
  if (size < 4 || size > MAX_RATIO * (body.length - 12)) throw bad('says its terms are larger than they can be');
  let payload: Buffer;
  try {
    payload = await inflate(body.subarray(12), { maxOutputLength: size });
  } catch {
    throw bad('cannot be inflated');
  }
  if (payload.length !== size) throw bad('has sizes that do not add up');
  const headerLen = payload.readUInt32LE(0);
  if (4 + headerLen > payload.length) throw bad('has a header past its end');
  let header: { canary?: unknown; terms?: unknown; vocabBytes?: unknown; ints?: unknown; files?: unknown };
  try {
    header = JSON.parse(payload.subarray(4, 4 + headerLen).toString('utf8'));
  } catch {
    throw bad('has an unreadable header');
  }
  const count = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (typeof header !== 'object' || header === null || !count(header.terms) || !count(header.vocabBytes) || !count(header.ints))
    throw bad('has an unexpected header');
  const vocabAt = padTo8(4 + headerLen);
  const intsAt = padTo8(vocabAt + header.vocabBytes);
  if (intsAt + 4 * header.ints !== payload.length) throw bad('has sizes that do not add up');
  const text = payload.subarray(vocabAt, vocabAt + header.vocabBytes).toString('utf8');
  const terms = text === '' ? [] : text.split('\n');
  // Terms are what lexicalTerms.ts makes: lower-case letters and digits.
  if (terms.length !== header.terms || !/^[a-z0-9]*$/.test(text.replace(/\n/g, '')) || terms.some((t) => t === ''))
    throw bad('has a malformed term list');
  if (header.canary !== (canaryText ??= canary())) throw bad('was made with other term rules');
  const ids = Int32Array.from(terms, (t) => vocabulary.id(t));
  // The payload is a fresh buffer of its own (inflate's), so its ints can be viewed where they lie.
  const data =
    (payload.byteOffset + intsAt) % 4 === 0
      ? new Int32Array(payload.buffer, payload.byteOffset + intsAt, header.ints)
      : new Int32Array(payload.buffer.slice(payload.byteOffset + intsAt, payload.byteOffset + intsAt + 4 * header.ints));
  if (!Array.isArray(header.files)) throw bad('has an unexpected header');
  const out = new Map<string, { key: string; terms: FileTerms }>();
  for (const ref of header.files as unknown[]) {
    if (!Array.isArray(ref) || typeof ref[0] !== 'string' || typeof ref[1] !== 'string' || !count(ref[2]) || !count(ref[3]))
      throw bad('has an unexpected file entry');
    const [path, key, start, length] = ref as [string, string, number, number];
    if (start + length > header.ints) throw bad(`has terms past its end (${JSON.stringify(path).slice(0, 120)})`);
    const terms = fileTermsFrom(data.subarray(start, start + length), ids);
    if (!terms) throw bad(`has malformed terms (${JSON.stringify(path).slice(0, 120)})`);
    out.set(path, { key, terms });
  }
  return out;
}

/** One file's ints back into FileTerms (ids as this process numbers them), or undefined when anything is out of bounds. */
function fileTermsFrom(d: Int32Array, ids: Int32Array): FileTerms | undefined {
  if (d.length < 6) return undefined;
  const [regions, hasUncovered, uStart, uEnd, length, countsLength] = d;
  if (regions < 0 || (hasUncovered !== 0 && hasUncovered !== 1) || uStart < 0 || uEnd < uStart || length < 0) return undefined;
  // One array for the file, its documents views of it (no more ints than the file's own).
  const whole = new Int32Array(d.length);
  let used = 0;
  const carve = (n: number) => whole.subarray(used, (used += n));
  let at = 6;
  if (countsLength < 0 || at + countsLength > d.length) return undefined;
  const counts = carve(countsLength);
  if (!pairsInto(d, at, countsLength, ids, length, counts, 0)) return undefined;
  at += countsLength;
  const doc = (): DocTerms | undefined => {
    if (at >= d.length) return undefined;
    const size = d[at++];
    if (size < DOC_HEAD || at + size > d.length) return undefined;
    const out = carve(size);
    out.set(d.subarray(at, at + DOC_HEAD));
    let pairsAt = DOC_HEAD;
    for (let f = 0; f < F; f++) {
      const n = 2 * out[F + f];
      if (out[F + f] < 0 || pairsAt + n > size || !pairsInto(d, at + pairsAt, n, ids, out[f], out, pairsAt)) return undefined;
      pairsAt += n;
    }
    if (pairsAt !== size) return undefined;
    at += size;
    return out;
  };
  let uncovered: FileTerms['uncovered'] = null;
  if (hasUncovered) {
    const terms = doc();
    if (!terms) return undefined;
    uncovered = { startLine: uStart, endLine: uEnd, terms };
  }
  const docs: DocTerms[] = [];
  for (let i = 0; i < regions; i++) {
    const r = doc();
    if (!r) return undefined;
    docs.push(r);
  }
  if (at !== d.length) return undefined;
  return { regions: docs, uncovered, counts, length };
}

/**
 * `n` ints of (term difference, count) pairs at `at` in `d` into `out` at `to`, as (id, count): terms
 * ascending within the term list, counts positive and summing to `total`; false when any is not.
 */
function pairsInto(d: Int32Array, at: number, n: number, ids: Int32Array, total: number, out: Int32Array, to: number): boolean {
  if (n < 0 || n % 2 !== 0 || at + n > d.length || to + n > out.length) return false;
  let term = 0;
  let sum = 0;
  for (let i = 0; i < n; i += 2) {
    const step = d[at + i];
    const count = d[at + i + 1];
    if (step < (i === 0 ? 0 : 1) || count < 1) return false;
    term += step;
    if (term >= ids.length) return false;
    out[to + i] = ids[term];
    out[to + i + 1] = count;
    sum += count;
  }
  return sum === total;
}
