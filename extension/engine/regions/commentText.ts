// Turning comment and docstring source into plain doc text.

/** Strips comment markers from one comment: `/** *\/`, `/* *\/`, `///`, `//!`, `//`, `#`, `--`. */
export function stripCommentMarkers(comment: string): string {
  let body = comment.trim();
  if (body.startsWith('/*')) {
    body = body.replace(/^\/\*+!?/, '').replace(/\*+\/$/, '');
    return tidyLines(body.split('\n').map((l) => l.replace(/^\s*\*(?!\/) ?/, '')));
  }
  if (body.startsWith('=begin')) {
    return tidyLines(
      body
        .replace(/^=begin\s*/, '')
        .replace(/=end\s*$/, '')
        .split('\n'),
    );
  }
  return tidyLines(body.split('\n').map((l) => l.trim().replace(/^(?:\/\/[/!]?|#+!?|--) ?/, '')));
}

/** Docstring literal to text: quotes and prefixes removed, common indentation removed (like inspect.cleandoc). */
export function docstringText(literal: string): string {
  const match = /^[rRuUbBfF]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(literal.trim());
  const body = match ? match[2] : literal;
  const lines = body.split('\n');
  const indents = lines
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => /^\s*/.exec(l)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return tidyLines([lines[0].trim(), ...lines.slice(1).map((l) => l.slice(common))]);
}

/** Trailing whitespace off each line, blank lines off both ends. */
function tidyLines(lines: string[]): string {
  const trimmed = lines.map((l) => l.trimEnd());
  while (trimmed.length && trimmed[0].trim() === '') trimmed.shift();
  while (trimmed.length && trimmed[trimmed.length - 1].trim() === '') trimmed.pop();
  return trimmed.join('\n');
}
