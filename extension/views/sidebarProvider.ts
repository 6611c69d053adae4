// The Longview sidebar (a webview view): serves its HTML, validates every message it sends,
// answers its requests and pushes state changes (summary, index, answers, recall) to it.
import * as vscode from 'vscode';
import {
  PROTOCOL_VERSION,
  validateWebviewMessage,
  type HostEvents,
  type HostMessage,
  type MarkdownTarget,
  type SectionName,
  type WebviewRequest,
  type WebviewRequests,
} from '../protocol';
import type { IndexService } from '../indexService';
import { fileSummaryMarkdown, hitMarkdown, workspaceSummaryMarkdown } from '../present/markdown';
import { reasonOf } from '../engine/reasonOf';
import type { AskController } from './askController';
import { openLocation } from './openLocation';
import type { RecallController } from './recallController';
import type { SummaryController } from './summaryController';
import { sidebarHtml } from './sidebarHtml';

export interface SidebarParts {
  summary: SummaryController;
  ask: AskController;
  recall: RecallController;
  index: IndexService;
  log: vscode.LogOutputChannel;
}

export class SidebarProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'longview.sidebar';
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly parts: SidebarParts,
  ) {
    this.disposables.push(
      parts.summary.onDidChange((state) => this.push('summary', state)),
      parts.summary.onDidChangeWorkspace((summary) => this.push('workspaceSummary', summary)),
      parts.ask.onDidChange((state) => this.push('ask', state)),
      parts.recall.onDidChange((state) => this.push('recall', state)),
      parts.recall.onDidProgress((progress) => this.push('recallProgress', progress)),
      parts.index.onDidChange((state) => {
        this.push('index', state);
        this.push('sections', this.sections());
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = sidebarHtml(view.webview, this.extensionUri);
    const subscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      view.onDidChangeVisibility(() => this.setVisible(view.visible)),
    ];
    view.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      if (this.view === view) {
        this.view = undefined;
        this.ready = false;
      }
      this.setVisible(false);
    });
  }

  /** Shows the sidebar and resolves once its webview answered the handshake (events then reach it). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${SidebarProvider.viewId}.focus`);
    if (this.ready) return;
    await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  /** Events reach only a webview that finished its handshake; it asks for the full state in `ready`. */
  push<E extends keyof HostEvents>(event: E, data: HostEvents[E]): void {
    if (this.ready) this.post({ kind: 'event', event, data } as HostMessage);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private sections(): SectionName[] {
    // Ask and Recall answer only from an open index; without one they are absent, not faked.
    return this.parts.index.isOpen ? ['ask', 'summary', 'recall'] : ['summary'];
  }

  private setVisible(visible: boolean): void {
    this.parts.summary.setViewVisible(visible);
    this.parts.recall.setViewVisible(visible);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const checked = validateWebviewMessage(raw);
    if (!checked.ok) {
      this.parts.log.warn(`sidebar sent a malformed message: ${checked.error}`);
      this.post({ kind: 'response', id: checked.id, ok: false, error: checked.error });
      return;
    }
    const request = checked.request;
    try {
      const result = await this.answer(request);
      this.post({ kind: 'response', id: request.id, ok: true, result });
    } catch (error) {
      const message = reasonOf(error);
      this.parts.log.warn(`sidebar request ${request.method} failed: ${message}`);
      this.post({ kind: 'response', id: request.id, ok: false, error: message });
    }
  }

  private async answer(request: WebviewRequest): Promise<WebviewRequests[WebviewRequest['method']]['result']> {
    const { summary, ask, recall, index } = this.parts;
    switch (request.method) {
      case 'ready': {
        // The webview exists and listens now: start following the editor.
        this.ready = true;
        this.setVisible(this.view?.visible ?? true);
        setTimeout(() => this.readyWaiters.splice(0).forEach((resolve) => resolve()), 0); // after this answer is posted
        return {
          protocolVersion: PROTOCOL_VERSION,
          sections: this.sections(),
          summary: summary.state,
          index: index.state,
          ask: ask.state,
          recall: recall.state,
          workspaceSummary: summary.workspaceSummary,
        };
      }
      case 'summarizeActiveFile': {
        const editor = vscode.window.activeTextEditor;
        if (!editor) return summary.state;
        return summary.summarize(editor.document, { force: true });
      }
      case 'revealRange':
        await summary.reveal(request.params.uri, request.params.startLine, request.params.endLine);
        return { revealed: true };
      case 'openLocation':
        await openLocation(request.params.uri, request.params.startLine, request.params.endLine);
        return { revealed: true };
      case 'ask':
        if (request.params.mode === 'memory') {
          // The comparison in the Recall section: the same question through the recurrent memory alone.
          const result = await ask.query(request.params.question, 'memory');
          return { status: 'ready', result };
        }
        return ask.ask(request.params.question);
      case 'summarizeWorkspace':
        return summary.summarizeWorkspace();
      case 'copyMarkdown': {
        const text = this.markdown(request.params.target, request.params.rank);
        await vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage('Longview: copied as Markdown', 3000);
        return { copied: text.length };
      }
      case 'refreshRecall':
        return recall.refresh();
      case 'runCommand':
        await vscode.commands.executeCommand(request.params.command);
        return { done: true };
      case 'indexUntrustedWorkspace':
        void index.allowUntrusted(); // the scan runs on; its progress reaches the sidebar as index events
        return { started: true };
    }
  }

  private markdown(target: MarkdownTarget, rank = 1): string {
    if (target === 'hit') {
      const ask = this.parts.ask.state;
      const hit = ask.status === 'ready' ? ask.result.hits[rank - 1] : undefined;
      if (!hit) throw new Error('That answer is no longer shown.');
      return hitMarkdown(hit);
    }
    if (target === 'workspace') {
      const workspace = this.parts.summary.workspaceSummary;
      if (!workspace) throw new Error('Run "Summarize Workspace" first.');
      return workspaceSummaryMarkdown(workspace);
    }
    const state = this.parts.summary.state;
    if (state.status !== 'ready') throw new Error('There is no file summary to copy.');
    return fileSummaryMarkdown(state.summary);
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }
}
