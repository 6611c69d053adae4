// The sidebar's HTML shell. Strict CSP: nothing loads unless listed; scripts only with this
// page's nonce; styles and fonts only from the extension's own dist/ and media/ (the webview's
// localResourceRoots), never inline.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

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
  <link rel="stylesheet" href="${asset('dist', 'webview.css')}">
  <title>Longview</title>
</head>
<body>
  <main id="app">
    <section id="summary" aria-label="Summary">
      <header class="section-header">
        <h2>Summary</h2>
        <button type="button" id="summarize-button" class="icon-button" title="Summarize Current File" aria-label="Summarize Current File">&#x21bb;</button>
      </header>
      <div id="summary-body"></div>
      <div id="summary-status" class="visually-hidden" role="status"></div>
    </section>
  </main>
  <script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}
