// The .vsix a user installs: `npm run package` builds it, it carries only the bundles, the model, the
// WASM files the runtime loads and the README's images (no node_modules; vsce stores README.md as
// readme.md and LICENSE as LICENSE.txt), and a real VS Code (code-server) installs it.
// Run by scripts/test.sh after the end-to-end suite, as `npm run test:package`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const vsix = path.join(root, 'longview.vsix');
const codeServer = process.env.LONGVIEW_CODE_SERVER ?? path.join(root, '.tools/code-server/node_modules/.bin/code-server');

test('npm run package builds a .vsix of the bundles, the model and the loaded WASM files only', () => {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
  const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
  const files = listing.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
  assert.deepEqual(
    files.filter((f) => f.includes('node_modules')),
    [],
    'no node_modules inside',
  );
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
  const mib = statSync(vsix).size / 1048576;
  console.log(`longview.vsix: ${mib.toFixed(2)} MiB, ${files.length} files`);
  assert.ok(mib < 40, `the package stays small (${mib.toFixed(1)} MiB)`);
});

test('a real VS Code (code-server) installs the .vsix', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'longview-vsix-'));
  try {
    const args = ['--extensions-dir', path.join(dir, 'ext'), '--user-data-dir', path.join(dir, 'user')];
    execFileSync(codeServer, [...args, '--install-extension', vsix], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: dir } });
    const listed = execFileSync(codeServer, [...args, '--list-extensions', '--show-versions'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: dir },
    });
    const version = JSON.parse(
      execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").version)'], { cwd: root, encoding: 'utf8' }),
    );
    assert.match(listed, new RegExp(`^longview\\.longview@${version.replaceAll('.', '\\.')}$`, 'm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(vsix, { force: true });
  }
});
