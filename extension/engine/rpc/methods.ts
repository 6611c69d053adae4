// The engine's method table: every request the extension (or the CLI) can send to the engine
// worker, with its params, result and progress types. To add a method: add its entry here, write
// its handler module under rpc/handlers/ (or beside the feature it serves) and register it in
// ../worker.ts.
import type { Outline } from '../regions/types';
import type { WorkspaceMethods } from '../workspace/workspaceMethods';

/** What the worker is started with (`workerData`). */
/**
 * The engine worker's old-generation heap limit (Worker resourceLimits.maxOldGenerationSizeMb). Below
 * 2 GB V8 grows the heap between full collections by a factor of 1.3–2.0 instead of 4: with the
 * 1.1M-token index (about 70 MB live) a run of questions peaked at about 440 MB RSS instead of about
 * 600 (bench/README.md "Peak RSS"), and a workspace whose live heap outgrew this would end the worker
 * (ERR_WORKER_OUT_OF_MEMORY, restarted by the client) rather than the extension host. The bench runs
 * its engine processes with the same limit (--max-old-space-size).
 */
export const ENGINE_OLD_SPACE_MB = 1536;

export interface EngineWorkerData {
  /** Folder holding the .wasm files (dist/wasm in the bundle); absent: resolve from node_modules. */
  wasmDir?: string;
}

export interface OutlineParams {
  /** Path of the file (absolute or workspace-relative); its extension picks the grammar. */
  path: string;
  /** The editor's language id (e.g. VS Code's "typescriptreact"), shown when there is no outline. */
  languageId: string;
  text: string;
}

export interface OutlineResult {
  outline: Outline;
  /**
   * True when the regions come from the language's syntax (a tree-sitter language spec, or
   * Markdown headings); false when the file only has text blocks or is not text. The sidebar
   * shows "not supported yet" for false rather than a made-up outline.
   */
  structured: boolean;
}

export type EngineMethods = {
  outline: { params: OutlineParams; result: OutlineResult };
} & WorkspaceMethods; // workspace.* (index, file events, ask, summarize, recall, status): see workspace/workspaceMethods.ts
