// How one file enters the state (contract: `<|file|>` + tokens of the relative path + "\n" + tokens of
// the text), and which tokens of that stream belong to which region of the file's outline.
import type { Region } from '../regions/types';
import type { TokenRegion } from './regionAccumulator';

export const FILE_TOKEN = 1;
export const QUERY_TOKEN = 2;

/** What the engine needs from the tokenizer: ids and, per id, the UTF-16 start offset in the text. */
export interface TextTokenizer {
  encode(text: string): { ids: ArrayLike<number>; starts: ArrayLike<number> };
}

export interface FileStream {
  ids: Int32Array;
  /** Index in `ids` of the first token of the text (after the header). */
  textStart: number;
  /** Outline regions flattened (members after their container), in the order of `tokenRegions`. */
  regions: Region[];
  tokenRegions: TokenRegion[];
  /** UTF-16 start offset in the text of each text token (ids[textStart + k]). */
  textStarts: ArrayLike<number>;
}

export function flattenRegions(regions: readonly Region[]): Region[] {
  const out: Region[] = [];
  const visit = (r: Region) => {
    out.push(r);
    for (const child of r.children) visit(child);
  };
  regions.forEach(visit);
  return out;
}

/** A file's header: its path's line, after the file token. */
const headerOf = (relPath: string, tokenizer: TextTokenizer) => tokenizer.encode(relPath + '\n');

/** Tokens a file's stream opens with before its text: the file token and its path's line. */
export function fileHeadTokens(relPath: string, tokenizer: TextTokenizer): number {
  return 1 + headerOf(relPath, tokenizer).ids.length;
}

export function buildFileStream(relPath: string, text: string, tokenizer: TextTokenizer, outline: readonly Region[]): FileStream {
  const header = headerOf(relPath, tokenizer);
  const body = tokenizer.encode(text);
  const textStart = 1 + header.ids.length;
  const ids = new Int32Array(textStart + body.ids.length);
  ids[0] = FILE_TOKEN;
  ids.set(Array.from(header.ids), 1);
  ids.set(Array.from(body.ids), textStart);
  const regions = flattenRegions(outline);
  const tokenRegions = regions.map((r) => ({
    tokStart: textStart + firstTokenAtOrAfter(body.starts, r.startOffset),
    tokEnd: textStart + firstTokenAtOrAfter(body.starts, r.endOffset),
  }));
  return { ids, textStart, regions, tokenRegions, textStarts: body.starts };
}

/** Characters of text first tokenized per text token wanted (code averages ~4 a token): fileStreamHead. */
const HEAD_CHARS_PER_TOKEN = 8;

/**
 * `buildFileStream(relPath, text, tokenizer, []).ids` cut to its first `maxTokens`, tokenizing only a
 * prefix of the text where one suffices: what a re-read scans of a region of thousands of tokens.
 * Exact, because the byte-level pre-tokenizer (regex pieces, `use_regex`, checked when the tokenizer
 * loads) decides a piece that ends before whitespace from the text up to that whitespace: in a prefix
 * cut at a line's end, the pieces before its last non-whitespace character's end, and their BPE tokens,
 * are the whole text's. Where the prefix holds too few such tokens, a longer one, up to the whole text.
 */
export function fileStreamHead(
  relPath: string,
  text: string,
  tokenizer: TextTokenizer,
  maxTokens: number,
  /** The first prefix's characters per token wanted (tests use small ones: prefixes that barely suffice). */
  charsPerToken = HEAD_CHARS_PER_TOKEN,
): Int32Array {
  const header = headerOf(relPath, tokenizer);
  const want = Math.max(0, maxTokens - 1 - header.ids.length);
  let body: ArrayLike<number> | undefined;
  for (let budget = Math.max(1, want * charsPerToken); !body && budget < text.length; budget *= 2) {
    const cut = text.indexOf('\n', budget);
    if (cut < 0) break;
    const prefix = text.slice(0, cut);
    const exactEnd = nonSpaceEnd(prefix);
    const { ids, starts } = tokenizer.encode(prefix);
    let exact = 0;
    while (exact < ids.length && (exact + 1 < ids.length ? starts[exact + 1] : prefix.length) <= exactEnd) exact++;
    if (exact >= want) body = Array.prototype.slice.call(ids, 0, want) as number[];
  }
  body ??= Array.prototype.slice.call(tokenizer.encode(text).ids, 0, want) as number[];
  const ids = new Int32Array(Math.min(maxTokens, 1 + header.ids.length + body.length));
  ids[0] = FILE_TOKEN;
  ids.set(Array.from(header.ids).slice(0, ids.length - 1), 1);
  if (ids.length > 1 + header.ids.length) ids.set(body, 1 + header.ids.length);
  return ids;
}

/** The offset just past `text`'s last non-whitespace character (whitespace as the pre-tokenizer's `\s`), 0 if none. */
function nonSpaceEnd(text: string): number {
  let end = text.length;
  while (end > 0 && /\s/u.test(text[end - 1])) end--;
  return end;
}

/** Index of the first token whose start offset is >= offset (binary search; starts ascend). */
export function firstTokenAtOrAfter(starts: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
