// The sidebar's index line, in words, for each index state. Pure, so it is unit-tested under plain Node.
import type { IndexState } from '../extension/protocol';

export function indexLineText(state: IndexState): string {
  const p = state.progress;
  switch (state.phase) {
    case 'indexing':
      return `Indexing${p ? ` ${p.filesDone}/${p.filesTotal} files` : ''}…`;
    case 'opening':
      return 'Opening the index…';
    case 'cancelled':
      return `Indexing paused at ${state.files} files: answers come from those. Re-index resumes.`;
    case 'error':
      return state.message ?? 'The index failed.';
    case 'ready':
      return `${state.files} files indexed${state.lastRun ? ` (${state.lastRun.scanned} read now, ${state.lastRun.unchanged} kept from before)` : ''}.`;
    case 'restricted':
      return 'Restricted Mode: not indexed. Longview waits for you before reading this workspace.';
    case 'no-workspace':
      return 'Open a folder to index it.';
  }
}

/** Restricted Mode's "Index this workspace" button and the line saying why indexing waits. */
export function restrictedNotice(state: IndexState): { why: string } | null {
  return state.phase === 'restricted'
    ? { why: state.message ?? 'This workspace is in Restricted Mode: Longview has not read its files.' }
    : null;
}
