// Ask About Workspace focuses the question box; Ask About Selection asks the selected text.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { MAX_QUESTION } from '../protocol';

export function registerAskCommands(ctx: Ctx): void {
  ctx.own(
    vscode.commands.registerCommand('longview.ask', async () => {
      await ctx.sidebar.reveal();
      ctx.sidebar.push('focusAsk', { question: '' });
    }),
  );
  ctx.own(
    vscode.commands.registerCommand('longview.askAboutSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      const question = editor?.document.getText(editor.selection).trim().replace(/\s+/g, ' ').slice(0, MAX_QUESTION) ?? '';
      await ctx.sidebar.reveal();
      ctx.sidebar.push('focusAsk', { question });
      if (question) await ctx.ask.ask(question);
    }),
  );
}
