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
