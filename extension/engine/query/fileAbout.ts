// The one sentence a Summary leads with: what the file is for. Its own doc (module docstring or
// leading comment) when it has one, else the doc of its main symbol (symbolRank.ts), first sentence
// whole. Used by the engine's summarizeFile (CLI, sidebar once indexed), the sidebar's outline-only
// Summary (extension/present/toSummary.ts) and the workspace overview's one line per module.
import { describesWhole, firstParagraph, firstSentence } from '../regions/commentText';
import type { Outline } from '../regions/types';
import { mainSymbols } from './symbolRank';
import type { FileAbout } from '../results';

export type { FileAbout };

export function fileAbout(
  outline: Pick<Outline, 'doc' | 'regions' | 'exports'>,
  uses: Readonly<Record<string, number>> = {},
  /** Doc text to prose (the sidebar drops Markdown marks); identity by default. */
  asText: (doc: string) => string = (doc) => doc,
): FileAbout | null {
  if (outline.doc) {
    const text = firstSentence(asText(firstParagraph(outline.doc)));
    if (text) return { text, symbol: null };
  }
  for (const main of mainSymbols(outline.regions, outline.exports, uses)) {
    const text = main.doc ? firstSentence(asText(firstParagraph(main.doc))) : '';
    if (text && describesWhole(text)) return { text, symbol: main.name };
  }
  return null;
}
