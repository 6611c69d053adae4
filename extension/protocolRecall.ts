// The one recall number, and the words every surface uses for it (the Ask cards, the heatmap's
// hover, the Recall chart and table, the Summary). Part of the webview protocol's shared files, so
// the sidebar and the extension's view models format it with the same functions. No `vscode`, Node
// or DOM imports.
//
// Definition (README "One recall number"): a region's recall is how much of it Longview's memory
// still holds: the engine's shown recall (`RecallEntry.recall`, docs/model-contract.md), 0 to 1,
// shown as a whole percent. 100 % inside the attention window (the last ~500 tokens read). It is
// the same number for a region wherever it appears. Whether attention reads a region exactly (the
// active file) is said separately, in words ("read exactly"), never as a recall number: the active
// file's regions show their memory's recall like every other region.

/** A recall (0–1) as every surface shows it: a whole percent, e.g. "41%". */
export function recallPercent(recall: number): string {
  return `${Math.round(Math.max(0, Math.min(1, recall)) * 100)}%`;
}

/** The label that goes with the number: "remembered 41%". */
export function rememberedText(recall: number): string {
  return `remembered ${recallPercent(recall)}`;
}

/**
 * A file summary's memory figure in words that say whose it is (FileSummary.recallOf): the file's own;
 * its saved version's while the editor has unsaved edits (the memory follows saves); or none yet.
 */
export function fileRecallText(meanRecall: number, recallOf: 'file' | 'saved' | 'none', regions?: number): string {
  if (recallOf === 'none') return 'Memory: none yet, this text enters the memory when it is saved.';
  if (recallOf === 'saved')
    return `Memory of the saved version: ${rememberedText(meanRecall)} on average over its regions (unsaved edits enter it when saved).`;
  return `Memory: ${rememberedText(meanRecall)} on average over its ${regions === undefined ? '' : `${regions} `}regions.`;
}

/** The active file's one style: attention reads it exactly, whatever memory holds. */
export const READ_EXACTLY = 'read exactly';

/** One plain sentence per recall level (the heatmap's hover, the chart's legend). */
export function recallWords(recall: number): string {
  if (recall >= 1) return 'Just read: Longview still holds this code word for word.';
  if (recall >= 0.5) return 'Mostly remembered.';
  if (recall >= 0.25) return 'Partly remembered: answers about it are approximate, so Longview re-reads it when asked.';
  return 'Mostly forgotten: Longview re-reads this code when a question needs it.';
}

/** The heatmap's recall scale: BUCKETS graded tints, from mostly forgotten (0) to remembered (BUCKETS - 1). */
export const BUCKETS = 4;

export function bucketOf(recall: number): number {
  return Math.max(0, Math.min(BUCKETS - 1, Math.floor(recall * BUCKETS)));
}

/**
 * The heatmap's legend, as the sidebar draws it under the Recall section: the calm style first (the
 * active file and the attention window, read exactly), then the graded scale. `colour` names the
 * contributed theme colour (package.json "colors") that the editor draws and the legend's swatch shows.
 */
export const HEATMAP_LEGEND: readonly { label: string; colour: string; title: string }[] = [
  {
    label: READ_EXACTLY,
    colour: 'longview.heatmap.exactBorder',
    title: 'The active file, and code among the last ~500 tokens read: Longview reads it word for word.',
  },
  ...Array.from({ length: BUCKETS }, (_, b) => ({
    label: b === BUCKETS - 1 ? `${(b * 100) / BUCKETS}–100%` : `${(b * 100) / BUCKETS}–${((b + 1) * 100) / BUCKETS - 1}%`,
    colour: `longview.heatmap.recall${b}`,
    title: `Remembered ${b === BUCKETS - 1 ? `${(b * 100) / BUCKETS}% or more` : `${(b * 100) / BUCKETS}% to ${((b + 1) * 100) / BUCKETS - 1}%`}`,
  })),
];
