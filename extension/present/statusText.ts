// The status bar item's words for each index state. Pure, so it is unit-tested under plain Node.
import type { IndexState } from '../protocol';

export function statusBarText(state: IndexState): { text: string; tooltip: string } {
  const counts = `${state.files} files, ${state.regions} regions, ${state.tokens.toLocaleString('en-US')} tokens`;
  switch (state.phase) {
    case 'no-workspace':
      return { text: '$(telescope) Longview', tooltip: 'Longview: open a folder to index it' };
    case 'restricted':
      return {
        text: '$(shield) Longview',
        tooltip:
          'Longview: Restricted Mode, nothing read yet; run Longview: Index Workspace (Restricted Mode) or use the sidebar to index this workspace',
      };
    case 'opening':
      return { text: '$(loading~spin) Longview', tooltip: 'Longview: opening the workspace index' };
    case 'indexing': {
      const p = state.progress;
      const done = p ? ` ${p.filesDone}/${p.filesTotal}` : '';
      return { text: `$(loading~spin) Longview${done}`, tooltip: `Longview: indexing (${counts} so far)` };
    }
    case 'ready':
      return {
        text: `$(telescope) Longview ${state.files}`,
        tooltip: `Longview index: ${counts}${state.runtime ? ` (${state.runtime})` : ''}`,
      };
    case 'cancelled':
      return {
        text: `$(debug-pause) Longview ${state.files}`,
        tooltip: `Longview: indexing paused (${counts}); Re-index Workspace resumes`,
      };
    case 'error':
      return { text: '$(error) Longview', tooltip: state.message ?? 'Longview: the index failed; see the log' };
  }
}
