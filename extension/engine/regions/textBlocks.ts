// Plain text outline: each run of non-blank lines is a block, named by its first line.
import type { Region } from './types';
import { splitLines } from './textLines';

const MAX_NAME_CHARS = 80;

export function textBlockRegions(text: string): Region[] {
  const lines = splitLines(text);
  const regions: Region[] = [];
  let blockStart = -1;
  for (let i = 0; i <= lines.count; i++) {
    const blank = i === lines.count || lines.text(i).trim() === '';
    if (!blank && blockStart === -1) blockStart = i;
    if (blank && blockStart !== -1) {
      const firstLine = lines.text(blockStart).trim();
      const name = firstLine.length > MAX_NAME_CHARS ? firstLine.slice(0, MAX_NAME_CHARS - 1) + '…' : firstLine;
      regions.push({
        kind: 'block',
        name,
        startLine: blockStart,
        endLine: i - 1,
        startOffset: lines.start(blockStart),
        endOffset: lines.end(i - 1),
        signature: name,
        children: [],
      });
      blockStart = -1;
    }
  }
  return regions;
}
