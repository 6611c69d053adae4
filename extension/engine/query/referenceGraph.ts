// Which files matter most, by how much other code uses what they define: a graph over definitions
// and uses, as Aider's repository map builds one. A file's definitions are its outline's symbols (the
// index's region records); its uses are the identifiers in its text. Each use of a name in file A of a
// symbol defined in file B (A ≠ B) adds to an edge A → B: √(uses), ×0.1 for a private `_name` and for
// a name defined in more than five files (generic), as Aider weighs them; times the size of what is
// used (log2 of its lines: a 700-line class is more of the code than a 4-line exception), ×0.1 for a
// constant or variable (the Summary folds them away: a module of type aliases is not what the code is
// about). A name is a use of B's definition only where A can see B: A lies in B's folder, or names
// B's file (its stem, as any import or include does: `./parse-options`, `._client`, `napi.h`) or B's
// folder (`httpx.Client`); `indent` in json/__init__.py is not a use of textwrap.py's `indent`.
// A file's rank is the weight of the edges into it, normalised: its direct use. Not PageRank,
// as Aider's map is: without a chat to personalise it, PageRank's flow piles rank onto the leaf
// modules the important files use (on an httpx-shaped workspace, test/unit/workspace-overview.test.ts,
// it ranked `_exceptions.py` first). A file that only re-exports defines nothing and ranks 0.
import type { FileRecord } from '../index/types';
import { moduleDoc } from '../regions/moduleDoc';

/** What a file's text gives the graph: its identifiers, counted, and its own doc. Cached per record. */
interface FileUses {
  identifiers: Map<string, number>;
  /** Its words with hyphens kept (`parse-options`): what names another file or folder. */
  words: Set<string>;
  doc: string | undefined;
}

export interface ReferenceGraph {
  /** Each file's direct use by the others (in the order of `files`), summing to 1 (all 0 when no file uses another). */
  rank: Float64Array;
  /** Per file: its definitions' names → how many uses of them other files make (raw counts). */
  uses: Map<string, number>[];
  /** Per file: the files it uses, with the edge's weight. */
  edges: Map<number, number>[];
  /** Per file: its own doc (regions/moduleDoc.ts), when it has one and could be read. */
  docs: (string | undefined)[];
}

/** A file's text as it is on disk, undefined when it cannot be read. */
export type ReadText = (file: FileRecord) => Promise<string | undefined>;

const usesCache = new WeakMap<FileRecord, FileUses>();
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
/** Names too short or too common to say which definition a use means. */
const MIN_NAME = 3;

function usesOf(file: FileRecord, text: string | undefined): FileUses {
  const identifiers = new Map<string, number>();
  const words = new Set<string>();
  if (text !== undefined) {
    for (const [id] of text.matchAll(IDENTIFIER)) identifiers.set(id, (identifiers.get(id) ?? 0) + 1);
    for (const [word] of text.matchAll(/[\w$-]+/g)) words.add(word);
  }
  return { identifiers, words, doc: text === undefined ? undefined : moduleDoc(file.language, text) };
}

/** The names by which other files refer to a file: its stem (a package file's folder) and its folder's name. */
function namesOf(path: string): string[] {
  const parts = path.split('/');
  const stem = parts[parts.length - 1].replace(/\.[^.]*$/, '');
  const folder = parts.length > 1 ? parts[parts.length - 2] : '';
  return [/^(index|__init__|mod|lib)$/.test(stem) ? '' : stem, folder].filter(Boolean);
}

/** Whether file A (its words) can see file B: the same folder, or A names B's file or folder. */
function sees(a: FileRecord, words: Set<string>, b: FileRecord, bNames: string[]): boolean {
  const folder = (p: string) => p.slice(0, Math.max(0, p.lastIndexOf('/')));
  return folder(a.path) === folder(b.path) || bNames.some((n) => words.has(n));
}

/**
 * The weight of uses of `name`, defined in `definers` files (Aider's, less its ×10 for long compound
 * names: read from text rather than tags, a short name is no less specific, and on the httpx-shaped
 * unit test the bonus lifted the exception classes over the client that raises them).
 */
export function nameWeight(name: string, definers: number): number {
  let w = 1;
  if (/^_/.test(name) && !/^__.+__$/.test(name)) w *= 0.1;
  if (definers > 5) w *= 0.1;
  return w;
}

export async function referenceGraph(files: readonly FileRecord[], read: ReadText): Promise<ReferenceGraph> {
  // A few files at a time: a large workspace must not open every file at once.
  const missing = files.filter((f) => !usesCache.has(f));
  for (let i = 0; i < missing.length; i += 16) {
    const slice = missing.slice(i, i + 16);
    const texts = await Promise.all(slice.map((f) => read(f).catch(() => undefined)));
    slice.forEach((f, k) => usesCache.set(f, usesOf(f, texts[k])));
  }
  const fileUses = files.map((f) => usesCache.get(f)!);
  // Definitions: every symbol of the outline but text blocks, headings and dunders (defined everywhere).
  const definers = new Map<string, { file: number; weight: number }[]>();
  files.forEach((f, i) => {
    const kinds = new Map<string, number>();
    for (const r of f.regions.filter(isDefinition)) kinds.set(r.name, Math.max(kinds.get(r.name) ?? 0, definitionWeight(r)));
    for (const [name, weight] of kinds) {
      const list = definers.get(name);
      if (list) list.push({ file: i, weight });
      else definers.set(name, [{ file: i, weight }]);
    }
  });
  const edges: Map<number, number>[] = files.map(() => new Map());
  const uses: Map<string, number>[] = files.map(() => new Map());
  const names = files.map((f) => namesOf(f.path));
  fileUses.forEach(({ identifiers, words }, a) => {
    const visible = new Map<number, boolean>();
    const canSee = (b: number) => {
      let v = visible.get(b);
      if (v === undefined) visible.set(b, (v = sees(files[a], words, files[b], names[b])));
      return v;
    };
    for (const [name, count] of identifiers) {
      const defs = definers.get(name);
      if (!defs) continue;
      const w = nameWeight(name, defs.length) * Math.sqrt(count);
      for (const { file: b, weight } of defs) {
        if (b === a || !canSee(b)) continue;
        edges[a].set(b, (edges[a].get(b) ?? 0) + w * weight);
        uses[b].set(name, (uses[b].get(name) ?? 0) + count);
      }
    }
  });
  const rank = new Float64Array(files.length);
  for (const out of edges) for (const [b, w] of out) rank[b] += w;
  const total = rank.reduce((s, x) => s + x, 0);
  if (total > 0) for (let i = 0; i < rank.length; i++) rank[i] /= total;
  return { rank, uses, edges, docs: fileUses.map((u) => u.doc) };
}

/** How much of the code a definition is: log2 of its lines, ×0.1 for a constant or variable. */
function definitionWeight(r: FileRecord['regions'][number]): number {
  return Math.log2(2 + r.endLine - r.startLine) * (r.kind === 'constant' || r.kind === 'variable' ? 0.1 : 1);
}

function isDefinition(r: FileRecord['regions'][number]): boolean {
  return r.kind !== 'block' && r.kind !== 'heading' && r.name.length >= MIN_NAME && !/^__.+__$/.test(r.name);
}
