// Turns the engine's query results into what the sidebar shows: engine paths become URIs the
// webview hands back, and the active file's regions are marked (attention reads them exactly).
// vscode-free (URIs are built by the caller's function) so it is unit-tested under plain Node.
import type { AskResult } from '../engine/query/ask';
import type { RecallEntry, RecallResult } from '../engine/query/recall';
import type { FileSummary as EngineFileSummary } from '../engine/query/summarizeFile';
import type { WorkspaceSummary } from '../engine/query/summarizeWorkspace';
import { descriptionKey, type AskView, type FileInsight, type RecallView, type WorkspaceSummaryView } from '../protocol';

/** Engine path → URI string (a file: URI); '' when the path maps to no root (the link is then inert). */
export type UriOf = (enginePath: string) => string;

export function toAskView(result: AskResult, mode: AskView['mode'], uriOf: UriOf, index: { complete: boolean; files: number }): AskView {
  return {
    question: result.question,
    mode,
    answer: result.answer
      ? { text: plainText(result.answer.text), path: result.answer.path, line: result.answer.line, uri: uriOf(result.answer.path) }
      : null,
    hits: result.hits.map((h) => ({
      path: h.path,
      uri: uriOf(h.path),
      startLine: h.startLine,
      endLine: h.endLine,
      symbol: h.symbol,
      kind: h.kind,
      score: h.score,
      fileRank: h.fileRank,
      source: h.source,
      // The one recall number is the memory's (protocolRecall.ts). The engine gives an exact hit 1
      // (attention reads it); the card says "read exactly" in words and shows the memory's recall
      // once it is measured (AskController measures the files of the cards shown).
      recall: h.source === 'exact' ? null : h.recall,
      snippet: h.snippet,
      // Read from the editor's unsaved text, not the file on disk: the card says so.
      ...(h.unsaved ? { unsaved: true } : {}),
    })),
    partial: index.complete ? null : { filesIndexed: index.files },
    rereads: result.rereads,
    notReread: result.notReread,
    ms: Math.round(result.ms),
  };
}

/**
 * The hits' recall as a later `workspace.recall` of `file` measured it (its regions' `entries`): the
 * same number the heatmap and the chart show. A hit of `file` that no entry matches (its uncovered
 * text) has none, rather than "measuring" for ever; hits of other files keep theirs.
 */
export function withMeasuredRecall(view: AskView, file: string, entries: readonly RecallEntry[]): AskView {
  const measured = new Map(entries.map((e) => [`${e.path}:${e.startLine}:${e.endLine}:${e.symbol}`, e.recall]));
  return {
    ...view,
    hits: view.hits.map((h) => {
      if (h.path !== file) return h;
      return { ...h, recall: measured.get(`${h.path}:${h.startLine}:${h.endLine}:${h.symbol}`) ?? 'none' };
    }),
  };
}

/** The files whose regions the cards need measured, in the cards' order (what the user sees first). */
export function filesToMeasure(view: AskView): string[] {
  return [...new Set(view.hits.filter((h) => h.recall === null).map((h) => h.path))];
}

/**
 * A line of doc text as text: Markdown's heading marks, emphasis, backticks and link syntax dropped
 * ("## Redirects" → "Redirects", "`ask()`" → "ask()", "[docs](x.md)" → "docs").
 */
export function plainText(text: string): string {
  return text
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/:[\w.-]+:`([^`]*)`/g, '$1') // a reStructuredText role, :mod:`json`
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`/g, '')
    .trim();
}

export function toRecallView(result: RecallResult, uriOf: UriOf, activePath: string | null): RecallView {
  return {
    regions: result.regions.map((r) => {
      const active = activePath !== null && r.path === activePath;
      return {
        path: r.path,
        uri: uriOf(r.path),
        symbol: r.symbol,
        kind: r.kind,
        startLine: r.startLine,
        endLine: r.endLine,
        recall: r.recall,
        distanceTokens: r.distanceTokens,
        windowOverlap: r.windowOverlap,
        ...(r.probeGain !== undefined && { probeGain: r.probeGain }),
        active,
      };
    }),
    meanRecall: result.meanRecall,
    summaryBytes: result.summaryBytes,
    stateTokens: result.stateTokens,
    staleTokens: result.staleTokens,
    activePath,
  };
}

/** The same recall with another file active (its regions marked): what switching editors changes, with no engine call. */
export function markActive(view: RecallView, activePath: string | null): RecallView {
  if (view.activePath === activePath) return view;
  return { ...view, activePath, regions: view.regions.map((r) => ({ ...r, active: activePath !== null && r.path === activePath })) };
}

export function toInsight(summary: EngineFileSummary): FileInsight {
  const descriptions: FileInsight['descriptions'] = {};
  // A doc line is text (Markdown marks dropped); a salient line is code and stays as it is.
  for (const s of summary.symbols)
    descriptions[descriptionKey(s.startLine, s.symbol)] = {
      text: s.from === 'salient' ? s.description : plainText(s.description),
      from: s.from,
    };
  return {
    about: summary.about && { ...summary.about, text: plainText(summary.about.text) },
    main: summary.main,
    overview: plainText(summary.overview),
    descriptions,
    recallShare: summary.recallShare,
    meanRecall: summary.meanRecall,
    recallOf: summary.recallOf,
    tokens: summary.tokens,
  };
}

export function toWorkspaceSummaryView(summary: WorkspaceSummary, uriOf: UriOf): WorkspaceSummaryView {
  return {
    files: summary.files,
    regions: summary.regions,
    importEdges: summary.importEdges,
    externalImports: summary.externalImports,
    modules: summary.modules.map((m) => ({
      ...m,
      about: m.about && plainText(m.about),
      keyFiles: m.keyFiles.map((p) => ({ path: p, uri: uriOf(p) })),
    })),
  };
}
