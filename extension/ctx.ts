// The one context object of a running Longview: it creates every long-lived part, owns every
// disposable and hands the parts to commands and views. Disposing it stops everything, including
// the engine worker.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RpcClient } from './engine/rpc/client';
import { ENGINE_OLD_SPACE_MB, type EngineMethods, type EngineWorkerData } from './engine/rpc/methods';
import { registerCommands } from './commands';
import { IndexService } from './indexService';
import { AskController } from './views/askController';
import { RecallHeatmap } from './views/heatmap';
import { disposeHighlight } from './views/openLocation';
import { RecallController } from './views/recallController';
import { SidebarProvider } from './views/sidebarProvider';
import { createStatusBarItem } from './views/statusBar';
import { SummaryController } from './views/summaryController';

export class Ctx implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly log: vscode.LogOutputChannel;
  readonly engine: RpcClient<EngineMethods>;
  readonly index: IndexService;
  readonly summary: SummaryController;
  readonly ask: AskController;
  readonly recall: RecallController;
  readonly heatmap: RecallHeatmap;
  readonly sidebar: SidebarProvider;

  private constructor(readonly extension: vscode.ExtensionContext) {
    try {
      this.log = this.own(vscode.window.createOutputChannel('Longview', { log: true }));
      this.engine = createEngine(extension.extensionUri, this.log, () => {
        // A restarted worker has no workspace open: open it again (the saved index makes that quick).
        setTimeout(() => void this.index?.start(), 1000);
      });
      this.own({ dispose: () => void this.engine.dispose() });
      this.own({ dispose: disposeHighlight });
      const index = (this.index = this.own(new IndexService(this.engine, extension, this.log)));
      this.summary = this.own(new SummaryController(this.engine, index, this.log));
      this.ask = this.own(new AskController(this.engine, index, this.log));
      this.recall = this.own(new RecallController(this.engine, index, this.log));
      this.heatmap = this.own(new RecallHeatmap(this.engine, index, this.log));
      this.sidebar = this.own(
        new SidebarProvider(extension.extensionUri, { summary: this.summary, ask: this.ask, recall: this.recall, index, log: this.log }),
      );
      this.own(vscode.window.registerWebviewViewProvider(SidebarProvider.viewId, this.sidebar));
      this.own(createStatusBarItem(index.onDidChange, index.state));
      registerCommands(this);
      void index.start();
    } catch (error) {
      this.dispose(); // release whatever was created before the failure
      throw error;
    }
  }

  static create(extension: vscode.ExtensionContext): Ctx {
    const ctx = new Ctx(extension);
    extension.subscriptions.push(ctx);
    ctx.log.info(`Longview ${extension.extension.packageJSON.version as string} activated`);
    return ctx;
  }

  /** Takes ownership of a disposable: it is disposed with the context, in reverse order. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      try {
        disposable.dispose();
      } catch (error) {
        console.error('Longview: error while disposing', error);
      }
    }
  }
}

function createEngine(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, afterCrash: () => void): RpcClient<EngineMethods> {
  const dist = path.join(extensionUri.fsPath, 'dist');
  const workerData: EngineWorkerData = { wasmDir: path.join(dist, 'wasm') };
  return new RpcClient<EngineMethods>({
    workerFile: path.join(dist, 'engine-worker.js'),
    workerData,
    execArgv: [], // the extension host's flags are not meant for the engine
    resourceLimits: { maxOldGenerationSizeMb: ENGINE_OLD_SPACE_MB },
    onCrash: (error) => {
      log.error(error.message);
      afterCrash();
    },
  });
}
