// Which symbols of a file matter most: what a Summary leads with (its "Main" symbols and the
// sentence that says what the file is for), and which ones fold away (constants, variables and
// private helpers). Shared by the engine (summarizeFile, the CLI) and the sidebar's Summary, so this
// file imports nothing (the webview bundle may import it: esbuild.mjs, tsconfig.webview.json).

/** How many symbols the "Main" line names. */
export const MAIN_SYMBOLS = 3;

/** What ranking needs of a symbol: the outline's region as the engine or the sidebar has it. */
export interface RankedSymbol {
  name: string;
  kind: string;
  startLine: number;
  endLine: number;
}

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
export function isMinor(symbol: Pick<RankedSymbol, 'name' | 'kind'>): boolean {
  if (symbol.kind === 'constant' || symbol.kind === 'variable') return true;
  return /^[_#]/.test(symbol.name) && !/^__.+__$/.test(symbol.name);
}

/**
 * Top-level symbols worth leading with, best first: by kind (types, then functions), then how much
 * other files use them (`uses`: references from other files, by name, from the workspace's reference
 * graph when the file is indexed), exported ones first among equals, then by size (a larger symbol
 * carries more of the file). Minor ones, headings and text blocks never lead.
 */
export function mainSymbols<T extends RankedSymbol>(
  symbols: readonly T[],
  exports: readonly { name: string }[],
  uses: Readonly<Record<string, number>> = {},
  count = MAIN_SYMBOLS,
): T[] {
  const exported = new Set(exports.map((e) => e.name));
  const score = (s: T) =>
    (KIND_WEIGHT[s.kind] ?? 0.5) +
    Math.log2(1 + (uses[s.name] ?? 0)) / 2 +
    (exported.has(s.name) ? 1 : 0) +
    Math.log10(1 + s.endLine - s.startLine) / 2;
  return symbols
    .filter((s) => !isMinor(s) && s.kind !== 'heading' && s.kind !== 'block')
    .map((s, i) => ({ s, i, score: score(s) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, count)
    .map((x) => x.s);
}
