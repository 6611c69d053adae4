// Lines of a file as it is on disk now, for snippets, re-reads and summaries. Reading at query time
// keeps region text out of the index (which stays under 1 KB per region); the index is refreshed
// on every save, so the lines match the records. Read through discovery's readWorkspaceFile: regular
// files only, within the size cap, inside the workspace when the limits name its roots.
import { createHash } from 'node:crypto';
import { DEFAULT_READ_LIMITS, readWorkspaceFile, type ReadLimits } from '../discovery/readFile';

/** Characters of one line a snippet shows; a longer line is cut and ends with an ellipsis. */
export const SNIPPET_LINE_CHARS = 200;
/** Lines a snippet shows at most. */
export const SNIPPET_LINES = 6;
const ELLIPSIS = '\u2026';

export async function readLines(absPath: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<string[] | undefined> {
  const read = await readWorkspaceFile(absPath, limits);
  return 'bytes' in read ? read.bytes.toString('utf8').split(/\r?\n/) : undefined;
}

/** readLines, and the sha1 of the bytes read (a record's contentHash when the file is the version it scanned). */
export async function readLinesHashed(
  absPath: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<{ lines: string[]; hash: string } | undefined> {
  const read = await readWorkspaceFile(absPath, limits);
  if (!('bytes' in read)) return undefined;
  return { lines: read.bytes.toString('utf8').split(/\r?\n/), hash: createHash('sha1').update(read.bytes).digest('hex') };
}

/** Lines `startLine`…`endLine` (0-based, inclusive), at most `maxLines` of them, each cut at `maxLineChars`. */
export function sliceLines(lines: string[], startLine: number, endLine: number, maxLines = Infinity, maxLineChars = Infinity): string {
  return lines
    .slice(startLine, Math.min(endLine + 1, startLine + maxLines))
    .map((line) => cutLine(line, maxLineChars))
    .join('\n');
}

/** `line` cut to `max` characters (never between the halves of a surrogate pair), with an ellipsis when cut. */
export function cutLine(line: string, max: number): string {
  if (line.length <= max) return line;
  let end = Math.max(0, max - 1);
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return line.slice(0, end) + ELLIPSIS;
}

/** A hit's snippet: its first SNIPPET_LINES lines, each at most SNIPPET_LINE_CHARS characters. */
export function snippetOf(lines: string[], startLine: number, endLine: number): string {
  return sliceLines(lines, startLine, endLine, SNIPPET_LINES, SNIPPET_LINE_CHARS);
}
