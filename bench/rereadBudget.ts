// How Ask's ranking depends on its re-read budget: doc comment → region MRR@10 on the ≥1M-token bench
// index (built by `npm run bench`, reused from its cache) for a few (budget, max re-reads, fusion)
// settings, with the mean latency and re-reads per question; BM25 alone on the same questions.
// Run: node --import tsx bench/rereadBudget.ts   (after one `npm run bench`; ~5 min)
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { corpusRoots, LARGE_CORPUS } from './corpus';
import { bm25ReciprocalRankAt10, pickTargets, reciprocalRankAt10 } from './retrieval';

const SETTINGS = [
  { rereadBudgetMs: 100, maxRereads: 8, fuse: true }, // the engine's defaults
  { rereadBudgetMs: 1000, maxRereads: 8, fuse: true },
  { rereadBudgetMs: 1000, maxRereads: 20, fuse: true },
  { rereadBudgetMs: 1000, maxRereads: 20, fuse: false },
];

async function main() {
  const deps = await createEngineDeps({
    modelDir: resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model'),
    runtime: { prefer: 'onnxruntime-node', threads: 2 },
  });
  const engine = await WorkspaceEngine.open(deps, {
    roots: corpusRoots(LARGE_CORPUS),
    cacheDir: process.env.BENCH_CACHE ?? join(tmpdir(), 'longview-bench'),
  });
  await engine.sync({});
  const picked = pickTargets(engine, 60);
  await engine.ask('warm up the query encoder and the re-read path', { rereadBudgetMs: 1000 });
  for (const setting of SETTINGS) {
    let mrr = 0,
      rereads = 0;
    const latencies: number[] = [];
    for (const t of picked) {
      const r = await engine.ask(t.region.doc, { top: 10, ...setting });
      latencies.push(r.ms);
      rereads += r.rereads;
      mrr += reciprocalRankAt10(r.hits, t);
    }
    const n = picked.length;
    console.log(
      JSON.stringify({
        ...setting,
        mrrAt10: +(mrr / n).toFixed(3),
        msPerQuestion: Math.round(latencies.reduce((a, b) => a + b, 0) / n),
        p95Ms: Math.round(latencies.sort((a, b) => a - b)[Math.floor(n * 0.95)]),
        rereadsPerQuestion: +(rereads / n).toFixed(1),
      }),
    );
  }
  const bm25 = picked.reduce((sum, t) => sum + bm25ReciprocalRankAt10(engine, t), 0);
  console.log(JSON.stringify({ bm25MrrAt10: +(bm25 / picked.length).toFixed(3), questions: picked.length }));
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
