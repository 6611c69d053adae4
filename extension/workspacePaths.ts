// The extension's side of workspace paths: the engine's mapping (engine/paths/workspacePaths.ts,
// the one home of the rules) plus URIs, which only the extension makes. Every place that turns a
// workspace path into a URI the webview hands back goes through `uriOf`.
import * as vscode from 'vscode';
import { WorkspacePaths as EnginePaths } from './engine/paths/workspacePaths';

export class WorkspacePaths extends EnginePaths {
  /** The file: URI of a workspace path ("src/a.ts", or "<root name>/src/a.ts" with several roots), or undefined when it maps to no root. */
  uriOf(workspacePath: string): vscode.Uri | undefined {
    const abs = this.toAbsolute(workspacePath);
    return abs === undefined ? undefined : vscode.Uri.file(abs);
  }

  /** `uriOf` as the string the webview hands back; '' when the path maps to no root (the link is then inert). */
  uriString(workspacePath: string): string {
    return this.uriOf(workspacePath)?.toString() ?? '';
  }
}
