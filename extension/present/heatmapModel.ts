// What the recall heatmap draws on a file: each line belongs to its innermost region (a method, not
// its class), consecutive lines of one region form one range, and each range gets a tint bucket and
// a hover text. Pure, so it is unit-tested under plain Node.
import type { RecallEntry } from '../engine/query/recall';
import { RECALL_PROBE_TOKENS } from '../protocol';

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
 * Recall value, distance from the summary's end, one sentence on what that means and, past the window,
 * what was measured: the recall probe and the window overlap, the two terms the number is made of. The
 * tint always shows the recurrent memory; for the active file the hover adds that attention reads it
 * exactly, which is the hybrid's point: exact where you work, fading further away.
 */
export function heatmapHover(region: HeatmapRegion, activeFile = false): string {
  const value = `Recall ${region.recall.toFixed(2)}`;
  const distance = `${formatTokens(region.distanceTokens)} tokens from the end of the workspace summary`;
  const beyond = region.recall < 1;
  const probe = beyond && region.probeGain !== undefined ? ` ${probeSentence(region.probeGain)}` : '';
  const shared =
    beyond && region.windowOverlap !== undefined
      ? ` ${Math.round(region.windowOverlap * 100)} % of its token pairs are among the last ~500 tokens read.`
      : '';
  const head = `**${region.kind} ${region.symbol}**: ${value} · ${distance}.\n\n${meaning(region.recall)}${probe}${shared}`;
  return activeFile ? `${head}\n\n${ACTIVE_FILE_NOTE}` : head;
}

/**
 * What the recall probe measured, in words: the NLL that reading the region's first tokens after the
 * summary saves over reading them cold, summed over those tokens and divided by the region's length
 * (so "per token of the region", not per token re-read). Negative when the summary makes them harder.
 */
export function probeSentence(probeGain: number): string {
  const nats = Math.abs(probeGain).toFixed(2);
  const reread = `re-reading its first tokens (up to ${RECALL_PROBE_TOKENS}) after the summary predicts them`;
  if (nats === '0.00') return `Measured: ${reread} no better than reading them cold (0.00 nats per token of the region).`;
  return probeGain > 0
    ? `Measured: ${reread} better than reading them cold, by ${nats} nats per token of the region.`
    : `Measured: ${reread} worse than reading them cold, by ${nats} nats per token of the region.`;
}

export const ACTIVE_FILE_NOTE =
  'This is the active file: questions about it are answered by attention over its current text (exact, recall 1), whatever the memory above holds.';

export function meaning(recall: number): string {
  // 1 comes from the contract's window rule: attention still holds every token of the region.
  // Below it the number says how much the summary helps re-read the region, made of two measured
  // terms (model-contract.md): the recall probe (the region's first tokens re-read after the summary
  // and cold) and the share of its wording the last ~500 tokens read hold. The hover's next sentences
  // give both, so this one names no cause.
  if (recall >= 1) return 'Among the last tokens read: the attention window still holds this region exactly.';
  if (recall >= 0.5) return 'Past the attention window, but the summary still helps a lot to read it again.';
  if (recall >= 0.25)
    return 'Past the attention window: the summary helps to read it again only in part, so memory answers are approximate here.';
  return 'The summary has mostly forgotten this region: questions that reach it re-read its text instead of trusting memory.';
}

export function formatTokens(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
