// Builds the .vsix packages (`npm run package`, arguments after `--`):
//   node scripts/package.mjs                      longview.vsix: universal, onnxruntime-web (WASM) only
//   node scripts/package.mjs --target linux-x64   longview-linux-x64.vsix: also onnxruntime-node with
//                                                 that platform's native binary (about 4x the WASM scan rate)
//   node scripts/package.mjs --all                the universal package and every platform package
// A platform package carries onnxruntime-node (its JS, package.json and the one platform's bin folder)
// and onnxruntime-common (its CommonJS build) in dist/node_modules/, where the engine worker's
// `require('onnxruntime-node')` finds them beside dist/engine-worker.js; the worker bundle leaves
// onnxruntime-node external (esbuild.mjs). A VS Code on a platform without a package of its own gets the
// universal one, whose engine falls back to WASM (runtime/select.ts) and says so in its status.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const staged = path.join(root, 'dist', 'node_modules');

/** vsce's target names → the folder of onnxruntime-node's bin/napi-v6/ with that platform's binary. */
const NATIVE_TARGETS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'darwin-arm64': 'darwin/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
};

function vsixName(target) {
  return target ? `longview-${target}.vsix` : 'longview.vsix';
}

/** The folder of package `name` as Node resolves it from `from` (exports maps may hide package.json). */
function packageDir(name, from = root) {
  let dir = path.dirname(require.resolve(name, { paths: [from] }));
  while (!existsSync(path.join(dir, 'package.json')) || JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name)
    dir = path.dirname(dir);
  return dir;
}

/** Copies what onnxruntime-node needs at run time on `target` into dist/node_modules/, nothing else. */
function stageNative(target) {
  rmSync(staged, { recursive: true, force: true });
  const ortNode = packageDir('onnxruntime-node');
  const napi = JSON.parse(readFileSync(path.join(ortNode, 'package.json'), 'utf8')).binary.napi_versions[0];
  const bin = path.join(ortNode, 'bin', `napi-v${napi}`, NATIVE_TARGETS[target]);
  if (!existsSync(path.join(bin, 'onnxruntime_binding.node')))
    throw new Error(`package: onnxruntime-node has no binary for ${target} (${bin})`);
  const nodeOut = path.join(staged, 'onnxruntime-node');
  cpSync(path.join(ortNode, 'package.json'), path.join(nodeOut, 'package.json'));
  for (const f of ['LICENSE', 'README.md']) if (existsSync(path.join(ortNode, f))) cpSync(path.join(ortNode, f), path.join(nodeOut, f));
  for (const f of readdirSync(path.join(ortNode, 'dist')).filter((f) => f.endsWith('.js')))
    cpSync(path.join(ortNode, 'dist', f), path.join(nodeOut, 'dist', f));
  cpSync(bin, path.join(nodeOut, 'bin', `napi-v${napi}`, NATIVE_TARGETS[target]), { recursive: true });
  const common = packageDir('onnxruntime-common', ortNode); // the copy onnxruntime-node itself loads
  const commonOut = path.join(staged, 'onnxruntime-common');
  for (const f of ['package.json', 'LICENSE']) if (existsSync(path.join(common, f))) cpSync(path.join(common, f), path.join(commonOut, f));
  cpSync(path.join(common, 'dist', 'cjs'), path.join(commonOut, 'dist', 'cjs'), {
    recursive: true,
    filter: (src) => statSync(src).isDirectory() || (src.endsWith('.js') && !src.endsWith('.map')) || src.endsWith('package.json'),
  });
}

function vsce(target) {
  const out = vsixName(target);
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out];
  if (target) args.push('--target', target);
  execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), args, { cwd: root, stdio: 'inherit' });
  console.log(`${out}: ${(statSync(path.join(root, out)).size / 1048576).toFixed(2)} MiB`);
}

function build(target) {
  if (target && !NATIVE_TARGETS[target])
    throw new Error(`package: unknown target ${target} (one of ${Object.keys(NATIVE_TARGETS).join(', ')})`);
  try {
    if (target) stageNative(target);
    else rmSync(staged, { recursive: true, force: true });
    vsce(target);
  } finally {
    rmSync(staged, { recursive: true, force: true }); // never left for the next package or a run from the repository
  }
}

const argv = process.argv.slice(2);
const at = argv.indexOf('--target');
if (argv.includes('--all')) for (const target of [undefined, ...Object.keys(NATIVE_TARGETS)]) build(target);
else if (at >= 0) build(argv[at + 1]);
else build(undefined);
