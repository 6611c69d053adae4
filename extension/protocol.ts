/**
 * The one file that types every message between the sidebar webview and the extension.
 * Both bundles import it (the webview through tsconfig.webview.json), so it must stay free of
 * `vscode`, Node and DOM imports.
 *
 * Shape of the conversation:
 *  - the webview sends requests `{ kind: 'request', id, method, params }`; the first is `ready`
 *    (the handshake: the extension answers with what the sidebar should show);
 *  - the extension answers each request once with `{ kind: 'response', id, ok: true, result }`
 *    or `{ kind: 'response', id, ok: false, error }`;
 *  - the extension also pushes events `{ kind: 'event', event, data }` (e.g. a new summary when the
 *    active editor changes).
 * The extension runs `validateWebviewMessage` on everything it receives and answers a malformed
 * message with an error response instead of throwing.
 */

import { MAX_QUESTION } from './engine/query/questionLimit';

/** The cap on a question's length: the engine owns it (the CLI uses the same). */
export { MAX_QUESTION };

export const PROTOCOL_VERSION = 1;

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

export interface IndexState {
  phase: IndexPhase;
  files: number;
  regions: number;
  tokens: number;
  /** False while files are still to be read: answers then come from what is indexed so far. */
  complete: boolean;
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

/**
 * Which memory answered: attention over the active file, the recurrent summary, a re-read of the
 * text, or none (keyword: BM25 on the region's name, signature and path; not re-read in time).
 */
export type HitSource = 'exact' | 'memory' | 'reread' | 'keyword';

export interface AskHitView {
  /** Workspace-relative path as the engine names it. */
  path: string;
  /** URI of the file, handed back unchanged in `openLocation`. */
  uri: string;
  startLine: number;
  endLine: number;
  symbol: string;
  kind: string;
  score: number;
  source: HitSource;
  /** The region's recall; null while its recall probe is not measured on the summary as it stands. */
  recall: number | null;
  snippet: string;
}

export interface AskView {
  question: string;
  /** 'memory': the recurrent memory alone (no attention, no re-reads, no BM25); 'hybrid': what Longview answers. */
  mode: 'hybrid' | 'memory';
  answer: { text: string; uri: string; path: string; line: number } | null;
  hits: AskHitView[];
  /** Set while indexing is not complete: the answer comes from the files indexed so far. */
  partial: { filesIndexed: number } | null;
  rereads: number;
  notReread: number;
  ms: number;
}

export type AskState =
  | { status: 'empty' }
  | { status: 'asking'; question: string }
  | { status: 'ready'; result: AskView }
  | { status: 'error'; question: string; message: string };

// ---------------------------------------------------------------------------------------------
// Recall: what the workspace summary still holds of each region.

export interface RecallRegionView {
  path: string;
  uri: string;
  symbol: string;
  kind: string;
  startLine: number;
  endLine: number;
  /** 0…1; regions of the active file are read exactly (attention), shown as 1 with `active`. */
  recall: number;
  /** Tokens the summary read after this region (its distance from the summary's end). */
  distanceTokens: number;
  /** Share of the region's token pairs among the last ~500 tokens read (what recall follows past the window); absent from older engines. */
  windowOverlap?: number;
  /**
   * The recall probe counted in `recall`: the summed NLL that reading the region's first tokens (up to
   * card.recall_probe_tokens, 16) after the summary saves over reading them cold, per token of the region
   * (nats; negative when the summary makes them harder). Present only when measured: beyond the
   * attention window, with a model card that has the probe; absent from older engines.
   */
  probeGain?: number;
  active: boolean;
}

/**
 * Tokens the recall probe re-reads at most at the start of a region (media/model/card.json
 * recall_probe_tokens; the unit tests hold the two equal). Only the hover's and the chart's words use it.
 */
export const RECALL_PROBE_TOKENS = 16;

export interface RecallView {
  regions: RecallRegionView[];
  meanRecall: number;
  summaryBytes: number;
  stateTokens: number;
  staleTokens: number;
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

export interface FileInsight {
  overview: string;
  /** One-line description per symbol, keyed by `${startLine}:${name}`. */
  descriptions: Record<string, { text: string; from: 'doc' | 'salient' }>;
  /** This file's share of the summary's recall (null until every region's recall is measured on this state), and its regions' mean recall (0…1). */
  recallShare: number | null;
  meanRecall: number;
  tokens: number;
}

export interface ModuleView {
  module: string;
  files: number;
  regions: number;
  centrality: number;
  dependsOn: { module: string; imports: number }[];
  keyFiles: { path: string; uri: string }[];
  exports: string[];
}

export interface WorkspaceSummaryView {
  files: number;
  regions: number;
  importEdges: number;
  externalImports: { name: string; files: number }[];
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

// ---------------------------------------------------------------------------------------------
// Requests the webview sends, each with its result type.

export interface ReadyResult {
  protocolVersion: number;
  sections: SectionName[];
  summary: SummaryState;
}

export interface RevealRangeParams {
  uri: string;
  startLine: number;
  endLine: number;
}

export interface ReadyResultExtra {
  index: IndexState;
  ask: AskState;
  recall: RecallState;
  workspaceSummary: WorkspaceSummaryView | null;
}

export interface AskParams {
  question: string;
  mode: 'hybrid' | 'memory';
}

export interface OpenLocationParams {
  uri: string;
  startLine: number;
  endLine: number;
}

export type MarkdownTarget = 'file' | 'workspace';

export interface WebviewRequests {
  ready: { params: Record<string, never>; result: ReadyResult & ReadyResultExtra };
  summarizeActiveFile: { params: Record<string, never>; result: SummaryState };
  revealRange: { params: RevealRangeParams; result: { revealed: true } };
  /** Ask a question (mode 'memory': the same question through the recurrent memory alone). */
  ask: { params: AskParams; result: AskState };
  /** Open a workspace file, reveal the lines and highlight them briefly (answer cards, Recall table). */
  openLocation: { params: OpenLocationParams; result: { revealed: true } };
  summarizeWorkspace: { params: Record<string, never>; result: WorkspaceSummaryView };
  copyMarkdown: { params: { target: MarkdownTarget }; result: { copied: number } };
  refreshRecall: { params: Record<string, never>; result: RecallState };
  runCommand: { params: { command: SidebarCommand }; result: { done: true } };
  /** Restricted Mode: the user's go-ahead to index this untrusted workspace (this session); indexing starts, its state arrives as `index` events. */
  indexUntrustedWorkspace: { params: Record<string, never>; result: { started: true } };
}

/** Workbench commands the sidebar's buttons may run (an allow-list: nothing else can be invoked). */
export const SIDEBAR_COMMANDS = ['longview.reindexWorkspace', 'longview.toggleRecallHeatmap', 'longview.showIndexStatus', 'longview.openLog'] as const;
export type SidebarCommand = (typeof SIDEBAR_COMMANDS)[number];

export type WebviewMethod = keyof WebviewRequests;

export type WebviewRequest = {
  [M in WebviewMethod]: { kind: 'request'; id: number; method: M; params: WebviewRequests[M]['params'] };
}[WebviewMethod];

export type RequestOf<M extends WebviewMethod> = Extract<WebviewRequest, { method: M }>;

// ---------------------------------------------------------------------------------------------
// Messages the extension sends.

export interface SuccessResponse<M extends WebviewMethod = WebviewMethod> {
  kind: 'response';
  id: number;
  ok: true;
  result: WebviewRequests[M]['result'];
}

export interface ErrorResponse {
  kind: 'response';
  /** null when the malformed message carried no usable id. */
  id: number | null;
  ok: false;
  error: string;
}

export interface HostEvents {
  summary: SummaryState;
  index: IndexState;
  ask: AskState;
  /** Put text in the question box and focus it (Ask About Workspace, Ask about Selection). */
  focusAsk: { question: string };
  recall: RecallState;
  /** A newer count while the Recall section is 'measuring' (the last `recall` event's progress is replaced). */
  recallProgress: RecallProgress;
  workspaceSummary: WorkspaceSummaryView | null;
  sections: SectionName[];
}

const HOST_EVENTS: readonly (keyof HostEvents)[] = ['summary', 'index', 'ask', 'focusAsk', 'recall', 'recallProgress', 'workspaceSummary', 'sections'];

export type HostEvent = {
  [E in keyof HostEvents]: { kind: 'event'; event: E; data: HostEvents[E] };
}[keyof HostEvents];

export type HostMessage = SuccessResponse | ErrorResponse | HostEvent;

// ---------------------------------------------------------------------------------------------
// Validation of what the extension receives. Returns a reason instead of throwing.

export type Validation = { ok: true; request: WebviewRequest } | { ok: false; id: number | null; error: string };

const MAX_ID = Number.MAX_SAFE_INTEGER;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLine(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1;
}

/** Each method's params check: returns an error text, or null when the params are well formed. */
const paramChecks: { [M in WebviewMethod]: (params: Record<string, unknown>) => string | null } = {
  ready: (p) => noKeys(p),
  summarizeActiveFile: (p) => noKeys(p),
  revealRange: (p) => checkLocation(p),
  openLocation: (p) => checkLocation(p),
  ask: (p) => {
    if (typeof p.question !== 'string' || p.question.trim().length === 0) return 'params.question must be a non-empty string';
    if (p.question.length > MAX_QUESTION) return `params.question must be at most ${MAX_QUESTION} characters`;
    if (p.mode !== 'hybrid' && p.mode !== 'memory') return 'params.mode must be "hybrid" or "memory"';
    return extraKeys(p, ['question', 'mode']);
  },
  summarizeWorkspace: (p) => noKeys(p),
  copyMarkdown: (p) => {
    if (p.target !== 'file' && p.target !== 'workspace') return 'params.target must be "file" or "workspace"';
    return extraKeys(p, ['target']);
  },
  refreshRecall: (p) => noKeys(p),
  runCommand: (p) => {
    if (!(SIDEBAR_COMMANDS as readonly unknown[]).includes(p.command)) return `params.command must be one of ${SIDEBAR_COMMANDS.join(', ')}`;
    return extraKeys(p, ['command']);
  },
  indexUntrustedWorkspace: (p) => noKeys(p),
};


function checkLocation(p: Record<string, unknown>): string | null {
  if (typeof p.uri !== 'string' || p.uri.length === 0) return 'params.uri must be a non-empty string';
  if (!isLine(p.startLine)) return 'params.startLine must be an integer ≥ 1';
  if (!isLine(p.endLine)) return 'params.endLine must be an integer ≥ 1';
  if ((p.endLine as number) < (p.startLine as number)) return 'params.endLine must not be before params.startLine';
  return extraKeys(p, ['uri', 'startLine', 'endLine']);
}

function extraKeys(params: Record<string, unknown>, allowed: string[]): string | null {
  const extra = Object.keys(params).filter((k) => !allowed.includes(k));
  return extra.length ? `unexpected params: ${extra.join(', ')}` : null;
}

function noKeys(params: Record<string, unknown>): string | null {
  const keys = Object.keys(params);
  return keys.length ? `this method takes no params, got: ${keys.join(', ')}` : null;
}

export function isWebviewMethod(name: unknown): name is WebviewMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(paramChecks, name);
}

export function validateWebviewMessage(raw: unknown): Validation {
  if (!isRecord(raw)) return { ok: false, id: null, error: 'message must be an object' };
  const id = Number.isInteger(raw.id) && (raw.id as number) >= 0 && (raw.id as number) <= MAX_ID ? (raw.id as number) : null;
  if (raw.kind !== 'request') return { ok: false, id, error: `message kind must be "request", got ${describe(raw.kind)}` };
  if (id === null) return { ok: false, id: null, error: 'request id must be a non-negative integer' };
  if (!isWebviewMethod(raw.method)) return { ok: false, id, error: `unknown method ${describe(raw.method)}` };
  const params = raw.params === undefined ? {} : raw.params;
  if (!isRecord(params)) return { ok: false, id, error: 'params must be an object' };
  const problem = paramChecks[raw.method](params);
  if (problem) return { ok: false, id, error: `${raw.method}: ${problem}` };
  return { ok: true, request: { kind: 'request', id, method: raw.method, params } as WebviewRequest };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return value === null ? 'null' : typeof value;
}

/**
 * The light check the webview runs on what the extension sends: it trusts the extension's
 * payloads (same author, typed) but refuses anything that is not a protocol message at all.
 */
export function isHostMessage(raw: unknown): raw is HostMessage {
  if (!isRecord(raw)) return false;
  if (raw.kind === 'response') return (Number.isInteger(raw.id) || raw.id === null) && typeof raw.ok === 'boolean';
  if (raw.kind === 'event') return (HOST_EVENTS as readonly unknown[]).includes(raw.event) && 'data' in raw;
  return false;
}
