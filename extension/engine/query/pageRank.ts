// PageRank over a directed graph given as adjacency lists: "most central first" for the workspace
// summary. Dangling nodes spread their rank evenly, as in the original formulation.

export function pageRank(edges: readonly (readonly number[])[], damping = 0.85, iterations = 50): Float64Array {
  const n = edges.length;
  let rank = new Float64Array(n).fill(1 / Math.max(1, n));
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(n).fill((1 - damping) / n);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const out = edges[i];
      if (out.length === 0) {
        dangling += rank[i];
        continue;
      }
      const share = (damping * rank[i]) / out.length;
      for (const j of out) next[j] += share;
    }
    for (let i = 0; i < n; i++) next[i] += (damping * dangling) / n;
    rank = next;
  }
  return rank;
}
