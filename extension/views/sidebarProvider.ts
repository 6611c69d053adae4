// The Longview sidebar (a webview view): serves its HTML, validates every message it sends,
// answers requests and pushes summary changes to it.
import * as vscode from 'vscode';
import {
  PROTOCOL_VERSION,
  validateWebviewMessage,
  type HostMessage,
  type WebviewRequest,
  type WebviewRequests,
} from '../protocol';
import type { SummaryController } from './summaryController';
import { sidebarHtml } from './sidebarHtml';

export class SidebarProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'longview.sidebar';
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly summary: SummaryController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(summary.onDidChange((state) => this.post({ kind: 'event', event: 'summary', data: state })));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = sidebarHtml(view.webview, this.extensionUri);
    const subscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      view.onDidChangeVisibility(() => this.summary.setViewVisible(view.visible)),
    ];
    view.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      if (this.view === view) this.view = undefined;
      this.summary.setViewVisible(false);
    });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async onMessage(raw: unknown): Promise<void> {
    const checked = validateWebviewMessage(raw);
    if (!checked.ok) {
      this.log.warn(`sidebar sent a malformed message: ${checked.error}`);
      this.post({ kind: 'response', id: checked.id, ok: false, error: checked.error });
      return;
    }
    const request = checked.request;
    try {
      const result = await this.answer(request);
      this.post({ kind: 'response', id: request.id, ok: true, result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`sidebar request ${request.method} failed: ${message}`);
      this.post({ kind: 'response', id: request.id, ok: false, error: message });
    }
  }

  private async answer(request: WebviewRequest): Promise<WebviewRequests[WebviewRequest['method']]['result']> {
    switch (request.method) {
      case 'ready':
        // The webview exists and listens now: start following the editor.
        this.summary.setViewVisible(this.view?.visible ?? true);
        return { protocolVersion: PROTOCOL_VERSION, sections: ['summary'], summary: this.summary.state };
      case 'summarizeActiveFile': {
        const editor = vscode.window.activeTextEditor;
        if (!editor) return this.summary.state;
        return this.summary.summarize(editor.document, { force: true });
      }
      case 'revealRange':
        await this.summary.reveal(request.params.uri, request.params.startLine, request.params.endLine);
        return { revealed: true };
    }
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }
}
