// What a file's Summary leads with: its main symbols, ranked, and which ones are folded away
// (constants, variables and private helpers). The Regions list itself stays in source order. No
// DOM: unit-tested under plain Node.
import type { FileSummary, SummaryRegion } from '../extension/protocol';

/** How many symbols the "Main" line names. */
export const MAIN_SYMBOLS = 3;

const KIND_WEIGHT: Record<string, number> = {
  class: 3,
  interface: 3,
  struct: 3,
  trait: 3,
  enum: 2.5,
  type: 2.5,
  module: 2.5,
  namespace: 2.5,
  function: 2,
  impl: 1.5,
  method: 1,
};

/** A private helper (`_name`, `#name`; dunders such as `__init__` are public) or a constant or variable. */
export function isMinor(region: SummaryRegion): boolean {
  if (region.kind === 'constant' || region.kind === 'variable') return true;
  return /^[_#]/.test(region.name) && !/^__.+__$/.test(region.name);
}

/**
 * Top-level symbols worth leading with, best first: by kind (types, then functions), exported ones
 * first among equals, then by size (a larger symbol carries more of the file). Minor ones never lead.
 */
export function mainSymbols(summary: Pick<FileSummary, 'regions' | 'exports'>, count = MAIN_SYMBOLS): SummaryRegion[] {
  const exported = new Set(summary.exports.map((e) => e.name));
  const score = (r: SummaryRegion) =>
    (KIND_WEIGHT[r.kind] ?? 0.5) + (exported.has(r.name) ? 1 : 0) + Math.log10(1 + r.endLine - r.startLine) / 2;
  return summary.regions
    .filter((r) => !isMinor(r) && r.kind !== 'heading' && r.kind !== 'block')
    .map((r, i) => ({ r, i, s: score(r) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, count)
    .map((x) => x.r);
}
