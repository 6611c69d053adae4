// The Recall section's state: every region's recall and distance from the summary's end, the
// active file's regions marked (attention reads them exactly), refreshed when the index changes or
// another file becomes active while the sidebar is shown.
import * as vscode from 'vscode';
import type { RpcClient } from '../engine/rpc/client';
import type { EngineMethods } from '../engine/rpc/methods';
import type { IndexService } from '../indexService';
import type { RecallState } from '../protocol';
import { toRecallView } from './engineViews';

export class RecallController implements vscode.Disposable {
  private current: RecallState = { status: 'empty', reason: 'The workspace is not indexed yet.' };
  private run = 0;
  private visible = false;
  private readonly changed = new vscode.EventEmitter<RecallState>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly engine: RpcClient<EngineMethods>,
    private readonly index: IndexService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      index.onDidChangeContent(() => void this.refreshIfShown()),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && editor.document.uri.scheme === 'file') void this.refreshIfShown();
      }),
    );
  }

  get state(): RecallState {
    return this.current;
  }

  setViewVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) void this.refresh();
  }

  private async refreshIfShown(): Promise<void> {
    if (this.visible) await this.refresh();
  }

  async refresh(): Promise<RecallState> {
    const run = ++this.run;
    if (!this.index.isOpen) return this.set({ status: 'empty', reason: 'The workspace is not indexed yet.' });
    try {
      const result = await this.engine.request('workspace.recall', {});
      if (run !== this.run) return this.current;
      if (result.regions.length === 0) return this.set({ status: 'empty', reason: 'No regions are indexed yet.' });
      const paths = this.index.workspacePaths;
      const editor = vscode.window.activeTextEditor;
      const activePath = editor && editor.document.uri.scheme === 'file' ? (paths.toEngine(editor.document.uri.fsPath) ?? null) : null;
      const uriOf = (p: string) => {
        const abs = paths.toAbsolute(p);
        return abs ? vscode.Uri.file(abs).toString() : '';
      };
      return this.set({ status: 'ready', recall: toRecallView(result, uriOf, activePath) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`recall: ${message}`);
      return this.set({ status: 'error', message });
    }
  }

  private set(state: RecallState): RecallState {
    this.current = state;
    this.changed.fire(state);
    return state;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
