// A question's keyword terms (with the code's abbreviations and synonyms of its words) and their
// BM25 scores over an index's postings (lexical.ts), and reciprocal rank fusion.
import { stem } from './stem';
import { synonymsOf } from './synonyms';
import { searchTerms, splitIdentifiers, STOPWORDS } from './lexicalTerms';

/** A posting lookup made once per term within one question. */
export function memo<T>(lookup: (term: string) => T): (term: string) => T {
  const made = new Map<string, T>();
  return (term) => {
    if (!made.has(term)) made.set(term, lookup(term));
    return made.get(term)!;
  };
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
 * terms (BM25's idf over `count` documents, of the `n` numbered), an abbreviation's at its weight;
 * `matched`: each document's sum of its terms' weighted idf, of `total` over every question term the
 * index knows; `touched` lists the matching documents in the order first met.
 */
export function accumulate(
  question: string,
  postings: (term: string) => { docs: ArrayLike<number>; tfs: ArrayLike<number> } | undefined,
  n: number,
  count: number,
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
    const idf = Math.log(1 + (count - p.docs.length + 0.5) / (p.docs.length + 0.5));
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
