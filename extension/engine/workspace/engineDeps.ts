// Wires the real parts into an engine: the shipped model files, the runtime chosen at start, the
// tokenizer, the outline parser and the file walk.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { discoverFiles, examinePath } from "../discovery/walk";
import { isWithin } from "../discovery/containment";
import { DEFAULT_MAX_FILE_SIZE_KB } from "../discovery/defaults";
import type { DiscoveredFile, DiscoveryOptions } from "../discovery/types";
import { loadModelFiles } from "../model/card";
import { createRegionParser } from "../regions";
import { chooseRuntime, type RuntimeOptions } from "../runtime/select";
import type { SourceFile } from "../index/fileScan";
import { LongviewTokenizer } from "../tokenizer";
import { rootLabel } from "./indexLocation";
import type { EngineDeps } from "./workspaceEngine";

export interface DepsOptions {
  modelDir: string;
  runtime?: RuntimeOptions;
  /** Folder with the tree-sitter and onnxruntime-web .wasm files when bundled (dist/wasm). */
  wasmDir?: string;
  discovery?: Omit<DiscoveryOptions, "signal" | "onDirectoryListed">;
}

/** media/model next to the package: from source (extension/engine/workspace) or the bundle (dist/). */
export function defaultModelDir(): string {
  for (const up of ["..", "../..", "../../.."]) {
    const dir = resolve(__dirname, up, "media", "model");
    if (existsSync(join(dir, "card.json"))) return dir;
  }
  return resolve(__dirname, "..", "media", "model");
}

/** dist/wasm beside the bundle (CLI, worker); undefined when running from source (node_modules). */
export function bundledWasmDir(): string | undefined {
  const dir = resolve(__dirname, "wasm");
  return existsSync(join(dir, "tree-sitter.wasm")) ? dir : undefined;
}

export async function createEngineDeps(options: DepsOptions): Promise<EngineDeps> {
  const model = await loadModelFiles(options.modelDir);
  options = { ...options, wasmDir: options.wasmDir ?? bundledWasmDir() };
  const wasmPaths = options.wasmDir ? `${options.wasmDir.replace(/\/?$/, "/")}` : undefined;
  const [runtime, regions] = await Promise.all([
    chooseRuntime({ ...options.runtime, wasmPaths: options.runtime?.wasmPaths ?? wasmPaths }),
    createRegionParser({ wasmDir: options.wasmDir }),
  ]);
  const tokenizer = LongviewTokenizer.fromJson(model.tokenizerJson, join(options.modelDir, "tokenizer.json"));
  return {
    model,
    runtime,
    tokenizer,
    regions,
    maxFileBytes: (options.discovery?.maxFileSizeKB ?? DEFAULT_MAX_FILE_SIZE_KB) * 1024,
    async discover(roots, signal) {
      const found = await discoverFiles(roots, { ...options.discovery, signal });
      return { files: found.files.map((f) => toSource(roots, f)), skipped: found.skippedByReason as Record<string, number> };
    },
    // The save path: discovery's own verdict on one file (examinePath shares the walk's rules).
    async examine(roots, absPath) {
      const full = resolve(absPath);
      const root = roots.findIndex((r) => full !== resolve(r) && isWithin(resolve(r), full));
      if (root < 0) return { skipped: "outside-workspace", detail: `${full} is not inside a workspace folder` };
      const event = await examinePath(roots[root], full, options.discovery, roots);
      if (event.kind === "skipped") return { skipped: event.skipped.reason, detail: event.skipped.detail };
      return { file: toSource(roots, event.file) };
    },
  };
}

/** A discovered file as the indexer takes it: its root's number, and the shown path (root name first when there are several). */
function toSource(roots: readonly string[], f: DiscoveredFile): SourceFile {
  const root = roots.findIndex((r) => resolve(r) === resolve(f.root));
  return {
    root,
    relPath: f.relativePath,
    path: roots.length > 1 ? `${rootLabel(roots[root])}/${f.relativePath}` : f.relativePath,
    absPath: f.path,
    mtimeMs: f.mtimeMs,
    ctimeMs: f.ctimeMs,
    size: f.size,
  };
}
