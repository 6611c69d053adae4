// The index and the heatmap: Re-index (also resumes a cancelled scan), Index Workspace (Restricted
// Mode: the go-ahead to read an untrusted workspace), Cancel Indexing, Show Index
// Status (the status bar item runs it), Toggle Recall Heatmap, Open Log.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

export function registerWorkspaceIndexCommands(ctx: Ctx): void {
  const register = (command: string, run: () => unknown) => ctx.own(vscode.commands.registerCommand(command, run));
  register('longview.reindexWorkspace', () => ctx.index.reindex());
  register('longview.indexUntrustedWorkspace', () => {
    if (vscode.workspace.isTrusted)
      void vscode.window.showInformationMessage('Longview: this workspace is trusted, so it is indexed without asking.');
    return ctx.index.allowUntrusted();
  });
  register('longview.cancelIndexing', () => ctx.index.cancel());
  register('longview.openLog', () => ctx.log.show());
  register('longview.toggleRecallHeatmap', async () => {
    const on = await ctx.heatmap.toggle();
    if (on && !ctx.index.isOpen) void vscode.window.showInformationMessage('Longview: the heatmap appears once the workspace is indexed.');
  });
  register('longview.showIndexStatus', async () => {
    const state = ctx.index.state;
    const status = ctx.index.status;
    const lines = [`Longview index: ${state.phase}${state.complete ? '' : ' (not complete: answers come from the files indexed so far)'}`];
    if (status) {
      lines.push(
        `${status.files} files, ${status.regions} regions, ${status.tokens.toLocaleString('en-US')} tokens`,
        `summary ${(status.summaryBytes / 1048576).toFixed(1)} MiB (fixed), index file ${(status.indexBytes / 1024).toFixed(0)} KiB`,
        `runtime ${status.runtime} with ${status.threads} threads`,
      );
      const skipped = Object.entries(status.skipped)
        .map(([reason, n]) => `${n} ${reason}`)
        .join(', ');
      if (skipped) lines.push(`skipped: ${skipped}`);
      ctx.log.info(`index status: ${JSON.stringify(status)}`);
    }
    if (state.message) lines.push(state.message);
    const choice = await vscode.window.showInformationMessage(lines.join(' · '), 'Re-index', 'Open Log');
    if (choice === 'Re-index') void ctx.index.reindex();
    if (choice === 'Open Log') ctx.log.show();
  });
}
