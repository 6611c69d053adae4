// What the recall heatmap draws on a file: each line belongs to its innermost region (a method, not
// its class), consecutive lines of one region form one range, and each range gets a tint bucket and
// a hover text. Pure, so it is unit-tested under plain Node.
import type { RecallEntry } from '../engine/query/recall';

/** A region as `workspace.recall` returns it (lines 1-based, inclusive); the path is not needed here. */
export type HeatmapRegion = Omit<RecallEntry, 'path'>;

export interface HeatmapRange {
  /** 0-based, inclusive, as the editor counts lines. */
  startLine: number;
  endLine: number;
  region: HeatmapRegion;
  bucket: number;
  hover: string;
}

/** Tint levels, from "forgotten" (0) to "held" (BUCKETS - 1); each has a colour per theme kind. */
export const BUCKETS = 4;

export function bucketOf(recall: number): number {
  return Math.max(0, Math.min(BUCKETS - 1, Math.floor(recall * BUCKETS)));
}

/** `activeFile`: the editor is the active one, whose questions are answered by attention over its text. */
export function heatmapRanges(regions: readonly HeatmapRegion[], lineCount: number, activeFile = false): HeatmapRange[] {
  const owner: (HeatmapRegion | undefined)[] = new Array(lineCount).fill(undefined);
  // Wider regions first, so that the narrower (inner) ones overwrite their lines.
  const byWidth = [...regions].sort((a, b) => b.endLine - b.startLine - (a.endLine - a.startLine));
  for (const region of byWidth) {
    for (let line = region.startLine - 1; line <= region.endLine - 1 && line < lineCount; line++) if (line >= 0) owner[line] = region;
  }
  const ranges: HeatmapRange[] = [];
  for (let line = 0; line < lineCount; line++) {
    const region = owner[line];
    if (!region) continue;
    const last = ranges[ranges.length - 1];
    if (last && last.region === region && last.endLine === line - 1) last.endLine = line;
    else ranges.push({ startLine: line, endLine: line, region, bucket: bucketOf(region.recall), hover: heatmapHover(region, activeFile) });
  }
  return ranges;
}

/**
 * Recall value, distance from the summary's end, and one sentence on what that means. The tint always
 * shows the recurrent memory; for the active file the hover adds that attention reads it exactly, which
 * is the hybrid's point: exact where you work, fading further away.
 */
export function heatmapHover(region: HeatmapRegion, activeFile = false): string {
  const value = `Recall ${region.recall.toFixed(2)}`;
  const distance = `${formatTokens(region.distanceTokens)} tokens from the end of the workspace summary`;
  const shared = region.recall < 1 && region.windowOverlap !== undefined
    ? ` ${Math.round(region.windowOverlap * 100)} % of its token pairs are among the last ~500 tokens read.`
    : '';
  const head = `**${region.kind} ${region.symbol}**: ${value} · ${distance}.\n\n${meaning(region.recall)}${shared}`;
  return activeFile ? `${head}\n\n${ACTIVE_FILE_NOTE}` : head;
}

export const ACTIVE_FILE_NOTE =
  'This is the active file: questions about it are answered by attention over its current text (exact, recall 1), whatever the memory above holds.';

export function meaning(recall: number): string {
  // 1 comes from the contract's window rule: attention still holds every token of the region.
  // Below it the number says how much the summary helps re-read the region. Measured on held-out
  // code, the recurrent state alone gives ~2 % of that help; the rest comes from the last ~500 tokens
  // read, in proportion to the vocabulary the region shares with them (docs/model.md).
  if (recall >= 1) return 'Among the last tokens read: the attention window still holds this region exactly.';
  if (recall >= 0.5) return 'Past the attention window, but it shares much of its wording with the last text read: the summary still helps a lot to read it again.';
  if (recall >= 0.25) return 'The summary holds this region only in part, through the wording it shares with the last text read: memory answers are approximate here.';
  return 'The summary has mostly forgotten this region: questions that reach it re-read its text instead of trusting memory.';
}

export function formatTokens(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
