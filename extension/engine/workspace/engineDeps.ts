// Wires the real parts into an engine: the shipped model files, the runtime chosen at start, the
// tokenizer, the outline parser and the file walk.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { discoverFiles } from "../discovery/walk";
import type { DiscoveryOptions } from "../discovery/types";
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
    async discover(roots, signal) {
      const found = await discoverFiles(roots, { ...options.discovery, signal });
      const many = roots.length > 1;
      const files: SourceFile[] = found.files.map((f) => {
        const root = roots.indexOf(resolve(f.root));
        return {
          root,
          relPath: f.relativePath,
          path: many ? `${rootLabel(roots[root])}/${f.relativePath}` : f.relativePath,
          absPath: f.path,
          mtimeMs: f.mtimeMs,
          size: f.size,
          ctimeMs: f.ctimeMs,
        };
      });
      return { files, skipped: found.skippedByReason as Record<string, number> };
    },
  };
}
