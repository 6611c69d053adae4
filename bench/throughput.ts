// Throughput of one runtime on three graphs, measured back to back so their ratios share the
// machine's state: the Longview scan (tokens/s through ModelScanner, states carried), a plain MatMul
// (the runtime's own GEMM rate: the roofline, once divided by the model's FLOPs per token) and a
// MiniLM-L6-shaped encoder (what a conventional local-embedding extension runs per chunk).
import type { ModelCard } from '../extension/engine/model/card';
import type { ModelRuntime, TensorMap } from '../extension/engine/runtime/types';
import { ModelScanner } from '../extension/engine/scan/modelScanner';
import { RegionAccumulator } from '../extension/engine/scan/regionAccumulator';
import { zeroState } from '../extension/engine/scan/scanState';

export interface ThroughputFigures {
  runtime: string;
  threads: number;
  scanTokensPerSecond: number;
  /**
   * Tokens per second of CPU time spread over the threads (tokens ÷ (CPU seconds ÷ threads)): what
   * the scan would reach with its cores to itself. Differs from scanTokensPerSecond when other
   * processes compete for the cores.
   */
  scanTokensPerCpuSecondPerThread: number;
  matmulGflops: number;
  /** MatMul FLOP/s ÷ card.flops_per_token: the scan rate if every FLOP ran at GEMM speed. */
  rooflineTokensPerSecond: number;
  rooflineRatio: number;
  /**
   * The scan's projections at their own shapes (T 128; projections.onnx in make_bench_models.py),
   * output one float per token: the MatMul rate with nothing large crossing into JavaScript, best of 5.
   */
  projectionGflops: number;
  /** projectionGflops ÷ card.flops_per_token, and the scan's rate over it: the roofline at the model's shapes. */
  modelShapeRooflineTokensPerSecond: number;
  modelShapeRooflineRatio: number;
  /** One call of an Identity of scan.onnx's two states (SSM + K/V in and out): their marshalling per chunk, in ms. */
  stateRoundTripMs: number;
  minilmTokensPerSecond: number;
  minilmSequence: number;
}

export interface BenchGraphs {
  card: ModelCard;
  scanOnnx: Uint8Array;
  matmulOnnx: Uint8Array;
  matmulShape: { M: number; K: number; N: number };
  projectionsOnnx: Uint8Array;
  projectionsShape: { T: number; flops: number };
  stateRoundTripOnnx: Uint8Array;
  states: Record<string, number[]>;
  minilmOnnx: Uint8Array;
}

async function timeRepeated(run: () => Promise<void>, minSeconds: number, minRuns: number): Promise<number> {
  await run(); // warm-up: first runs allocate and pick kernels
  await run();
  let runs = 0;
  const t0 = performance.now();
  while (runs < minRuns || performance.now() - t0 < minSeconds * 1000) {
    await run();
    runs++;
  }
  return (performance.now() - t0) / 1000 / runs;
}

/** The scan on the engine's own path (chunking, state carry, per-region accumulation every 100 tokens): wall and CPU seconds. */
export async function measureScan(runtime: ModelRuntime, card: ModelCard, scanOnnx: Uint8Array, scanTokens = 4096) {
  const scanSession = await runtime.createSession(scanOnnx);
  const scanner = new ModelScanner(card, scanSession);
  const ids = Array.from({ length: scanTokens }, (_, i) => 4 + ((i * 7919) % 8000));
  const regions = Array.from({ length: Math.floor(scanTokens / 100) }, (_, i) => ({ tokStart: i * 100, tokEnd: i * 100 + 90 }));
  await scanner.feed(zeroState(card), ids.slice(0, 2 * card.chunk)); // warm-up: kernels picked, buffers allocated
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await scanner.feed(zeroState(card), ids, new RegionAccumulator(card, regions));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await scanSession.release();
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export async function measureThroughput(runtime: ModelRuntime, g: BenchGraphs, scanTokens = 4096): Promise<ThroughputFigures> {
  const { card } = g;
  const { seconds: scanSeconds, cpuSeconds: scanCpuSeconds } = await measureScan(runtime, card, g.scanOnnx, scanTokens);

  const mm = await runtime.createSession(g.matmulOnnx);
  const { M, K, N } = g.matmulShape;
  const x = new Float32Array(M * K).map((_, i) => ((i * 37) % 101) / 101 - 0.5);
  const mmSeconds = await timeRepeated(async () => void (await mm.run({ x: { data: x, dims: [M, K] } })), 1.5, 10);
  await mm.release();
  const matmulFlops = (2 * M * K * N) / mmSeconds;

  const proj = await runtime.createSession(g.projectionsOnnx);
  const px = new Float32Array(g.projectionsShape.T * 256).map((_, i) => ((i * 37) % 101) / 101 - 0.5);
  const projRun = async () => void (await proj.run({ x: { data: px, dims: [g.projectionsShape.T, 256] } }));
  let projSeconds = Infinity;
  for (let i = 0; i < 5; i++) projSeconds = Math.min(projSeconds, await timeRepeated(projRun, 0.3, 5));
  await proj.release();
  const projectionFlops = g.projectionsShape.flops / projSeconds;

  const rt = await runtime.createSession(g.stateRoundTripOnnx);
  let stateFeeds: TensorMap = Object.fromEntries(
    Object.entries(g.states).map(([name, dims]) => [name, { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims }]),
  );
  const rtSeconds = await timeRepeated(
    async () => {
      const out = await rt.run(stateFeeds);
      stateFeeds = Object.fromEntries(Object.keys(g.states).map((name) => [name, out[`${name}_out`]]));
    },
    0.5,
    20,
  );
  await rt.release();

  const minilm = await runtime.createSession(g.minilmOnnx);
  const T = 256;
  const input = new BigInt64Array(T).map((_, i) => BigInt(100 + ((i * 131) % 30000)));
  const minilmSeconds = await timeRepeated(async () => void (await minilm.run({ input_ids: { data: input, dims: [1, T] } })), 2, 3);
  await minilm.release();

  const scanRate = scanTokens / scanSeconds;
  const roofline = matmulFlops / card.flopsPerToken;
  return {
    runtime: runtime.name,
    threads: runtime.threads,
    scanTokensPerSecond: Math.round(scanRate),
    scanTokensPerCpuSecondPerThread: Math.round(scanTokens / (scanCpuSeconds / runtime.threads)),
    matmulGflops: Math.round(matmulFlops / 1e8) / 10,
    rooflineTokensPerSecond: Math.round(roofline),
    rooflineRatio: Math.round((scanRate / roofline) * 1000) / 1000,
    projectionGflops: Math.round(projectionFlops / 1e8) / 10,
    modelShapeRooflineTokensPerSecond: Math.round(projectionFlops / card.flopsPerToken),
    modelShapeRooflineRatio: Math.round((scanRate / (projectionFlops / card.flopsPerToken)) * 1000) / 1000,
    stateRoundTripMs: Math.round(rtSeconds * 1e5) / 100,
    minilmTokensPerSecond: Math.round(T / minilmSeconds),
    minilmSequence: T,
  };
}
