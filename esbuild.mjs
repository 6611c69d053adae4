// Builds the three bundles and copies the WASM files they load at runtime into dist/wasm/.
//   node esbuild.mjs               development build (sourcemaps)
//   node esbuild.mjs --production  minified, no sourcemaps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  absWorkingDir: root,
};

/**
 * Node bundles are CommonJS, but ESM dependencies (web-tree-sitter's tree-sitter.js) read
 * `import.meta.url` to find their files; give them the bundle's own URL.
 */
const nodeImportMeta = {
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
};

/**
 * The webview may import only its own files and the shared protocol files (extension/protocol*.ts,
 * and what they take from the engine: the question cap, the result types, the symbol ranking and the
 * grouping of Ask's hits by file, files with no imports), and extension/engine/reasonOf.ts (an error's message, a file with no imports): anything else
 * would drag Node or engine code into a browser bundle.
 */
const webviewImportRule = {
  name: 'webview-import-rule',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = path.resolve(args.resolveDir, args.path);
      const allowed =
        target.startsWith(path.join(root, 'webview') + path.sep) ||
        /extension[\\/]protocol[A-Za-z]*(\.ts)?$/.test(target) ||
        /extension[\\/]engine[\\/](query[\\/](questionLimit|symbolRank|hitGroups)|results)(\.ts)?$/.test(target) ||
        /extension[\\/]engine[\\/]reasonOf(\.ts)?$/.test(target);
      if (allowed) return undefined;
      return {
        errors: [
          { text: `the webview may import only webview/**, extension/protocol*.ts and extension/engine/reasonOf.ts, not "${args.path}"` },
        ],
      };
    });
  },
};

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  {
    // Runs in VS Code's extension host (Node); `vscode` is provided by the host.
    ...common,
    entryPoints: { extension: 'extension/extension.ts' },
    outdir: dist,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    ...nodeImportMeta,
  },
  {
    // The engine, in a worker_threads worker, and the `longview` command (package.json "bin"): the same
    // engine in a plain Node process, which finds dist/wasm and ../media/model beside itself.
    // onnxruntime-node carries a native binary per platform, so it is never bundled; the engine falls
    // back to onnxruntime-web (WASM) without it.
    ...common,
    entryPoints: { 'engine-worker': 'extension/engine/worker.ts', cli: 'extension/engine/cli/cli.ts' },
    outdir: dist,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['onnxruntime-node'],
    ...nodeImportMeta,
  },
  {
    // The sidebar, in the webview (a browser); its CSS import becomes dist/webview.css.
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: dist,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    plugins: [webviewImportRule],
  },
];

/**
 * The WASM files the runtime loads, and where they come from. Exactly these are shipped:
 * - web-tree-sitter's runtime and the grammars the regions module declares (its GRAMMAR_FILES);
 * - onnxruntime-web's loader and WASM: in Node, `ort.env.wasm` loads ort-wasm-simd-threaded.mjs,
 *   which loads ort-wasm-simd-threaded.wasm (checked by watching file reads in a Node run; the
 *   jsep/jspi/asyncify variants are for WebGPU and browsers and are left out).
 */
async function wasmFiles() {
  const grammarFiles = await regionsGrammarFiles();
  const searchDirs = [
    path.dirname(require.resolve('web-tree-sitter/tree-sitter.wasm')),
    path.join(path.dirname(require.resolve('tree-sitter-wasms/package.json')), 'out'),
  ];
  const files = grammarFiles.map((name) => {
    const dir = searchDirs.find((d) => existsSync(path.join(d, name)));
    if (!dir) throw new Error(`esbuild.mjs: the regions module loads ${name}, but it is in none of ${searchDirs.join(', ')}`);
    return path.join(dir, name);
  });
  const ortDir = path.dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  files.push(path.join(ortDir, 'ort-wasm-simd-threaded.wasm'), path.join(ortDir, 'ort-wasm-simd-threaded.mjs'));
  return files;
}

/** Reads GRAMMAR_FILES from the regions module itself, so this list never drifts from what it loads. */
async function regionsGrammarFiles() {
  const out = await esbuild.build({
    entryPoints: [path.join(root, 'extension/engine/regions/regionParser.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(module, module.exports, require);
  const files = module.exports.GRAMMAR_FILES;
  if (!Array.isArray(files) || files.length === 0)
    throw new Error('esbuild.mjs: extension/engine/regions/regionParser.ts does not export a GRAMMAR_FILES list');
  return files;
}

async function copyWasm() {
  const target = path.join(dist, 'wasm');
  rmSync(target, { recursive: true, force: true }); // nothing stale: exactly the current list
  mkdirSync(target, { recursive: true });
  for (const file of await wasmFiles()) copyFileSync(file, path.join(target, path.basename(file)));
}

/**
 * VS Code's icon font (@vscode/codicons, pinned in package.json) for the sidebar: its CSS and font in
 * dist/codicons/, served under the webview's CSP (style-src and font-src: the extension's own files).
 */
function copyCodicons() {
  const source = path.dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
  const target = path.join(dist, 'codicons');
  mkdirSync(target, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(path.join(source, file), path.join(target, file));
}

function report() {
  const shown = ['extension.js', 'engine-worker.js', 'cli.js', 'webview.js', 'webview.css'];
  for (const name of shown) {
    const file = path.join(dist, name);
    if (existsSync(file)) console.log(`  dist/${name.padEnd(18)} ${(statSync(file).size / 1024).toFixed(1).padStart(8)} KiB`);
  }
}

/**
 * The engine runs under plain Node (worker, CLI, tests), and extension/present holds the sidebar's
 * and status bar's view models, unit-tested under plain Node: nothing below either may use `vscode`.
 */
function checkVscodeFree() {
  const offenders = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.[cm]?[jt]s$/.test(entry.name) && /(from\s+|require\(\s*|import\(\s*)['"]vscode['"]/.test(readFileSync(file, 'utf8')))
        offenders.push(path.relative(root, file));
    }
  };
  walk(path.join(root, 'extension', 'engine'));
  walk(path.join(root, 'extension', 'present'));
  if (offenders.length)
    throw new Error(
      `esbuild.mjs: these files import vscode (not allowed below extension/engine/ and extension/present/): ${offenders.join(', ')}`,
    );
}

async function main() {
  checkVscodeFree();
  mkdirSync(dist, { recursive: true });
  await copyWasm();
  copyCodicons();
  if (watch) {
    for (const options of bundles) {
      const context = await esbuild.context({ ...options, logLevel: 'info' });
      await context.watch();
    }
    console.log('esbuild: watching for changes (Ctrl+C to stop)');
    return;
  }
  await Promise.all(bundles.map((options) => esbuild.build(options)));
  console.log(`esbuild: built ${production ? 'production' : 'development'} bundles`);
  report();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
