// What the sidebar shows, section by section: the states and views the extension sends to the webview.
// Part of the webview protocol (protocol.ts re-exports it); built on the engine's results
// (engine/results.ts), so a field the engine returns is declared there once. No `vscode`, Node or
// DOM imports: the webview bundle checks this file too.
import type {
  AskAnswer,
  AskHit,
  AskResult,
  EngineStatus,
  FileAbout,
  FileSummary as EngineFileSummary,
  HitSource,
  ModuleSummary,
  RecallEntry,
  RecallResult,
  SymbolLine,
  WorkspaceSummary,
} from './engine/results';

/**
 * Sidebar sections. Only sections that work right now are listed (Ask and Recall need the workspace
 * index, so they are absent without a workspace folder or when the model could not load); the
 * webview renders exactly these.
 */
export type SectionName = 'ask' | 'summary' | 'recall';

// ---------------------------------------------------------------------------------------------
// The workspace index, as the status bar and the sidebar show it.

/** 'restricted': an untrusted workspace, not read until the user asks (sidebar, command) or trusts it. */
export type IndexPhase = 'no-workspace' | 'restricted' | 'opening' | 'indexing' | 'ready' | 'cancelled' | 'error';

export interface IndexProgress {
  filesDone: number;
  filesTotal: number;
  tokensPerSecond: number;
  etaSeconds: number;
}

/** `files`, `regions`, `tokens`, `complete`: the engine's status (0 and false before it opened). */
export interface IndexState extends Pick<EngineStatus, 'files' | 'regions' | 'tokens' | 'complete'> {
  phase: IndexPhase;
  /** e.g. "onnxruntime-node"; absent until the engine opened. */
  runtime?: string;
  progress?: IndexProgress;
  /** The last finished scan: files read in it, and files kept from before (a resumed scan keeps what it had). */
  lastRun?: { scanned: number; unchanged: number };
  /** Why indexing failed, or a notice (e.g. a rebuilt index). */
  message?: string;
}

// ---------------------------------------------------------------------------------------------
// Ask. Lines are 1-based and inclusive.

export type { HitSource };

/**
 * An engine hit (AskHit) as the sidebar shows it: without the BM25 score, with its file's URI;
 * `fileRank`: the hit's file among the answer's files (the sidebar groups the hits by file).
 */
export interface AskHitView extends Omit<AskHit, 'bm25' | 'fileRank' | 'recall'> {
  fileRank?: number;
  /**
   * The memory's recall of the region (protocolRecall.ts); null while it is being measured; 'none' once
   * its file was measured without it: text no region covers (a file's lines outside its regions) has no
   * recall of its own, and the card shows none.
   */
  recall: number | null | 'none';
  /** URI of the file, handed back unchanged in `openLocation`. */
  uri: string;
}

/** The engine's answer to a question (AskResult) as the sidebar shows it; `ms` rounded. */
export interface AskView extends Pick<AskResult, 'question' | 'rereads' | 'notReread' | 'ms'> {
  /** 'memory': the recurrent memory alone (no attention, no re-reads, no BM25); 'hybrid': what Longview answers. */
  mode: 'hybrid' | 'memory';
  answer: (AskAnswer & { uri: string }) | null;
  hits: AskHitView[];
  /** Set while indexing is not complete: the answer comes from the files indexed so far. */
  partial: { filesIndexed: number } | null;
}

export type AskState =
  | { status: 'empty' }
  | { status: 'asking'; question: string }
  | { status: 'ready'; result: AskView }
  | { status: 'error'; question: string; message: string };

// ---------------------------------------------------------------------------------------------
// Recall: what the workspace summary still holds of each region.

/** An engine recall entry (RecallEntry) as the sidebar shows it: with its file's URI, and whether it is in the active file. */
export interface RecallRegionView extends RecallEntry {
  uri: string;
  /** A region of the active file: read exactly (attention); `recall` stays the memory's, as everywhere. */
  active: boolean;
}

/** The engine's recall (RecallResult) as the sidebar shows it. */
export interface RecallView extends Omit<RecallResult, 'scope' | 'regions'> {
  regions: RecallRegionView[];
  activePath: string | null;
}

/** Regions whose recall probe the engine has measured so far, of the `total` the request needs. */
export interface RecallProgress {
  done: number;
  total: number;
}

export type RecallState =
  | { status: 'empty'; reason: string }
  /**
   * The engine is measuring recall probes (whole workspace: a minute or more on a large one).
   * `progress` is null until the engine reports its first count; `previous` is the last chart shown,
   * kept on screen meanwhile (null when there was none). Later counts arrive as `recallProgress`
   * events, so the previous view is not sent again with each.
   */
  | { status: 'measuring'; progress: RecallProgress | null; previous: RecallView | null }
  /**
   * `stale`: the index changed since `recall` was measured and, the workspace being large (`regions`
   * to measure), nothing measures again until the section's refresh; `estimateMs` from this machine's
   * last counts (null when there were none). The chart is shown dimmed under that line.
   */
  | { status: 'ready'; recall: RecallView; stale?: RecallStale }
  | { status: 'error'; message: string };

export interface RecallStale {
  regions: number;
  estimateMs: number | null;
}

// ---------------------------------------------------------------------------------------------
// What the model adds to the Summary of a file, and the workspace's module overview.

/** What the engine's summary of a file (its FileSummary) adds to the Summary section. */
export interface FileInsight extends Pick<
  EngineFileSummary,
  'about' | 'main' | 'overview' | 'recallShare' | 'meanRecall' | 'tokens' | 'recallOf'
> {
  /** One-line description per symbol, keyed by descriptionKey(startLine, name). */
  descriptions: Record<string, { text: string; from: SymbolLine['from'] }>;
}

/** The key of a symbol's description in FileInsight.descriptions. */
export function descriptionKey(startLine: number, name: string): string {
  return `${startLine}:${name}`;
}

/** An engine module summary with its key files' URIs. */
export interface ModuleView extends Omit<ModuleSummary, 'keyFiles'> {
  keyFiles: { path: string; uri: string }[];
}

/** The engine's workspace summary as the sidebar shows it. */
export interface WorkspaceSummaryView extends Omit<WorkspaceSummary, 'modules'> {
  modules: ModuleView[];
}

// ---------------------------------------------------------------------------------------------
// What the Summary section shows. Lines are 1-based, as a person reads them.

export interface SummaryRegion {
  name: string;
  /** e.g. "function", "class", "method", as the outline module names them. */
  kind: string;
  startLine: number;
  endLine: number;
  /** First line of the region's doc comment, or null when it has none. */
  doc: string | null;
  /** Nested regions, e.g. the methods of a class. */
  children: SummaryRegion[];
}

export interface SummaryImport {
  /** The module or path imported from, e.g. "node:path" or "os". */
  source: string;
  line: number;
}

export interface SummaryExport {
  name: string;
  line: number;
}

export interface FileSummary {
  /** The document's URI as a string; the webview hands it back unchanged in `revealRange`. */
  uri: string;
  /** Base name, e.g. "parser.ts". */
  fileName: string;
  languageId: string;
  regions: SummaryRegion[];
  imports: SummaryImport[];
  exports: SummaryExport[];
  /** What the file is for, from its outline (its own doc, else its main symbol's); the insight's, once there, counts the workspace's uses. */
  about: FileAbout | null;
  /** From the model (workspace.summarize), when the file is in an indexed workspace; null otherwise. */
  insight: FileInsight | null;
}

export type SummaryState =
  | { status: 'empty' }
  | { status: 'loading'; fileName: string; languageId: string }
  | { status: 'ready'; summary: FileSummary }
  | { status: 'unsupported'; fileName: string; languageId: string }
  /** Not outlined on purpose (e.g. larger than longview.maxFileSizeKB); `reason` says why. */
  | { status: 'skipped'; fileName: string; reason: string }
  | { status: 'error'; fileName: string; message: string };
