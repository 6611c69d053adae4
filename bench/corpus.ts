// The benchmark's workspace: sources of packages installed from the npm registry (code this project
// did not write), several folders as one multi-root workspace, together well over 1M tokens.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENGINE_OLD_SPACE_MB } from '../extension/engine/rpc/methods';

// About 1.10M tokens with the shipped tokenizer: @types/node 541k, undici 443k, protobufjs 118k.
export const LARGE_CORPUS = ['node_modules/@types/node', 'node_modules/undici', 'node_modules/protobufjs'];
/** A smaller workspace for the event-loop stall measurement (a scan of a few seconds is enough). */
export const SMALL_CORPUS = ['node_modules/semver']; // about 39k tokens
/** The recall probe's cost (bench/probeCost.ts): part of LARGE_CORPUS, about 75k tokens, 36 files, 299 regions. */
export const PROBE_CORPUS = ['node_modules/protobufjs/src'];

/**
 * The index pipeline's ratio (bench/indexPipeline.ts): a smaller real workspace of many small files,
 * indexed several times in one run (short passes, alternated: the load moves less within one round).
 */
export const PIPELINE_CORPUS = SMALL_CORPUS;

/** The edit storm's workspace (bench/storm.ts): about 240 files, 600 KB of TypeScript and JavaScript, copied to a temporary folder. */
export const STORM_CORPUS = ['node_modules/ajv/lib', 'node_modules/ajv/dist/compile', 'node_modules/@azure/core-rest-pipeline/dist/esm'];

/** What a user waits for in the editor (bench/ux.ts): undici's fetch, about 8,600 lines, and its 2,400-line index.js. */
export const UX_CORPUS = ['node_modules/undici/lib/web/fetch'];
export const UX_FILE = 'index.js';

export function corpusRoots(folders: readonly string[]): string[] {
  const roots = folders.map((f) => resolve(f));
  const missing = roots.filter((r) => !existsSync(r));
  if (missing.length) throw new Error(`benchmark corpus missing (run npm ci): ${missing.join(', ')}`);
  return roots;
}

/** Node flags of a bench process that runs the engine: the engine worker's heap limit (the extension starts it with the same). */
export const ENGINE_HEAP_FLAGS = [`--max-old-space-size=${ENGINE_OLD_SPACE_MB}`];

/**
 * A bench script run in a child process of its own, its figures printed as JSON on its stdout; with the
 * engine worker's heap limit, so the engine runs as in the extension (and its peak RSS is its own).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- run.ts reads some children's figures untyped
export function childFigures<T = any>(script: string, env: Record<string, string> = {}, flags: string[] = []): Promise<T> {
  return new Promise((resolveFigures, reject) => {
    const child = spawn(process.execPath, [...ENGINE_HEAP_FLAGS, ...flags, '--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolveFigures(JSON.parse(out) as T) : reject(new Error(`${script} exited with ${code}`))));
  });
}
