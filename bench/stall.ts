// The longest event-loop stall of a host process while its engine worker scans: the host only
// waits on the worker (as the extension host does), and a 5 ms timer measures how late it fires.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcClient } from '../extension/engine/rpc/client';
import type { EngineMethods } from '../extension/engine/rpc/methods';

export interface StallFigures {
  /** The same timer over as long with the worker idle: what the machine's own load costs. */
  baselineMaxStallMs: number;
  maxStallMs: number;
  p99LatenessMs: number;
  scanSeconds: number;
  tokens: number;
}

export async function measureStall(
  roots: string[],
  modelDir: string,
  runtime: 'onnxruntime-node' | 'onnxruntime-web',
): Promise<StallFigures> {
  const client = new RpcClient<EngineMethods>({
    workerFile: new URL('../extension/engine/worker.ts', import.meta.url),
    workerData: {},
    execArgv: ['--require', 'tsx/cjs'],
  });
  const lateness: number[] = [];
  let expected = performance.now() + 5;
  const timer = setInterval(() => {
    const now = performance.now();
    lateness.push(Math.max(0, now - expected));
    expected = now + 5;
  }, 5);
  try {
    const cacheDir = await mkdtemp(join(tmpdir(), 'lv-stall-'));
    await client.request('workspace.open', { roots, cacheDir, modelDir, runtime, threads: 2 });
    lateness.length = 0; // measure the scan, not the worker's start
    const t0 = performance.now();
    const report = await client.request('workspace.index', {});
    const seconds = (performance.now() - t0) / 1000;
    const sorted = [...lateness].sort((a, b) => a - b);
    lateness.length = 0;
    await new Promise((r) => setTimeout(r, Math.min(15_000, seconds * 1000)));
    const baseline = Math.round(Math.max(0, ...lateness));
    return {
      baselineMaxStallMs: baseline,
      maxStallMs: Math.round(sorted[sorted.length - 1] ?? 0),
      p99LatenessMs: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
      scanSeconds: Math.round(seconds * 10) / 10,
      tokens: report.tokens,
    };
  } finally {
    clearInterval(timer);
    client.dispose();
  }
}
