// The messages between the sidebar webview and the extension: the requests the webview sends (each
// with its params and result), the responses and events the extension sends, and their envelope.
// Part of the webview protocol (protocol.ts re-exports it). No `vscode`, Node or DOM imports.
import { MAX_QUESTION } from './engine/query/questionLimit';
import type { AskState, IndexState, RecallProgress, RecallState, SectionName, SummaryState, WorkspaceSummaryView } from './protocolViews';

/** The cap on a question's length: the engine owns it (the CLI uses the same). */
export { MAX_QUESTION };

export const PROTOCOL_VERSION = 1;

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

/** 'hit': one answer card of the Ask section, `rank` 1-based as the cards count. */
export type MarkdownTarget = 'file' | 'workspace' | 'hit';

export interface WebviewRequests {
  ready: { params: Record<string, never>; result: ReadyResult & ReadyResultExtra };
  summarizeActiveFile: { params: Record<string, never>; result: SummaryState };
  revealRange: { params: RevealRangeParams; result: { revealed: true } };
  /** Ask a question (mode 'memory': the same question through the recurrent memory alone). */
  ask: { params: AskParams; result: AskState };
  /** Open a workspace file, reveal the lines and highlight them briefly (answer cards, Recall table). */
  openLocation: { params: OpenLocationParams; result: { revealed: true } };
  summarizeWorkspace: { params: Record<string, never>; result: WorkspaceSummaryView };
  copyMarkdown: { params: { target: MarkdownTarget; rank?: number }; result: { copied: number } };
  refreshRecall: { params: Record<string, never>; result: RecallState };
  runCommand: { params: { command: SidebarCommand }; result: { done: true } };
  /** Restricted Mode: the user's go-ahead to index this untrusted workspace (this session); indexing starts, its state arrives as `index` events. */
  indexUntrustedWorkspace: { params: Record<string, never>; result: { started: true } };
}

/** Workbench commands the sidebar's buttons may run (an allow-list: nothing else can be invoked). */
export const SIDEBAR_COMMANDS = [
  'longview.reindexWorkspace',
  'longview.toggleRecallHeatmap',
  'longview.showIndexStatus',
  'longview.openLog',
] as const;
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

/** Every event name (what `isHostMessage` accepts). */
export const HOST_EVENTS: readonly (keyof HostEvents)[] = [
  'summary',
  'index',
  'ask',
  'focusAsk',
  'recall',
  'recallProgress',
  'workspaceSummary',
  'sections',
];

export type HostEvent = {
  [E in keyof HostEvents]: { kind: 'event'; event: E; data: HostEvents[E] };
}[keyof HostEvents];

export type HostMessage = SuccessResponse | ErrorResponse | HostEvent;
