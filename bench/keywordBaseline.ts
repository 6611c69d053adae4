// The two keyword searches the question bench (bench/questions.ts) measures Longview against, both
// ranking whole files (what a user does with grep or an editor's search: find the file, then look):
// - tuned: BM25 (k1 1.2, b 0.75) over each file's path and text, identifiers split (camelCase,
//   snake_case) and kept whole too, Porter-stemmed, stop words out; test, example and documentation
//   files left out (engine/query/filePriors.ts). What a careful engineer would set up in an afternoon.
// - plain: BM25 over each file's text, lower-cased alphanumeric runs, nothing else, every file.
import { stem } from '../extension/engine/query/stem';
import { fileRole } from '../extension/engine/query/filePriors';

export type Terms = (text: string) => string[];

/** English stop words and the identifier splitter, the baseline's own (fixed: the engine's may change). */
const STOPWORDS = new Set(
  'the a an and or of to in on at by for with from into is are was be been it its this that these those how do does did what which where when who why can could should would i my me we you your our there here about as if then than so not no'.split(
    ' ',
  ),
);

function splitIdentifiers(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

/** Identifiers split and whole, stop words out, stemmed. */
export const tunedTerms: Terms = (text) => {
  const out = splitIdentifiers(text).map(stem);
  for (const word of text.toLowerCase().match(/[a-z][a-z0-9_]{2,}/g) ?? []) {
    const whole = word.replace(/_/g, '');
    if (whole !== word || /[a-z][0-9]|[0-9][a-z]/.test(word)) out.push(whole);
  }
  return out;
};

export const plainTerms: Terms = (text) => text.toLowerCase().match(/[a-z0-9_]+/g) ?? [];

export class FileBm25 {
  private readonly tf: Map<string, number>[] = [];
  private readonly df = new Map<string, number>();
  private readonly len: number[] = [];
  private readonly avg: number;

  constructor(
    readonly paths: string[],
    texts: string[],
    private readonly terms: Terms,
  ) {
    texts.forEach((text) => {
      const counts = new Map<string, number>();
      const ts = terms(text);
      for (const t of ts) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of counts.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.tf.push(counts);
      this.len.push(ts.length);
    });
    this.avg = this.len.reduce((a, b) => a + b, 0) / Math.max(1, this.len.length);
  }

  /** Paths, best first (ties by path), only files that share a term with the question. */
  rank(question: string): string[] {
    const n = this.paths.length;
    const scores = this.paths.map(() => 0);
    for (const t of new Set(this.terms(question))) {
      const df = this.df.get(t);
      if (!df) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      this.tf.forEach((counts, d) => {
        const f = counts.get(t);
        if (f) scores[d] += (idf * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * this.len[d]) / this.avg));
      });
    }
    return this.paths
      .map((p, d) => ({ p, s: scores[d] }))
      .filter((x) => x.s > 0)
      .sort((a, b) => b.s - a.s || (a.p < b.p ? -1 : 1))
      .map((x) => x.p);
  }
}

/** The tuned search over a workspace's files (test, example and documentation files left out). */
export function tunedKeywordSearch(files: { path: string; text: string }[]): FileBm25 {
  const kept = files.filter((f) => !['test', 'example', 'doc'].includes(fileRole(f.path)));
  return new FileBm25(
    kept.map((f) => f.path),
    kept.map((f) => `${f.path}\n${f.text}`),
    tunedTerms,
  );
}

export function plainKeywordSearch(files: { path: string; text: string }[]): FileBm25 {
  return new FileBm25(
    files.map((f) => f.path),
    files.map((f) => f.text),
    plainTerms,
  );
}
