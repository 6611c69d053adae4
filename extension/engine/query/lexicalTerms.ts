// The search terms of code and questions (lexical.ts): identifiers split (camelCase, acronyms,
// snake_case) and kept whole, English stop words out, Porter-stemmed (stem.ts). A file's terms are
// counted once per line as ids of one vocabulary, and each region, each file's uncovered text and the
// file itself sum the lines they span: a class and its methods share their lines' terms instead of
// each splitting and stemming the text again, and an index is then built from integers, not strings.
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

export type Field = 'name' | 'signature' | 'doc' | 'body' | 'path';
export const FIELDS: readonly Field[] = ['name', 'signature', 'doc', 'body', 'path'];
const F = FIELDS.length;

/**
 * One document's terms per field (a region, or a file's uncovered text), packed: the F fields'
 * lengths (terms counted with repeats), then their numbers of distinct terms, then each field's
 * (term id, count) pairs in turn, by term id when made here (fieldStart finds a field's pairs).
 */
export type DocTerms = Int32Array;
/** Ints before a DocTerms' pairs. */
export const DOC_HEAD = 2 * F;

/** What keyword search keeps of one file version: its regions', its uncovered text's and its whole text's terms. */
export interface FileTerms {
  /** One per region of the record, in its order. */
  regions: DocTerms[];
  /** The lines no region covers (lexical.ts UncoveredText), when there are enough of them. */
  uncovered: { startLine: number; endLine: number; terms: DocTerms } | null;
  /** The whole text's and path's terms: (id, count) pairs by term id, and their total count. */
  counts: Int32Array;
  length: number;
}

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

/** Counts of term ids: add ids, then take them as (id, count) pairs. */
class Counter {
  private counts = new Int32Array(1024);
  private readonly seen: number[] = [];
  total = 0;
  add(id: number, n = 1): void {
    if (id >= this.counts.length) {
      const more = new Int32Array(Math.max(id + 1, this.counts.length * 2));
      more.set(this.counts);
      this.counts = more;
    }
    if (this.counts[id] === 0) this.seen.push(id);
    this.counts[id] += n;
    this.total += n;
  }
  addRange(ids: Int32Array, from: number, to: number): void {
    for (let i = from; i < to; i++) this.add(ids[i]);
  }
  /** The pairs in term order, and the counter emptied for the next use. */
  take(): { pairs: Int32Array; distinct: number; total: number } {
    this.seen.sort((a, b) => a - b);
    const pairs = new Int32Array(2 * this.seen.length);
    this.seen.forEach((id, i) => {
      pairs[2 * i] = id;
      pairs[2 * i + 1] = this.counts[id];
      this.counts[id] = 0;
    });
    const out = { pairs, distinct: this.seen.length, total: this.total };
    this.seen.length = 0;
    this.total = 0;
    return out;
  }
}
const counter = new Counter();

/** The ids of searchTerms(text), listed into `into`. */
function addTerms(text: string, into: Ints): void {
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

/** Array.prototype.slice's bounds for (start, end) over `length` items, as lexical.ts has always sliced a region's lines. */
function sliceBounds(length: number, start: number, end: number): [number, number] {
  const at = (x: number) => {
    const t = Number.isNaN(x) ? 0 : Math.trunc(x);
    return t < 0 ? Math.max(length + t, 0) : Math.min(t, length);
  };
  return [at(start), at(end)];
}

/** Uncovered non-blank lines a file needs for its uncovered text to be a candidate. */
const UNCOVERED_MIN_LINES = 3;

interface RegionText {
  name: string;
  signature: string;
  doc: string;
  startLine: number;
  endLine: number;
}

/**
 * A file's terms (FileTerms) from its lines (undefined when it cannot be read: its regions are then
 * searched by name, signature and doc, and the file by its regions' names and signatures).
 */
export function fileTermsOf(path: string, regions: readonly RegionText[], lines: readonly string[] | undefined): FileTerms {
  // Every line's terms and its comment's terms, once: [lineStart[i], lineStart[i + 1]) in `ids`.
  const count = lines?.length ?? 0;
  const ids = lineIds;
  const commentIds = commentLineIds;
  ids.length = 0;
  commentIds.length = 0;
  const lineStart = new Int32Array(count + 1);
  const commentStart = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const line = lines![i];
    addLineTerms(line, ids);
    lineStart[i + 1] = ids.length;
    const comment = commentOf(line);
    if (comment) addLineTerms(comment, commentIds);
    commentStart[i + 1] = commentIds.length;
  }
  const pathField = textField(path);
  const regionDocs = regions.map((r) => {
    const [from, to] = lines ? sliceBounds(count, r.startLine, r.endLine + 1) : [0, 0];
    const name = textField(r.name);
    const signature = textField(r.signature);
    addText(`${r.doc}`); // as a template literal has always made it
    counter.addRange(commentIds.data, commentStart[from], commentStart[to]);
    const doc = counter.take();
    counter.addRange(ids.data, lineStart[from], lineStart[to]);
    return pack([name, signature, doc, counter.take(), pathField]);
  });
  let whole;
  if (lines) {
    addText(path);
    counter.addRange(ids.data, 0, ids.length);
    whole = counter.take();
  } else {
    whole = textField(`${path}\n${regions.map((r) => `${r.name} ${r.signature}`).join('\n')}`);
  }
  return {
    regions: regionDocs,
    uncovered: lines ? uncoveredOf(path, regions, lines, lineStart, commentStart, pathField) : null,
    counts: whole.pairs,
    length: whole.total,
  };
}

/** Scratch lists of fileTermsOf (which runs to its end without yielding). */
const lineIds = new Ints();
const commentLineIds = new Ints();
const textIds = new Ints();

/** searchTerms(text)'s ids added to the counter. */
function addText(text: string): void {
  textIds.length = 0;
  addTerms(text, textIds);
  counter.addRange(textIds.data, 0, textIds.length);
}

/** One field of searchTerms(text). */
function textField(text: string): Field_ {
  addText(text);
  return counter.take();
}
type Field_ = ReturnType<Counter['take']>;

function uncoveredOf(
  path: string,
  regions: readonly RegionText[],
  lines: readonly string[],
  lineStart: Int32Array,
  commentStart: Int32Array,
  pathField: Field_,
): FileTerms['uncovered'] {
  const covered = new Uint8Array(lines.length);
  for (const r of regions) covered.fill(1, Math.max(0, r.startLine), Math.min(lines.length, r.endLine + 1));
  const kept: number[] = [];
  lines.forEach((line, i) => {
    if (!covered[i] && line.trim()) kept.push(i);
  });
  if (kept.length < UNCOVERED_MIN_LINES) return null;
  const name = textField(path.split('/').pop() ?? path);
  const signature = counter.take();
  for (const i of kept) counter.addRange(commentLineIds.data, commentStart[i], commentStart[i + 1]);
  const doc = counter.take();
  for (const i of kept) counter.addRange(lineIds.data, lineStart[i], lineStart[i + 1]);
  const body = counter.take();
  return { startLine: kept[0], endLine: kept[kept.length - 1], terms: pack([name, signature, doc, body, pathField]) };
}

function pack(fields: Field_[]): DocTerms {
  let size = DOC_HEAD;
  for (const f of fields) size += f.pairs.length;
  const out = new Int32Array(size);
  let at = DOC_HEAD;
  fields.forEach((f, i) => {
    out[i] = f.total;
    out[F + i] = f.distinct;
    out.set(f.pairs, at);
    at += f.pairs.length;
  });
  return out;
}

/** Where field `f`'s pairs start in `doc`. */
export function fieldStart(doc: DocTerms, f: number): number {
  let at = DOC_HEAD;
  for (let i = 0; i < f; i++) at += 2 * doc[F + i];
  return at;
}
