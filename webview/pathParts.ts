// A path split for middle truncation: the folder part may shrink to an ellipsis (CSS), the file name
// and its line numbers never break or shrink, so `file:line` stays whole at any sidebar width. No
// DOM: unit-tested under plain Node.

export interface PathParts {
  /** The folders, with their trailing slash ("src/engine/"); '' for a file at the root. */
  head: string;
  /** The file name and what follows it ("ask.ts:12–30"). */
  tail: string;
}

export function pathParts(path: string, suffix = ''): PathParts {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return { head: path.slice(0, slash + 1), tail: `${path.slice(slash + 1)}${suffix}` };
}
