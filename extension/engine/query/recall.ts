// recall(scope): how much of each region the workspace summary still holds (the contract's shown
// recall), and the summary's size, which is fixed whatever the workspace's size.
import type { ModelCard } from "../model/card";
import { summaryBytes } from "../scan/scanState";
import type { FileRecord } from "../index/types";
import type { RegionView } from "./regionMath";

export interface RecallEntry {
  path: string;
  symbol: string;
  kind: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  recall: number;
  /**
   * Tokens the summary read after this region: exact for the files that entered after its file,
   * plus its file's tokens below the region estimated by line share (regions keep no token offsets).
   */
  distanceTokens: number;
}

export interface RecallResult {
  scope: string;
  regions: RecallEntry[];
  meanRecall: number;
  summaryBytes: number;
  stateTokens: number;
  staleTokens: number;
}

export function recall(
  card: ModelCard,
  views: readonly RegionView[],
  scope: { file?: string },
  state: { tokens: number; staleTokens: number },
  history: readonly FileRecord[] = [],
): RecallResult {
  const after = tokensAfterEachFile(history);
  const chosen = scope.file ? views.filter((v) => v.file.path === scope.file || v.file.relPath === scope.file) : views;
  const regions = chosen.map((v) => ({
    path: v.file.path,
    symbol: v.region.name,
    kind: v.region.kind,
    startLine: v.region.startLine + 1,
    endLine: v.region.endLine + 1,
    recall: Math.round(v.recall * 1e6) / 1e6,
    distanceTokens: Math.round((after.get(v.file) ?? 0) + tokensBelow(v.file, v.region.endLine)),
  }));
  const meanRecall = regions.length ? regions.reduce((s, r) => s + r.recall, 0) / regions.length : 0;
  return {
    scope: scope.file ?? "workspace",
    regions,
    meanRecall: Math.round(meanRecall * 1e6) / 1e6,
    summaryBytes: summaryBytes(card),
    stateTokens: state.tokens,
    staleTokens: state.staleTokens,
  };
}

/** Per file of the history (stale versions included: their tokens are in the state too), the tokens read after it. */
function tokensAfterEachFile(history: readonly FileRecord[]): Map<FileRecord, number> {
  const after = new Map<FileRecord, number>();
  let sum = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    after.set(history[i], sum);
    sum += history[i].tokens;
  }
  return after;
}

/** The file's tokens after line `endLine` (0-based), by the share of its outlined lines below it. */
function tokensBelow(file: FileRecord, endLine: number): number {
  const lastLine = file.regions.reduce((m, r) => Math.max(m, r.endLine), endLine);
  return lastLine > 0 ? file.tokens * ((lastLine - endLine) / (lastLine + 1)) : 0;
}
