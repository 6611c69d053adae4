// Keyword documents of a set of files, inverted (lexical.ts): each region and each file's uncovered
// text a document with its fields' raw term counts and lengths, each file a document of its whole
// text. Immutable once built. A LexicalIndex is one or more segments: after an edit it keeps the
// segments it had and adds one for the files that are new to it (their documents alone), rather than
// inverting the whole workspace again. What depends on the whole workspace (the fields' average
// lengths, each term's document frequency) is computed at query time from integer counts, so a
// question scores the same however the files are split into segments.
import type { FileRecord, RegionRecord } from '../index/types';
import { DOC_HEAD, FIELDS, type DocTerms, type FileTerms } from './fileTerms';
import { vocabulary } from './lexicalTerms';

const F = FIELDS.length;
/** Bits of a posting entry that hold its field (FIELDS.length ≤ 8); the term count is above them. */
const FIELD_BITS = 3;
const FIELD_MASK = (1 << FIELD_BITS) - 1;

/** One file as a segment takes it: the regions searched (a retired record's are the views'), and its terms. */
export interface SegmentFile {
  file: FileRecord;
  /** One DocTerms per region searched, in order, with the region and its key. */
  regions: { region: RegionRecord; key: string; terms: DocTerms }[];
  terms: FileTerms;
  /** The uncovered text as a region (keptTerms.ts), with its key, when the file has one. */
  uncovered: { region: RegionRecord; key: string; terms: DocTerms } | null;
}

/** Per term: its entries start[id] … start[id + 1] (ids at or past start.length - 1 were unknown when built). */
interface Inverted<T extends Int32Array | Uint32Array> {
  start: Int32Array;
  docs: Int32Array;
  values: T;
}

function invert<T extends Int32Array | Uint32Array>(
  count: number,
  each: (emit: (doc: number, term: number, value: number) => void) => void,
  make: (n: number) => T,
): Inverted<T> {
  const terms = vocabulary.size;
  const start = new Int32Array(terms + 1);
  each((_, term) => start[term + 1]++);
  for (let t = 0; t < terms; t++) start[t + 1] += start[t];
  const fill = start.slice(0, terms);
  const docs = new Int32Array(count);
  const values = make(count);
  each((doc, term, value) => {
    const at = fill[term]++;
    docs[at] = doc;
    values[at] = value;
  });
  return { start, docs, values };
}

export class LexicalSegment {
  readonly files: readonly FileRecord[];
  /** Each file's first document; documents are each file's regions, then its uncovered text, file by file. */
  readonly fileFirstDoc: Int32Array;
  /** Per document: its file (index into files), key, region and field lengths (doc · F + field). */
  readonly docFile: Int32Array;
  readonly docKeys: string[];
  readonly docRegions: RegionRecord[];
  readonly docLength: Int32Array;
  /** Per file: the sum of its documents' field lengths (file · F + field), and its whole text's length. */
  readonly fileFieldLength: Float64Array;
  readonly fileLength: Float64Array;
  /** Each file's uncovered text as a region, or null. */
  readonly uncovered: (RegionRecord | null)[];
  /** Documents' postings, ascending by document then field: the value is count << FIELD_BITS | field. */
  private readonly regions: Inverted<Int32Array>;
  /** Files' postings: the value is the term's count in the whole text. */
  private readonly whole: Inverted<Uint32Array>;

  constructor(files: readonly SegmentFile[]) {
    this.files = files.map((f) => f.file);
    this.fileFirstDoc = new Int32Array(files.length + 1);
    const docs: DocTerms[] = [];
    this.docKeys = [];
    this.docRegions = [];
    const docFile: number[] = [];
    files.forEach((f, i) => {
      this.fileFirstDoc[i] = docs.length;
      for (const d of f.uncovered ? [...f.regions, f.uncovered] : f.regions) {
        docs.push(d.terms);
        this.docKeys.push(d.key);
        this.docRegions.push(d.region);
        docFile.push(i);
      }
    });
    this.fileFirstDoc[files.length] = docs.length;
    this.docFile = Int32Array.from(docFile);
    this.uncovered = files.map((f) => f.uncovered?.region ?? null);
    this.docLength = new Int32Array(docs.length * F);
    this.fileFieldLength = new Float64Array(files.length * F);
    let entries = 0;
    docs.forEach((t, d) => {
      for (let f = 0; f < F; f++) {
        this.docLength[d * F + f] = t[f];
        this.fileFieldLength[docFile[d] * F + f] += t[f];
      }
      entries += (t.length - DOC_HEAD) / 2;
    });
    this.regions = invert(
      entries,
      (emit) =>
        docs.forEach((t, d) => {
          let at = DOC_HEAD;
          for (let f = 0; f < F; f++) for (const end = at + 2 * t[F + f]; at < end; at += 2) emit(d, t[at], (t[at + 1] << FIELD_BITS) | f);
        }),
      (n) => new Int32Array(n),
    );
    this.fileLength = Float64Array.from(files, (f) => f.terms.length);
    let pairs = 0;
    for (const f of files) pairs += f.terms.counts.length / 2;
    this.whole = invert(
      pairs,
      (emit) =>
        files.forEach(({ terms: { counts } }, i) => {
          for (let j = 0; j < counts.length; j += 2) emit(i, counts[j], counts[j + 1]);
        }),
      (n) => new Uint32Array(n),
    );
  }

  get docCount(): number {
    return this.docKeys.length;
  }

  /**
   * The documents holding term `id`, in order, whose file is live (`live[file]`), with the field of each
   * entry and its count (a document appears once per field that holds the term).
   */
  forEachEntry(id: number, live: Uint8Array, visit: (doc: number, field: number, count: number) => void): void {
    const { start, docs, values } = this.regions;
    if (id >= start.length - 1) return;
    for (let i = start[id], end = start[id + 1]; i < end; i++) {
      const d = docs[i];
      if (live[this.docFile[d]]) visit(d, values[i] & FIELD_MASK, values[i] >>> FIELD_BITS);
    }
  }

  /** The live files holding term `id` in their whole text, with its count. */
  forEachFile(id: number, live: Uint8Array, visit: (file: number, count: number) => void): void {
    const { start, docs, values } = this.whole;
    if (id >= start.length - 1) return;
    for (let i = start[id], end = start[id + 1]; i < end; i++) if (live[docs[i]]) visit(docs[i], values[i]);
  }
}
