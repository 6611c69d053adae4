// Where the .wasm files are: a bundle passes its own folder; tests and the CLI run from node_modules.
import * as path from 'node:path';
import { GRAMMAR_BY_LANGUAGE, RUNTIME_WASM } from './languages/table';

export interface WasmPaths {
  runtime: string;
  grammar(language: string): string;
}

export function wasmPaths(wasmDir?: string): WasmPaths {
  if (wasmDir) {
    return { runtime: path.join(wasmDir, RUNTIME_WASM), grammar: (l) => path.join(wasmDir, GRAMMAR_BY_LANGUAGE[l]) };
  }
  let runtime: string;
  let grammarDir: string;
  try {
    runtime = require.resolve('web-tree-sitter/tree-sitter.wasm');
    grammarDir = path.join(path.dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
  } catch (error) {
    throw new Error(`Longview: cannot find web-tree-sitter or tree-sitter-wasms in node_modules; pass wasmDir (${String(error)})`, {
      cause: error,
    });
  }
  return { runtime, grammar: (l) => path.join(grammarDir, GRAMMAR_BY_LANGUAGE[l]) };
}
