// The Ask section's state: asks the engine (with the active file for exact attention over it),
// keeps the last answer, and answers the memory-only comparison for the same question.
import * as vscode from 'vscode';
import type { RpcClient } from '../engine/rpc/client';
import type { EngineMethods } from '../engine/rpc/methods';
import type { IndexService } from '../indexService';
import type { AskState, AskView } from '../protocol';
import { filesToMeasure, toAskView, withMeasuredRecall } from '../present/engineViews';
import { reasonOf } from '../engine/reasonOf';
import { openDocument } from './summaryController';

const TOP_HITS = 8;

export class AskController implements vscode.Disposable {
  private current: AskState = { status: 'empty' };
  private asking = 0;
  private readonly changed = new vscode.EventEmitter<AskState>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly engine: RpcClient<EngineMethods>,
    private readonly index: IndexService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get state(): AskState {
    return this.current;
  }

  /** The last question asked, for the memory-only comparison. */
  get lastQuestion(): string | undefined {
    return this.current.status === 'ready' ? this.current.result.question : undefined;
  }

  /** Asks and shows the answer in the Ask section. */
  async ask(question: string): Promise<AskState> {
    const run = ++this.asking;
    this.set({ status: 'asking', question });
    try {
      const result = await this.query(question, 'hybrid');
      if (run !== this.asking) return this.current;
      const state = this.set({ status: 'ready', result });
      void this.measureCards(run, result);
      return state;
    } catch (error) {
      const message = reasonOf(error);
      this.log.error(`ask "${question}": ${message}`);
      if (run !== this.asking) return this.current;
      return this.set({ status: 'error', question, message });
    }
  }

  /** One question in one mode, without touching the Ask section's state (the Recall section's comparison). */
  async query(question: string, mode: AskView['mode']): Promise<AskView> {
    // Asked while the workspace opens (the first second after activation): answered once it is open.
    if (!(await this.index.whenOpen()))
      throw new Error('The workspace index is not open yet; wait for indexing to start, or run "Longview: Re-index Workspace".');
    const paths = this.index.workspacePaths;
    const editor = vscode.window.activeTextEditor;
    // The active document as the editor has it: unsaved edits and untitled buffers included.
    const open = editor ? openDocument(editor.document, paths) : undefined;
    const result = await this.engine.request('workspace.ask', {
      question,
      activeFile: open?.path,
      activeText: open?.text,
      top: TOP_HITS,
      memoryOnly: mode === 'memory',
    });
    this.log.info(`ask (${mode}) "${question}": ${result.hits.length} hits, ${result.rereads} re-read, ${Math.round(result.ms)} ms`);
    // An untitled buffer's hits carry its name as their path: they lead back to the buffer.
    const untitled = editor?.document.uri.scheme === 'untitled' ? { name: open?.path, uri: editor.document.uri.toString() } : undefined;
    return toAskView(result, mode, (p) => (untitled && p === untitled.name ? untitled.uri : paths.uriString(p)), this.index.state);
  }

  /**
   * The cards' recall, measured file by file in the cards' order right after the answer (a file's
   * probes take well under a second; the Recall section's workspace-wide measurement may take
   * minutes): the same number the heatmap and the chart show. A newer question stops it.
   */
  private async measureCards(run: number, result: AskView): Promise<void> {
    let view = result;
    for (const file of filesToMeasure(result)) {
      if (run !== this.asking) return;
      try {
        const recall = await this.engine.request('workspace.recall', { file });
        if (run !== this.asking) return;
        view = withMeasuredRecall(view, file, recall.regions);
        this.set({ status: 'ready', result: view });
      } catch (error) {
        this.log.warn(`recall of ${file} for the answer cards: ${reasonOf(error)}`);
      }
    }
  }

  private set(state: AskState): AskState {
    this.current = state;
    this.changed.fire(state);
    return state;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
