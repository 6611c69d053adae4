// The workspace index as the extension runs it: opens the engine's workspace on the folders
// (index in the extension's storage), indexes with a cancellable progress notification, re-indexes
// only the file that changed on save/create/rename/delete, and starts over when a setting that
// shapes the index changes. Everything else (status bar, sidebar, heatmap) listens to its state.
import * as path from 'node:path';
import picomatch from 'picomatch';
import * as vscode from 'vscode';
import type { RpcClient } from './engine/rpc/client';
import { RequestCancelledError } from './engine/rpc/errors';
import type { EngineMethods } from './engine/rpc/methods';
import type { EngineStatus } from './engine/workspace/workspaceMethods';
import { IndexConsent, RESTRICTED_WAIT_REASON } from './indexGate';
import type { IndexState } from './protocol';
import { reasonOf } from './engine/reasonOf';
import { readSettings } from './settings';
import { showError } from './userErrors';
import { WorkspacePaths } from './workspacePaths';

/** Settings that change what the index holds or how it is computed: the engine is opened again. */
const INDEX_SETTINGS = ['longview.exclude', 'longview.maxFileSizeKB', 'longview.modelThreads'];
/** Saves come in bursts (format on save, "save all"): wait this long per file before re-indexing it. */
const FILE_EVENT_DEBOUNCE_MS = 250;

export class IndexService implements vscode.Disposable {
  private current: IndexState = { phase: 'no-workspace', files: 0, regions: 0, tokens: 0, complete: false };
  private paths = new WorkspacePaths([]);
  private opened = false;
  /** The open under way (start()): true once the workspace is open, false when it failed or none is under way. */
  private opening: Promise<boolean> = Promise.resolve(false);
  private scan: AbortController | undefined;
  private generation = 0;
  private lastStatus: EngineStatus | undefined;
  /** Restricted Mode: the user's go-ahead for this session (indexGate.ts). */
  private readonly consent = new IndexConsent();
  private readonly pendingFiles = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<IndexState>();
  private readonly contentChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.contentChanged];
  /** The state changed (phase, counts, progress). */
  readonly onDidChange = this.changed.event;
  /** What the index holds changed (a scan finished, a file was re-indexed): recall views refresh. */
  readonly onDidChangeContent = this.contentChanged.event;

  constructor(
    private readonly engine: RpcClient<EngineMethods>,
    private readonly extension: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidChange((uri) => this.fileEvent(uri, 'changed')),
      watcher.onDidCreate((uri) => this.fileEvent(uri, 'changed')),
      watcher.onDidDelete((uri) => this.fileEvent(uri, 'deleted')),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.start()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.log.info('the workspace is trusted now: indexing it');
        void this.start();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (INDEX_SETTINGS.some((s) => event.affectsConfiguration(s))) {
          this.log.info('an index setting changed: opening the index again with the new settings');
          void this.start();
        }
      }),
    );
  }

  get state(): IndexState {
    return this.current;
  }

  get status(): EngineStatus | undefined {
    return this.lastStatus;
  }

  /** True once the engine has the workspace open: queries answer (from what is indexed so far). */
  get isOpen(): boolean {
    return this.opened;
  }

  /** Whether the workspace is open, once the open under way (if any) has settled: a question asked meanwhile waits for it. */
  whenOpen(): Promise<boolean> {
    return this.opened ? Promise.resolve(true) : this.opening;
  }

  get workspacePaths(): WorkspacePaths {
    return this.paths;
  }

  /** Opens the engine on the current folders and indexes them; a scan under way is stopped first. */
  async start(): Promise<void> {
    const generation = ++this.generation;
    this.scan?.abort();
    this.opened = false;
    this.opening = Promise.resolve(false);
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    this.paths = new WorkspacePaths(roots);
    if (roots.length === 0) {
      this.set({ phase: 'no-workspace', files: 0, regions: 0, tokens: 0, complete: false });
      return;
    }
    if (!this.consent.decide(vscode.workspace.isTrusted).index) {
      // Restricted Mode: the engine opens nothing and reads no file until the user says so.
      this.log.info(
        'Restricted Mode: indexing waits for "Index this workspace" (sidebar), the command Index Workspace (Restricted Mode), or trust',
      );
      this.set({ phase: 'restricted', files: 0, regions: 0, tokens: 0, complete: false, message: RESTRICTED_WAIT_REASON });
      return;
    }
    this.set({ ...this.current, phase: 'opening', message: undefined, progress: undefined });
    let settle!: (open: boolean | Promise<boolean>) => void;
    this.opening = new Promise((resolve) => (settle = resolve));
    const settings = readSettings();
    const storage = this.extension.storageUri ?? this.extension.globalStorageUri;
    try {
      const status = await this.engine.request('workspace.open', {
        roots,
        cacheDir: storage.fsPath,
        modelDir: path.join(this.extension.extensionUri.fsPath, 'media', 'model'),
        threads: settings.modelThreads || undefined,
        exclude: settings.exclude,
        maxFileSizeKB: settings.maxFileSizeKB,
        activeFile: activeFilePath(),
      });
      if (generation !== this.generation) return settle(this.whenOpen()); // a newer start's open answers
      this.opened = true;
      settle(true);
      for (const notice of status.notices) this.log.warn(`index: ${notice}`);
      this.log.info(`index open: ${status.indexPath} (${status.runtime}, ${status.runtimeReason})`);
      this.fromStatus(status, 'opening');
    } catch (error) {
      if (generation !== this.generation) return settle(this.whenOpen());
      settle(false);
      this.fail('Longview could not open the workspace index', error);
      return;
    }
    await this.index(generation);
  }

  /** Restricted Mode: the user asked to index this untrusted workspace (for this session); a no-op once it runs. */
  allowUntrusted(): Promise<void> {
    this.consent.allow();
    if (this.current.phase !== 'restricted') return Promise.resolve(); // trusted, or already under way
    this.log.info("Restricted Mode: indexing on the user's request");
    return this.start();
  }

  /** Re-index Workspace: the same as a start, also after a cancel (the scan resumes where it stopped). */
  reindex(): Promise<void> {
    return this.start();
  }

  /** Stops a scan under way; what was read so far stays indexed and a later scan resumes from it. */
  cancel(): void {
    this.scan?.abort();
  }

  private async index(generation: number): Promise<void> {
    const controller = new AbortController();
    this.scan = controller;
    this.set({ ...this.current, phase: 'indexing', progress: undefined });
    const started = Date.now();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Longview: indexing the workspace', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        try {
          const report = await this.engine.request(
            'workspace.index',
            {},
            {
              signal: controller.signal,
              onProgress: (p) => {
                const share = p.filesTotal > 0 ? (100 * p.filesDone) / p.filesTotal : 0;
                const eta = p.etaSeconds > 0 && Number.isFinite(p.etaSeconds) ? `, about ${Math.ceil(p.etaSeconds)} s left` : '';
                progress.report({
                  increment: Math.max(0, share - reported),
                  message: `${p.filesDone}/${p.filesTotal} files, ${Math.round(p.tokensPerSecond)} tokens/s${eta}`,
                });
                reported = Math.max(reported, share);
                this.set({
                  ...this.current,
                  progress: {
                    filesDone: p.filesDone,
                    filesTotal: p.filesTotal,
                    tokensPerSecond: p.tokensPerSecond,
                    etaSeconds: p.etaSeconds,
                  },
                });
              },
            },
          );
          this.log.info(
            `indexed in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.scanned} scanned, ${report.unchanged} unchanged, ${report.removed} removed, skipped ${JSON.stringify(report.skipped)}`,
          );
          if (generation === this.generation) {
            await this.refreshStatus('ready');
            this.set({ ...this.current, lastRun: { scanned: report.scanned, unchanged: report.unchanged } });
          }
        } catch (error) {
          if (generation !== this.generation) return;
          if (error instanceof RequestCancelledError || controller.signal.aborted) {
            this.log.info('indexing cancelled; what was read so far stays indexed (Re-index Workspace resumes)');
            await this.refreshStatus('cancelled');
            // The worker finishes the file it was reading and saves after the cancel reaches it: count again then.
            setTimeout(() => {
              if (generation === this.generation && this.current.phase === 'cancelled') void this.refreshStatus('cancelled');
            }, 1500);
          } else {
            this.fail('Longview could not index the workspace', error);
          }
        } finally {
          if (this.scan === controller) this.scan = undefined;
          this.contentChanged.fire();
        }
      },
    );
  }

  private fileEvent(uri: vscode.Uri, kind: 'changed' | 'deleted'): void {
    if (!this.opened || uri.scheme !== 'file') return;
    const rel = this.paths.relativeToRoot(uri.fsPath);
    if (rel === undefined || rel.split('/').includes('.git')) return;
    if (picomatch.isMatch(rel, readSettings(uri).exclude, { dot: true })) return;
    const key = uri.fsPath;
    clearTimeout(this.pendingFiles.get(key));
    this.pendingFiles.set(
      key,
      setTimeout(() => {
        this.pendingFiles.delete(key);
        void this.reindexFile(uri.fsPath, kind);
      }, FILE_EVENT_DEBOUNCE_MS),
    );
  }

  /** Only this file is read again (a rename arrives as delete + create, each handled alone). */
  private async reindexFile(absPath: string, kind: 'changed' | 'deleted'): Promise<void> {
    try {
      if (kind === 'deleted') {
        const { removed } = await this.engine.request('workspace.fileDeleted', { path: absPath });
        if (removed) this.log.info(`removed ${absPath} from the index`);
      } else {
        const { skipped, ms } = await this.engine.request('workspace.fileChanged', { path: absPath });
        this.log.info(skipped ? `not indexed ${absPath}: ${skipped}` : `re-indexed ${absPath} in ${Math.round(ms)} ms`);
      }
      if (this.current.phase !== 'indexing') await this.refreshStatus(this.current.phase);
      this.contentChanged.fire();
    } catch (error) {
      this.log.warn(`could not re-index ${absPath}: ${reasonOf(error)}`);
    }
  }

  private async refreshStatus(phase: IndexState['phase']): Promise<void> {
    try {
      this.fromStatus(await this.engine.request('workspace.status', {}), phase);
    } catch (error) {
      this.fail('Longview could not read the index status', error);
    }
  }

  private fromStatus(status: EngineStatus, phase: IndexState['phase']): void {
    this.lastStatus = status;
    this.set({
      phase,
      files: status.files,
      regions: status.regions,
      tokens: status.tokens,
      complete: status.complete,
      runtime: status.runtime,
      message: status.notices.length ? status.notices.join('; ') : undefined,
    });
  }

  private fail(what: string, error: unknown): void {
    const message = `${what}: ${reasonOf(error)}`;
    showError(this.log, message, { reindex: true });
    this.set({ ...this.current, phase: 'error', progress: undefined, message });
  }

  private set(state: IndexState): void {
    this.current = state;
    this.changed.fire(state);
  }

  dispose(): void {
    this.scan?.abort();
    for (const timer of this.pendingFiles.values()) clearTimeout(timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The active editor's file on disk, if any (a workspace file or not: the engine decides). */
function activeFilePath(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? uri.fsPath : undefined;
}
