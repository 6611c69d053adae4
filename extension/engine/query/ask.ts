// ask(question, activeFile?): ranked regions, each labelled by which memory answered it, plus a short
// extractive answer (the best region's doc comment or signature, with where it is).
//
// Every live region is a candidate. Each gets three scores, each standardised over all candidates
// (z-scores, so a candidate far ahead in one list stays ahead, which rank fusion would throw away):
// - keyword: BM25F over its name, signature, doc and comments, body and path (lexical.ts);
// - file: BM25 of its file's whole text against the question, times how much of the question the file
//   holds (the file a question is about says so in many places), for implementation files and files
//   of a role the question asks for (a README that mentions everything lends its sections none);
// - dense: the question's embedding against the region's: its memory embedding when the memory still
//   holds it, else what the memory held right after reading it (stored in the index).
// A weighted sum, plus the priors a user expects: tests, examples and documentation after the code
// unless the question asks for them. Then the model re-reads a fixed number K of the best candidates
// the memory has forgotten (their text scanned again from a zero state) and their fresh scores, again
// standardised, re-order them. K is fixed (no wall-clock budget): the same index and question give the
// same answer on any machine and under any load. Weights and K were chosen on the question set's dev
// split (bench/questions/, docs/model.md). The active file is scanned fresh, so its regions are exact.
import type { ModelCard } from '../model/card';
import type { FileRecord, RegionRecord } from '../index/types';
import { dot, heldWhole, memoryDot, type RegionView } from './regionMath';
import { cutLine, readLines, snippetOf, SNIPPET_LINE_CHARS } from './fileText';
import type { ReadLimits } from '../discovery/readFile';
import { regionKey, type UncoveredText } from './lexical';
import { roleIn, rolesAskedFor, type FileRole } from './filePriors';
import type { AskAnswer, AskHit, AskResult, HitSource } from '../results';

export type { AskAnswer, AskHit, AskResult, HitSource };

type Scores = Map<string, number>;

export interface AskContext {
  card: ModelCard;
  encode(question: string): Promise<Float32Array>;
  /** Every live region with its recall and embeddings (cached by the engine between edits). */
  views(): RegionView[];
  /** Fresh embedding of a region's current text scanned from a zero state; undefined if unreadable. */
  reread(view: RegionView): Promise<Float32Array | undefined>;
  /** The active file scanned from a zero state: its regions with fresh, normalised embeddings. */
  scanActive(path: string): Promise<{ file: FileRecord; regions: { region: RegionRecord; fresh: Float32Array }[] } | undefined>;
  absPath(file: FileRecord): string;
  /** How snippets may read files (size cap, the workspace folders' real paths); default: the default size cap. */
  readLimits?: ReadLimits;
  /** Keyword (BM25F) scores keyed by regionKey() (lexical.ts) of the regions matching the question. */
  lexical(question: string): Scores | Promise<Scores>;
  /** Each file's text no region covers, as candidates of their own (lexical.ts UncoveredText; absent: none). */
  uncovered?(): UncoveredText[] | Promise<UncoveredText[]>;
  /** Keyword scores of whole files, by workspace path (absent: no file score). */
  fileLexical?(question: string): Scores | Promise<Scores>;
  /**
   * The views with the recall probes this state has already measured counted (the engine's
   * probedViewsCached: no model call), so a hit shows the same recall as `recall` does; a view
   * beyond the window whose probe is not measured comes back without `probeGain`. Absent when the
   * card has no probe.
   */
  probedCached?(views: RegionView[]): RegionView[];
}

/** How the scores are combined: weights of the standardised scores, and the priors' penalty (z units). */
export interface FusionWeights {
  keyword: number;
  file: number;
  dense: number;
  /** The re-read regions' fresh scores, standardised among them, added to theirs. */
  reread: number;
  /**
   * Subtracted from a test, example or type-declaration region (a declaration beside the code it
   * declares: filePriors.ts roleIn) unless the question asks about those.
   */
  rolePenalty: number;
  /**
   * Subtracted from a documentation region unless the question asks for documentation: less than
   * the code's, so a page that matches well still shows (as documentation), after the code it describes.
   */
  docPenalty: number;
  /** Added to the active file's regions: a question asked from a file is often about it (not tuned: the question set has no active file). */
  activeBoost: number;
}

/** Chosen on the dev split of bench/questions (docs/model.md "Ask on real repositories"). */
export const DEFAULT_WEIGHTS: FusionWeights = {
  keyword: 1,
  file: 1,
  dense: 0.15,
  reread: 0.6,
  rolePenalty: 3,
  docPenalty: 1.5,
  activeBoost: 2,
};
/** Regions re-read per question (K), chosen on the dev split against latency. */
export const DEFAULT_REREADS = 2;

export interface AskOptions {
  activeFile?: string;
  top?: number;
  /** K: the best this many candidates the memory has forgotten are re-read (each is one small scan). */
  maxRereads?: number;
  /** Fuse the model's scores with keyword search (default true); false: the model alone (memory, re-reads). */
  fuse?: boolean;
  /** Fusion weights (tuning; default DEFAULT_WEIGHTS). */
  weights?: Partial<FusionWeights>;
  /**
   * What the recurrent memory alone answers: every region scored with its memory embedding, no
   * attention over the active file, no re-reads, no BM25 (the sidebar compares it with the hybrid).
   */
  memoryOnly?: boolean;
}

interface Candidate {
  file: FileRecord;
  region: RegionRecord;
  key: string;
  /** Cosine with the embedding that scored it (memory, held right after reading, fresh or re-read). */
  cosine: number;
  bm25: number;
  rank: number;
  source: HitSource;
  recall: number | null;
  /** The region's view when it came from the workspace memory (not the active file's fresh scan). */
  view?: RegionView;
}

export async function ask(ctx: AskContext, question: string, options: AskOptions = {}): Promise<AskResult> {
  const started = performance.now();
  const top = options.top ?? 10;
  const q = await ctx.encode(question);
  const memoryOnly = options.memoryOnly ?? false;
  const fuse = !memoryOnly && (options.fuse ?? true);
  const w = { ...DEFAULT_WEIGHTS, ...options.weights };
  const candidates: Candidate[] = [];
  let activePath: string | undefined;
  if (options.activeFile && !memoryOnly) {
    const active = await ctx.scanActive(options.activeFile);
    if (active) {
      activePath = active.file.path;
      for (const r of active.regions) {
        candidates.push(candidate(active.file, r.region, dot(q, r.fresh), 'exact', 1));
      }
    }
  }
  for (const view of ctx.views()) {
    if (view.file.path === activePath) continue;
    const held = memoryOnly || view.memoryKept >= ctx.card.rereadBelow;
    const c = held
      ? candidate(view.file, view.region, memoryDot(q, view), 'memory', view.recall, viewKey(view))
      : candidate(view.file, view.region, dot(q, view.fresh), 'keyword', view.recall, viewKey(view));
    c.view = view;
    candidates.push(c);
  }

  const lexical = fuse ? await ctx.lexical(question) : new Map<string, number>();
  const fileLexical = fuse && ctx.fileLexical ? await ctx.fileLexical(question) : new Map<string, number>();
  const dense = moments(candidates.map((c) => c.cosine));
  if (fuse && ctx.uncovered) {
    // A file's uncovered text has no embedding: it takes the mean cosine (z 0), and keyword search decides.
    for (const u of await ctx.uncovered()) {
      if (u.file.path !== activePath) candidates.push(candidate(u.file, u.region, dense.mean, 'keyword', null));
    }
  }
  for (const c of candidates) c.bm25 = lexical.get(c.key) ?? 0;
  const zKeyword = standardise(candidates.map((c) => c.bm25));
  const asked = rolesAskedFor(question);
  // A file's role, once per file (its path's patterns, not once per region), among the workspace's files.
  const files = new Set(candidates.map((c) => c.file.path));
  const roles = new Map<string, FileRole>();
  const roleOf = (path: string) => roles.get(path) ?? roles.set(path, roleIn(path, files)).get(path)!;
  // The file a question is about, among the files of the roles it asks for: a README that mentions
  // everything lends its sections no file score unless the question asks for documentation.
  const inRole = candidates.map((c) => {
    const role = roleOf(c.file.path);
    return role === 'code' || asked.has(role);
  });
  const zFile = standardise(candidates.map((c, i) => (inRole[i] ? (fileLexical.get(c.file.path) ?? 0) : 0)));
  const zDense = candidates.map((c) => dense.z(c.cosine));
  candidates.forEach((c, i) => {
    if (!fuse) {
      c.rank = zDense[i];
      return;
    }
    const prior = inRole[i] ? 0 : roleOf(c.file.path) === 'doc' ? -w.docPenalty : -w.rolePenalty;
    const active = c.source === 'exact' ? w.activeBoost : 0;
    c.rank = w.keyword * zKeyword[i] + w.file * zFile[i] + w.dense * zDense[i] + prior + active;
  });
  order(candidates);

  // The model re-reads the K best candidates it has forgotten, in rank order: a fixed number.
  const k = memoryOnly ? 0 : Math.max(0, options.maxRereads ?? DEFAULT_REREADS);
  // A re-read's cosine replaces the one from what the memory held right after reading, on the same
  // scale (standardised with every candidate's dense scores), with its own weight.
  let rereads = 0;
  for (const c of candidates.slice()) {
    if (rereads >= k) break;
    if (c.source !== 'keyword' || !c.view) continue;
    const fresh = await ctx.reread(c.view);
    if (!fresh) continue;
    rereads++;
    const cosine = dot(q, fresh);
    c.rank += fuse ? w.reread * dense.z(cosine) - w.dense * dense.z(c.cosine) : dense.z(cosine) - dense.z(c.cosine);
    c.source = 'reread';
    c.cosine = cosine;
  }
  if (rereads) order(candidates);

  // Without keyword search, only what the model scored: memory, re-reads and the active file.
  const ranked = fuse ? candidates : candidates.filter((c) => c.source !== 'keyword');
  const best = (fuse ? fileDiverse(ranked) : ranked).slice(0, top);
  if (ctx.probedCached) {
    // The ranking never reads recall. A hit shows its probed recall when this state measured it, else
    // none: measuring here would put the probe's model calls on every question, over the query's
    // latency target (bench/README.md, runs F and G).
    const fromMemory = best.filter((s) => s.view);
    const probed = ctx.probedCached(fromMemory.map((s) => s.view!));
    fromMemory.forEach((s, i) => {
      const v = probed[i];
      s.recall = v.probeGain !== undefined || heldWhole(ctx.card, v) ? v.recall : null;
    });
  }
  const fileRanks = new Map<string, number>();
  for (const c of best) if (!fileRanks.has(c.file.path)) fileRanks.set(c.file.path, fileRanks.size + 1);
  const hits = await Promise.all(best.map((s) => toHit(ctx, s, fileRanks.get(s.file.path)!)));
  const notReread = best.filter((c) => c.source === 'keyword').length;
  return { question, answer: answerFrom(best[0]), hits, rereads, notReread, ms: performance.now() - started };
}

function candidate(
  file: FileRecord,
  region: RegionRecord,
  cosine: number,
  source: HitSource,
  recall: number | null,
  key = regionKey(file.path, region),
): Candidate {
  return { file, region, key, cosine, bm25: 0, rank: 0, source, recall };
}

/** A view's regionKey, made once per view: the engine keeps its views between questions until the index changes. */
const viewKeys = new WeakMap<RegionView, string>();
function viewKey(view: RegionView): string {
  let key = viewKeys.get(view);
  if (key === undefined) viewKeys.set(view, (key = regionKey(view.file.path, view.region)));
  return key;
}

/** Best first; ties by path and line, so equal scores come in the same order every time. */
function order(candidates: Candidate[]) {
  candidates.sort((a, b) => b.rank - a.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Mean and standard deviation of `xs`, and z(x) = (x − mean) / sd (0 when all are equal). */
export function moments(xs: readonly number[]): { mean: number; sd: number; z(x: number): number } {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= Math.max(1, xs.length);
  let v = 0;
  for (const x of xs) v += (x - mean) ** 2;
  const sd = Math.sqrt(v / Math.max(1, xs.length));
  return { mean, sd, z: (x) => (sd > 1e-12 ? (x - mean) / sd : 0) };
}

/** Each of `xs` standardised: (x − mean) / standard deviation; zeros when all are equal. */
export function standardise(xs: readonly number[]): number[] {
  const m = moments(xs);
  return xs.map((x) => m.z(x));
}

const linesCache = new Map<string, Promise<string[] | undefined>>();

/**
 * The fused ranking with each file's regions past its first PER_FILE moved after every other file's
 * first ones: the file score lifts all of a file's regions together, and one file's many regions
 * would otherwise fill the list (a question about comparing versions listing six regions of
 * comparator.js and not compare.js). Files keep the order of their best regions, so file ranks are
 * unchanged; the file's other regions still follow, grouped under it where hits are shown by file.
 */
function fileDiverse(ranked: Candidate[]): Candidate[] {
  const seen = new Map<string, number>();
  const first: Candidate[] = [];
  const later: Candidate[] = [];
  for (const c of ranked) {
    const n = seen.get(c.file.path) ?? 0;
    seen.set(c.file.path, n + 1);
    (n < PER_FILE ? first : later).push(c);
  }
  return first.concat(later);
}
const PER_FILE = 2;

async function toHit(ctx: AskContext, s: Candidate, fileRank: number): Promise<AskHit> {
  const abs = ctx.absPath(s.file);
  let lines = linesCache.get(abs);
  if (!lines) {
    lines = readLines(abs, ctx.readLimits);
    linesCache.set(abs, lines);
    void lines.finally(() => linesCache.delete(abs));
  }
  const text = await lines;
  return {
    path: s.file.path,
    startLine: s.region.startLine + 1,
    endLine: s.region.endLine + 1,
    symbol: cutLine(s.region.name, SNIPPET_LINE_CHARS), // a heading's name is its whole line
    kind: s.region.kind,
    score: round(s.cosine),
    bm25: round(s.bm25),
    fileRank,
    source: s.source,
    recall: s.recall === null ? null : round(s.recall),
    snippet: text ? snippetOf(text, s.region.startLine, s.region.endLine) : '',
  };
}

function answerFrom(s: Candidate | undefined): AskAnswer | null {
  if (!s) return null;
  const name = cutLine(s.region.name, SNIPPET_LINE_CHARS);
  const what = s.region.doc || s.region.signature || name;
  const line = s.region.startLine + 1;
  return { text: `${name} (${s.file.path}:${line}): ${what}`, path: s.file.path, line };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
