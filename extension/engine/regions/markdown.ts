// Markdown outline: one region per heading, running to the next heading of the same or a higher level,
// nested by level. Fenced code is skipped so a `# comment` inside a code block is not a heading.
import type { Region } from './types';
import { type TextLines, splitLines } from './textLines';

interface OpenHeading {
  level: number;
  region: Region;
}

export function markdownRegions(text: string): Region[] {
  const lines = splitLines(text);
  const roots: Region[] = [];
  const open: OpenHeading[] = [];
  let fence: string | undefined;
  for (let i = frontMatterEnd(lines); i < lines.count; i++) {
    const content = lines.text(i);
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(content);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1][0];
      else if (fenceMatch[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const heading = headingAt(lines, i);
    if (!heading) continue;
    const startLine = i;
    while (open.length && open[open.length - 1].level >= heading.level) close(open.pop()!, lines, startLine - 1);
    const region: Region = {
      kind: 'heading',
      name: heading.title,
      startLine,
      endLine: startLine,
      startOffset: lines.start(startLine),
      endOffset: lines.start(startLine),
      signature: heading.signature,
      children: [],
    };
    (open.length ? open[open.length - 1].region.children : roots).push(region);
    open.push({ level: heading.level, region });
    if (heading.underlined) i++;
  }
  while (open.length) close(open.pop()!, lines, lines.count - 1);
  return roots;
}

function close(heading: OpenHeading, lines: TextLines, lastLine: number): void {
  let endLine = lastLine;
  while (endLine > heading.region.startLine && lines.text(endLine).trim() === '') endLine--;
  heading.region.endLine = endLine;
  heading.region.endOffset = lines.end(endLine);
}

/** An ATX heading (`## Title`) or a setext heading (a line underlined with === or ---). */
function headingAt(lines: TextLines, i: number): { level: number; title: string; signature: string; underlined: boolean } | undefined {
  const content = lines.text(i);
  const atx = /^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/.exec(content);
  if (atx) return { level: atx[1].length, title: (atx[2] ?? '').replace(/\s+#+$/, ''), signature: content.trim(), underlined: false };
  if (i + 1 < lines.count && content.trim() !== '' && !/^\s{4}/.test(content)) {
    const underline = /^\s{0,3}(=+|-+)\s*$/.exec(lines.text(i + 1));
    if (underline && !/^\s*([-*+]|\d+\.)\s/.test(content)) {
      return { level: underline[1][0] === '=' ? 1 : 2, title: content.trim(), signature: content.trim(), underlined: true };
    }
  }
  return undefined;
}

/** First line after YAML front matter (`---` ... `---` at the very top), whose closing `---` is no heading underline. */
function frontMatterEnd(lines: TextLines): number {
  if (lines.count === 0 || lines.text(0).trim() !== '---') return 0;
  for (let i = 1; i < lines.count; i++) if (/^(?:---|\.\.\.)\s*$/.test(lines.text(i))) return i + 1;
  return 0;
}
