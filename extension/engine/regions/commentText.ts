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

/** The first paragraph of a doc (its first non-blank lines up to a blank one), joined into one line. */
export function firstParagraph(doc: string): string {
  const lines = doc.split(/\r?\n/).map((l) => l.trim());
  const start = lines.findIndex((l) => l.length > 0);
  if (start < 0) return '';
  const paragraph: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line || /^@\w/.test(line)) break; // a blank line, or JSDoc's / Javadoc's block tags
    paragraph.push(line);
  }
  return paragraph.join(' ');
}

/** A first sentence longer than this is cut (with "…") so one symbol never fills a summary. */
export const MAX_SENTENCE = 240;

/**
 * The first sentence of one line of prose, whole: it ends at . ! ? before a capital (or the end), so
 * "e.g. 3.5 kg" does not end one; past MAX_SENTENCE characters it is cut at a word, with "…".
 */
export function firstSentence(text: string): string {
  const end = /[.!?](?=\s+[A-Z]|$)/.exec(text);
  const sentence = (end ? text.slice(0, end.index + 1) : text).trim();
  if (sentence.length <= MAX_SENTENCE) return sentence;
  const cut = sentence.slice(0, MAX_SENTENCE - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_SENTENCE / 2)).trimEnd()}…`;
}

/**
 * Whether a symbol's doc sentence can stand for a whole file: a description starts with a capital or
 * ends a sentence ("hoisted class for cyclic dependency" is a remark about the code below it).
 */
export function describesWhole(sentence: string): boolean {
  return /^[A-Z`"'(]/.test(sentence) || /[.!?]$/.test(sentence);
}
