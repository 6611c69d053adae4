// `node --import tsx bench/scanCompare.ts BASELINE_SCAN.onnx [CANDIDATE_SCAN.onnx ...]`: the engine's scan
// rate (bench/throughput.ts measureScan: 4,096 tokens, states carried, region accumulators) of several
// scan.onnx files in both runtimes at 2 threads, each round running every graph in turn so all see the
// same machine; prints each run, and as JSON the medians and the median of each round's ratio to the
// baseline's run, of the wall rate and of tokens per CPU-second of the process (steadier when other work
// shares the cores). With one
// path, the candidate is the shipped media/model/scan.onnx. A path may be given as LABEL=PATH.
// Env: SCAN_ROUNDS (default 5), SCAN_TOKENS (default 4096), LONGVIEW_MODEL_DIR (the card's folder),
// SCAN_RUNTIMES (default "node,web").
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModelFiles } from '../extension/engine/model/card';
import { loadOrtNode } from '../extension/engine/runtime/ortNode';
import { loadOrtWeb } from '../extension/engine/runtime/ortWeb';
import { measureScan } from './throughput';

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const ROUNDS = Number(process.env.SCAN_ROUNDS ?? 5);
const TOKENS = Number(process.env.SCAN_TOKENS ?? 4096);
const RUNTIMES = (process.env.SCAN_RUNTIMES ?? 'node,web').split(',');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function graphArgs(args: string[]): { label: string; path: string }[] {
  const paths = args.length === 1 ? [args[0], join(MODEL_DIR, 'scan.onnx')] : args;
  return paths.map((arg, i) => {
    const eq = arg.indexOf('=');
    const path = resolve(eq > 0 ? arg.slice(eq + 1) : arg);
    return { label: eq > 0 ? arg.slice(0, eq) : i === 0 ? 'baseline' : `candidate${paths.length > 2 ? i : ''}`, path };
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (!args.length) throw new Error('usage: bench/scanCompare.ts BASELINE_SCAN.onnx [CANDIDATE_SCAN.onnx ...]');
  const { card } = await loadModelFiles(MODEL_DIR);
  const graphs = graphArgs(args).map((g) => ({ ...g, onnx: readFileSync(g.path) }));
  const [baseline] = graphs;
  const result: Record<string, unknown> = { graphs: Object.fromEntries(graphs.map((g) => [g.label, g.path])), tokens: TOKENS };
  const loaders: Record<string, () => ReturnType<typeof loadOrtNode>> = {
    node: () => loadOrtNode(2),
    web: () => loadOrtWeb({ threads: 2 }),
  };
  for (const key of RUNTIMES) {
    const runtime = await loaders[key]();
    const rates: Record<string, number[]> = Object.fromEntries(graphs.map((g) => [g.label, []]));
    const perCpu: Record<string, number[]> = Object.fromEntries(graphs.map((g) => [g.label, []]));
    const load0 = loadavg()[0];
    for (let round = 0; round < ROUNDS; round++) {
      for (const g of graphs) {
        const { seconds, cpuSeconds } = await measureScan(runtime, card, g.onnx, TOKENS);
        rates[g.label].push(Math.round(TOKENS / seconds));
        perCpu[g.label].push(Math.round(TOKENS / cpuSeconds));
        process.stderr.write(
          `[scan] ${runtime.name} round ${round + 1} ${g.label}: ${rates[g.label].at(-1)} tokens/s, ${perCpu[g.label].at(-1)} per CPU-second\n`,
        );
      }
    }
    // ratios per round (each graph against the baseline's run of the same round), then their median:
    // steadier than a ratio of medians when the load on the machine drifts between rounds
    const summary = (xs: Record<string, number[]>) => ({
      medians: Object.fromEntries(graphs.map((g) => [g.label, median(xs[g.label])])),
      ratios: Object.fromEntries(
        graphs.map((g) => [g.label, Math.round(median(xs[g.label].map((x, i) => x / xs[baseline.label][i])) * 100) / 100]),
      ),
    });
    const wall = summary(rates);
    const cpu = summary(perCpu);
    result[runtime.name] = {
      tokensPerSecond: wall.medians,
      ratioToBaseline: wall.ratios,
      tokensPerCpuSecond: cpu.medians,
      cpuRatioToBaseline: cpu.ratios,
      runs: rates,
      runsPerCpuSecond: perCpu,
      loadAverage: [load0, loadavg()[0]].map((x) => Math.round(x * 10) / 10),
    };
  }
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
