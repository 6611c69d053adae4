// Opens a workspace file at a line range from an answer card or the Recall table: the cursor goes
// to the range's first line, the range is scrolled into view and briefly highlighted.
import * as vscode from 'vscode';

const HIGHLIGHT_MS = 1500;
const highlight = vscode.window.createTextEditorDecorationType({
  isWholeLine: true,
  backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
  borderColor: new vscode.ThemeColor('editor.rangeHighlightBorder'),
  borderStyle: 'solid',
  borderWidth: '1px 0',
});

/** Only files of the open workspace folders: a message can never make the sidebar open anything else. */
export function isWorkspaceFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

export async function openLocation(uriText: string, startLine: number, endLine: number): Promise<void> {
  const uri = vscode.Uri.parse(uriText, true);
  if (!isWorkspaceFile(uri)) throw new Error(`${uri.fsPath || uriText} is not a file of this workspace.`);
  const document = await vscode.workspace.openTextDocument(uri);
  const last = document.lineCount - 1;
  const start = Math.min(startLine - 1, last);
  const end = Math.min(Math.max(endLine - 1, start), last);
  const cursor = new vscode.Position(start, document.lineAt(start).firstNonWhitespaceCharacterIndex);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: visible?.viewColumn,
    preserveFocus: false,
    selection: new vscode.Selection(cursor, cursor),
  });
  const range = new vscode.Range(start, 0, end, document.lineAt(end).text.length);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  editor.setDecorations(highlight, [range]);
  setTimeout(() => editor.setDecorations(highlight, []), HIGHLIGHT_MS);
}

export function disposeHighlight(): void {
  highlight.dispose();
}
