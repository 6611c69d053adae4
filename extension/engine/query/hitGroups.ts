// Ask's hits grouped by file, as the CLI's text output (cli/format.ts) and the sidebar (webview/askView.ts)
// show them. No DOM, no vscode: unit-tested under Node.

/**
 * The hits grouped by file: files in the order of their best hit (the engine's fileRank), each file's
 * hits in rank order (its best region first); `rank` is the hit's 0-based place in the ranked list.
 */
export function groupByFile<H extends { path: string }>(hits: readonly H[]): { path: string; hits: { hit: H; rank: number }[] }[] {
  const groups = new Map<string, { path: string; hits: { hit: H; rank: number }[] }>();
  hits.forEach((hit, rank) => {
    let group = groups.get(hit.path);
    if (!group) groups.set(hit.path, (group = { path: hit.path, hits: [] }));
    group.hits.push({ hit, rank });
  });
  return [...groups.values()];
}
