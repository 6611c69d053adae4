// checkWorkspaceFile: what the sidebar's openLocation may open (extension/workspaceFile.ts).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkWorkspaceFile } from '../../extension/workspaceFile';

let base: string;
let ws: string;
let ws2: string;

before(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'lv-wsfile-')));
  ws = join(base, 'ws');
  ws2 = join(base, 'second');
  await mkdir(join(ws, 'src'), { recursive: true });
  await mkdir(ws2);
  await mkdir(join(base, 'outside'));
  await mkdir(join(base, 'ws-evil'));
  await writeFile(join(ws, 'src', 'a.ts'), 'export const a = 1;\n');
  await writeFile(join(ws2, 'b.ts'), 'export const b = 2;\n');
  await writeFile(join(base, 'outside', 'secret.txt'), 'secret\n');
  await writeFile(join(base, 'ws-evil', 'x.ts'), 'evil\n');
  await symlink(join(base, 'outside', 'secret.txt'), join(ws, 'link-out.txt'));
  await symlink(join(base, 'outside'), join(ws, 'dir-out'));
  await symlink(join(ws, 'src', 'a.ts'), join(ws, 'link-in.ts'));
  await symlink(ws, join(base, 'ws-link'));
});

async function opens(location: string, roots = [ws]): Promise<string> {
  const r = await checkWorkspaceFile(location, roots);
  assert.ok(r.ok, `${location} should open: ${r.ok ? '' : r.reason}`);
  return r.path;
}

async function refused(location: string, pattern: RegExp, roots = [ws]): Promise<void> {
  const r = await checkWorkspaceFile(location, roots);
  assert.ok(!r.ok, `${location} must not open (got ${r.ok ? r.path : ''})`);
  assert.match(r.reason, pattern);
}

test('files inside a folder open, by file URI, absolute path or a path relative to the first folder', async () => {
  const a = join(ws, 'src', 'a.ts');
  assert.equal(await opens(pathToFileURL(a).href), a);
  assert.equal(await opens(a), a);
  assert.equal(await opens('src/a.ts'), a);
  assert.equal(await opens(`file://${ws}/src/../src/a.ts`), a);
  assert.equal(await opens(pathToFileURL(join(ws2, 'b.ts')).href, [ws, ws2]), join(ws2, 'b.ts'));
});

test('a link inside the workspace to a file inside it opens; the path as written is what opens', async () => {
  const r = await checkWorkspaceFile(pathToFileURL(join(ws, 'link-in.ts')).href, [ws]);
  assert.ok(r.ok);
  assert.equal(r.path, join(ws, 'link-in.ts'));
  assert.equal(r.realPath, join(ws, 'src', 'a.ts'));
});

test('a folder opened through a symbolic link: its files open', async () => {
  const viaLink = join(base, 'ws-link', 'src', 'a.ts');
  assert.equal(await opens(pathToFileURL(viaLink).href, [join(base, 'ws-link')]), viaLink);
});

test('`..` leaving the workspace is refused, however it is written', async () => {
  await refused(`file://${ws}/../../etc/passwd`, /\/etc\/passwd is outside the workspace folders/);
  await refused(`file://${ws}/../outside/secret.txt`, /outside the workspace folders/);
  await refused(`file://${ws}/%2e%2e/outside/secret.txt`, /outside the workspace folders/);
  await refused(`file://${ws}/src%2F..%2F..%2Foutside/secret.txt`, /not a valid file URI/);
  await refused('../outside/secret.txt', /outside the workspace folders/);
  await refused('src/../../outside/secret.txt', /outside the workspace folders/);
  await refused(`${ws}/../outside/secret.txt`, /outside the workspace folders/);
  await refused(join(base, 'ws-evil', 'x.ts'), /outside the workspace folders/); // a sibling sharing the folder's name as a prefix
});

test('a symbolic link inside the workspace that points outside is refused', async () => {
  await refused(pathToFileURL(join(ws, 'link-out.txt')).href, /leads outside the workspace folders \(to .*outside\/secret\.txt\)/);
  await refused(pathToFileURL(join(ws, 'dir-out', 'secret.txt')).href, /leads outside the workspace folders/);
  await refused('dir-out/secret.txt', /leads outside the workspace folders/);
});

test('other schemes and hosts, folders, missing files and no folder at all are refused', async () => {
  await refused('vscode-remote://ssh-remote+host/etc/passwd', /only files can be opened, not a "vscode-remote:" location/);
  await refused('command:workbench.action.terminal.new', /only files can be opened/);
  await refused('file://evil.example/share/a.ts', /another host/);
  await refused(pathToFileURL(ws).href, /outside the workspace folders/); // the folder itself
  await refused(pathToFileURL(join(ws, 'src')).href, /is not a file/);
  await refused(pathToFileURL(join(ws, 'src', 'missing.ts')).href, /does not exist/);
  await refused('src/a.ts', /no workspace folder is open/, []);
  await refused(pathToFileURL(join(ws, 'src', 'a.ts')).href, /outside the workspace folders/, []);
  await refused('src/a.ts\0.png', /NUL/);
});
