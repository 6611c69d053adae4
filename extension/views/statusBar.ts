// The status bar item: the index state in a few words; a click runs Show Index Status.
import * as vscode from 'vscode';
import type { IndexState } from '../protocol';
import { statusBarText } from '../present/statusText';

export function createStatusBarItem(onDidChange: vscode.Event<IndexState>, initial: IndexState): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('longview.index', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Longview Index';
  item.command = 'longview.showIndexStatus';
  const show = (state: IndexState) => {
    const { text, tooltip } = statusBarText(state);
    item.text = text;
    item.tooltip = tooltip;
    item.backgroundColor = state.phase === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  };
  show(initial);
  item.show();
  const subscription = onDidChange(show);
  return {
    dispose: () => {
      subscription.dispose();
      item.dispose();
    },
  };
}
