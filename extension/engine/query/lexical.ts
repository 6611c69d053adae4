// Keyword search over every region, fused with the model's scores in ask(). Two indexes over one
// state of the workspace:
// - regions: BM25F (Robertson, Zaragoza & Taylor 2004) over fields with their own weights and length
//   normalisation: the region's name, signature, doc comment and the comments in its body, the
//   identifiers and words of its body, and its file's path. Terms are identifiers split
//   (camelCase, snake_case) and also kept whole, English stop words out, Porter-stemmed (stem.ts), so
//   "parse options" meets `parseOptions`, "parsing" and "parser_options"; a question's word also
//   meets the code's abbreviation of it and the words code uses for the same thing, at lower weights
//   ("character" meets `char`, "delete" meets `remove`: questionTerms, synonyms.ts).
// - files: BM25 over each file's whole text and path with the same terms: the file a question is
//   about often says so in many places at once, none of which is the best region's own text.
// Weights and parameters were chosen on the question set's dev split (bench/questions/, docs/model.md).
//
// A compact inverted index of typed arrays rather than a general search library: a library builds a
// result object for every matching document, which on a large workspace took the whole query budget
// (MiniSearch, measured: bench/README.md "Figures behind the code").
import type { FileRecord, RegionRecord } from '../index/types';
import type { RegionView } from './regionMath';
import { stem } from './stem';
import { synonymsOf } from './synonyms';
import { searchTerms, splitIdentifiers, STOPWORDS, vocabulary } from './lexicalTerms';
import { DOC_HEAD, FIELDS, fileTermsOf, type DocTerms, type FileTerms, type Field } from './fileTerms';
import { keep, keptTerms, makeTerms, regionTermsOf, type ReadFileLines } from './keptTerms';

export type { ReadFileLines } from './keptTerms';

/** A region's key in BM25's scores (and in ask's fusion with them): its workspace path, first line and name. */
export function regionKey(path: string, region: Pick<RegionRecord, 'startLine' | 'name'>): string {
  return `${path}:${region.startLine}:${region.name}`;
}

/** BM25F parameters per field: weight and length normalisation (chosen on the dev split). */
export interface LexicalWeights {
  k1: number;
  /** How much a question word's abbreviation in the code (`char` for "character") counts against the word itself (questionTerms). */
  abbreviation: number;
  /** How much a word of the same meaning in code (synonyms.ts: `remove` for "delete") counts against the word itself. */
  synonym: number;
  weight: Record<Field, number>;
  b: Record<Field, number>;
}
export const DEFAULT_LEXICAL: LexicalWeights = {
  k1: 1.2,
  abbreviation: 0.5,
  synonym: 0.3,
  weight: { name: 3, signature: 1.5, doc: 3, body: 0.5, path: 1.5 },
  b: { name: 0.3, signature: 0.5, doc: 0.6, body: 0.75, path: 0.3 },
};

/**
 * The text of a file that no region of its outline covers (an object literal of functions, code the
 * outline could not parse, top-level statements), as one more candidate: no part of a file is then
 * invisible to keyword search. From the first to the last uncovered line; its name is the file's.
 */
export interface UncoveredText {
  file: FileRecord;
  region: RegionRecord;
}

/** Postings of one kind: each term's documents ascending and their term frequencies, by term id (one block of arrays). */
interface Postings<T extends Float32Array | Uint32Array> {
  /** start[id] … start[id + 1]: the term's entries (ids at or past start.length - 1: unknown when built). */
  start: Int32Array;
  docs: Int32Array;
  tfs: T;
}

function posting<T extends Float32Array | Uint32Array>(p: Postings<T>, term: string): { docs: Int32Array; tfs: T } | undefined {
  const id = vocabulary.find(term);
  if (id === undefined || id >= p.start.length - 1) return undefined;
  const from = p.start[id];
  const to = p.start[id + 1];
  if (from === to) return undefined;
  return { docs: p.docs.subarray(from, to), tfs: p.tfs.subarray(from, to) as T };
}

/** Postings from (doc, term id, tf) entries listed doc by doc: counted per term, then placed (docs stay ascending). */
function invert<T extends Float32Array | Uint32Array>(
  entries: { doc: Int32Array; term: Int32Array; tf: ArrayLike<number>; length: number },
  make: (n: number) => T,
): Postings<T> {
  const terms = vocabulary.size;
  const start = new Int32Array(terms + 1);
  for (let i = 0; i < entries.length; i++) start[entries.term[i] + 1]++;
  for (let t = 0; t < terms; t++) start[t + 1] += start[t];
  const fill = start.slice(0, terms);
  const docs = new Int32Array(entries.length);
  const tfs = make(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const at = fill[entries.term[i]]++;
    docs[at] = entries.doc[i];
    tfs[at] = entries.tf[i];
  }
  return { start, docs, tfs };
}

export class LexicalIndex {
  private readonly postings: Postings<Float32Array>;
  private readonly keys: string[];
  private readonly filePostings: Postings<Uint32Array>;
  private readonly fileLength: Float32Array;
  private readonly fileAverage: number;
  private readonly filePaths: string[];
  private readonly abbreviation: number;
  private readonly synonym: number;
  /** Each file's text that no region covers, as a candidate of its own (keys after the views'). */
  readonly uncovered: UncoveredText[];

  private constructor(
    views: readonly RegionView[],
    terms: DocTerms[],
    files: { file: FileRecord; terms: FileTerms }[],
    weights: LexicalWeights,
    uncovered: { file: FileRecord; region: RegionRecord; terms: DocTerms }[] = [],
  ) {
    this.abbreviation = weights.abbreviation;
    this.synonym = weights.synonym;
    this.uncovered = uncovered.map(({ file, region }) => ({ file, region }));
    terms = [...terms, ...uncovered.map((u) => u.terms)];
    this.keys = [...views.map((v) => regionKey(v.file.path, v.region)), ...uncovered.map((u) => regionKey(u.file.path, u.region))];
    // BM25F: per field, tf normalised by the field's length against its average, weighted, summed.
    const F = FIELDS.length;
    const average = FIELDS.map((_, f) => Math.max(1e-9, terms.reduce((s, t) => s + t[f], 0) / Math.max(1, terms.length)));
    const weight = FIELDS.map((f) => weights.weight[f]);
    const b = FIELDS.map((f) => weights.b[f]);
    let size = 0;
    for (const t of terms) size += (t.length - DOC_HEAD) / 2;
    // Per document, each term's tf summed over the fields in FIELDS order (the same additions in the
    // same order as a Map per document made, so the same float64 sums), then listed for invert().
    const combined = new Float64Array(vocabulary.size);
    const stamp = new Int32Array(vocabulary.size).fill(-1);
    const seen: number[] = [];
    const doc = new Int32Array(size);
    const term = new Int32Array(size);
    const tf = new Float32Array(size);
    let n = 0;
    terms.forEach((t, d) => {
      let at = DOC_HEAD;
      for (let f = 0; f < F; f++) {
        const norm = 1 - b[f] + (b[f] * t[f]) / average[f];
        const end = at + 2 * t[F + f];
        for (; at < end; at += 2) {
          const id = t[at];
          if (stamp[id] !== d) {
            stamp[id] = d;
            combined[id] = 0;
            seen.push(id);
          }
          combined[id] += (weight[f] * t[at + 1]) / norm;
        }
      }
      for (const id of seen) {
        doc[n] = d;
        term[n] = id;
        tf[n++] = combined[id];
      }
      seen.length = 0;
    });
    this.postings = invert({ doc, term, tf, length: n }, (k) => new Float32Array(k));

    this.filePaths = files.map((f) => f.file.path);
    this.fileLength = new Float32Array(files.length);
    let fileSize = 0;
    for (const f of files) fileSize += f.terms.counts.length / 2;
    const fileDoc = new Int32Array(fileSize);
    const fileTerm = new Int32Array(fileSize);
    const fileTf = new Uint32Array(fileSize);
    n = 0;
    files.forEach(({ terms: t }, d) => {
      this.fileLength[d] = t.length;
      for (let i = 0; i < t.counts.length; i += 2) {
        fileDoc[n] = d;
        fileTerm[n] = t.counts[i];
        fileTf[n++] = t.counts[i + 1];
      }
    });
    this.filePostings = invert({ doc: fileDoc, term: fileTerm, tf: fileTf, length: n }, (k) => new Uint32Array(k));
    this.fileAverage = files.length ? this.fileLength.reduce((a, b) => a + b, 0) / files.length : 1;
  }

  /**
   * The index over `views`, reading each file whose records it has not seen (their terms are kept per
   * record: makeTerms). A file that cannot be read is indexed by its regions' names, signatures and docs.
   */
  static async build(
    views: readonly RegionView[],
    read: ReadFileLines,
    weights: LexicalWeights = DEFAULT_LEXICAL,
    liveFiles: readonly FileRecord[] = [],
  ): Promise<LexicalIndex> {
    const files: FileRecord[] = [];
    const seen = new Set<FileRecord>();
    // Files with no region at all are searched too (their whole text is uncovered).
    for (const f of liveFiles) {
      if (seen.has(f)) continue;
      seen.add(f);
      files.push(f);
    }
    for (const v of views) {
      if (seen.has(v.file)) continue;
      seen.add(v.file);
      files.push(v.file);
    }
    // A record retired since the views were made has dropped its regions: the views' regions are what is searched.
    const viewRegions = new Map<FileRecord, RegionRecord[]>();
    for (const v of views) if (!v.file.live) viewRegions.set(v.file, [...(viewRegions.get(v.file) ?? []), v.region]);
    await makeTerms(files, read, (f) => viewRegions.get(f) ?? f.regions);
    return LexicalIndex.fromKept(views, files, weights);
  }

  private static fromKept(views: readonly RegionView[], files: FileRecord[], weights: LexicalWeights): LexicalIndex {
    const entries = files.map((file) => ({ file, kept: keptTerms(file)! }));
    const uncovered = entries.flatMap(({ file, kept: k }) =>
      k.uncovered ? [{ file, region: k.uncovered, terms: k.terms.uncovered!.terms }] : [],
    );
    return new LexicalIndex(
      views,
      views.map((v) => regionTermsOf(v.region)!),
      entries.map(({ file, kept: k }) => ({ file, terms: k.terms })),
      weights,
      uncovered,
    );
  }

  /** The index over `views` from their names, signatures, docs and paths alone (no file reads): for tests. */
  static fromRecords(views: readonly RegionView[], weights: LexicalWeights = DEFAULT_LEXICAL): LexicalIndex {
    const files = [...new Set(views.map((v) => v.file))];
    for (const file of files) {
      const regions = views.filter((v) => v.file === file).map((v) => v.region);
      const terms = fileTermsOf(file.path, regions, undefined);
      // The file's own terms: its path and its regions' names and signatures, as this has always made them.
      const own = searchTerms(`${file.path}\n${regions.map((r) => `${r.name} ${r.signature}`)}`);
      const counts = new Map<number, number>();
      for (const t of own) counts.set(vocabulary.id(t), (counts.get(vocabulary.id(t)) ?? 0) + 1);
      keep(file, regions, { ...terms, counts: Int32Array.from([...counts].flat()), length: own.length });
    }
    return LexicalIndex.fromKept(views, files, weights);
  }

  /** BM25F score per region (regionKey) of every region matching a term, best first (ties by key). */
  scores(question: string, limit = Infinity, k1 = DEFAULT_LEXICAL.k1): Map<string, number> {
    const { score, touched } = accumulate(
      question,
      (t) => posting(this.postings, t),
      this.keys.length,
      (idf, tf) => (idf * tf * (k1 + 1)) / (tf + k1),
      this.abbreviation,
      this.synonym,
    );
    touched.sort((a, b) => score[b] - score[a] || (this.keys[a] < this.keys[b] ? -1 : 1));
    const out = new Map<string, number>();
    for (const d of touched.slice(0, limit)) out.set(this.keys[d], score[d]);
    return out;
  }

  /**
   * BM25 (k1 1.2, b 0.75) of each file's whole text and path, by path, for files matching a term,
   * times the square root of the share of the question the file holds (its terms' idf over all the
   * question's): a file that speaks of every part of the question comes before one that repeats a
   * single part of it many times (the square root chosen on the dev split).
   */
  fileScores(question: string, coverage = 0.5): Map<string, number> {
    const { score, matched, total, touched } = accumulate(
      question,
      (t) => posting(this.filePostings, t),
      this.filePaths.length,
      (idf, tf, d) => (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * this.fileLength[d]) / this.fileAverage)),
      this.abbreviation,
      this.synonym,
    );
    const out = new Map<string, number>();
    for (const d of touched) out.set(this.filePaths[d], score[d] * Math.pow(matched[d] / total, coverage));
    return out;
  }
}

/** Reciprocal rank fusion: Σ 1/(k + rank) over the rankings an item appears in (rank from 1). */
export function reciprocalRankFusion<T>(rankings: readonly (readonly T[])[], k = 60): Map<T, number> {
  const fused = new Map<T, number>();
  for (const ranking of rankings) ranking.forEach((item, i) => fused.set(item, (fused.get(item) ?? 0) + 1 / (k + i + 1)));
  return fused;
}

/**
 * The question's search terms with their weights: each term once (weight 1); the words code uses for
 * the same thing (synonyms.ts: "delete" meets `remove`) at `synonym`; and for each word the
 * longest abbreviation of it that the code uses as a term (a prefix of 3 letters or more: `char` for
 * "character", `arg` for "arguments", `len` for "length", `err` for "error", `init` for "initialise"),
 * at `abbreviation`: code abbreviates what questions spell out.
 */
export function questionTerms(question: string, known: (term: string) => boolean, abbreviation: number, synonym = 0): Map<string, number> {
  const terms = new Map<string, number>();
  for (const term of searchTerms(question)) terms.set(term, 1);
  if (synonym > 0) {
    for (const term of [...terms.keys()])
      for (const other of synonymsOf(term)) if (!terms.has(other) && known(other)) terms.set(other, synonym);
  }
  if (abbreviation <= 0) return terms;
  for (const word of splitIdentifiers(question)) {
    const full = stem(word);
    for (let n = Math.min(word.length, full.length) - 1; n >= 3; n--) {
      const prefix = word.slice(0, n);
      if (STOPWORDS.has(prefix) || !known(prefix)) continue;
      if (!terms.has(prefix)) terms.set(prefix, abbreviation);
      break;
    }
  }
  return terms;
}

/**
 * Sums, for every document matching one of the question's terms, `termScore(idf, tf, doc)` over those
 * terms (BM25's idf over `n` documents), an abbreviation's at its weight; `matched`: each document's
 * sum of its terms' weighted idf, of `total` over every question term the index knows; `touched` lists
 * the matching documents in the order first met.
 */
function accumulate(
  question: string,
  postings: (term: string) => { docs: Int32Array; tfs: ArrayLike<number> } | undefined,
  n: number,
  termScore: (idf: number, tf: number, doc: number) => number,
  abbreviation: number,
  synonym: number,
): { score: Float64Array; matched: Float64Array; total: number; touched: number[] } {
  const score = new Float64Array(n);
  const matched = new Float64Array(n);
  let total = 0;
  const touched: number[] = [];
  const terms = questionTerms(question, (t) => postings(t) !== undefined, abbreviation, synonym);
  for (const term of [...terms.keys()].sort()) {
    const p = postings(term);
    if (!p) continue;
    const weight = terms.get(term)!;
    const idf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
    total += weight * idf;
    for (let i = 0; i < p.docs.length; i++) {
      const d = p.docs[i];
      if (score[d] === 0) touched.push(d);
      score[d] += weight * termScore(idf, p.tfs[i], d);
      matched[d] += weight * idf;
    }
  }
  return { score, matched, total, touched };
}
