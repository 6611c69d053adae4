// The .vsix packages a user installs (scripts/package.mjs). The universal one (`npm run package`)
// carries only the bundles, the model, the WASM files the runtime loads and the README's images (no
// node_modules; vsce stores README.md as readme.md and LICENSE as LICENSE.txt); the linux-x64 one
// (`npm run package -- --target linux-x64`) also onnxruntime-node with that platform's binary alone.
// A real VS Code (code-server) installs both, and the installed linux-x64 package indexes a workspace
// with onnxruntime-node (what its log says when the index opens).
// Run by scripts/test.sh after the end-to-end suite, as `npm run test:package`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCodeServer, THEMES } from '../e2e/lib/code-server.mjs';
import { CODE_SERVER_BIN, FIXTURE_WORKSPACE } from '../e2e/lib/paths.mjs';
import { launchBrowser, openWorkbench, waitFor } from '../e2e/lib/workbench.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const vsix = path.join(root, 'longview.vsix');
const nativeVsix = path.join(root, 'longview-linux-x64.vsix');
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';
const codeServer = CODE_SERVER_BIN;

test('npm run package builds a .vsix of the bundles, the model and the loaded WASM files only', () => {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
  const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
  const files = listing.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
  assert.deepEqual(
    files.filter((f) => f.includes('node_modules')),
    [],
    'no node_modules inside',
  );
  assertCommonFiles(files);
  const mib = statSync(vsix).size / 1048576;
  console.log(`longview.vsix: ${mib.toFixed(2)} MiB, ${files.length} files`);
  assert.ok(mib < 40, `the package stays small (${mib.toFixed(1)} MiB)`);
});

/** The files inside a .vsix's extension/ folder. */
function listing(file) {
  const all = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
  return all.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
}

/** What every package carries, and nothing outside the allow-list. */
function assertCommonFiles(files) {
  for (const needed of [
    'package.json',
    'readme.md',
    'LICENSE.txt',
    'dist/extension.js',
    'dist/engine-worker.js',
    'dist/webview.js',
    'dist/webview.css',
    'dist/codicons/codicon.css',
    'dist/codicons/codicon.ttf',
    'media/model/scan.onnx',
    'media/model/query.onnx',
    'media/model/tokenizer.json',
    'media/model/card.json',
    'media/model/token_nll.onnx',
    'dist/wasm/tree-sitter.wasm',
    'dist/wasm/tree-sitter-typescript.wasm',
    'dist/wasm/ort-wasm-simd-threaded.wasm',
  ]) {
    assert.ok(files.includes(needed), `${needed} is in the package`);
  }
  const outside = files.filter((f) => !/^(package\.json|readme\.md|LICENSE\.txt|changelog\.md|dist\/|media\/|docs\/images\/)/.test(f));
  assert.deepEqual(outside, [], 'nothing outside the allow-list');
}

test('the linux-x64 package adds onnxruntime-node with the linux-x64 binary only', () => {
  execFileSync('npm', ['run', '--silent', 'package', '--', '--target', 'linux-x64'], { cwd: root, stdio: 'inherit' });
  const files = listing(nativeVsix);
  assertCommonFiles(files);
  const modules = files.filter((f) => f.includes('node_modules'));
  assert.deepEqual(
    modules.filter((f) => !/^dist\/node_modules\/onnxruntime-(node|common)\//.test(f)),
    [],
    'onnxruntime-node and onnxruntime-common only, in dist/node_modules/',
  );
  const binaries = modules.filter((f) => f.includes('/bin/')).sort();
  assert.deepEqual(binaries, [
    'dist/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
    'dist/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
  ]);
  for (const needed of ['onnxruntime-node/dist/index.js', 'onnxruntime-node/package.json', 'onnxruntime-common/dist/cjs/index.js'])
    assert.ok(modules.includes(`dist/node_modules/${needed}`), `${needed} is in the package`);
  const manifest = execFileSync('unzip', ['-p', nativeVsix, 'extension.vsixmanifest'], { encoding: 'utf8' });
  assert.match(manifest, /TargetPlatform="linux-x64"/);
  const mib = statSync(nativeVsix).size / 1048576;
  console.log(`longview-linux-x64.vsix: ${mib.toFixed(2)} MiB, ${files.length} files`);
  assert.ok(mib < 50, `the package stays within 50 MiB (${mib.toFixed(1)} MiB)`);
});

/** Installs `file` with code-server's --install-extension into a fresh folder; returns the folder. */
function install(file) {
  const dir = mkdtempSync(path.join(tmpdir(), 'longview-vsix-'));
  const args = ['--extensions-dir', path.join(dir, 'ext'), '--user-data-dir', path.join(dir, 'user')];
  execFileSync(codeServer, [...args, '--install-extension', file], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: dir } });
  const listed = execFileSync(codeServer, [...args, '--list-extensions', '--show-versions'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: dir },
  });
  return { dir, listed, extensionsDir: path.join(dir, 'ext') };
}

const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const listedAsInstalled = new RegExp(`^longview\\.longview@${version.replaceAll('.', '\\.')}$`, 'm');

test('a real VS Code (code-server) installs the .vsix', () => {
  const installed = install(vsix);
  try {
    assert.match(installed.listed, listedAsInstalled);
  } finally {
    rmSync(installed.dir, { recursive: true, force: true });
    rmSync(vsix, { force: true });
  }
});

/** The lines of Longview's log (its LogOutputChannel's file under the user data folder's logs/). */
function longviewLog(userDataDir) {
  const logs = path.join(userDataDir, 'logs');
  if (!existsSync(logs)) return '';
  const files = readdirSync(logs, { recursive: true }).filter((f) => /Longview\.log$/.test(String(f)));
  return files.map((f) => readFileSync(path.join(logs, String(f)), 'utf8')).join('\n');
}

test(
  'the installed linux-x64 package indexes with onnxruntime-node',
  { skip: !onLinuxX64 && 'not a linux-x64 host', timeout: 300_000 },
  async () => {
    const installed = install(nativeVsix);
    let server;
    let browser;
    try {
      assert.match(installed.listed, listedAsInstalled);
      const folder = readdirSync(installed.extensionsDir).find((f) => f.startsWith('longview.longview-'));
      assert.ok(folder, `an installed folder in ${readdirSync(installed.extensionsDir).join(', ')}`);
      const extensionDir = path.join(installed.extensionsDir, folder);
      assert.ok(statSync(path.join(extensionDir, 'dist/node_modules/onnxruntime-node/package.json')).isFile());
      server = await startCodeServer({ fixtureDir: FIXTURE_WORKSPACE, theme: THEMES.dark, label: 'vsix-native', extensionDir });
      browser = await launchBrowser();
      await openWorkbench(browser, server.url); // the extension host starts with the first window
      await waitFor(
        async () => /index open: /.test(longviewLog(server.userDataDir)),
        async () => `Longview's log to say the index opened; it says:\n${longviewLog(server.userDataDir) || '(nothing)'}`,
        180_000,
      );
      const line = longviewLog(server.userDataDir)
        .split('\n')
        .find((l) => l.includes('index open: '));
      console.log(`the installed linux-x64 package's log: ${line}`);
      assert.match(line, /\(onnxruntime-node, native build present/, `the index runs on onnxruntime-node: ${line}`);
    } finally {
      await browser?.close();
      await server?.stop();
      rmSync(installed.dir, { recursive: true, force: true });
      rmSync(nativeVsix, { force: true });
    }
  },
);
