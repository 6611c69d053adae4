// Shared set-up for the engine's integration tests: the real parts (discovery, tree-sitter outlines,
// tokenizer, onnxruntime-node) with the tiny contract model, so a scan takes seconds.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngineDeps } from '../../extension/engine/workspace/engineDeps';
import type { EngineDeps } from '../../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../../extension/engine/workspace/workspaceEngine';

export const TINY_MODEL = resolve('test/integration/fixtures/tiny-model');

let depsOnce: Promise<EngineDeps> | undefined;
export function tinyDeps(): Promise<EngineDeps> {
  depsOnce ??= createEngineDeps({ modelDir: TINY_MODEL, runtime: { prefer: 'onnxruntime-node', threads: 1 } });
  return depsOnce;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `lv-${prefix}-`));
}

export async function openEngine(roots: string[], cacheDir: string, persistEveryMs?: number): Promise<WorkspaceEngine> {
  return WorkspaceEngine.open(await tinyDeps(), { roots, cacheDir, persistEveryMs });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
