// What the recall heatmap draws on a file: each line belongs to its innermost region (a method, not
// its class), consecutive lines of one region form one range, and each range gets a style and a
// hover text. Pure, so it is unit-tested under plain Node.
//
// The encoding: what attention reads exactly (the active file, and regions still inside the attention
// window) gets one calm style, EXACT; every other region a graded tint of its memory's recall (the
// one recall number, extension/protocolRecall.ts; the Recall section draws the legend); lines outside
// every region get nothing.
import type { RecallEntry } from '../engine/query/recall';
import { BUCKETS, bucketOf, recallPercent, recallWords, rememberedText } from '../protocol';

export { BUCKETS, bucketOf };

/** The calm style's index, after the recall buckets 0 … BUCKETS - 1. */
export const EXACT = BUCKETS;

/** A region as `workspace.recall` returns it (lines 1-based, inclusive); the path is not needed here. */
export type HeatmapRegion = Omit<RecallEntry, 'path'>;

export interface HeatmapRange {
  /** 0-based, inclusive, as the editor counts lines. */
  startLine: number;
  endLine: number;
  region: HeatmapRegion;
  /** 0 … BUCKETS - 1: the recall's tint; EXACT: read exactly (active file or attention window). */
  bucket: number;
  hover: string;
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
    else
      ranges.push({ startLine: line, endLine: line, region, bucket: styleOf(region, activeFile), hover: heatmapHover(region, activeFile) });
  }
  return ranges;
}

export function styleOf(region: HeatmapRegion, activeFile: boolean): number {
  return activeFile || region.recall >= 1 ? EXACT : bucketOf(region.recall);
}

/**
 * First paragraph in plain words: the region, the one recall number ("remembered 41%") and one
 * sentence on what it means (for the active file: that it is read exactly). Second paragraph, for
 * whoever wants them: the figures the number is made of (distance, the recall probe, the window overlap).
 */
export function heatmapHover(region: HeatmapRegion, activeFile = false): string {
  const head = `**${region.kind} ${region.symbol}** · ${rememberedText(region.recall)}`;
  const plain = activeFile ? ACTIVE_FILE_NOTE : recallWords(region.recall);
  return `${head}\n\n${plain}\n\n${figures(region)}`;
}

export const ACTIVE_FILE_NOTE =
  'This is the active file: Longview reads it exactly, so questions about it do not depend on what memory holds.';

/** The measurement behind the number, for the hover's last paragraph. */
export function figures(region: HeatmapRegion): string {
  const parts = [`recall ${recallPercent(region.recall)}`, `read ${formatTokens(region.distanceTokens)} tokens before the memory's end`];
  const beyond = region.recall < 1;
  if (beyond && region.probeGain !== undefined) parts.push(probeSentence(region.probeGain));
  if (beyond && region.windowOverlap !== undefined)
    parts.push(`${Math.round(region.windowOverlap * 100)}% of its token pairs are among the last ~500 tokens read`);
  return `*Figures:* ${parts.join(' · ')}.`;
}

/**
 * What the recall probe measured: the NLL that reading the region's first tokens after the summary
 * saves over reading them cold, summed over those tokens and divided by the region's length (so "per
 * token of the region"). Negative when the summary makes them harder. How many tokens the probe reads
 * is the model card's `recall_probe_tokens`, said in docs/model-contract.md, not here.
 */
export function probeSentence(probeGain: number): string {
  const nats = Math.abs(probeGain).toFixed(2);
  const what = 'its first tokens re-read after the memory are predicted';
  if (nats === '0.00') return `${what} no better than cold`;
  return `${what} ${nats} nats per token of the region ${probeGain > 0 ? 'better' : 'worse'} than cold`;
}

export function formatTokens(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
