// `node --import tsx bench/scanCompare.ts BASELINE_SCAN.onnx [CANDIDATE_SCAN.onnx]`: the engine's scan
// rate (bench/throughput.ts measureScan: 4,096 tokens, states carried, region accumulators) of two
// scan.onnx files in both runtimes at 2 threads, alternating runs so both see the same machine;
// prints each run and the medians as JSON. The candidate defaults to the shipped media/model/scan.onnx.
// Env: SCAN_ROUNDS (default 5), SCAN_TOKENS (default 4096), LONGVIEW_MODEL_DIR (the card's folder).
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const [baselinePath, candidatePath = join(MODEL_DIR, 'scan.onnx')] = process.argv.slice(2);
  if (!baselinePath) throw new Error('usage: bench/scanCompare.ts BASELINE_SCAN.onnx [CANDIDATE_SCAN.onnx]');
  const { card } = await loadModelFiles(MODEL_DIR);
  const graphs = { baseline: readFileSync(baselinePath), candidate: readFileSync(candidatePath) };
  const result: Record<string, unknown> = { baseline: resolve(baselinePath), candidate: resolve(candidatePath), tokens: TOKENS };
  for (const runtime of [await loadOrtNode(2), await loadOrtWeb({ threads: 2 })]) {
    const rates: Record<string, number[]> = { baseline: [], candidate: [] };
    const load0 = loadavg()[0];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, onnx] of Object.entries(graphs)) {
        const { seconds } = await measureScan(runtime, card, onnx, TOKENS);
        rates[name].push(Math.round(TOKENS / seconds));
        process.stderr.write(`[scan] ${runtime.name} round ${round + 1} ${name}: ${rates[name].at(-1)} tokens/s\n`);
      }
    }
    const b = median(rates.baseline);
    const c = median(rates.candidate);
    result[runtime.name] = {
      baselineTokensPerSecond: b,
      candidateTokensPerSecond: c,
      ratio: Math.round((c / b) * 100) / 100,
      runs: rates,
      loadAverage: [load0, loadavg()[0]].map((x) => Math.round(x * 10) / 10),
    };
  }
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
