// summarize(file): what the file is for (its own doc, else its main symbol's: fileAbout.ts), its main
// symbols (symbolRank.ts, with how much other files use them), an overview, its symbols with one-line
// descriptions (the doc comment's first sentence, whole, else the line the model found most salient:
// the largest readout mass of its tokens, scan/lineSalience.ts, as the index measured it when it
// scanned these very bytes; only a changed or unsaved file is scanned again), its imports and
// exports, and its share of the workspace summary's recall.
import { stateShapes, type ModelCard } from '../model/card';
import type { RegionParser, Region } from '../regions/types';
import type { FileRecord } from '../index/types';
import { buildFileStream, flattenRegions, type TextTokenizer } from '../scan/fileStream';
import { LineSalience } from '../scan/lineSalience';
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

export interface SummarizeOptions {
  /** This file's views with their probes measured (defaults to those among `views`). */
  own?: readonly RegionView[];
  /** Whether `views` carry every probe they need, so the share can be computed. */
  shareMeasured?: boolean;
  /** How often other files use each of its definitions, by name (the workspace's reference graph). */
  uses?: Readonly<Record<string, number>>;
  /**
   * The index's record of this very text (its content hash matches): the salient lines measured when
   * it was scanned are used, and the file is not scanned again. Absent for a changed or unsaved file.
   */
  indexed?: FileRecord;
}

export async function summarizeFile(
  deps: SummarizeDeps,
  path: string,
  relPath: string,
  text: string,
  views: readonly RegionView[],
  { own, shareMeasured = true, uses = {}, indexed }: SummarizeOptions = {},
): Promise<FileSummary> {
  const outline = await deps.regions.outline(relPath, text);
  const lines = text.split(/\r?\n/);
  const salience = fromIndex(indexed, outline.regions) ?? (await scanSalience(deps, relPath, text, lines, outline.regions));
  const symbols: SymbolLine[] = [];
  const visit = (r: Region, depth: number) => {
    if (r.kind !== 'block') {
      const doc = r.doc ? firstSentence(firstParagraph(r.doc)) : '';
      symbols.push({
        symbol: r.name,
        kind: r.kind,
        startLine: r.startLine + 1,
        endLine: r.endLine + 1,
        description: doc || salientText(lines, salience.line(r), r).slice(0, 160),
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
    recallOf: 'file',
  };
}

/** Each region's salient line (0-based, -1 for none) and the file's token count. */
interface Salience {
  line(region: Region): number;
  tokens: number;
}

/** The salient lines the index measured for this text, when it kept one for every region. */
function fromIndex(indexed: FileRecord | undefined, regions: Region[]): Salience | undefined {
  if (!indexed) return undefined;
  const byRegion = new Map(indexed.regions.map((r) => [`${r.startLine}:${r.name}`, r.salientLine]));
  const all = flattenRegions(regions);
  if (!all.every((r) => r.kind === 'block' || typeof byRegion.get(`${r.startLine}:${r.name}`) === 'number')) return undefined;
  return { line: (r) => byRegion.get(`${r.startLine}:${r.name}`) ?? -1, tokens: indexed.tokens };
}

/** A fresh scan of the file (a changed or unsaved text): per line the readout's mass (scan/lineSalience.ts). */
async function scanSalience(deps: SummarizeDeps, relPath: string, text: string, lines: string[], regions: Region[]): Promise<Salience> {
  const stream = buildFileStream(relPath, text, deps.tokenizer, regions);
  const salience = new LineSalience(text, stream, stateShapes(deps.card).embeddingSize);
  await deps.scanner.feed(zeroState(deps.card), stream.ids, undefined, undefined, salience.observe);
  return { line: (r) => salience.salientLine(lines, r.startLine, r.endLine), tokens: stream.ids.length };
}

/** The salient line as prose (comment markers off), else the signature. */
function salientText(lines: string[], line: number, r: Region): string {
  return line >= 0 ? lines[line].trim().replace(/^(\/\/+|\/\*+|\*+|#+)\s*/, '') : r.signature;
}
