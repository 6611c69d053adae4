// Query latency of two engines on the same cached 1.1M-token index, alternating (this machine's rates
// move by 2× within minutes, so only a paired comparison says which is faster):
//   node --import tsx bench/queryCompare.ts <folder of the other engine> [rounds]
// e.g. `git worktree add /tmp/before <commit> && ln -s $PWD/node_modules /tmp/before/` first. Each run
// is a new process of one engine: it opens the index that `BENCH_ONLY=large` keeps (BENCH_CACHE), asks
// largeIndex.ts's 60 questions once (re-reads not yet cached, as a user's first asking) and prints its
// p50 / p95; this prints each run and the medians per engine. Both engines use this folder's model.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { childFigures, corpusRoots, LARGE_CORPUS } from './corpus';

const CACHE_DIR = process.env.BENCH_CACHE ?? join(tmpdir(), 'longview-bench');
const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const QUESTIONS = 60;

interface Run {
  p50: number;
  p95: number;
}

/** One engine's run, in this process: the engine's modules imported from `engineDir`. */
async function child(engineDir: string): Promise<Run> {
  const from = (path: string) => import(pathToFileURL(join(engineDir, path)).href);
  await from('extension/engine/runtime/offline.ts');
  const { createEngineDeps } = await from('extension/engine/workspace/engineDeps.ts');
  const { WorkspaceEngine } = await from('extension/engine/workspace/workspaceEngine.ts');
  const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: 'onnxruntime-node', threads: 2 } });
  const engine = await WorkspaceEngine.open(deps, { roots: corpusRoots(LARGE_CORPUS), cacheDir: CACHE_DIR });
  if (engine.index.history.length === 0) throw new Error(`no cached index in ${CACHE_DIR}: run BENCH_ONLY=large npm run bench first`);
  // largeIndex.ts's questions: region doc comments across the workspace.
  const withDoc = engine.views().filter((v: { region: { doc: string } }) => v.region.doc.length > 20);
  const questions: string[] = Array.from({ length: QUESTIONS }, (_, i) => withDoc[(i * 7919) % withDoc.length].region.doc);
  await engine.ask('warm up the query encoder');
  const ms: number[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    await engine.ask(q);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: Math.round(ms[Math.floor(QUESTIONS * 0.5)]), p95: Math.round(ms[Math.floor(QUESTIONS * 0.95)]) };
}

const runChild = (engineDir: string) => childFigures<Run>('bench/queryCompare.ts', { BENCH_COMPARE_ENGINE: engineDir });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (process.env.BENCH_COMPARE_ENGINE) {
    process.stdout.write(JSON.stringify(await child(process.env.BENCH_COMPARE_ENGINE)) + '\n');
    return;
  }
  const other = process.argv[2];
  if (!other) throw new Error('usage: node --import tsx bench/queryCompare.ts <folder of the other engine> [rounds]');
  const rounds = Number(process.argv[3] ?? 3);
  const engines = [resolve('.'), resolve(other)];
  const runs = new Map<string, Run[]>(engines.map((e) => [e, []]));
  for (let r = 0; r < rounds; r++) {
    for (const engine of r % 2 ? [...engines].reverse() : engines) {
      const run = await runChild(engine);
      runs.get(engine)!.push(run);
      console.log(`round ${r + 1}  ${engine}: p50 ${run.p50} ms, p95 ${run.p95} ms`);
    }
  }
  for (const [engine, rs] of runs)
    console.log(`median of ${rs.length}  ${engine}: p50 ${median(rs.map((x) => x.p50))} ms, p95 ${median(rs.map((x) => x.p95))} ms`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
