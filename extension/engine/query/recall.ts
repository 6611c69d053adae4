// recall(scope): how much of each region the workspace summary still holds (the contract's shown
// recall, with the recall probe the engine measured for it), and the summary's size, which is fixed
// whatever the workspace's size.
import type { ModelCard } from '../model/card';
import { summaryBytes } from '../scan/scanState';
import type { RegionView } from './regionMath';
import type { RecallEntry, RecallResult } from '../results';

export type { RecallEntry, RecallResult };

/** The views of one file (by displayed or root-relative path), or all of them. */
export function inScope<V extends RegionView>(views: readonly V[], scope: { file?: string }): V[] {
  return scope.file ? views.filter((v) => v.file.path === scope.file || v.file.relPath === scope.file) : [...views];
}

export function recall(
  card: ModelCard,
  views: readonly RegionView[],
  scope: { file?: string },
  state: { tokens: number; staleTokens: number },
): RecallResult {
  const chosen = inScope(views, scope);
  const regions = chosen.map((v): RecallEntry => ({
    path: v.file.path,
    symbol: v.region.name,
    kind: v.region.kind,
    startLine: v.region.startLine + 1,
    endLine: v.region.endLine + 1,
    recall: Math.round(v.recall * 1e6) / 1e6,
    distanceTokens: v.distance,
    windowOverlap: Math.round(v.windowOverlap * 1e6) / 1e6,
    ...(v.probeGain !== undefined && { probeGain: Math.round(v.probeGain * 1e6) / 1e6 }),
  }));
  const meanRecall = regions.length ? regions.reduce((s, r) => s + r.recall, 0) / regions.length : 0;
  return {
    scope: scope.file ?? 'workspace',
    regions,
    meanRecall: Math.round(meanRecall * 1e6) / 1e6,
    summaryBytes: summaryBytes(card),
    stateTokens: state.tokens,
    staleTokens: state.staleTokens,
  };
}
