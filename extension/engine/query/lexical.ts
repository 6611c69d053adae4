// BM25 (Okapi, k1 = 1.2, b = 0.75) over what each region is called: its name, signature and path,
// with identifiers split (camelCase, snake_case) so "parse options" meets `parseOptions`. Fused with
// the model's ranking by reciprocal rank fusion in ask().
//
// A compact inverted index of typed arrays rather than a general search library: a library builds a
// result object for every matching document, which on a large workspace took the whole query budget
// (MiniSearch, measured: bench/README.md "Figures behind the code"). Doc comments are left out on
// purpose: the benchmark's retrieval check asks with them, and the model reads them already.
import type { RegionRecord } from '../index/types';
import type { RegionView } from './regionMath';

/** A region's key in BM25's scores (and in ask's fusion with them): its workspace path, first line and name. */
export function regionKey(path: string, region: Pick<RegionRecord, 'startLine' | 'name'>): string {
  return `${path}:${region.startLine}:${region.name}`;
}

/** English words that carry no meaning in a question about code ("how do I parse the options"). */
const STOPWORDS = new Set(
  'the a an and or of to in on at by for with from into is are was be been it its this that these those how do does did what which where when who why can could should would i my me we you your our there here about as if then than so not no'.split(
    ' ',
  ),
);

export function splitIdentifiers(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

/** Term counts per region record, kept while the record lives: an edit re-splits only its file. */
const termCache = new WeakMap<object, { counts: Map<string, number>; length: number }>();

function termsOf(v: RegionView) {
  let entry = termCache.get(v.region);
  if (!entry) {
    const terms = splitIdentifiers(`${v.region.name} ${v.region.name} ${v.region.signature} ${v.file.path}`); // the name counts twice
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    entry = { counts, length: terms.length };
    termCache.set(v.region, entry);
  }
  return entry;
}

const K1 = 1.2;
const B = 0.75;

export class LexicalIndex {
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Uint16Array }>();
  private readonly docLength: Float32Array;
  private readonly averageLength: number;
  private readonly keys: string[];

  constructor(views: readonly RegionView[]) {
    const building = new Map<string, number[]>(); // term -> [doc, tf, doc, tf, ...]
    this.docLength = new Float32Array(views.length);
    this.keys = views.map((v) => regionKey(v.file.path, v.region));
    views.forEach((v, doc) => {
      const { counts, length } = termsOf(v);
      this.docLength[doc] = length;
      for (const [t, n] of counts) {
        let list = building.get(t);
        if (!list) building.set(t, (list = []));
        list.push(doc, n);
      }
    });
    for (const [t, list] of building) {
      const docs = new Int32Array(list.length / 2);
      const tfs = new Uint16Array(list.length / 2);
      for (let i = 0; i < docs.length; i++) {
        docs[i] = list[2 * i];
        tfs[i] = Math.min(65535, list[2 * i + 1]);
      }
      this.postings.set(t, { docs, tfs });
    }
    this.averageLength = views.length ? this.docLength.reduce((a, b) => a + b, 0) / views.length : 1;
  }

  /** BM25 score per region (regionKey) of the best `limit` matches, best first. */
  scores(question: string, limit = 200): Map<string, number> {
    const n = this.docLength.length;
    const score = new Float32Array(n);
    const touched: number[] = [];
    for (const term of new Set(splitIdentifiers(question))) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        const tf = p.tfs[i];
        if (score[d] === 0) touched.push(d);
        score[d] += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.docLength[d]) / this.averageLength));
      }
    }
    touched.sort((a, b) => score[b] - score[a]);
    const out = new Map<string, number>();
    for (const d of touched.slice(0, limit)) out.set(this.keys[d], score[d]);
    return out;
  }
}

/** Reciprocal rank fusion: Σ 1/(k + rank) over the rankings an item appears in (rank from 1). */
export function reciprocalRankFusion<T>(rankings: readonly (readonly T[])[], k = 60): Map<T, number> {
  const fused = new Map<T, number>();
  for (const ranking of rankings) ranking.forEach((item, i) => fused.set(item, (fused.get(item) ?? 0) + 1 / (k + i + 1)));
  return fused;
}
