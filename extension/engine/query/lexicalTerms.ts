// The search terms of code and questions (lexical.ts): identifiers split (camelCase, acronyms,
// snake_case) and kept whole, English stop words out, Porter-stemmed (stem.ts), as ids of one
// vocabulary. A file's lines go through a scanner that gives searchTerms' terms without regular
// expressions (fileTerms.ts counts them per region, uncovered text and file).
import { stem } from './stem';

/** English words that carry no meaning in a question about code ("how do I parse the options"). */
export const STOPWORDS = new Set(
  (
    'the a an and or of to in on at by for with from into is are was be been it its this that these those how do does did what which where ' +
    'when who why can could should would i my me we you your our there here about as if then than so not no any all some each every ' +
    'get gets use used uses using make makes made way happen happens one two their them they he she his her has have had will shall may ' +
    'might must also just only such other out up down over under again very too'
  ).split(' '),
);

/** Words of a text as search terms, unstemmed: identifiers split on camelCase, acronyms and snake_case, stop words out. */
export function splitIdentifiers(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

/** Search terms of a text: its identifiers split and stemmed, plus each compound identifier whole (`parseoptions`). */
export function searchTerms(text: string): string[] {
  const out = splitIdentifiers(text).map(stem);
  for (const word of text.match(/[A-Za-z][A-Za-z0-9_]{2,}/g) ?? []) {
    if (!/[a-z0-9][A-Z]|_[A-Za-z0-9]/.test(word)) continue; // not a compound
    out.push(word.toLowerCase().replace(/_/g, ''));
  }
  return out;
}

/** A comment's text on a line (`//`, `#`, `/* … *\/`, a `*` continuation, `--`, a docstring's quotes), else ''. */
export function commentOf(line: string): string {
  const m = /(?:\/\/+|#+|\/\*+|^\s*\*+|^\s*--|"""|''')\s?(.*)$/.exec(line);
  return m ? m[1] : '';
}

/** Every term this process has met, by id (ids only grow: terms cached per record stay valid). */
class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly terms: string[] = [];
  /** A lower-cased word of splitIdentifiers' kind → its stem's id, or -1 for a stop word or a letter (one lookup per word). */
  private readonly words = new Map<string, number>();

  get size(): number {
    return this.terms.length;
  }

  id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.ids.set(term, id);
    }
    return id;
  }

  find(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** What splitIdentifiers and stem make of one lower-case word: its term's id, or -1 when it is no term. */
  word(lower: string): number {
    let id = this.words.get(lower);
    if (id === undefined) {
      id = lower.length > 1 && !STOPWORDS.has(lower) ? this.id(stem(lower)) : -1;
      // Bounded like stem's memo: cleared, not evicted (the ids it gave stay valid).
      if (this.words.size >= 1_000_000) this.words.clear();
      this.words.set(lower, id);
    }
    return id;
  }
}
export const vocabulary = new Vocabulary();

/** A growable list of ints. */
export class Ints {
  data = new Int32Array(256);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const more = new Int32Array(this.data.length * 2);
      more.set(this.data);
      this.data = more;
    }
    this.data[this.length++] = x;
  }
}

/** The ids of searchTerms(text), listed into `into`. */
export function addTerms(text: string, into: Ints): void {
  for (const t of searchTerms(text)) into.push(vocabulary.id(t));
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLowerOrDigit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isAlnum = (c: number) => isUpper(c) || isLowerOrDigit(c);
const isWordChar = (c: number) => isAlnum(c) || c === 95; // [A-Za-z0-9_]
const isLetter = (c: number) => isUpper(c) || (c >= 97 && c <= 122);

/**
 * The ids of searchTerms(line) (the same terms with the same counts; their order aside), without
 * regular expressions for a line of ASCII (nearly all code): splitIdentifiers' two rewrites leave each
 * run of letters and digits as pieces of the form [A-Z]*[a-z0-9]* split where a lower-case letter or
 * digit meets a capital, and the last capital of a run of two or more before a lower-case letter starts
 * a word of its own; a compound is a run of [A-Za-z0-9_] from its first letter on, 3 characters or
 * more, with a capital after a lower-case letter or digit, or an underscore before a letter or digit.
 * A line with any other character goes through searchTerms itself (toLowerCase has cases outside ASCII
 * that give ASCII letters). test/unit/lexical-terms.test.ts holds the two to the same terms.
 */
export function addLineTerms(line: string, into: Ints): void {
  const n = line.length;
  const mark = into.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c > 127) {
      into.length = mark; // what this line added is taken back: searchTerms reads it all
      addTerms(line, into);
      return;
    }
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < n && isWordChar(line.charCodeAt(i))) i++;
    const runEnd = i;
    // splitIdentifiers' words: within each alphanumeric stretch of the run (underscores separate).
    let j = runStart;
    while (j < runEnd) {
      if (line.charCodeAt(j) === 95) {
        j++;
        continue;
      }
      let k = j;
      while (k < runEnd && line.charCodeAt(k) !== 95) k++;
      // [j, k): letters and digits. Cut where a lower-case letter or digit meets a capital.
      let p = j;
      while (p < k) {
        let q = p;
        while (q < k && isUpper(line.charCodeAt(q))) q++;
        const caps = q - p;
        // A run of two or more capitals before a lower-case letter: the last capital starts the next piece.
        if (caps >= 2 && q < k && line.charCodeAt(q) >= 97 && line.charCodeAt(q) <= 122) {
          addWord(line, p, q - 1, into);
          p = q - 1;
          q = p + 1;
        }
        while (q < k && isLowerOrDigit(line.charCodeAt(q))) q++;
        addWord(line, p, q, into);
        p = q;
      }
      j = k;
    }
    // searchTerms' compound: from the run's first letter to its end.
    let first = runStart;
    while (first < runEnd && !isLetter(line.charCodeAt(first))) first++;
    if (runEnd - first >= 3 && isCompound(line, first, runEnd)) {
      into.push(vocabulary.id(line.slice(first, runEnd).toLowerCase().replace(/_/g, '')));
    }
  }
}

/**
 * Lower-cased ASCII words → vocabulary.word's id, looked up by their characters in the line (no
 * substring made for a word met before: most of a file's words are), open addressing.
 */
class WordTable {
  private hashes = new Int32Array(1 << 16);
  private ids = new Int32Array(1 << 16);
  private words: (string | undefined)[] = new Array(1 << 16);
  private used = 0;

  id(line: string, from: number, to: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = from; i < to; i++) h = Math.imul(h ^ lower(line.charCodeAt(i)), 0x01000193);
    const mask = this.hashes.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const word = this.words[slot];
      if (word === undefined) break;
      if (this.hashes[slot] === h && word.length === to - from && same(word, line, from)) return this.ids[slot];
    }
    const word = line.slice(from, to).toLowerCase();
    const id = vocabulary.word(word);
    if (2 * (this.used + 1) > this.hashes.length) this.grow();
    this.put(h, word, id);
    return id;
  }

  private put(h: number, word: string, id: number): void {
    const mask = this.hashes.length - 1;
    let slot = h & mask;
    while (this.words[slot] !== undefined) slot = (slot + 1) & mask;
    this.hashes[slot] = h;
    this.ids[slot] = id;
    this.words[slot] = word;
    this.used++;
  }

  private grow(): void {
    const { hashes, ids, words } = this;
    // Bounded: past a million words the table starts again (the ids it gave stay valid).
    const size = hashes.length >= 1 << 21 ? hashes.length : hashes.length * 2;
    this.hashes = new Int32Array(size);
    this.ids = new Int32Array(size);
    this.words = new Array(size);
    this.used = 0;
    if (size === hashes.length) return;
    for (let i = 0; i < words.length; i++) if (words[i] !== undefined) this.put(hashes[i], words[i]!, ids[i]);
  }
}
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
function same(word: string, line: string, from: number): boolean {
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== lower(line.charCodeAt(from + i))) return false;
  return true;
}
const words = new WordTable();

function addWord(line: string, from: number, to: number, into: Ints): void {
  if (to - from < 2) return;
  const id = words.id(line, from, to);
  if (id >= 0) into.push(id);
}

/** /[a-z0-9][A-Z]|_[A-Za-z0-9]/ within [from, to). */
function isCompound(line: string, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) {
    const c = line.charCodeAt(i);
    const before = line.charCodeAt(i - 1);
    if ((isUpper(c) && isLowerOrDigit(before)) || (before === 95 && isAlnum(c))) return true;
  }
  return false;
}
