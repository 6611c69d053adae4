// Turns the engine's outline (0-based lines, full doc comments) into what the Summary section
// shows (1-based lines, first doc line). vscode-free so it is unit-tested under plain Node.
import type { Region } from '../engine/regions/types';
import type { OutlineResult } from '../engine/rpc/methods';
import type { FileSummary, SummaryRegion, SummaryState } from '../protocol';
import { firstParagraph, firstSentence } from '../engine/regions/commentText';
import { fileAbout } from '../engine/query/fileAbout';
import { plainText } from './engineViews';

export interface SummarizedDocument {
  uri: string;
  fileName: string;
  languageId: string;
}

export function toSummaryState(doc: SummarizedDocument, result: OutlineResult): SummaryState {
  if (!result.structured) return { status: 'unsupported', fileName: doc.fileName, languageId: doc.languageId };
  const { outline } = result;
  const summary: FileSummary = {
    uri: doc.uri,
    fileName: doc.fileName,
    languageId: doc.languageId,
    regions: outline.regions.map(toSummaryRegion),
    imports: outline.imports.map((i) => ({ source: i.source, line: i.line + 1 })),
    exports: outline.exports.map((e) => ({ name: e.name, line: e.line + 1 })),
    about: fileAbout(outline, {}, plainText),
    insight: null,
  };
  return { status: 'ready', summary };
}

function toSummaryRegion(region: Region): SummaryRegion {
  return {
    name: region.name,
    kind: region.kind,
    startLine: region.startLine + 1,
    endLine: region.endLine + 1,
    doc: firstDocLine(region.doc),
    children: region.children.map(toSummaryRegion),
  };
}

/**
 * The first sentence of a doc comment, whole even when it wraps over several lines (the first
 * paragraph's lines joined), as text: `count` reads as count, "## Redirects" as Redirects.
 */
export function firstDocLine(doc: string | undefined): string | null {
  if (!doc) return null;
  return firstSentence(plainText(firstParagraph(doc))) || null;
}

/** The last path segment of a URI path or file path. */
export function baseName(pathOrUri: string): string {
  const trimmed = pathOrUri.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
}
