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

/** A region's key in BM25's scores (and in ask's fusion with them): its workspace path, first line and name. */
export function regionKey(path: string, region: Pick<RegionRecord, 'startLine' | 'name'>): string {
  return `${path}:${region.startLine}:${region.name}`;
}

/** English words that carry no meaning in a question about code ("how do I parse the options"). */
const STOPWORDS = new Set(
  (
    'the a an and or of to in on at by for with from into is are was be been it its this that these those how do does did what which where ' +
    'when who why can could should would i my me we you your our there here about as if then than so not no any all some each every ' +
    'get gets use used uses using make makes made way happen happens one two their them they he she his her has have had will shall may ' +
    'might must also just only such other out up down over under again very too'
  ).split(' '),
);

/** Words of a text as search terms, unstemmed: identifiers split on camelCase, acronyms and snake_case, stop words out. */
export function splitIdentifiers(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

/** Search terms of a text: its identifiers split and stemmed, plus each compound identifier whole (`parseoptions`). */
export function searchTerms(text: string): string[] {
  const out = splitIdentifiers(text).map(stem);
  for (const word of text.match(/[A-Za-z][A-Za-z0-9_]{2,}/g) ?? []) {
    if (!/[a-z0-9][A-Z]|_[A-Za-z0-9]/.test(word)) continue; // not a compound
    out.push(word.toLowerCase().replace(/_/g, ''));
  }
  return out;
}

/** A comment's text on a line (`//`, `#`, `/* … *\/`, a `*` continuation, `--`, a docstring's quotes), else ''. */
function commentOf(line: string): string {
  const m = /(?:\/\/+|#+|\/\*+|^\s*\*+|^\s*--|"""|''')\s?(.*)$/.exec(line);
  return m ? m[1] : '';
}

type Field = 'name' | 'signature' | 'doc' | 'body' | 'path';
const FIELDS: Field[] = ['name', 'signature', 'doc', 'body', 'path'];

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

/** A region's terms per field. */
type RegionTerms = Record<Field, Map<string, number>> & { length: Record<Field, number> };

function count(terms: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/** Terms per region record and per file record, kept while the record lives: an edit re-reads only its file. */
const regionTermCache = new WeakMap<object, RegionTerms>();
const fileTermCache = new WeakMap<object, { counts: Map<string, number>; length: number }>();

function regionTerms(file: FileRecord, region: RegionRecord, lines: string[] | undefined): RegionTerms {
  const body = lines ? lines.slice(region.startLine, region.endLine + 1) : [];
  const comments = body.map(commentOf).filter(Boolean).join('\n');
  const fields: Record<Field, string[]> = {
    name: searchTerms(region.name),
    signature: searchTerms(region.signature),
    doc: searchTerms(`${region.doc}\n${comments}`),
    body: searchTerms(body.join('\n')),
    path: searchTerms(file.path),
  };
  const out = { length: {} } as RegionTerms;
  for (const f of FIELDS) {
    out[f] = count(fields[f]);
    out.length[f] = fields[f].length;
  }
  return out;
}

/**
 * The text of a file that no region of its outline covers (an object literal of functions, code the
 * outline could not parse, top-level statements), as one more candidate: no part of a file is then
 * invisible to keyword search. From the first to the last uncovered line; its name is the file's.
 */
export interface UncoveredText {
  file: FileRecord;
  region: RegionRecord;
}
const uncoveredCache = new WeakMap<object, { region: RegionRecord; terms: RegionTerms } | null>();
/** Uncovered non-blank lines a file needs for its uncovered text to be a candidate. */
const UNCOVERED_MIN_LINES = 3;

function uncoveredOf(
  file: FileRecord,
  regions: readonly RegionRecord[],
  lines: string[] | undefined,
): { region: RegionRecord; terms: RegionTerms } | null {
  if (!lines) return null;
  const covered = new Uint8Array(lines.length);
  for (const r of regions) covered.fill(1, Math.max(0, r.startLine), Math.min(lines.length, r.endLine + 1));
  const kept: string[] = [];
  let first = -1;
  let last = -1;
  lines.forEach((line, i) => {
    if (covered[i] || !line.trim()) return;
    kept.push(line);
    if (first < 0) first = i;
    last = i;
  });
  if (kept.length < UNCOVERED_MIN_LINES) return null;
  const name = file.path.split('/').pop() ?? file.path;
  const region = { kind: 'file', name, startLine: first, endLine: last, doc: '', signature: '' } as unknown as RegionRecord;
  const comments = kept.map(commentOf).filter(Boolean).join('\n');
  const fields: Record<Field, string[]> = {
    name: searchTerms(name),
    signature: [],
    doc: searchTerms(comments),
    body: searchTerms(kept.join('\n')),
    path: searchTerms(file.path),
  };
  const terms = { length: {} } as RegionTerms;
  for (const f of FIELDS) {
    terms[f] = count(fields[f]);
    terms.length[f] = fields[f].length;
  }
  return { region, terms };
}

/** What the index needs of the workspace: a file's lines as they are on disk (undefined when unreadable). */
export type ReadFileLines = (file: FileRecord) => Promise<string[] | undefined>;

export class LexicalIndex {
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Float32Array }>();
  private readonly keys: string[];
  private readonly filePostings = new Map<string, { docs: Int32Array; tfs: Uint32Array }>();
  private readonly fileLength: Float32Array;
  private readonly fileAverage: number;
  private readonly filePaths: string[];
  private readonly abbreviation: number;
  private readonly synonym: number;
  /** Each file's text that no region covers, as a candidate of its own (keys after the views'). */
  readonly uncovered: UncoveredText[];

  private constructor(
    views: readonly RegionView[],
    terms: RegionTerms[],
    files: FileRecord[],
    weights: LexicalWeights,
    uncovered: { file: FileRecord; region: RegionRecord; terms: RegionTerms }[] = [],
  ) {
    this.abbreviation = weights.abbreviation;
    this.synonym = weights.synonym;
    this.uncovered = uncovered.map(({ file, region }) => ({ file, region }));
    terms = [...terms, ...uncovered.map((u) => u.terms)];
    this.keys = [...views.map((v) => regionKey(v.file.path, v.region)), ...uncovered.map((u) => regionKey(u.file.path, u.region))];
    // BM25F: per field, tf normalised by the field's length against its average, weighted, summed.
    const average = {} as Record<Field, number>;
    for (const f of FIELDS) average[f] = Math.max(1e-9, terms.reduce((s, t) => s + t.length[f], 0) / Math.max(1, terms.length));
    const building = new Map<string, { docs: number[]; tfs: number[] }>();
    terms.forEach((t, doc) => {
      const combined = new Map<string, number>();
      for (const f of FIELDS) {
        const norm = 1 - weights.b[f] + (weights.b[f] * t.length[f]) / average[f];
        for (const [term, n] of t[f]) combined.set(term, (combined.get(term) ?? 0) + (weights.weight[f] * n) / norm);
      }
      for (const [term, tf] of combined) {
        let p = building.get(term);
        if (!p) building.set(term, (p = { docs: [], tfs: [] }));
        p.docs.push(doc);
        p.tfs.push(tf);
      }
    });
    for (const [term, p] of building) this.postings.set(term, { docs: Int32Array.from(p.docs), tfs: Float32Array.from(p.tfs) });

    this.filePaths = files.map((f) => f.path);
    this.fileLength = new Float32Array(files.length);
    const fileBuilding = new Map<string, number[]>();
    files.forEach((file, doc) => {
      const entry = fileTermCache.get(file)!;
      this.fileLength[doc] = entry.length;
      for (const [term, n] of entry.counts) {
        let list = fileBuilding.get(term);
        if (!list) fileBuilding.set(term, (list = []));
        list.push(doc, n);
      }
    });
    for (const [term, list] of fileBuilding) {
      const docs = new Int32Array(list.length / 2);
      const tfs = new Uint32Array(list.length / 2);
      for (let i = 0; i < docs.length; i++) {
        docs[i] = list[2 * i];
        tfs[i] = list[2 * i + 1];
      }
      this.filePostings.set(term, { docs, tfs });
    }
    this.fileAverage = files.length ? this.fileLength.reduce((a, b) => a + b, 0) / files.length : 1;
  }

  /**
   * The index over `views`, reading each file whose records it has not seen (their terms are cached
   * per record). A file that cannot be read is indexed by its regions' names, signatures and docs.
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
    // Each file's regions as they are now: a file event may retire a record (dropping its regions) while
    // files are read below, and the views still name them.
    const stale = files
      .filter((f) => !fileTermCache.has(f) || !uncoveredCache.has(f) || f.regions.some((r) => !regionTermCache.has(r)))
      .map((file) => ({ file, regions: file.regions }));
    // A few files at a time: a large workspace must not open every file at once.
    for (let i = 0; i < stale.length; i += 16) {
      await Promise.all(
        stale.slice(i, i + 16).map(async ({ file, regions }) => {
          const lines = await read(file);
          for (const region of regions) if (!regionTermCache.has(region)) regionTermCache.set(region, regionTerms(file, region, lines));
          const terms = searchTerms(
            `${file.path}\n${lines ? lines.join('\n') : regions.map((r) => `${r.name} ${r.signature}`).join('\n')}`,
          );
          fileTermCache.set(file, { counts: count(terms), length: terms.length });
          uncoveredCache.set(file, uncoveredOf(file, regions, lines));
        }),
      );
    }
    const uncovered = files.flatMap((file) => {
      const u = uncoveredCache.get(file);
      return u ? [{ file, ...u }] : [];
    });
    return new LexicalIndex(
      views,
      views.map((v) => regionTermCache.get(v.region)!),
      files,
      weights,
      uncovered,
    );
  }

  /** The index over `views` from their names, signatures, docs and paths alone (no file reads): for tests. */
  static fromRecords(views: readonly RegionView[], weights: LexicalWeights = DEFAULT_LEXICAL): LexicalIndex {
    const files = [...new Set(views.map((v) => v.file))];
    for (const file of files) {
      const terms = searchTerms(
        `${file.path}\n${views.filter((v) => v.file === file).map((v) => `${v.region.name} ${v.region.signature}`)}`,
      );
      fileTermCache.set(file, { counts: count(terms), length: terms.length });
    }
    return new LexicalIndex(
      views,
      views.map((v) => regionTerms(v.file, v.region, undefined)),
      files,
      weights,
    );
  }

  /** BM25F score per region (regionKey) of every region matching a term, best first (ties by key). */
  scores(question: string, limit = Infinity, k1 = DEFAULT_LEXICAL.k1): Map<string, number> {
    const { score, touched } = accumulate(
      question,
      this.postings,
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
      this.filePostings,
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
  postings: Map<string, { docs: Int32Array; tfs: ArrayLike<number> }>,
  n: number,
  termScore: (idf: number, tf: number, doc: number) => number,
  abbreviation: number,
  synonym: number,
): { score: Float64Array; matched: Float64Array; total: number; touched: number[] } {
  const score = new Float64Array(n);
  const matched = new Float64Array(n);
  let total = 0;
  const touched: number[] = [];
  const terms = questionTerms(question, (t) => postings.has(t), abbreviation, synonym);
  for (const term of [...terms.keys()].sort()) {
    const p = postings.get(term);
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
