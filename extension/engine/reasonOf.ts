// An error's message for a person or the log: the one home of this expression, imported by the
// engine, the extension host, the vscode-free view models and the webview (a browser bundle: this file imports
// nothing, so the webview may import it; esbuild.mjs and tsconfig.webview.json allow it).

/** An Error's message, or anything else thrown as text. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
