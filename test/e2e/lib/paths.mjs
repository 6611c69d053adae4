// Where the end-to-end suite finds the repository, the tools scripts/install-tools.sh installs,
// and where it writes screenshots and logs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The extension folder under test: this repository, or another (an unpacked .vsix, say). */
export const EXTENSION_DIR = resolve(process.env.LONGVIEW_EXTENSION_DIR ?? REPO_ROOT);
export const FIXTURE_WORKSPACE = join(REPO_ROOT, 'test/fixtures/workspace');
export const RESULTS_DIR = join(REPO_ROOT, 'test-results/e2e');

const toolsDir = process.env.LONGVIEW_TOOLS_DIR ?? join(REPO_ROOT, '.tools');
export const CODE_SERVER_BIN = process.env.LONGVIEW_CODE_SERVER ?? join(toolsDir, 'code-server/node_modules/.bin/code-server');
export const CHROMIUM_BIN = process.env.LONGVIEW_CHROMIUM ?? '/usr/bin/chromium';

/** A clear message naming the command that fixes a missing tool, rather than a spawn ENOENT. */
export function assertToolsInstalled() {
  const missing = [
    [CODE_SERVER_BIN, 'code-server'],
    [CHROMIUM_BIN, 'Chromium'],
  ].filter(([path]) => !existsSync(path));
  if (missing.length > 0) {
    const names = missing.map(([path, name]) => `${name} (${path})`).join(', ');
    throw new Error(`missing ${names}: run \`npm run setup:tools\` (scripts/install-tools.sh) first`);
  }
}

export function assertExtensionBuilt() {
  const manifest = join(EXTENSION_DIR, 'package.json');
  const main = JSON.parse(readFileSync(manifest, 'utf8')).main;
  if (!main) throw new Error('package.json has no "main": the extension is not declared yet');
  const entry = join(EXTENSION_DIR, main.endsWith('.js') ? main : `${main}.js`);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
}
