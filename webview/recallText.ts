// The Recall section's words that need no DOM: a chart dot's label, the line shown while the
// engine measures and the one over a chart that is out of date. Unit-tested under plain Node.
import { READ_EXACTLY, rememberedText, type RecallProgress, type RecallRegionView, type RecallStale } from '../extension/protocol';

/**
 * A dot's title and aria-label: where, the one recall number in plain words ("remembered 41%"), the
 * active file said to be read exactly, then the figures behind the number.
 */
export function dotLabel(region: RecallRegionView): string {
  const beyond = region.recall < 1;
  return (
    `${region.path}:${region.startLine} ${region.symbol}: ${rememberedText(region.recall)}` +
    `${region.active ? ` (active file: ${READ_EXACTLY})` : ''}. Figures: read ${region.distanceTokens.toLocaleString('en-US')} tokens before the memory's end` +
    (beyond && region.probeGain !== undefined ? `; ${probeClause(region.probeGain)}` : '') +
    (beyond && region.windowOverlap !== undefined
      ? `; ${Math.round(region.windowOverlap * 100)}% of its token pairs are among the last ~500 tokens read`
      : '')
  );
}

/** The recall probe in a few words: what re-reading the region's first tokens after the summary saves over reading them cold. */
function probeClause(probeGain: number): string {
  const nats = Math.abs(probeGain).toFixed(2);
  const what = 'its first tokens re-read after the memory are predicted';
  if (nats === '0.00') return `${what} no better than cold`;
  return `${what} ${nats} nats per token of the region ${probeGain > 0 ? 'better' : 'worse'} than cold`;
}

/** The status line while recall probes are measured; progress null until the engine's first count. */
export function measuringText(progress: RecallProgress | null): string {
  if (!progress || progress.total <= 0) return 'Measuring what Longview remembers…';
  const n = (x: number) => x.toLocaleString('en-US');
  return `Measuring what Longview remembers: ${n(progress.done)} of ${n(progress.total)} regions…`;
}

/** The line over a chart measured before the summary changed (a large workspace is not measured again by itself). */
export function staleText(stale: RecallStale): string {
  const regions = `${stale.regions.toLocaleString('en-US')} regions`;
  const cost = stale.estimateMs === null ? regions : `${regions}; measuring again takes ${duration(stale.estimateMs)} on this machine`;
  return `The summary changed since this chart was measured (${cost}). ↻ measures again.`;
}

function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `about ${Math.max(5, Math.round(s / 5) * 5)} seconds`;
  if (s < 90) return 'about a minute';
  return `about ${Math.round(s / 60)} minutes`;
}
