// Toggle Recall Heatmap: tints each region of the visible editors by how much of it Longview's memory
// still holds (the one recall number, extension/protocolRecall.ts) on a graded scale, with marks in the
// overview ruler; the active file and regions inside the attention window, read exactly, get one calm
// edge mark instead (present/heatmapModel.ts). The hover says it in plain words, figures below.
// Colours are contributed theme colours (package.json "colors"), so light, dark and high-contrast
// themes each get their own, and the sidebar's legend shows the same ones.
import * as vscode from 'vscode';
import type { RpcClient } from '../engine/rpc/client';
import { RequestCancelledError } from '../engine/rpc/errors';
import type { EngineMethods } from '../engine/rpc/methods';
import type { IndexService } from '../indexService';
import { reasonOf } from '../engine/reasonOf';
import { readSettings } from '../settings';
import { BUCKETS, EXACT, heatmapRanges } from '../present/heatmapModel';

export class RecallHeatmap implements vscode.Disposable {
  private readonly decorationTypes: vscode.TextEditorDecorationType[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** What each editor shows now, so an unchanged redraw is skipped: resetting decorations closes an open hover. */
  private readonly drawn = new Map<vscode.TextEditor, string>();
  /** The refresh drawing now; a newer one cancels its engine requests (they may be measuring recall probes). */
  private refreshing: AbortController | undefined;

  constructor(
    private readonly engine: RpcClient<EngineMethods>,
    private readonly index: IndexService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const colour = new vscode.ThemeColor(`longview.heatmap.recall${bucket}`);
      this.decorationTypes.push(
        vscode.window.createTextEditorDecorationType({
          isWholeLine: true,
          backgroundColor: colour,
          overviewRulerColor: colour,
          overviewRulerLane: vscode.OverviewRulerLane.Right,
          // High-contrast themes draw no tints well: a left border in the theme's contrast colour keeps regions visible.
          borderStyle: 'solid',
          borderWidth: '0 0 0 3px',
          borderColor: new vscode.ThemeColor(`longview.heatmap.recall${bucket}Border`),
        }),
      );
    }
    // EXACT: read exactly (the active file, the attention window): a thin edge, no tint, nothing in the ruler.
    this.decorationTypes[EXACT] = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      borderStyle: 'solid',
      borderWidth: '0 0 0 2px',
      borderColor: new vscode.ThemeColor('longview.heatmap.exactBorder'),
    });
    this.disposables.push(
      ...this.decorationTypes,
      vscode.window.onDidChangeVisibleTextEditors(() => void this.refresh()),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      index.onDidChangeContent(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('longview.heatmap.enabled')) void this.refresh();
      }),
    );
    void this.refresh();
  }

  get enabled(): boolean {
    return readSettings().heatmapEnabled;
  }

  /** Flips the setting (in the user's settings, so it holds for every workspace); the change event redraws. */
  async toggle(): Promise<boolean> {
    const next = !this.enabled;
    await vscode.workspace.getConfiguration('longview').update('heatmap.enabled', next, vscode.ConfigurationTarget.Global);
    return next;
  }

  async refresh(): Promise<void> {
    this.refreshing?.abort();
    const run = (this.refreshing = new AbortController());
    const { signal } = run;
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === 'file');
    for (const editor of this.drawn.keys()) if (!editors.includes(editor)) this.drawn.delete(editor);
    if (!this.enabled || !this.index.isOpen) {
      for (const editor of editors) this.clear(editor);
      return;
    }
    for (const editor of editors) {
      const enginePath = this.index.workspacePaths.toEngine(editor.document.uri.fsPath);
      if (!enginePath) {
        this.clear(editor);
        continue;
      }
      try {
        const recall = await this.engine.request('workspace.recall', { file: enginePath }, { signal });
        if (signal.aborted) return; // a newer refresh is drawing
        this.draw(editor, recall.regions, editor === vscode.window.activeTextEditor);
      } catch (error) {
        if (signal.aborted || error instanceof RequestCancelledError) return; // superseded: the newer refresh draws
        this.log.warn(`heatmap for ${enginePath}: ${reasonOf(error)}`);
        this.clear(editor);
      }
    }
  }

  private draw(editor: vscode.TextEditor, regions: Parameters<typeof heatmapRanges>[0], active: boolean): void {
    const ranges = heatmapRanges(regions, editor.document.lineCount, active);
    const signature = JSON.stringify(ranges.map((r) => [r.startLine, r.endLine, r.bucket, r.hover]));
    if (this.drawn.get(editor) === signature) return;
    this.drawn.set(editor, signature);
    const perBucket: vscode.DecorationOptions[][] = this.decorationTypes.map(() => []);
    for (const range of ranges) {
      const hover = new vscode.MarkdownString(range.hover);
      perBucket[range.bucket].push({ range: new vscode.Range(range.startLine, 0, range.endLine, 0), hoverMessage: hover });
    }
    this.decorationTypes.forEach((type, bucket) => editor.setDecorations(type, perBucket[bucket]));
  }

  private clear(editor: vscode.TextEditor): void {
    this.drawn.delete(editor);
    for (const type of this.decorationTypes) editor.setDecorations(type, []);
  }

  dispose(): void {
    this.refreshing?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
