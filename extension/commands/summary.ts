// Summarize Current File: show the sidebar and outline the active editor's file into it.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { SidebarProvider } from '../views/sidebarProvider';

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
      await vscode.commands.executeCommand(`${SidebarProvider.viewId}.focus`);
      await ctx.summary.summarize(editor.document, { force: true });
    }),
  );
}
