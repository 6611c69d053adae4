// summarize(file): what the file is for (its own doc, else its main symbol's: fileAbout.ts), its main
// symbols (symbolRank.ts, with how much other files use them), an overview, its symbols with one-line
// descriptions (the doc comment's first sentence, whole, else the line the model found most salient:
// the largest readout mass of its tokens), its imports and exports, and its share of the workspace
// summary's recall.
import { stateShapes, type ModelCard } from '../model/card';
import type { RegionParser, Region } from '../regions/types';
import { buildFileStream, type TextTokenizer } from '../scan/fileStream';
import type { ModelScanner } from '../scan/modelScanner';
import { zeroState } from '../scan/scanState';
import { firstParagraph, firstSentence } from '../regions/commentText';
import { fileAbout } from './fileAbout';
import type { RegionView } from './regionMath';
import { mainSymbols } from './symbolRank';
import type { FileSummary, SymbolLine } from '../results';

export type { FileSummary, SymbolLine };

export interface SummarizeDeps {
  card: ModelCard;
  scanner: ModelScanner;
  tokenizer: TextTokenizer;
  regions: RegionParser;
}

export async function summarizeFile(
  deps: SummarizeDeps,
  path: string,
  relPath: string,
  text: string,
  views: readonly RegionView[],
  /** This file's views with their probes measured (defaults to those among `views`). */
  own?: readonly RegionView[],
  /** Whether `views` carry every probe they need, so the share can be computed. */
  shareMeasured = true,
  /** How often other files use each of its definitions, by name (the workspace's reference graph). */
  uses: Readonly<Record<string, number>> = {},
): Promise<FileSummary> {
  const outline = await deps.regions.outline(relPath, text);
  const lines = text.split(/\r?\n/);
  const salience = await lineSalience(deps, relPath, text, lines.length, outline.regions);
  const symbols: SymbolLine[] = [];
  const visit = (r: Region, depth: number) => {
    if (r.kind !== 'block') {
      const doc = r.doc ? firstSentence(firstParagraph(r.doc)) : '';
      symbols.push({
        symbol: r.name,
        kind: r.kind,
        startLine: r.startLine + 1,
        endLine: r.endLine + 1,
        description: doc || salientLine(lines, salience, r).slice(0, 160),
        from: doc ? 'doc' : 'salient',
        depth,
        ...(depth === 0 && uses[r.name] ? { uses: uses[r.name] } : {}),
      });
    }
    r.children.forEach((c) => visit(c, depth + 1));
  };
  outline.regions.forEach((r) => visit(r, 0));
  const mine = own ?? views.filter((v) => v.file.path === path);
  const total = views.reduce((s, v) => s + v.recall, 0);
  const ownRecall = mine.reduce((s, v) => s + v.recall, 0);
  const kinds = new Map<string, number>();
  for (const s of symbols) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
  const counted = [...kinds.entries()].map(([k, n]) => `${n} ${k}${n === 1 ? '' : k.endsWith('s') ? 'es' : 's'}`).join(', ');
  return {
    path,
    about: fileAbout(outline, uses),
    main: mainSymbols(outline.regions, outline.exports, uses).map((r) => r.name),
    language: outline.language,
    lines: lines.length,
    tokens: salience.tokens,
    overview:
      `${outline.language} file, ${lines.length} lines, ${counted || 'no declarations'}` +
      (outline.imports.length ? `; imports ${outline.imports.length} modules` : '') +
      (outline.exports.length
        ? `; exports ${outline.exports
            .slice(0, 6)
            .map((e) => e.name)
            .join(', ')}`
        : '') +
      '.',
    symbols,
    imports: outline.imports.map((i) => i.source),
    exports: outline.exports.map((e) => e.name),
    recallShare: !shareMeasured ? null : total > 0 ? Math.round((ownRecall / total) * 1e6) / 1e6 : 0,
    meanRecall: mine.length ? Math.round((ownRecall / mine.length) * 1e6) / 1e6 : 0,
  };
}

/** Per line, the summed L2 norm of its tokens' readout from a fresh scan of the file. */
async function lineSalience(deps: SummarizeDeps, relPath: string, text: string, lineCount: number, regions: Region[]) {
  const stream = buildFileStream(relPath, text, deps.tokenizer, regions);
  const starts = stream.textStarts;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const perLine = new Float64Array(lineCount);
  let line = 0;
  const width = stateShapes(deps.card).embeddingSize;
  await deps.scanner.feed(zeroState(deps.card), stream.ids, undefined, undefined, (position, T, readout) => {
    for (let t = 0; t < T; t++) {
      const k = position + t - stream.textStart;
      if (k < 0) continue;
      const offset = starts[k];
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
      let n = 0;
      for (let i = t * width; i < (t + 1) * width; i++) n += readout[i] * readout[i];
      perLine[line] += Math.sqrt(n);
    }
  });
  return { perLine, tokens: stream.ids.length };
}

function salientLine(lines: string[], salience: { perLine: Float64Array }, r: Region): string {
  let best = -1;
  let bestScore = -Infinity;
  for (let l = r.startLine; l <= r.endLine && l < lines.length; l++) {
    const t = lines[l].trim();
    if (!t || /^[{}()[\];,]*$/.test(t)) continue;
    if (salience.perLine[l] > bestScore) {
      bestScore = salience.perLine[l];
      best = l;
    }
  }
  // Comment markers off a salient comment line: the description is read as prose.
  return best >= 0 ? lines[best].trim().replace(/^(\/\/+|\/\*+|\*+|#+)\s*/, '') : r.signature;
}
