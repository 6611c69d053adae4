// The engine worker's workspace methods (params, result, progress), merged into rpc/methods.ts's
// EngineMethods. Results are the engine's plain result objects, documented in docs/cli.md.
import type { ScanProgress, SyncReport } from '../index/indexer';
import type { AskResult, EngineStatus, FileSummary, RecallResult, WorkspaceSummary } from '../results';
import type { RuntimeName } from '../runtime/types';

export type { EngineStatus };

export interface OpenParams {
  roots: string[];
  /** Where the index lives (the extension's storage folder, or the CLI's --cache). */
  cacheDir: string;
  /** media/model of the extension. */
  modelDir: string;
  runtime?: RuntimeName | 'auto';
  threads?: number;
  exclude?: string[];
  maxFileSizeKB?: number;
  /** The active editor's file, scanned once the engine is warm (WorkspaceEngine.warmScan). */
  activeFile?: string;
}

/** Regions whose recall probe is measured so far (recall and summarize measure them before answering). */
export interface ProbeProgress {
  done: number;
  total: number;
}

export type WorkspaceMethods = {
  'workspace.open': { params: OpenParams; result: EngineStatus };
  'workspace.index': { params: Record<string, never>; result: SyncReport; progress: ScanProgress };
  'workspace.fileChanged': { params: { path: string }; result: { skipped?: string; ms: number } };
  'workspace.fileDeleted': { params: { path: string }; result: { removed: boolean } };
  'workspace.fileRenamed': { params: { from: string; to: string }; result: { skipped?: string } };
  'workspace.compact': { params: Record<string, never>; result: EngineStatus };
  'workspace.ask': {
    params: {
      question: string;
      activeFile?: string;
      /** The active document's text when it differs from the file on disk (unsaved edits, an untitled buffer: then activeFile is its name). */
      activeText?: string;
      top?: number;
      fuse?: boolean;
      memoryOnly?: boolean;
    };
    result: AskResult;
  };
  /** Scan the active editor's file ahead of a question (cached by content; "exact" hits come from it). */
  'workspace.warmActive': { params: { path: string }; result: { ms: number; regions: number } };
  /** `text`: the open document's text when it differs from the file on disk (unsaved edits, an untitled buffer named `path`). */
  'workspace.summarize': { params: { path: string; text?: string }; result: FileSummary; progress: ProbeProgress };
  'workspace.summarizeWorkspace': { params: { maxModules?: number }; result: WorkspaceSummary };
  'workspace.recall': { params: { file?: string }; result: RecallResult; progress: ProbeProgress };
  'workspace.status': { params: Record<string, never>; result: EngineStatus };
};
