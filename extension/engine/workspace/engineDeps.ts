// The parts an engine is made of, and the real ones wired: the shipped model files, the runtime
// chosen at start, the tokenizer, the outline parser and the file walk.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { discoverFiles, examinePath } from '../discovery/walk';
import { DEFAULT_MAX_FILE_SIZE_KB } from '../discovery/defaults';
import type { DiscoveredFile, DiscoveryOptions } from '../discovery/types';
import { loadModelFiles, type ModelFiles } from '../model/card';
import { createRegionParser } from '../regions/regionParser';
import { chooseRuntime, type RuntimeChoice, type RuntimeOptions } from '../runtime/select';
import type { SourceFile } from '../index/fileScan';
import type { AheadLimits } from '../index/filePipeline';
import { LongviewTokenizer } from '../tokenizer/longviewTokenizer';
import { WorkspacePaths } from '../paths/workspacePaths';
import type { RegionParser } from '../regions/types';
import type { TextTokenizer } from '../scan/fileStream';

export interface Discovered {
  files: SourceFile[];
  skipped: Record<string, number>;
}

/** The parts a WorkspaceEngine is made of (createEngineDeps makes the real ones; tests swap some). */
export interface EngineDeps {
  model: ModelFiles;
  runtime: RuntimeChoice;
  tokenizer: TextTokenizer;
  regions: RegionParser;
  discover(roots: readonly string[], signal?: AbortSignal): Promise<Discovered>;
  /**
   * Discovery's verdict on one file, for a save, create or rename: the rules of a full walk, from the
   * same code (discovery/examinePath.ts), so a file the walk leaves out is left out when saved too.
   */
  examine(roots: readonly string[], absPath: string): Promise<{ file: SourceFile } | { skipped: string; detail?: string }>;
  /** The size cap discovery applies, in bytes (default DEFAULT_MAX_FILE_SIZE_KB): every later read keeps to it too. */
  maxFileBytes?: number;
}

export interface DepsOptions {
  modelDir: string;
  runtime?: RuntimeOptions;
  /** Folder with the tree-sitter and onnxruntime-web .wasm files when bundled (dist/wasm). */
  wasmDir?: string;
  discovery?: Omit<DiscoveryOptions, 'signal' | 'onDirectoryListed'>;
}

/** media/model next to the package: from source (extension/engine/workspace) or the bundle (dist/). */
export function defaultModelDir(): string {
  for (const up of ['..', '../..', '../../..']) {
    const dir = resolve(__dirname, up, 'media', 'model');
    if (existsSync(join(dir, 'card.json'))) return dir;
  }
  return resolve(__dirname, '..', 'media', 'model');
}

/** dist/wasm beside the bundle (CLI, worker); undefined when running from source (node_modules). */
export function bundledWasmDir(): string | undefined {
  const dir = resolve(__dirname, 'wasm');
  return existsSync(join(dir, 'tree-sitter.wasm')) ? dir : undefined;
}

export async function createEngineDeps(options: DepsOptions): Promise<EngineDeps> {
  const model = await loadModelFiles(options.modelDir);
  options = { ...options, wasmDir: options.wasmDir ?? bundledWasmDir() };
  const wasmPaths = options.wasmDir ? `${options.wasmDir.replace(/\/?$/, '/')}` : undefined;
  const [runtime, regions] = await Promise.all([
    chooseRuntime({ ...options.runtime, wasmPaths: options.runtime?.wasmPaths ?? wasmPaths }),
    createRegionParser({ wasmDir: options.wasmDir }),
  ]);
  const tokenizer = LongviewTokenizer.fromJson(model.tokenizerJson, join(options.modelDir, 'tokenizer.json'));
  return {
    model,
    runtime,
    tokenizer,
    regions,
    maxFileBytes: (options.discovery?.maxFileSizeKB ?? DEFAULT_MAX_FILE_SIZE_KB) * 1024,
    async discover(roots, signal) {
      const found = await discoverFiles(roots, { ...options.discovery, signal });
      const paths = new WorkspacePaths(roots);
      return { files: found.files.map((f) => toSource(paths, f)), skipped: found.skippedByReason as Record<string, number> };
    },
    // The save path: discovery's own verdict on one file (examinePath shares the walk's rules).
    async examine(roots, absPath) {
      const full = resolve(absPath);
      const paths = new WorkspacePaths(roots);
      const root = paths.rootOf(full);
      if (root < 0) return { skipped: 'outside-workspace', detail: `${full} is not inside a workspace folder` };
      const event = await examinePath(roots[root], full, options.discovery, roots);
      if (event.kind === 'skipped') return { skipped: event.skipped.reason, detail: event.skipped.detail };
      return { file: toSource(paths, event.file) };
    },
  };
}

/** A discovered file as the indexer takes it: its root's number, and its workspace path. */
function toSource(paths: WorkspacePaths, f: DiscoveredFile): SourceFile {
  const root = paths.roots.indexOf(resolve(f.root));
  return {
    root,
    relPath: f.relativePath,
    path: paths.workspacePath(root, f.relativePath),
    absPath: f.path,
    mtimeMs: f.mtimeMs,
    ctimeMs: f.ctimeMs,
    size: f.size,
  };
}

/** Where and how one engine runs (WorkspaceEngine.open). */
export interface EngineOptions {
  roots: string[];
  cacheDir: string;
  /** How often a long scan writes its progress to the index (so a killed scan resumes); default 10 s. */
  persistEveryMs?: number;
  /** Regions per recall-probe measurement stored at once (what a cancelled request keeps); default PROBE_SLICE. */
  probeSlice?: number;
  /**
   * Stale share of what the state has read (staleTokens / tokens) at which a file event starts a
   * compaction in the background (default fileEvents.ts COMPACT_AT_STALE_SHARE; Infinity: never).
   */
  compactAtStaleShare?: number;
  /** How far ahead of the model a scan prepares files (default index/filePipeline.ts PREPARE_AHEAD; the bench compares). */
  prepareAhead?: AheadLimits;
}
