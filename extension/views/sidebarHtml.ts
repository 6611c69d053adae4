// The sidebar's HTML shell. Strict CSP: nothing loads unless listed; scripts only with this
// page's nonce; styles and fonts only from the extension's own dist/ and media/ (the webview's
// localResourceRoots), never inline.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { MAX_QUESTION } from '../protocol';

export function sidebarHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
  <link rel="stylesheet" href="${asset('dist', 'webview.css')}">
  <title>Longview</title>
</head>
<body>
  <main id="app">
    <div id="index-line" class="index-line" data-testid="index-line" role="status"></div>
    <div id="restricted" class="restricted" data-testid="restricted" hidden>
      <p id="restricted-why" class="hint"></p>
      <button type="button" id="index-untrusted-button" class="text-button" data-testid="index-untrusted-button">Index this workspace</button>
    </div>
    <section id="ask" aria-label="Ask" hidden>
      <header class="section-header"><h2>Ask</h2></header>
      <form id="ask-form" class="ask-form">
        <label for="ask-input" class="visually-hidden">Question about the workspace</label>
        <textarea id="ask-input" data-testid="ask-input" rows="1" autocomplete="off" spellcheck="false" maxlength="${MAX_QUESTION}"
          placeholder="Ask about the workspace…" title="Enter asks; Shift+Enter starts a new line; ↑/↓ go through earlier questions" aria-describedby="ask-hint"></textarea>
        <p id="ask-hint" class="visually-hidden">Press Enter to ask, Shift+Enter for a new line. Up and Down arrows go through earlier questions.</p>
      </form>
      <div id="ask-body" aria-live="polite"></div>
    </section>
    <section id="summary" aria-label="Summary">
      ${sectionHeader(
        'Summary',
        iconButton('summarize-workspace-button', 'Summarize Workspace', 'list-tree', { hidden: true }),
        iconButton('copy-summary-button', 'Copy the file summary as Markdown', 'copy'),
        iconButton('summarize-button', 'Summarize Current File', 'refresh'),
      )}
      <div id="summary-body"></div>
      <div id="workspace-summary-body"></div>
      <div id="summary-status" class="visually-hidden" role="status"></div>
    </section>
    <section id="recall" aria-label="Recall" hidden>
      ${sectionHeader(
        'Recall',
        iconButton('heatmap-button', 'Toggle Recall Heatmap', 'color-mode'),
        iconButton('recall-refresh-button', 'Refresh Recall', 'refresh'),
      )}
      <div id="recall-body"></div>
      <div id="compare-body"></div>
    </section>
  </main>
  <script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}

/** A section's header: its title and its buttons. */
function sectionHeader(title: string, ...buttons: string[]): string {
  return `<header class="section-header">
        <h2>${title}</h2>
        <span class="header-buttons">
          ${buttons.join('\n          ')}
        </span>
      </header>`;
}

/** A section header's button: a codicon, its label as both tooltip and accessible name. */
function iconButton(id: string, label: string, codicon: string, options: { hidden?: boolean } = {}): string {
  return `<button type="button" id="${id}" class="icon-button" title="${label}" aria-label="${label}"${options.hidden ? ' hidden' : ''}><span class="codicon codicon-${codicon}" aria-hidden="true"></span></button>`;
}
