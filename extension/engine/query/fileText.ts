// Lines of a file as it is on disk now, for snippets, re-reads and summaries. Reading at query time
// keeps region text out of the index (which stays under 1 KB per region); the index is refreshed
// on every save, so the lines match the records.
import { readFile } from "node:fs/promises";

export async function readLines(absPath: string): Promise<string[] | undefined> {
  try {
    return (await readFile(absPath, "utf8")).split(/\r?\n/);
  } catch {
    return undefined;
  }
}

export function sliceLines(lines: string[], startLine: number, endLine: number, maxLines = Infinity): string {
  return lines.slice(startLine, Math.min(endLine + 1, startLine + maxLines)).join("\n");
}
