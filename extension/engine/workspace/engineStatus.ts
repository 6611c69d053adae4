// The engine's status (its type: ../results.ts): what `longview status` prints, what
// workspace.open/compact/status answer, and what the extension's index service reads.
import type { ModelFiles } from '../model/card';
import type { RuntimeChoice } from '../runtime/select';
import { summaryBytes } from '../scan/scanState';
import { liveFiles, staleTokens, type WorkspaceIndex } from '../index/types';
import type { EngineStatus } from '../results';

export type { EngineStatus };

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
