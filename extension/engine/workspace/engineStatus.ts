// The engine's status: what `longview status` prints, what workspace.open/compact/status answer, and
// what the extension's status bar and index service read. Declared here once; the RPC method table
// (workspaceMethods.ts) and the extension import it.
import type { ModelFiles } from "../model/card";
import type { RuntimeChoice } from "../runtime/select";
import type { RuntimeName } from "../runtime/types";
import { summaryBytes } from "../scan/scanState";
import { liveFiles, staleTokens, type WorkspaceIndex } from "../index/types";

export interface EngineStatus {
  /** The workspace's root folders, resolved, in order. */
  roots: string[];
  runtime: RuntimeName;
  /** Why this runtime was chosen (e.g. why the native build was not). */
  runtimeReason: string;
  threads: number;
  /** sha256 over the model files: the index's identity. */
  modelHash: string;
  /** False while files are still to be read (answers come from what is indexed so far). */
  complete: boolean;
  /** Live files, their regions and tokens. */
  files: number;
  regions: number;
  tokens: number;
  /** Tokens the summary state has read, stale versions of edited files included. */
  stateTokens: number;
  /** Tokens of those stale versions (compaction removes them). */
  staleTokens: number;
  /** Size of the summary state, fixed whatever the workspace's size. */
  summaryBytes: number;
  indexPath: string;
  /** Size of the index file as last read or written (0: none). */
  indexBytes: number;
  checkpoints: number;
  /** Files discovery skipped, by reason. */
  skipped: Record<string, number>;
  /** When the index last changed (ISO 8601). */
  updatedAt: string;
  /** One-line notices (e.g. why the old index was rebuilt, or why it could not be written). */
  notices: string[];
}

export function engineStatus(
  deps: { model: ModelFiles; runtime: RuntimeChoice },
  index: WorkspaceIndex,
  roots: string[],
  file: { indexPath: string; indexBytes: number; notices: string[] },
): EngineStatus {
  const live = liveFiles(index);
  return {
    roots,
    runtime: deps.runtime.runtime.name,
    runtimeReason: deps.runtime.reason,
    threads: deps.runtime.runtime.threads,
    modelHash: deps.model.filesHash,
    complete: index.complete,
    files: live.length,
    regions: live.reduce((n, f) => n + f.regions.length, 0),
    tokens: live.reduce((n, f) => n + f.tokens, 0),
    stateTokens: index.state.tokens,
    staleTokens: staleTokens(index),
    summaryBytes: summaryBytes(deps.model.card),
    indexPath: file.indexPath,
    indexBytes: file.indexBytes,
    checkpoints: index.checkpoints.length,
    skipped: index.skipped,
    updatedAt: new Date(index.updatedAt).toISOString(),
    notices: file.notices,
  };
}
