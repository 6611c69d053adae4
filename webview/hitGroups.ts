// Ask's hits grouped by file, as the sidebar shows them (askView.ts). No DOM: unit-tested under Node.
import type { AskHitView } from '../extension/protocol';

/**
 * The hits grouped by file: files in the order of their best hit (the engine's fileRank), each file's
 * hits in rank order (its best region first); `rank` is the hit's 0-based place in the ranked list.
 */
export function groupByFile(hits: readonly AskHitView[]): { path: string; hits: { hit: AskHitView; rank: number }[] }[] {
  const groups = new Map<string, { path: string; hits: { hit: AskHitView; rank: number }[] }>();
  hits.forEach((hit, rank) => {
    let group = groups.get(hit.path);
    if (!group) groups.set(hit.path, (group = { path: hit.path, hits: [] }));
    group.hits.push({ hit, rank });
  });
  return [...groups.values()];
}
