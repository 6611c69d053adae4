// Line access by index over a string, with UTF-16 offsets; handles \n and \r\n endings.

export interface TextLines {
  count: number;
  /** The line's content without its line ending. */
  text(line: number): string;
  /** Offset of the line's first character. */
  start(line: number): number;
  /** Offset just past the line's last character (before its line ending). */
  end(line: number): number;
}

export function splitLines(text: string): TextLines {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  // A trailing newline ends the last line rather than starting an empty one.
  if (starts.length > 1 && starts[starts.length - 1] === text.length) starts.pop();
  const end = (line: number): number => {
    let stop = line + 1 < starts.length ? starts[line + 1] : text.length;
    if (stop > starts[line] && text[stop - 1] === '\n') stop--;
    if (stop > starts[line] && text[stop - 1] === '\r') stop--;
    return stop;
  };
  return { count: starts.length, start: (line) => starts[line], end, text: (line) => text.slice(starts[line], end(line)) };
}
