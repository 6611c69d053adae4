// Validation of what the extension receives from the webview (every message, before it is
// dispatched: a malformed one is answered with an error response, never thrown), and the light check
// the webview runs on what it receives. Part of the webview protocol (protocol.ts re-exports it).
import { HOST_EVENTS, MAX_QUESTION, SIDEBAR_COMMANDS, type HostMessage, type WebviewMethod, type WebviewRequest } from './protocolMessages';

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
    if (p.target === 'hit') return isLine(p.rank) ? extraKeys(p, ['target', 'rank']) : 'params.rank must be an integer ≥ 1';
    if (p.target !== 'file' && p.target !== 'workspace') return 'params.target must be "file", "workspace" or "hit"';
    return extraKeys(p, ['target']);
  },
  refreshRecall: (p) => noKeys(p),
  runCommand: (p) => {
    if (!(SIDEBAR_COMMANDS as readonly unknown[]).includes(p.command))
      return `params.command must be one of ${SIDEBAR_COMMANDS.join(', ')}`;
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
