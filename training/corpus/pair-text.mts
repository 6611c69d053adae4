// Text rules for (query, code) pairs: the query is a doc's first sentence, the code is the region
// without its doc. Kept apart from the extraction loop so test/unit/tokenizer-pair-text.test.ts can test them.
import type { Region } from "../../extension/engine/regions/types.ts";

const MIN_QUERY_WORDS = 3;
const MAX_QUERY_CHARS = 400;
// Lines where a doc's prose ends and its structured part (tags, parameter lists, examples) begins.
const STRUCTURED_LINE = /^(@|:param|:return|:raises|:type|Args:|Arguments:|Returns?:|Raises:|Parameters\b|Examples?:?$|```|>>>|#\s)/;
// Comments that are not documentation of the code after them.
const NOT_A_DOC = /^(copyright|licensed|license|eslint|jshint|jscs|global |istanbul|prettier|c8 |@ts-|todo\b|fixme\b|xxx\b|hack\b|\$id)/i;
const ABBREVIATION_END = /\b(e\.g|i\.e|etc|vs|cf|approx|incl|resp|Mr|Dr|No)\.$/;

/** The doc's first sentence as a search query, or undefined when the doc has no usable prose. */
export function firstSentence(doc: string): string | undefined {
  const lines = doc.split("\n").map((line) => line.trim());
  const prose = leadingProse(lines);
  // Tag-led docs (date-fns: "@name addDays", "@summary Add the specified...") keep their prose in tags.
  const described = prose.length ? prose : taggedProse(lines, "@summary") ?? taggedProse(lines, "@description") ?? [];
  let text = described
    .join(" ")
    .replace(/\{@(?:link|linkcode|linkplain)\s+([^}|\s]+)(?:[|\s]+([^}]*))?\}/g, (_, target, label) => label?.trim() || target)
    .replace(/\{@(?:code|literal)\s+([^}]*)\}/g, "$1")
    .replace(/<\/?[a-zA-Z][^>]*>/g, "")
    .replace(/\s+/g, " ")
    .trim();
  text = cutAtSentenceEnd(text);
  if (NOT_A_DOC.test(text) || text.split(" ").length < MIN_QUERY_WORDS) return undefined;
  if (text.length > MAX_QUERY_CHARS) text = text.slice(0, text.lastIndexOf(" ", MAX_QUERY_CHARS));
  return text;
}

/** Lines of the doc's first paragraph, up to where its structured part begins. */
function leadingProse(lines: string[], from = 0): string[] {
  const prose: string[] = [];
  for (const line of lines.slice(from)) {
    if (line === "") {
      if (prose.length) break;
      continue;
    }
    if (STRUCTURED_LINE.test(line)) break;
    prose.push(line);
  }
  return prose;
}

/** The text of a block tag such as `@summary`: on its line and the prose lines after it. */
function taggedProse(lines: string[], tag: string): string[] | undefined {
  const at = lines.findIndex((line) => line === tag || line.startsWith(tag + " "));
  if (at < 0) return undefined;
  const sameLine = lines[at].slice(tag.length).trim();
  if (!sameLine) {
    const below = leadingProse(lines, at + 1);
    return below.length ? below : undefined;
  }
  const prose = [sameLine];
  for (const line of lines.slice(at + 1)) {
    if (line === "" || STRUCTURED_LINE.test(line)) break;
    prose.push(line);
  }
  return prose;
}

function cutAtSentenceEnd(text: string): string {
  const end = /[.!?](?=\s|$)/g;
  for (let m = end.exec(text); m; m = end.exec(text)) {
    const sentence = text.slice(0, m.index + 1);
    if (!ABBREVIATION_END.test(sentence)) return sentence;
  }
  return text;
}

/**
 * The span [cutStart, cutEnd) of the file's text that holds the region's own doc: the comment before
 * the region (from where it starts to the region's start), or the docstring inside it with its whole
 * line(s). Undefined when the region has no doc the outline located, or a docstring whose literal does
 * not close. Removing it gives the file as if the region were undocumented: `withoutDocstring` for the
 * region alone, and the in-place training rows (training/data.py) for the region read in its file.
 */
export function docCut(text: string, region: Region): [number, number] | undefined {
  const docStart = region.docStartOffset;
  if (docStart === undefined || docStart >= region.endOffset) return undefined;
  if (docStart < region.startOffset) return [docStart, region.startOffset];
  const literalEnd = stringLiteralEnd(text, docStart);
  if (literalEnd === undefined) return undefined;
  // The docstring's whole line(s): leading indentation, the literal, the rest of its last line.
  let cutStart = docStart;
  while (cutStart > region.startOffset && (text[cutStart - 1] === " " || text[cutStart - 1] === "\t")) cutStart--;
  let cutEnd = literalEnd;
  while (cutEnd < region.endOffset && (text[cutEnd] === " " || text[cutEnd] === "\t")) cutEnd++;
  if (text[cutEnd] === "\r") cutEnd++;
  if (text[cutEnd] === "\n") cutEnd++;
  return [cutStart, Math.min(cutEnd, region.endOffset)];
}

/** The region's source without its own doc comment (before it) or docstring (inside it). */
export function withoutDocstring(text: string, region: Region): string {
  const cut = docCut(text, region);
  if (cut === undefined || cut[0] < region.startOffset) return text.slice(region.startOffset, region.endOffset);
  return text.slice(region.startOffset, cut[0]) + text.slice(cut[1], region.endOffset);
}

/** End offset (exclusive) of the Python string literal starting at `start`, or undefined. */
export function stringLiteralEnd(text: string, start: number): number | undefined {
  const open = /^[rRuUbBfF]{0,2}("""|'''|"|')/.exec(text.slice(start, start + 6));
  if (!open) return undefined;
  const quote = open[1];
  for (let i = start + open[0].length; i < text.length; i++) {
    if (text[i] === "\\") {
      // even in a raw string a backslash keeps the next quote from closing it
      i++;
      continue;
    }
    if (text.startsWith(quote, i)) return i + quote.length;
    if (quote.length === 1 && text[i] === "\n") return undefined;
  }
  return undefined;
}

// Languages whose function bodies are braced: there a function or method region without `{` (or an
// arrow) is a bare signature — a TypeScript overload, a Rust trait item, a Go function written in
// assembly — whose code cannot answer its doc. C keeps its header prototypes: they are all it has.
const BRACED_LANGUAGES = new Set(["javascript", "typescript", "tsx", "go", "rust", "java", "csharp", "php"]);

/** True when the region is a function or method declared without a body. */
export function isBareSignature(kind: string, language: string, code: string): boolean {
  return (kind === "function" || kind === "method") && BRACED_LANGUAGES.has(language) && !/\{|=>/.test(code);
}
