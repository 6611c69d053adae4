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

export const PROTOCOL_VERSION = 1;

/** Sidebar sections. Only sections whose engine exists are listed; the webview renders exactly these. */
export type SectionName = 'summary';

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

export interface WebviewRequests {
  ready: { params: Record<string, never>; result: ReadyResult };
  summarizeActiveFile: { params: Record<string, never>; result: SummaryState };
  revealRange: { params: RevealRangeParams; result: { revealed: true } };
}

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
}

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
  revealRange: (p) => {
    if (typeof p.uri !== 'string' || p.uri.length === 0) return 'params.uri must be a non-empty string';
    if (!isLine(p.startLine)) return 'params.startLine must be an integer ≥ 1';
    if (!isLine(p.endLine)) return 'params.endLine must be an integer ≥ 1';
    if ((p.endLine as number) < (p.startLine as number)) return 'params.endLine must not be before params.startLine';
    const extra = Object.keys(p).filter((k) => k !== 'uri' && k !== 'startLine' && k !== 'endLine');
    return extra.length ? `unexpected params: ${extra.join(', ')}` : null;
  },
};

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
  if (raw.kind === 'event') return raw.event === 'summary' && isRecord(raw.data);
  return false;
}
