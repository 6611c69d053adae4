// A path split for middle truncation: the folders shrink to an ellipsis first, then the start of a
// long file name; the end of the name (its extension) and its line numbers never break or shrink, so
// `file:line` stays whole and inside its card at any sidebar width, and a shortened name still reads
// as itself ("MemcacheItemW…mestamps.php:21–76"). No DOM (pathSpans.ts builds the spans): unit-tested
// under plain Node.

/** A file name this long or shorter never shrinks; a longer one keeps its last word and extension whole. */
export const NAME_END_CHARS = 12;
/** The kept end of a long name, when cut at a word: at least this many characters, at most MAX_END_CHARS. */
const MIN_END_CHARS = 6;
const MAX_END_CHARS = 16;

export interface PathParts {
  /** The folders, with their trailing slash ("src/engine/"); '' for a file at the root. */
  head: string;
  /** The start of a long file name, which may shrink to an ellipsis once the folders have; '' for a short name. */
  nameStart: string;
  /** The rest of the file name (its last word and extension) and what follows it ("ask.ts:12–30"). */
  tail: string;
}

export function pathParts(path: string, suffix = ''): PathParts {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const name = path.slice(slash + 1);
  const cut = nameCut(name);
  return { head: path.slice(0, slash + 1), nameStart: name.slice(0, cut), tail: `${name.slice(cut)}${suffix}` };
}

/**
 * Where a long file name's kept end starts: at the last word before its extension ("Timestamps.php",
 * "Studio.cs", "zones.json": after '-', '_', '.', or where a capital follows a small letter or digit),
 * else its last NAME_END_CHARS characters; 0 for a short name (or one only a letter or two longer).
 */
function nameCut(name: string): number {
  if (name.length <= NAME_END_CHARS) return 0;
  const dot = name.lastIndexOf('.');
  for (let i = (dot > 0 ? dot : name.length) - 1; i > 0; i--) {
    const kept = name.length - i;
    if (kept > MAX_END_CHARS) break;
    const wordStart = /[-_. ]/.test(name[i - 1]!) || (/[A-Z]/.test(name[i]!) && /[a-z0-9]/.test(name[i - 1]!));
    if (wordStart && kept >= MIN_END_CHARS) return i;
  }
  const cut = name.length - NAME_END_CHARS;
  // A start of a letter or two is not worth shrinking, and its span's minimum width (sidebar.css) would
  // leave a gap inside the name ("i   nvoice-13.ts"): such a name is kept whole.
  return cut < MIN_START_CHARS ? 0 : cut;
}
/** The shortest name start that is split off to shrink (at least as wide as .name-start's minimum width). */
const MIN_START_CHARS = 3;
