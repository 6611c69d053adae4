// Commands that need the workspace index (issue 4). Until it exists they say so plainly instead
// of showing made-up results.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

const NEEDS_INDEX: Record<string, string> = {
  'longview.ask': 'Ask About Workspace',
  'longview.summarizeWorkspace': 'Summarize Workspace',
  'longview.toggleRecallHeatmap': 'Toggle Recall Heatmap',
  'longview.reindexWorkspace': 'Re-index Workspace',
  'longview.showIndexStatus': 'Show Index Status',
};

export function registerWorkspaceIndexCommands(ctx: Ctx): void {
  for (const [command, title] of Object.entries(NEEDS_INDEX)) {
    ctx.own(
      vscode.commands.registerCommand(command, () => {
        const text = `Longview: "${title}" is not available yet: needs the workspace index (issue 4).`;
        ctx.log.info(text);
        void vscode.window.showInformationMessage(text);
      }),
    );
  }
}
