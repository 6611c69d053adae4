// What keyword search keeps of one file version (lexical.ts, keptTerms.ts, lexicalFile.ts): each
// line's terms counted once (lexicalTerms.ts), and each region, the file's uncovered text and the file
// itself summing the lines they span, per field: a class and its methods share their lines' terms
// instead of each splitting and stemming the text again, and an index is built from integers.
import { addLineTerms, addTerms, commentOf, Ints } from './lexicalTerms';

export type Field = 'name' | 'signature' | 'doc' | 'body' | 'path';
export const FIELDS: readonly Field[] = ['name', 'signature', 'doc', 'body', 'path'];
const F = FIELDS.length;

/**
 * One document's terms per field (a region, or a file's uncovered text), packed: the F fields'
 * lengths (terms counted with repeats), then their numbers of distinct terms, then each field's
 * (term id, count) pairs in turn, by term id when made here (fieldStart finds a field's pairs).
 */
export type DocTerms = Int32Array;
/** Ints before a DocTerms' pairs. */
export const DOC_HEAD = 2 * F;

/** What keyword search keeps of one file version: its regions', its uncovered text's and its whole text's terms. */
export interface FileTerms {
  /** One per region of the record, in its order. */
  regions: DocTerms[];
  /** The lines no region covers (lexical.ts UncoveredText), when there are enough of them. */
  uncovered: { startLine: number; endLine: number; terms: DocTerms } | null;
  /** The whole text's and path's terms: (id, count) pairs by term id, and their total count. */
  counts: Int32Array;
  length: number;
}

/** Counts of term ids: add ids, then take them as (id, count) pairs. */
class Counter {
  private counts = new Int32Array(1024);
  private readonly seen: number[] = [];
  total = 0;
  add(id: number, n = 1): void {
    if (id >= this.counts.length) {
      const more = new Int32Array(Math.max(id + 1, this.counts.length * 2));
      more.set(this.counts);
      this.counts = more;
    }
    if (this.counts[id] === 0) this.seen.push(id);
    this.counts[id] += n;
    this.total += n;
  }
  addRange(ids: Int32Array, from: number, to: number): void {
    for (let i = from; i < to; i++) this.add(ids[i]);
  }
  /** The pairs in term order, and the counter emptied for the next use. */
  take(): { pairs: Int32Array; distinct: number; total: number } {
    this.seen.sort((a, b) => a - b);
    const pairs = new Int32Array(2 * this.seen.length);
    this.seen.forEach((id, i) => {
      pairs[2 * i] = id;
      pairs[2 * i + 1] = this.counts[id];
      this.counts[id] = 0;
    });
    const out = { pairs, distinct: this.seen.length, total: this.total };
    this.seen.length = 0;
    this.total = 0;
    return out;
  }
}
const counter = new Counter();

/** Array.prototype.slice's bounds for (start, end) over `length` items, as lexical.ts has always sliced a region's lines. */
function sliceBounds(length: number, start: number, end: number): [number, number] {
  const at = (x: number) => {
    const t = Number.isNaN(x) ? 0 : Math.trunc(x);
    return t < 0 ? Math.max(length + t, 0) : Math.min(t, length);
  };
  return [at(start), at(end)];
}

/** Uncovered non-blank lines a file needs for its uncovered text to be a candidate. */
const UNCOVERED_MIN_LINES = 3;

interface RegionText {
  name: string;
  signature: string;
  doc: string;
  startLine: number;
  endLine: number;
}

/**
 * A file's terms (FileTerms) from its lines (undefined when it cannot be read: its regions are then
 * searched by name, signature and doc, and the file by its regions' names and signatures).
 */
export function fileTermsOf(path: string, regions: readonly RegionText[], lines: readonly string[] | undefined): FileTerms {
  // Every line's terms and its comment's terms, once: [lineStart[i], lineStart[i + 1]) in `ids`.
  const count = lines?.length ?? 0;
  const ids = lineIds;
  const commentIds = commentLineIds;
  ids.length = 0;
  commentIds.length = 0;
  const lineStart = new Int32Array(count + 1);
  const commentStart = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const line = lines![i];
    addLineTerms(line, ids);
    lineStart[i + 1] = ids.length;
    const comment = commentOf(line);
    if (comment) addLineTerms(comment, commentIds);
    commentStart[i + 1] = commentIds.length;
  }
  const pathField = textField(path);
  const regionDocs = regions.map((r) => {
    const [from, to] = lines ? sliceBounds(count, r.startLine, r.endLine + 1) : [0, 0];
    const name = textField(r.name);
    const signature = textField(r.signature);
    addText(`${r.doc}`); // as a template literal has always made it
    counter.addRange(commentIds.data, commentStart[from], commentStart[to]);
    const doc = counter.take();
    counter.addRange(ids.data, lineStart[from], lineStart[to]);
    return pack([name, signature, doc, counter.take(), pathField]);
  });
  let whole;
  if (lines) {
    addText(path);
    counter.addRange(ids.data, 0, ids.length);
    whole = counter.take();
  } else {
    whole = textField(`${path}\n${regions.map((r) => `${r.name} ${r.signature}`).join('\n')}`);
  }
  return {
    regions: regionDocs,
    uncovered: lines ? uncoveredOf(path, regions, lines, lineStart, commentStart, pathField) : null,
    counts: whole.pairs,
    length: whole.total,
  };
}

/** Scratch lists of fileTermsOf (which runs to its end without yielding). */
const lineIds = new Ints();
const commentLineIds = new Ints();
const textIds = new Ints();

/** searchTerms(text)'s ids added to the counter. */
function addText(text: string): void {
  textIds.length = 0;
  addTerms(text, textIds);
  counter.addRange(textIds.data, 0, textIds.length);
}

/** One field of searchTerms(text). */
function textField(text: string): Field_ {
  addText(text);
  return counter.take();
}
type Field_ = ReturnType<Counter['take']>;

function uncoveredOf(
  path: string,
  regions: readonly RegionText[],
  lines: readonly string[],
  lineStart: Int32Array,
  commentStart: Int32Array,
  pathField: Field_,
): FileTerms['uncovered'] {
  const covered = new Uint8Array(lines.length);
  for (const r of regions) covered.fill(1, Math.max(0, r.startLine), Math.min(lines.length, r.endLine + 1));
  const kept: number[] = [];
  lines.forEach((line, i) => {
    if (!covered[i] && line.trim()) kept.push(i);
  });
  if (kept.length < UNCOVERED_MIN_LINES) return null;
  const name = textField(path.split('/').pop() ?? path);
  const signature = counter.take();
  for (const i of kept) counter.addRange(commentLineIds.data, commentStart[i], commentStart[i + 1]);
  const doc = counter.take();
  for (const i of kept) counter.addRange(lineIds.data, lineStart[i], lineStart[i + 1]);
  const body = counter.take();
  return { startLine: kept[0], endLine: kept[kept.length - 1], terms: pack([name, signature, doc, body, pathField]) };
}

function pack(fields: Field_[]): DocTerms {
  let size = DOC_HEAD;
  for (const f of fields) size += f.pairs.length;
  const out = new Int32Array(size);
  let at = DOC_HEAD;
  fields.forEach((f, i) => {
    out[i] = f.total;
    out[F + i] = f.distinct;
    out.set(f.pairs, at);
    at += f.pairs.length;
  });
  return out;
}

/** Where field `f`'s pairs start in `doc`. */
export function fieldStart(doc: DocTerms, f: number): number {
  let at = DOC_HEAD;
  for (let i = 0; i < f; i++) at += 2 * doc[F + i];
  return at;
}
