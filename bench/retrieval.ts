// Does fusing BM25 with the model's ranking help? A doc-comment → code check on the indexed
// workspace: the question is a region's doc comment (first line), the right answer is that region.
// BM25 is Ask's keyword side alone (query/lexical.ts: BM25F over name, signature, doc and comments,
// body and path), so the doc comment it is asked with is one of its own fields: a lexical near-match
// task, on which the fused ranking gains only where the model's cosine and the file score break
// BM25's near-ties. About half the targets are declarations in `@types/node` (no implementation
// beside them, so Ask ranks them as code: query/filePriors.ts roleIn).
// Mean reciprocal rank at 10 for the model alone, BM25 alone, and the fusion, in one run.
import type { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { regionKey } from '../extension/engine/query/lexical';

export interface RetrievalFigures {
  questions: number;
  /** Ask without keyword search: what the model scored (the regions the memory holds, the K re-reads). */
  mrrModel: number;
  /** Ask's dense score alone over every region: its stored embedding (or memory embedding) against the question's. */
  mrrDense: number;
  mrrBm25: number;
  mrrFused: number;
}

type Target = ReturnType<WorkspaceEngine['views']>[number];

/** Fusion weights that leave the dense score alone (no keywords, file score or priors; no re-reads asked for). */
const DENSE_ONLY = { keyword: 0, file: 0, dense: 1, rolePenalty: 0, docPenalty: 0 };

/**
 * Documented regions spread over the index: in path and line order (the index's own order moves with
 * how it was built and edited, and with it a stride's sample), then a fixed stride, so every run on
 * the same files asks the same questions.
 */
export function pickTargets(engine: WorkspaceEngine, questions: number): Target[] {
  const candidates = engine
    .views()
    .filter((v) => v.region.doc.length >= 20 && !['block', 'heading'].includes(v.region.kind))
    .map((v) => ({ v, key: regionKey(v.file.path, v.region) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ v }) => v);
  return Array.from({ length: Math.min(questions, candidates.length) }, (_, i) => candidates[(i * 7919) % candidates.length]);
}

/** 1 / rank of the target among the first 10 hits, else 0. */
export function reciprocalRankAt10(hits: { path: string; startLine: number; symbol: string }[], target: Target): number {
  const i = hits.findIndex(
    (h) => h.path === target.file.path && h.startLine === target.region.startLine + 1 && h.symbol === target.region.name,
  );
  return i >= 0 && i < 10 ? 1 / (i + 1) : 0;
}

/** The same for BM25 alone: the target's rank among the lexical index's first 10 regions. */
export async function bm25ReciprocalRankAt10(engine: WorkspaceEngine, target: Target): Promise<number> {
  const at = [...(await engine.lexicalScores(target.region.doc)).keys()].slice(0, 10).indexOf(regionKey(target.file.path, target.region));
  return at >= 0 ? 1 / (at + 1) : 0;
}

export async function measureRetrieval(engine: WorkspaceEngine, questions = 100): Promise<RetrievalFigures> {
  const picked = pickTargets(engine, questions);
  const rr = reciprocalRankAt10;
  let model = 0;
  let dense = 0;
  let fused = 0;
  let bm25 = 0;
  for (const target of picked) {
    const q = target.region.doc;
    model += rr((await engine.ask(q, { top: 10, fuse: false })).hits, target);
    dense += rr((await engine.ask(q, { top: 10, maxRereads: 0, weights: DENSE_ONLY })).hits, target);
    fused += rr((await engine.ask(q, { top: 10, fuse: true })).hits, target);
    bm25 += await bm25ReciprocalRankAt10(engine, target);
  }
  const n = Math.max(1, picked.length);
  const r3 = (x: number) => Math.round((x / n) * 1000) / 1000;
  return { questions: picked.length, mrrModel: r3(model), mrrDense: r3(dense), mrrBm25: r3(bm25), mrrFused: r3(fused) };
}
