// Opens a workspace file at a line range from an answer card or the Recall table: the cursor goes
// to the range's first line, the range is scrolled into view and highlighted the way "Go to
// Definition" does: the symbol-highlight colour, gone when the cursor moves (or after a few seconds). What the
// sidebar sends is not trusted: the location must be a file inside a workspace folder once `..`
// and symbolic links are resolved (checkWorkspaceFile), else nothing opens and a warning says why.
import * as vscode from 'vscode';
import { checkWorkspaceFile } from '../workspaceFile';

const HIGHLIGHT_MS = 3000;
const highlight = vscode.window.createTextEditorDecorationType({
  isWholeLine: true,
  backgroundColor: new vscode.ThemeColor('editor.symbolHighlightBackground'),
  borderColor: new vscode.ThemeColor('editor.symbolHighlightBorder'),
  borderStyle: 'solid',
  borderWidth: '1px 0',
});

/** Only files of the open workspace folders: a message can never make the sidebar open anything else. */
export async function openLocation(uriText: string, startLine: number, endLine: number): Promise<void> {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const checked = await checkWorkspaceFile(uriText, roots);
  if (!checked.ok) {
    void vscode.window.showWarningMessage(
      `Longview did not open this location: ${checked.reason}. The sidebar opens only files inside the workspace folders.`,
    );
    throw new Error(`not opened: ${checked.reason}`);
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(checked.path));
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
  // As after Go to Definition: the highlight goes with the next cursor move, else after HIGHLIGHT_MS.
  const clear = () => {
    clearTimeout(timer);
    moved.dispose();
    editor.setDecorations(highlight, []);
  };
  const timer = setTimeout(clear, HIGHLIGHT_MS);
  const moved = vscode.window.onDidChangeTextEditorSelection((e) => {
    if (
      e.textEditor === editor &&
      (e.kind === vscode.TextEditorSelectionChangeKind.Keyboard || e.kind === vscode.TextEditorSelectionChangeKind.Mouse)
    )
      clear();
  });
}

export function disposeHighlight(): void {
  highlight.dispose();
}
