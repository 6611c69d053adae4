// Issue 14, "nothing in a workspace can hurt the user", at the engine's level: links out of the workspace,
// special files, the save path applying every discovery rule, long lines in snippets, and an index file
// that is data, not authority. Every file these tests read is one they create in a temp folder, or a
// /proc/self path (present on any Linux).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { decodeIndex, encodeIndex } from '../../extension/engine/index/indexFile';
import { createEngineDeps } from '../../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../../extension/engine/workspace/workspaceEngine';
import { openEngine, tempDir, TINY_MODEL } from './helpers';
import { moduleSource, writeWorkspace } from './workspaceFixture';
import { within } from '../support/within';

const MARKER = 'LEAKED_SECRET_7f3a';

/** A folder outside the workspace with a file that must never be read: every line carries MARKER. */
async function outsideSecret(): Promise<{ dir: string; file: string }> {
  const dir = await tempDir('outside');
  const file = join(dir, 'secret.ts');
  const lines = Array.from({ length: 60 }, (_, i) => `export function widget${i}Secret() { return "${MARKER} ${i}"; }`);
  await writeFile(file, lines.join('\n') + '\n');
  return { dir, file };
}

/** Releases a reader blocked on `fifo` (the unfixed engine opens it and waits for a writer for ever). */
function releaseFifo(fifo: string): void {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody is reading it, as it should be.
  }
}

async function everyAnswerText(engine: WorkspaceEngine, question: string, activeFile?: string): Promise<string> {
  const result = await engine.ask(question, { top: 50, fuse: true, activeFile });
  return JSON.stringify(result);
}

test('links out of the workspace are neither indexed nor read: by a sync, on save and on create', async () => {
  const { dir: outside, file: secret } = await outsideSecret();
  const dir = await tempDir('links-out');
  await writeWorkspace(dir, 3);
  await symlink(secret, join(dir, 'passwd.ts'));
  await symlink(outside, join(dir, 'home'));
  await symlink(join(dir, 'mod1.ts'), join(dir, 'inside-link.ts')); // inside: listed at its own path, as before
  const engine = await openEngine([dir], await tempDir('links-out-cache'));
  const report = await engine.sync();
  assert.equal(engine.status().files, 3);
  assert.equal(report.skipped['outside-workspace'], 2);
  assert.equal(report.skipped.duplicate, 1);
  // Save and create events for links out, and for a file reached through a linked folder.
  assert.equal(await engine.fileChanged(join(dir, 'passwd.ts')), 'outside-workspace');
  assert.equal(await engine.fileChanged(join(dir, 'home', 'secret.ts')), 'outside-workspace');
  await symlink(secret, join(dir, 'created-later.ts'));
  assert.equal(await engine.fileChanged(join(dir, 'created-later.ts')), 'outside-workspace');
  assert.equal(engine.status().files, 3);
  assert.ok(!engine.views().some((v) => /passwd|home|created-later/.test(v.file.path)));
  const answers = await everyAnswerText(engine, 'widget secret');
  assert.ok(!answers.includes(MARKER), 'text from outside the workspace was returned');
  // The active file and summaries read through the same checks.
  assert.equal(await engine.scanFresh(join(dir, 'passwd.ts')), undefined);
  await assert.rejects(engine.summarize(join(dir, 'passwd.ts')), /outside-workspace/);
  // The worker's warm-up after opening, with that link as the active file, scans a workspace file instead.
  await engine.warmScan(join(dir, 'passwd.ts'));
  assert.ok(!(await everyAnswerText(engine, 'widget secret', join(dir, 'passwd.ts'))).includes(MARKER));
  await engine.close();
});

test('special files: a FIFO saved, created or opened does not hang the engine; /proc files are bounded', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir('fifo');
  await writeWorkspace(dir, 3);
  const engine = await openEngine([dir], await tempDir('fifo-cache'));
  await engine.sync();
  const fifo = join(dir, 'pipe.ts');
  execFileSync('mkfifo', [fifo]);
  t.after(() => releaseFifo(fifo));
  assert.equal(await within(5000, 'a save of a FIFO', engine.fileChanged(fifo)), 'not-a-file');
  assert.equal(await within(5000, 'the fresh scan of a FIFO', engine.scanFresh(fifo)), undefined);
  await within(5000, "the worker's warm-up with a FIFO as the active file", engine.warmScan(fifo));
  await assert.rejects(within(5000, 'a summary of a FIFO', engine.summarize(fifo)), /not-a-file/);
  // A link inside the workspace to the FIFO: the walk and the save path both leave it out unopened.
  await symlink(fifo, join(dir, 'pipe-link.ts'));
  const report = await within(10_000, 'a sync next to a FIFO', engine.sync());
  assert.equal(report.skipped['not-a-file'], 1);
  assert.equal(await within(5000, 'a save of a link to a FIFO', engine.fileChanged(join(dir, 'pipe-link.ts'))), 'duplicate');
  assert.equal(engine.status().files, 3);
  // A link to a /proc file leads out of the workspace: not opened (pagemap would grow the process by GBs).
  await symlink('/proc/self/pagemap', join(dir, 'pagemap.ts'));
  assert.equal(
    await within(5000, 'a save of a link to /proc/self/pagemap', engine.fileChanged(join(dir, 'pagemap.ts'))),
    'outside-workspace',
  );
  await engine.close();
});

test('a save or a create applies every discovery rule a full walk applies', async () => {
  const { file: secret } = await outsideSecret();
  const dir = await tempDir('save-rules');
  await writeWorkspace(dir, 4);
  await writeFile(join(dir, '.gitignore'), 'ignored.ts\nlogs/\n');
  // The extension's settings: a custom exclude glob and the size cap, as the worker passes them.
  const base = await createEngineDeps({
    modelDir: TINY_MODEL,
    runtime: { prefer: 'onnxruntime-node', threads: 1 },
    discovery: { exclude: ['**/node_modules/**', '**/dist/**', '**/*.private.ts'], maxFileSizeKB: 64 },
  });
  const engine = await WorkspaceEngine.open(base, { roots: [dir], cacheDir: await tempDir('save-rules-cache') });
  await engine.sync();
  assert.equal(engine.status().files, 5); // mod0-3 and .gitignore
  const created: Record<string, string | Buffer> = {
    'ignored.ts': moduleSource(20),
    'logs/today.ts': moduleSource(21),
    'keys.private.ts': moduleSource(22),
    'dist/out.ts': moduleSource(23),
    'package-lock.json': '{\n  "lockfileVersion": 3\n}\n',
    'gen.go': '// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n',
    'app.js': 'var a=function(b,c){return b+c},d=[1,2,3].map(function(e){return e*2});'.repeat(40),
    'big.ts': moduleSource(24).repeat(200), // about 95 KB > 64 KB
    'blob.ts': Buffer.from([0x65, 0x78, 0x00, 0x01, 0x02]),
    'latin1.ts': Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x0a]),
  };
  const expected: Record<string, string> = {
    'ignored.ts': 'gitignored',
    'logs/today.ts': 'gitignored',
    'keys.private.ts': 'excluded',
    'dist/out.ts': 'excluded',
    'package-lock.json': 'generated',
    'gen.go': 'generated',
    'app.js': 'minified',
    'big.ts': 'too-large',
    'blob.ts': 'binary',
    'latin1.ts': 'undecodable',
  };
  for (const [rel, content] of Object.entries(created)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  await symlink(secret, join(dir, 'linked.ts'));
  expected['linked.ts'] = 'outside-workspace';
  const verdicts: Record<string, string | undefined> = {};
  for (const rel of Object.keys(expected)) verdicts[rel] = await engine.fileChanged(join(dir, rel));
  assert.deepEqual(verdicts, expected);
  assert.equal(engine.status().files, 5);
  // A full walk agrees.
  const report = await engine.sync();
  assert.equal(report.scanned, 0);
  assert.equal(engine.status().files, 5);
  // A file that becomes ignored and is saved leaves the answers, as it would after a walk.
  await writeFile(join(dir, '.gitignore'), 'ignored.ts\nlogs/\nmod2.ts\n');
  const t = Date.now() / 1000;
  await utimes(join(dir, 'mod2.ts'), t, t);
  assert.equal(await engine.fileChanged(join(dir, 'mod2.ts')), 'gitignored');
  assert.ok(!engine.views().some((v) => v.file.path === 'mod2.ts'));
  // An ordinary file saved is still indexed.
  await writeFile(join(dir, 'fresh.ts'), moduleSource(30));
  assert.equal(await engine.fileChanged(join(dir, 'fresh.ts')), undefined);
  assert.ok(engine.views().some((v) => v.file.path === 'fresh.ts'));
  await engine.close();
});

test('snippets are bounded: at most 6 lines, each at most 200 characters, a cut line ending in an ellipsis', async () => {
  const dir = await tempDir('long-lines');
  await writeWorkspace(dir, 3);
  const literal = 'lorem ipsum dolor sit amet '.repeat(200); // 5,400 characters on one line
  const source = [
    '/** Returns the banner text shown on the welcome page. */',
    'export function welcomeBanner(): string {',
    `  const text = "${literal}";`,
    '  return text;',
    '}',
    '',
    ...Array.from({ length: 30 }, (_, i) => `export const padding${i} = ${i}; // ordinary code around it`),
    '',
  ].join('\n');
  await writeFile(join(dir, 'banner.ts'), source);
  await writeFile(join(dir, 'notes.md'), `# Welcome banner ${'heading words '.repeat(200)}\n\nThe welcome banner text, explained.\n`);
  const engine = await openEngine([dir], await tempDir('long-lines-cache'));
  await engine.sync();
  assert.ok(
    engine.views().some((v) => v.file.path === 'banner.ts' && v.region.name === 'welcomeBanner'),
    'ordinary code with a long literal is indexed',
  );
  const result = await engine.ask('welcome banner text', { top: 20 });
  const hit = result.hits.find((h) => h.symbol === 'welcomeBanner');
  assert.ok(hit, 'the banner function is a hit');
  for (const h of result.hits) {
    const lines = h.snippet.split('\n');
    assert.ok(lines.length <= 6, `${h.path}:${h.startLine} snippet has ${lines.length} lines`);
    for (const line of lines) assert.ok(line.length <= 200, `${h.path}:${h.startLine} snippet line of ${line.length} characters`);
    assert.ok(h.symbol.length <= 200, `${h.path}:${h.startLine} symbol of ${h.symbol.length} characters`);
  }
  assert.ok(
    result.hits.some((h) => h.path === 'notes.md'),
    'the long heading is a hit',
  );
  const cut = hit.snippet.split('\n').find((l) => l.includes('lorem'))!;
  assert.ok(cut.endsWith('\u2026'), 'a cut line says so');
  assert.ok(JSON.stringify(result).length < 20_000, `answer JSON is ${JSON.stringify(result).length} characters`);
  await engine.close();
});

test('the index is data, not authority: a record leading outside the workspace is refused, even with a valid checksum', async () => {
  const { dir: outside } = await outsideSecret();
  const dir = await tempDir('crafted');
  await writeWorkspace(dir, 4);
  const cache = await tempDir('crafted-cache');
  const first = await openEngine([dir], cache);
  await first.sync();
  const indexPath = first.indexPath;
  const modelHash = first.deps.model.filesHash;
  await first.close();
  const original = await readFile(indexPath);
  const escape = `../${basename(outside)}/secret.ts`;
  const variants = [escape, `${outside}/secret.ts`, `sub/../../${basename(outside)}/secret.ts`, 'mod1.ts\u0000.txt', './mod1.ts', ''];
  for (const crafted of variants) {
    // Every live record now points at the secret; the writer's own encoder recomputes the checksum.
    const index = decodeIndex(original, modelHash);
    for (const f of index.history) {
      f.relPath = crafted;
      f.path = crafted;
    }
    const bytes = encodeIndex(index);
    const body = bytes.subarray(0, bytes.length - 32);
    assert.ok(
      createHash('sha256')
        .update(body)
        .digest()
        .equals(bytes.subarray(bytes.length - 32)),
      "the crafted index's checksum is valid",
    );
    await writeFile(indexPath, bytes);
    const engine = await openEngine([dir], cache);
    const label = JSON.stringify(crafted);
    const answers = await everyAnswerText(engine, 'widget total helper');
    assert.ok(!answers.includes(MARKER), `${label}: text from outside the workspace was returned`);
    assert.equal(engine.notices.length, 1, `${label}: ${engine.notices.join(' | ')}`);
    assert.match(engine.notices[0], /outside the workspace.*rebuilding/, label);
    assert.ok(!engine.notices[0].includes('\n'), label);
    assert.equal(engine.status().files, 0, `${label}: the crafted records were loaded`);
    const report = await engine.sync();
    assert.equal(report.scanned, 4, label);
    assert.ok(!(await everyAnswerText(engine, 'widget secret')).includes(MARKER), label);
    await engine.close();
  }
});
