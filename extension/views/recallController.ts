// The Recall section's state: every region's recall and distance from the summary's end, the
// active file's regions marked (attention reads them exactly), measured again when the index changes
// while the sidebar is shown (on a large workspace only on the section's ↻: see recallRuns.ts). The measuring itself (progress, cancelling stale work, the debounce)
// is in recallRuns.ts, which needs no vscode.
import * as vscode from 'vscode';
import type { RpcClient } from '../engine/rpc/client';
import type { EngineMethods } from '../engine/rpc/methods';
import type { IndexService } from '../indexService';
import type { RecallProgress, RecallState } from '../protocol';
import { markActive, toRecallView } from '../present/engineViews';
import { RecallRuns } from '../present/recallRuns';

export class RecallController implements vscode.Disposable {
  private visible = false;
  private readonly changed = new vscode.EventEmitter<RecallState>();
  private readonly progressed = new vscode.EventEmitter<RecallProgress>();
  private readonly runs: RecallRuns;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.progressed];
  readonly onDidChange = this.changed.event;
  /** A newer count while the state is 'measuring' (the state itself is not fired again for it). */
  readonly onDidProgress = this.progressed.event;

  constructor(
    engine: RpcClient<EngineMethods>,
    private readonly index: IndexService,
    log: vscode.LogOutputChannel,
  ) {
    this.runs = new RecallRuns({
      request: async (options) => {
        // What the user is looking at first: the visible editors' files, the active one first, each
        // measured on its own (well under a second), so the heatmap and the answer cards get their
        // numbers before the whole workspace is done; the workspace's measurement then reuses them.
        for (const file of this.visibleFiles()) {
          if (options.signal.aborted) break;
          await engine.request('workspace.recall', { file }, { signal: options.signal }).catch(() => undefined);
        }
        return engine.request('workspace.recall', {}, options);
      },
      isOpen: () => index.isOpen,
      toView: (result) => toRecallView(result, (p) => index.workspacePaths.uriString(p), this.activePath()),
      onState: (state) => this.changed.fire(state),
      onProgress: (progress) => this.progressed.fire(progress),
      wanted: () => this.visible,
      warn: (message) => log.warn(`recall: ${message}`),
    });
    this.disposables.push(
      { dispose: () => this.runs.dispose() },
      // Stops a measurement of the old index at once; measures again after a quiet second, if shown
      // (above AUTO_LIMIT regions, recallRuns.ts, it marks the chart out of date instead, until the section's ↻).
      index.onDidChangeContent(() => this.runs.indexChanged()),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor || editor.document.uri.scheme !== 'file' || !this.visible) return;
        // Only the active marks change: no engine call when a chart is shown, and a measurement under
        // way marks the file active when it ends.
        if (this.runs.state.status === 'ready') this.runs.replaceView((view) => markActive(view, this.activePath()));
        else if (this.runs.state.status !== 'measuring' && !this.runs.waitingForRefresh) void this.refresh();
      }),
    );
  }

  get state(): RecallState {
    return this.runs.state;
  }

  setViewVisible(visible: boolean): void {
    this.visible = visible;
    // Out of date on a large workspace: the section says so and its ↻ measures (showing it does not).
    if (visible && !this.runs.waitingForRefresh) void this.refresh();
  }

  /** Recall of the index as it stands (joins a measurement under way). */
  refresh(): Promise<RecallState> {
    return this.runs.refresh();
  }

  /** The engine paths of the visible editors' files, the active editor's first. */
  private visibleFiles(): string[] {
    if (!this.index.isOpen) return [];
    const active = vscode.window.activeTextEditor;
    const editors = [...(active ? [active] : []), ...vscode.window.visibleTextEditors.filter((e) => e !== active)];
    const paths = editors
      .filter((e) => e.document.uri.scheme === 'file')
      .map((e) => this.index.workspacePaths.toEngine(e.document.uri.fsPath))
      .filter((p): p is string => p !== undefined);
    return [...new Set(paths)];
  }

  private activePath(): string | null {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== 'file' || !this.index.isOpen) return null;
    return this.index.workspacePaths.toEngine(editor.document.uri.fsPath) ?? null;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
