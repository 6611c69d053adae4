// The one cap on a question's length, shared by the engine, the CLI and the sidebar (through
// extension/protocol.ts, which the webview bundle may import: so this file imports nothing).
// Longer questions are pasted files, not questions; the query encoder reads only the first tokens anyway.
export const MAX_QUESTION = 2000;

/** Why `question` cannot be asked (empty, or over MAX_QUESTION characters), or undefined when it can. */
export function questionProblem(question: string): string | undefined {
  if (question.trim().length === 0) return 'the question is empty';
  if (question.length > MAX_QUESTION) {
    return `the question is ${question.length.toLocaleString('en')} characters; at most ${MAX_QUESTION.toLocaleString('en')} are accepted`;
  }
  return undefined;
}
