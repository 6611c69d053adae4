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

/**
 * Postings of the terms a segment holds: `terms` ascending, term `terms[k]`'s entries at
 * start[k] … start[k + 1]. Sized by the segment's own terms, not the vocabulary (a segment of one saved
 * file holds a few hundred of the workspace's terms).
 */
interface Inverted<T extends Int32Array | Uint32Array> {
  terms: Int32Array;
  start: Int32Array;
  docs: Int32Array;
  values: T;
}

/** Per term id: its entry count, then where its next entry goes, while invert() runs (zeros between runs). */
let scratch = new Int32Array(0);

function invert<T extends Int32Array | Uint32Array>(
  count: number,
  each: (emit: (doc: number, term: number, value: number) => void) => void,
  make: (n: number) => T,
): Inverted<T> {
  if (scratch.length < vocabulary.size) scratch = new Int32Array(Math.max(vocabulary.size, 2 * scratch.length));
  const counts = scratch;
  const held: number[] = [];
  each((_, term) => {
    if (counts[term]++ === 0) held.push(term);
  });
  const terms = Int32Array.from(held).sort();
  const start = new Int32Array(terms.length + 1);
  for (let k = 0; k < terms.length; k++) {
    start[k + 1] = start[k] + counts[terms[k]];
    counts[terms[k]] = start[k];
  }
  const docs = new Int32Array(count);
  const values = make(count);
  each((doc, term, value) => {
    const at = counts[term]++;
    docs[at] = doc;
    values[at] = value;
  });
  for (const t of terms) counts[t] = 0;
  return { terms, start, docs, values };
}

/** Where term `id`'s entries lie in `p`, or undefined when the segment does not hold it. */
function entriesOf(p: Inverted<Int32Array | Uint32Array>, id: number): [number, number] | undefined {
  let lo = 0;
  let hi = p.terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = p.terms[mid];
    if (t === id) return [p.start[mid], p.start[mid + 1]];
    if (t < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

export class LexicalSegment {
  readonly files: readonly FileRecord[];
  /** Each file's first document; documents are each file's regions, then its uncovered text, file by file. */
  readonly fileFirstDoc: Int32Array;
  /** Per document: its file (index into files), key and field lengths (doc · F + field). */
  readonly docFile: Int32Array;
  readonly docKeys: string[];
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
    const docFile: number[] = [];
    files.forEach((f, i) => {
      this.fileFirstDoc[i] = docs.length;
      for (const d of f.uncovered ? [...f.regions, f.uncovered] : f.regions) {
        docs.push(d.terms);
        this.docKeys.push(d.key);
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
    const at = entriesOf(this.regions, id);
    if (!at) return;
    const { docs, values } = this.regions;
    for (let i = at[0], end = at[1]; i < end; i++) {
      const d = docs[i];
      if (live[this.docFile[d]]) visit(d, values[i] & FIELD_MASK, values[i] >>> FIELD_BITS);
    }
  }

  /** The live files holding term `id` in their whole text, with its count. */
  forEachFile(id: number, live: Uint8Array, visit: (file: number, count: number) => void): void {
    const at = entriesOf(this.whole, id);
    if (!at) return;
    const { docs, values } = this.whole;
    for (let i = at[0], end = at[1]; i < end; i++) if (live[docs[i]]) visit(docs[i], values[i]);
  }
}
