/**
 * The one entry that types every message between the sidebar webview and the extension: what the
 * sidebar shows (protocolViews.ts, built on the engine's results in engine/results.ts), the messages
 * and their envelope (protocolMessages.ts), and their validation (protocolValidation.ts). Both
 * bundles import it (the webview through tsconfig.webview.json), so these files stay free of
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

export * from './protocolViews';
export * from './protocolMessages';
export * from './protocolValidation';
export * from './protocolRecall';
