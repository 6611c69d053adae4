// The Summary section's state: follows the active editor while the sidebar is visible, asks the
// engine worker for the file's outline and then, for a file of the indexed workspace, the model's
// overview of it; summarizes the workspace (the module overview) on request; reveals a region when
// the sidebar asks for it.
import * as vscode from 'vscode';
import type { RpcClient } from '../engine/rpc/client';
import { RequestCancelledError } from '../engine/rpc/errors';
import type { EngineMethods } from '../engine/rpc/methods';
import type { IndexService } from '../indexService';
import { toInsight, toWorkspaceSummaryView } from '../present/engineViews';
import { baseName, toSummaryState } from '../present/toSummary';
import type { FileInsight, SummaryState, WorkspaceSummaryView } from '../protocol';
import { reasonOf } from '../engine/reasonOf';
import { readSettings } from '../settings';
import type { WorkspacePaths } from '../workspacePaths';

/** Documents that are not files a person edits (output channels, debug consoles...). */
const IGNORED_SCHEMES = new Set(['output', 'debug', 'vscode-terminal', 'comment', 'walkThroughSnippet', 'vscode-scm']);

/**
 * For files whose name says nothing (untitled buffers, extensionless scripts), the extension the
 * engine should treat them as, from the language VS Code detected.
 */
const EXTENSION_FOR_LANGUAGE_ID: Record<string, string> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
  python: '.py',
  markdown: '.md',
};

/** Wait this long after the last keystroke before outlining again. */
const EDIT_DEBOUNCE_MS = 600;

export class SummaryController implements vscode.Disposable {
  private current: SummaryState = { status: 'empty' };
  /** uri@version of the document `current` describes, to skip work when nothing changed. */
  private currentKey: string | undefined;
  private inFlight: AbortController | undefined;
  private viewVisible = false;
  private editTimer: NodeJS.Timeout | undefined;
  private workspace: WorkspaceSummaryView | null = null;
  private readonly changed = new vscode.EventEmitter<SummaryState>();
  readonly onDidChange = this.changed.event;
  private readonly workspaceChanged = new vscode.EventEmitter<WorkspaceSummaryView>();
  /** A new module overview (Summarize Workspace). */
  readonly onDidChangeWorkspace = this.workspaceChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.workspaceChanged];

  constructor(
    private readonly engine: RpcClient<EngineMethods>,
    private readonly index: IndexService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      // The model's part of the summary may have changed with the index.
      index.onDidChangeContent(() => this.followActiveEditor({ refresh: true })),
      vscode.window.onDidChangeActiveTextEditor(() => this.followActiveEditor()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== vscode.window.activeTextEditor?.document || event.contentChanges.length === 0) return;
        clearTimeout(this.editTimer);
        this.editTimer = setTimeout(() => this.followActiveEditor(), EDIT_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // A new size limit may turn a skipped file into an outlined one, or the reverse.
        const editor = vscode.window.activeTextEditor;
        if (event.affectsConfiguration('longview.maxFileSizeKB') && editor && this.viewVisible) {
          void this.summarize(editor.document, { force: true });
        }
      }),
    );
  }

  get state(): SummaryState {
    return this.current;
  }

  /** The last module overview, null before Summarize Workspace. */
  get workspaceSummary(): WorkspaceSummaryView | null {
    return this.workspace;
  }

  /** The sidebar tells us when it is shown or hidden; hidden, we do no work. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    if (visible) this.followActiveEditor();
  }

  /** Outline the active editor's file if the sidebar shows it and it changed since last time. */
  followActiveEditor(options: { refresh?: boolean } = {}): void {
    if (!this.viewVisible) return;
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      // Focus in a panel or webview keeps the last summary; no editor open at all clears it.
      if (vscode.window.visibleTextEditors.length === 0) this.set({ status: 'empty' }, undefined);
      return;
    }
    if (IGNORED_SCHEMES.has(editor.document.uri.scheme)) return;
    // refresh: the index changed, so the model's part of the summary may have too.
    void this.summarize(editor.document, { force: options.refresh ?? false });
  }

  async summarize(document: vscode.TextDocument, options: { force: boolean }): Promise<SummaryState> {
    const key = `${document.uri.toString()}@${document.version}`;
    if (!options.force && key === this.currentKey && this.current.status !== 'error') return this.current;

    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const uri = document.uri.toString();
    const fileName = baseName(document.uri.path) || document.fileName;
    const { languageId } = document;

    const text = document.getText();
    const limitKB = readSettings(document.uri).maxFileSizeKB;
    const sizeKB = Buffer.byteLength(text, 'utf8') / 1024;
    if (sizeKB > limitKB) {
      const reason = `${fileName} is ${sizeKB.toFixed(0)} KB, larger than longview.maxFileSizeKB (${limitKB} KB); not outlined.`;
      return this.set({ status: 'skipped', fileName, reason }, key);
    }

    // Another file: say it is being outlined. The same file again (an edit, the command): keep
    // showing the current outline until the new one replaces it, so links never blink away.
    if (this.shownUri() !== uri) this.set({ status: 'loading', fileName, languageId }, undefined);
    const started = Date.now();
    try {
      const result = await this.engine.request('outline', { path: enginePath(document), languageId, text }, { signal: controller.signal });
      if (controller.signal.aborted) return this.current;
      this.log.debug(`outlined ${fileName} (${languageId}) in ${Date.now() - started} ms`);
      // The same file again keeps the model's part it had until the new one arrives (no blink).
      const previous = this.current.status === 'ready' && this.current.summary.uri === uri ? this.current.summary.insight : null;
      const outlinedState = toSummaryState({ uri, fileName, languageId }, result);
      const outlined = this.set(
        outlinedState.status === 'ready' ? { status: 'ready', summary: { ...outlinedState.summary, insight: previous } } : outlinedState,
        key,
      );
      if (outlined.status !== 'ready') return outlined;
      // The outline shows at once; the model's overview and descriptions follow when they are ready.
      const insight = await this.insightFor(document, controller.signal).catch((error: unknown) => {
        if (!controller.signal.aborted) this.log.warn(`model summary of ${fileName}: ${reasonOf(error)}`);
        return null;
      });
      if (controller.signal.aborted || !insight) return this.current;
      return this.set({ status: 'ready', summary: { ...outlined.summary, insight } }, key);
    } catch (error) {
      if (error instanceof RequestCancelledError || controller.signal.aborted) return this.current;
      const message = reasonOf(error);
      this.log.error(`outline of ${document.uri.toString()} failed: ${message}`);
      return this.set({ status: 'error', fileName, message }, key);
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  /** The module overview of the indexed workspace, shown in the Summary section. */
  async summarizeWorkspace(): Promise<WorkspaceSummaryView> {
    if (!this.index.isOpen) throw new Error('The workspace index is not open yet; Summarize Workspace needs it.');
    const result = await this.engine.request('workspace.summarizeWorkspace', {});
    this.workspace = toWorkspaceSummaryView(result, (p) => this.index.workspacePaths.uriString(p));
    this.workspaceChanged.fire(this.workspace);
    return this.workspace;
  }

  /** Puts the cursor on `startLine` (1-based) of the summarized file and scrolls the region into view. */
  async reveal(uriText: string, startLine: number, endLine: number): Promise<void> {
    if (uriText !== this.shownUri()) throw new Error('That outline is out of date: the sidebar now summarizes another file.');
    const uri = vscode.Uri.parse(uriText, true);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uriText);
    const document = visible?.document ?? (await vscode.workspace.openTextDocument(uri));
    const last = document.lineCount - 1;
    const start = Math.min(startLine - 1, last);
    const end = Math.min(Math.max(endLine - 1, start), last);
    const cursor = new vscode.Position(start, document.lineAt(start).firstNonWhitespaceCharacterIndex);
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: visible?.viewColumn,
      preserveFocus: false,
      selection: new vscode.Selection(cursor, cursor),
    });
    editor.revealRange(new vscode.Range(start, 0, end, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    clearTimeout(this.editTimer);
    this.inFlight?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** What the model adds (overview, descriptions, recall) for a file of the indexed workspace; null when it cannot. */
  private async insightFor(document: vscode.TextDocument, signal: AbortSignal): Promise<FileInsight | null> {
    if (!this.index.isOpen) return null;
    const open = openDocument(document, this.index.workspacePaths);
    if (!open) return null;
    // Unsaved edits and untitled buffers are read as the editor has them (the summary says so); the
    // index itself follows saves.
    return toInsight(await this.engine.request('workspace.summarize', { path: open.path, text: open.text }, { signal }));
  }

  private shownUri(): string | undefined {
    return this.current.status === 'ready' ? this.current.summary.uri : undefined;
  }

  private set(state: SummaryState, key: string | undefined): SummaryState {
    this.current = state;
    this.currentKey = key;
    this.changed.fire(state);
    return state;
  }
}

/**
 * A document as the engine reads it for Ask's exact pass and the model's summary: a file of the
 * workspace by its absolute path, with its text when it has unsaved changes (the engine reads the
 * file otherwise); an untitled buffer by its name (with an extension from its language) and its text.
 * Undefined for any other document.
 */
export function openDocument(document: vscode.TextDocument, paths: WorkspacePaths): { path: string; text?: string } | undefined {
  if (document.uri.scheme === 'untitled') return { path: enginePath(document), text: document.getText() };
  if (document.uri.scheme !== 'file' || paths.toEngine(document.uri.fsPath) === undefined) return undefined;
  return { path: document.uri.fsPath, text: document.isDirty ? document.getText() : undefined };
}

/** The path the engine outlines: the file's path, with an extension from its language when it has none. */
function enginePath(document: vscode.TextDocument): string {
  const path = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path;
  const name = baseName(path);
  const hasExtension = name.lastIndexOf('.') > 0;
  const implied = EXTENSION_FOR_LANGUAGE_ID[document.languageId];
  return !hasExtension && implied ? `${path}${implied}` : path;
}
