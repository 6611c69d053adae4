// The scan rate of throughput.ts's measureScan (the synthetic 4,096 tokens, onnxruntime-node, 2 threads),
// in a process of its own: bench/largeIndex.ts runs it just before and after building the index, so
// the session it makes (and the native memory the allocator keeps after releasing it) stays out of
// the engine's peak RSS. Prints {"tokensPerSecond": n} on stdout.
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { resolve } from 'node:path';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { childFigures } from './corpus';
import { measureScan } from './throughput';

const SCAN_TOKENS = 4096;

/** Runs this script in a child process and returns its tokens per second. */
export async function scanRateInChild(modelDir: string, threads: number): Promise<number> {
  const figures = await childFigures<{ tokensPerSecond: number }>('bench/scanRate.ts', {
    LONGVIEW_MODEL_DIR: modelDir,
    BENCH_SCAN_THREADS: String(threads),
  });
  return figures.tokensPerSecond;
}

async function main() {
  const modelDir = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
  const threads = Number(process.env.BENCH_SCAN_THREADS ?? 2);
  const deps = await createEngineDeps({ modelDir, runtime: { prefer: 'onnxruntime-node', threads } });
  const { seconds } = await measureScan(deps.runtime.runtime, deps.model.card, deps.model.scanOnnx, SCAN_TOKENS);
  process.stdout.write(JSON.stringify({ tokensPerSecond: SCAN_TOKENS / seconds }) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve('bench/scanRate.ts')) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
