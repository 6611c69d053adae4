// The index pipeline's figure (issue 20), run by bench/run.ts in a child process: indexing a real
// workspace from scratch, end to end (discovery, reads, outlines, tokenizer, the model, checkpoints,
// the index writes), against the scan path alone on the same files' token streams (the model calls,
// region accumulators and records: what indexing cannot do without), alternating in the same run so
// their ratio shares the machine's load; also the same index with files prepared one at a time (no
// look-ahead) and the synthetic 4,096-token scan of `throughput.ts` (the "scan rate").
// BENCH_PIPELINE_CORPUS: `pipeline` (semver, default) or `large` (the 1.1M-token workspace: one round
// takes about 8 minutes here); BENCH_PIPELINE_ROUNDS (default 7; each round alternates the order of its
// passes). Prints JSON on stdout.
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prepareFile, scanPrepared, type PreparedFile, type SourceFile } from '../extension/engine/index/fileScan';
import { PREPARE_AHEAD, type AheadLimits } from '../extension/engine/index/filePipeline';
import { zeroState } from '../extension/engine/scan/scanState';
import { createEngineDeps, type EngineDeps } from '../extension/engine/workspace/engineDeps';
import { openModelParts } from '../extension/engine/workspace/modelParts';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { corpusRoots, LARGE_CORPUS, PIPELINE_CORPUS } from './corpus';
import { measureScan } from './throughput';

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const THREADS = 2;

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export interface PipelineRound {
  /** Tokens per second: the whole index from scratch (engine.sync), with files prepared ahead (the default) and one at a time. */
  endToEnd: number;
  endToEndOneAtATime: number;
  /** The scan path alone on the same streams, and the synthetic 4,096-token scan (throughput.ts). */
  scanPath: number;
  syntheticScan: number;
  /** endToEnd ÷ scanPath, and ÷ syntheticScan. */
  ratio: number;
  ratioOneAtATime: number;
  ratioToSynthetic: number;
  /**
   * The same ratios in tokens per CPU-second of the process (all its threads): what indexing costs
   * beyond the scan path in work, which other processes' load moves far less than the wall-time rates.
   */
  cpuRatio: number;
  cpuRatioOneAtATime: number;
}

export interface PipelineFigures {
  date: string;
  loadAverage: { start: number[]; end: number[] };
  corpus: string[];
  files: number;
  tokens: number;
  prepareAhead: AheadLimits;
  rounds: PipelineRound[];
  /** Medians over the rounds. */
  ratio: number;
  ratioOneAtATime: number;
  ratioToSynthetic: number;
  cpuRatio: number;
  cpuRatioOneAtATime: number;
  endToEndTokensPerSecond: number;
  scanPathTokensPerSecond: number;
}

/** Tokens per second of wall time, and per second of this process's CPU time (every thread's: the model's included). */
interface Rates {
  rate: number;
  cpuRate: number;
}

function timer() {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return {
    rates(tokens: number): Rates {
      const cpu = process.cpuUsage(cpu0);
      return { rate: tokens / ((performance.now() - t0) / 1000), cpuRate: tokens / ((cpu.user + cpu.system) / 1e6) };
    },
  };
}

/** engine.sync() from an empty cache: the index end to end, in tokens per second. */
async function indexFromScratch(deps: EngineDeps, roots: string[], prepareAhead: AheadLimits): Promise<Rates & { tokens: number }> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'longview-bench-pipeline-'));
  try {
    const engine = await WorkspaceEngine.open(deps, { roots, cacheDir, prepareAhead });
    const t = timer();
    const report = await engine.sync();
    const rates = t.rates(report.tokens);
    await engine.close();
    return { ...rates, tokens: report.tokens };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<PipelineFigures> {
  const start = loadavg();
  const folders = process.env.BENCH_PIPELINE_CORPUS === 'large' ? LARGE_CORPUS : PIPELINE_CORPUS;
  const rounds = Math.max(1, Number(process.env.BENCH_PIPELINE_ROUNDS ?? 7));
  const roots = corpusRoots(folders);
  const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: 'onnxruntime-node', threads: THREADS } });
  const parts = await openModelParts(deps, roots);
  // The streams the scan path reads: every file prepared once, untimed, in the index's order.
  const { files } = await deps.discover(roots);
  files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const streams: [SourceFile, PreparedFile][] = [];
  for (const f of files) {
    const p = await prepareFile(parts.scanParts, f);
    if ('prepared' in p) streams.push([f, p.prepared]);
  }
  const tokens = streams.reduce((n, [, p]) => n + p.stream.ids.length, 0);
  log(`pipeline: ${folders.join(', ')}: ${streams.length} files, ${tokens} tokens, ${rounds} rounds`);
  const scanPath = async (): Promise<Rates> => {
    const state = zeroState(deps.model.card);
    const t = timer();
    for (const [f, p] of streams) await scanPrepared(parts.scanParts, f, p, state);
    return t.rates(tokens);
  };
  const results: PipelineRound[] = [];
  for (let r = 0; r < rounds; r++) {
    // Odd rounds run their passes in the reverse order: a load that rises or falls through a round biases neither side.
    const passes = [
      async () => (path = await scanPath()),
      async () => (ahead = await indexFromScratch(deps, roots, PREPARE_AHEAD)),
      async () => (one = await indexFromScratch(deps, roots, { files: 0, bytes: 0 })),
      async () => (synthetic = await measureScan(deps.runtime.runtime, deps.model.card, deps.model.scanOnnx)),
    ];
    let path = { rate: 0, cpuRate: 0 };
    let ahead = { rate: 0, cpuRate: 0, tokens: 0 };
    let one = { rate: 0, cpuRate: 0, tokens: 0 };
    let synthetic = { seconds: 0, cpuSeconds: 0 };
    for (const pass of r % 2 ? passes.reverse() : passes) await pass();
    if (ahead.tokens !== tokens || one.tokens !== tokens)
      throw new Error(`indexed ${ahead.tokens} / ${one.tokens} tokens, the streams hold ${tokens}`);
    const syntheticRate = 4096 / synthetic.seconds;
    results.push({
      endToEnd: Math.round(ahead.rate),
      endToEndOneAtATime: Math.round(one.rate),
      scanPath: Math.round(path.rate),
      syntheticScan: Math.round(syntheticRate),
      ratio: round3(ahead.rate / path.rate),
      ratioOneAtATime: round3(one.rate / path.rate),
      ratioToSynthetic: round3(ahead.rate / syntheticRate),
      cpuRatio: round3(ahead.cpuRate / path.cpuRate),
      cpuRatioOneAtATime: round3(one.cpuRate / path.cpuRate),
    });
    log(`  round ${r + 1}: ${JSON.stringify(results[r])}`);
  }
  await Promise.all(parts.sessions.map((s) => s.release()));
  return {
    date: new Date().toISOString(),
    loadAverage: { start: start.map((x) => Math.round(x * 10) / 10), end: loadavg().map((x) => Math.round(x * 10) / 10) },
    corpus: folders,
    files: streams.length,
    tokens,
    prepareAhead: PREPARE_AHEAD,
    rounds: results,
    ratio: median(results.map((x) => x.ratio)),
    ratioOneAtATime: median(results.map((x) => x.ratioOneAtATime)),
    ratioToSynthetic: median(results.map((x) => x.ratioToSynthetic)),
    cpuRatio: median(results.map((x) => x.cpuRatio)),
    cpuRatioOneAtATime: median(results.map((x) => x.cpuRatioOneAtATime)),
    endToEndTokensPerSecond: median(results.map((x) => x.endToEnd)),
    scanPathTokensPerSecond: median(results.map((x) => x.scanPath)),
  };
}

main().then(
  (figures) => process.stdout.write(JSON.stringify(figures), () => process.exit(0)),
  (err) => {
    process.stderr.write(`[bench] pipeline failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
