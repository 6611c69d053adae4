// Errors reach the user as one message with the action that helps: Re-index for index trouble,
// Open Log for everything (the log has the details).
import * as vscode from 'vscode';

export function showError(log: vscode.LogOutputChannel, message: string, options: { reindex?: boolean } = {}): void {
  log.error(message);
  const actions = options.reindex ? ['Re-index', 'Open Log'] : ['Open Log'];
  void vscode.window.showErrorMessage(message, ...actions).then((choice) => {
    if (choice === 'Re-index') void vscode.commands.executeCommand('longview.reindexWorkspace');
    if (choice === 'Open Log') log.show();
  });
}
