// ask(question, activeFile?): ranked regions, each labelled by which memory answered it, plus a short
// extractive answer (the best region's doc comment or signature, with where it is).
//
// Workspace-memory regions are scored with their memory embedding (what the final state still holds
// of them). Regions the memory has mostly forgotten (memoryKept below card.reread_below) cannot be
// trusted from memory: the best of them, ranked by what the memory held right after reading them,
// are re-read (their text scanned again from a zero state) and scored on the fresh embedding. The
// active file is scanned fresh, so its regions are exact. When fusing with BM25, the regions BM25
// ranks highest that no memory scored (the re-read budget ran out before them) still take part as
// keyword hits: fusion can only add to what keyword search finds, never drop it.
import type { ModelCard } from '../model/card';
import type { FileRecord, RegionRecord } from '../index/types';
import { dot, heldWhole, type RegionView } from './regionMath';
import { cutLine, readLines, snippetOf, SNIPPET_LINE_CHARS } from './fileText';
import type { ReadLimits } from '../discovery/readFile';
import { reciprocalRankFusion, regionKey } from './lexical';
import type { AskAnswer, AskHit, AskResult, HitSource } from '../results';

export type { AskAnswer, AskHit, AskResult, HitSource };

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
  /** BM25 scores keyed by regionKey() (lexical.ts), best first. */
  lexical(question: string): Map<string, number>;
  /**
   * The views with the recall probes this state has already measured counted (the engine's
   * probedViewsCached: no model call), so a hit shows the same recall as `recall` does; a view
   * beyond the window whose probe is not measured comes back without `probeGain`. Absent when the
   * card has no probe.
   */
  probedCached?(views: RegionView[]): RegionView[];
}

export interface AskOptions {
  activeFile?: string;
  top?: number;
  /** At most this many low-recall regions are re-read per question (each is one small scan). */
  maxRereads?: number;
  /**
   * Re-reading stops once this much time went to it (at least one region is re-read): bounds a
   * question's latency on a slow runtime. Regions not re-read are left out, never shown as memory.
   */
  rereadBudgetMs?: number;
  /** Fuse the model's ranking with BM25 by reciprocal rank fusion (default true; see bench/README.md). */
  fuse?: boolean;
  /** Fusing: BM25's best this many regions that no memory scored join as keyword hits (default 2 × top). */
  keywordCandidates?: number;
  /**
   * What the recurrent memory alone answers: every region scored with its memory embedding, no
   * attention over the active file, no re-reads, no BM25 (the sidebar compares it with the hybrid).
   */
  memoryOnly?: boolean;
}

interface Scored {
  file: FileRecord;
  region: RegionRecord;
  score: number;
  bm25?: number;
  source: HitSource;
  recall: number | null;
  /** The region's view when it came from the workspace memory (not the active file's fresh scan). */
  view?: RegionView;
}

export async function ask(ctx: AskContext, question: string, options: AskOptions = {}): Promise<AskResult> {
  const started = performance.now();
  const top = options.top ?? 10;
  const q = await ctx.encode(question);
  const scored: Scored[] = [];
  let activePath: string | undefined;
  const memoryOnly = options.memoryOnly ?? false;
  if (options.activeFile && !memoryOnly) {
    const active = await ctx.scanActive(options.activeFile);
    if (active) {
      activePath = active.file.path;
      for (const r of active.regions) {
        scored.push({ file: active.file, region: r.region, score: dot(q, r.fresh), source: 'exact', recall: 1 });
      }
    }
  }
  const forgotten: { view: RegionView; held: number }[] = [];
  for (const view of ctx.views()) {
    if (view.file.path === activePath) continue;
    if (memoryOnly || view.memoryKept >= ctx.card.rereadBelow) {
      scored.push({ file: view.file, region: view.region, score: dot(q, view.memory), source: 'memory', recall: view.recall, view });
    } else {
      forgotten.push({ view, held: dot(q, view.fresh) });
    }
  }
  const fuse = !memoryOnly && (options.fuse ?? true);
  const lexical = fuse ? ctx.lexical(question) : new Map<string, number>();
  const bm25Of = (file: FileRecord, region: RegionRecord) => lexical.get(regionKey(file.path, region)) ?? 0;
  forgotten.sort((a, b) => b.held - a.held);
  if (fuse) {
    // Re-read first what either the memory right after reading, or the names, point to.
    const byLexical = [...forgotten].sort((a, b) => bm25Of(b.view.file, b.view.region) - bm25Of(a.view.file, a.view.region));
    const fused = reciprocalRankFusion([forgotten, byLexical.filter((f) => bm25Of(f.view.file, f.view.region) > 0)]);
    forgotten.sort((a, b) => (fused.get(b) ?? 0) - (fused.get(a) ?? 0));
  }
  const toReread = forgotten.slice(0, options.maxRereads ?? Math.min(top, 8));
  const budget = options.rereadBudgetMs ?? 100;
  const rereadStart = performance.now();
  let rereads = 0;
  let slowest = 0;
  for (const { view } of toReread) {
    // Start another re-read only if one as slow as the slowest so far still fits the budget.
    const elapsed = performance.now() - rereadStart;
    if (rereads > 0 && elapsed + slowest > budget) break;
    const t0 = performance.now();
    const fresh = await ctx.reread(view);
    slowest = Math.max(slowest, performance.now() - t0);
    if (!fresh) continue;
    rereads++;
    scored.push({ file: view.file, region: view.region, score: dot(q, fresh), source: 'reread', recall: view.recall, view });
  }
  scored.sort((a, b) => b.score - a.score);
  for (const sc of scored) sc.bm25 = bm25Of(sc.file, sc.region);
  if (fuse) {
    const keywordOnly = keywordHits(lexical, scored, forgotten, options.keywordCandidates ?? 2 * top);
    const byLexical = [...scored, ...keywordOnly].filter((sc) => sc.bm25! > 0).sort((a, b) => b.bm25! - a.bm25!);
    // The model did not score the keyword hits: they rank just past the end of its list, in BM25's
    // order, as a truncated list's missing items do (absent altogether, any scored region, however
    // poor its score, would outrank BM25's best).
    scored.push(...keywordOnly);
    const fused = reciprocalRankFusion([scored, byLexical]);
    scored.sort((a, b) => (fused.get(b) ?? 0) - (fused.get(a) ?? 0));
  }
  const best = scored.slice(0, top);
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
  const hits = await Promise.all(best.map((s) => toHit(ctx, s)));
  const notReread = Math.max(0, Math.min(forgotten.length, top) - rereads);
  return { question, answer: answerFrom(best[0]), hits, rereads, notReread, ms: performance.now() - started };
}

/** BM25's best `limit` regions that neither the memory nor a re-read scored, as keyword hits. */
function keywordHits(
  lexical: Map<string, number>,
  scored: Scored[],
  forgotten: { view: RegionView; held: number }[],
  limit: number,
): Scored[] {
  const taken = new Set(scored.map((sc) => regionKey(sc.file.path, sc.region)));
  const byKey = new Map(forgotten.map((f) => [regionKey(f.view.file.path, f.view.region), f]));
  const out: Scored[] = [];
  for (const [key, bm25] of lexical) {
    if (out.length >= limit) break;
    const f = byKey.get(key);
    if (!f || taken.has(key)) continue;
    out.push({ file: f.view.file, region: f.view.region, score: f.held, bm25, source: 'keyword', recall: f.view.recall, view: f.view });
  }
  return out;
}

const linesCache = new Map<string, Promise<string[] | undefined>>();

async function toHit(ctx: AskContext, s: Scored): Promise<AskHit> {
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
    score: round(s.score),
    bm25: round(s.bm25 ?? 0),
    source: s.source,
    recall: s.recall === null ? null : round(s.recall),
    snippet: text ? snippetOf(text, s.region.startLine, s.region.endLine) : '',
  };
}

function answerFrom(s: Scored | undefined): AskAnswer | null {
  if (!s) return null;
  const name = cutLine(s.region.name, SNIPPET_LINE_CHARS);
  const what = s.region.doc || s.region.signature || name;
  const line = s.region.startLine + 1;
  return { text: `${name} (${s.file.path}:${line}): ${what}`, path: s.file.path, line };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
