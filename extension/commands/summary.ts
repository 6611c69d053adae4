// Summarize Current File (outline, plus the model's overview once the workspace is indexed) and
// Summarize Workspace (the module overview), both shown in the sidebar.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { reasonOf } from '../engine/reasonOf';
import { showError } from '../userErrors';

export function registerSummaryCommands(ctx: Ctx): void {
  ctx.own(
    vscode.commands.registerCommand('longview.summarizeCurrentFile', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Longview: open a file first, then run "Summarize Current File".');
        return;
      }
      // Focusing the view resolves the webview if it was never shown; the summary then arrives
      // through the ready handshake or as an event.
      await vscode.commands.executeCommand('longview.sidebar.focus');
      await ctx.summary.summarize(editor.document, { force: true });
    }),
  );
  ctx.own(
    vscode.commands.registerCommand('longview.summarizeWorkspace', async () => {
      try {
        await ctx.sidebar.reveal();
        await ctx.summary.summarizeWorkspace();
      } catch (error) {
        showError(ctx.log, `Longview could not summarize the workspace: ${reasonOf(error)}`, { reindex: true });
      }
    }),
  );
}
