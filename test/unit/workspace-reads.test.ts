// Every read of a workspace file after discovery (the scan's readSource, snippets' and re-reads' readLines)
// keeps to the size cap whatever stat says, never opens a FIFO, and stays inside the workspace; stored
// paths become file paths only through resolveInRoot. Issue 14.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, realpathSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { readSource } from '../../extension/engine/index/fileScan';
import { readLines, sliceLines } from '../../extension/engine/query/fileText';
import { resolveInRoot, unsafeRelativePath } from '../../extension/engine/paths/containment';
import { makeTree, removeTree } from './discovery-helpers';
import { within } from '../support/within';

test('scan and snippet reads stop at the size cap even where stat says 0 bytes (/proc/self/maps)', async () => {
  const limits = { maxBytes: 1024 };
  const source = await readSource('/proc/self/maps', limits);
  assert.deepEqual(source, { skipped: 'too-large' });
  assert.equal(await readLines('/proc/self/maps', limits), undefined);
  const pagemap = await readSource('/proc/self/pagemap', { maxBytes: 64 * 1024 });
  assert.deepEqual(pagemap, { skipped: 'too-large' });
});

test('scan and snippet reads never open a FIFO (a read would wait for a writer for ever)', async (t) => {
  const root = makeTree({ 'a.ts': 'export const a = 1;\n' });
  const fifo = path.join(root, 'pipe.ts');
  execFileSync('mkfifo', [fifo]);
  t.after(() => {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)); // frees a reader the unfixed code left blocked
    } catch {
      // ENXIO: no reader, as it should be
    }
    removeTree(root);
  });
  assert.deepEqual(await within(3000, 'readSource of a FIFO', readSource(fifo)), { skipped: 'not-a-file' });
  assert.equal(await within(3000, 'readLines of a FIFO', readLines(fifo)), undefined);
});

test('reads given the workspace roots refuse a path whose real path is outside them', async (t) => {
  const outside = makeTree({ 'secret.ts': 'export const secret = 1;\n' });
  const root = makeTree({ 'a.ts': 'export const a = 1;\n' });
  t.after(() => {
    removeTree(root);
    removeTree(outside);
  });
  symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'link.ts'));
  const limits = { maxBytes: 1024 * 1024, realRoots: [realpathSync(root)] };
  assert.deepEqual(await readSource(path.join(root, 'link.ts'), limits), { skipped: 'outside-workspace' });
  assert.equal(await readLines(path.join(root, 'link.ts'), limits), undefined);
  assert.deepEqual(await readLines(path.join(root, 'a.ts'), limits), ['export const a = 1;', '']);
});

test('stored paths: only plain relative paths below the root become file paths', () => {
  for (const bad of [
    '/etc/passwd',
    '../x.ts',
    'a/../../x.ts',
    'a/..',
    'a\\..\\..\\x.ts',
    'C:\\x.ts',
    'a\u0000b',
    '',
    './a.ts',
    'a//b.ts',
  ]) {
    assert.ok(unsafeRelativePath(bad), JSON.stringify(bad));
    assert.throws(() => resolveInRoot('/w/root', bad), /refused/, JSON.stringify(bad));
  }
  for (const good of [
    'a.ts',
    'src/a.ts',
    '.github/workflows/ci.yml',
    'a..b/c...ts',
    'weird name (1).md',
    'a\nb',
    'evil\u001b]0;x\u0007.ts',
  ]) {
    // control characters lead nowhere; terminals get them stripped (cli/format.ts)
    assert.equal(unsafeRelativePath(good), undefined, good);
    assert.equal(resolveInRoot('/w/root', good), path.join('/w/root', good));
  }
});

test('snippet lines are cut at a character limit with an ellipsis, never inside a surrogate pair', () => {
  const lines = ['short', 'x'.repeat(500), `${'y'.repeat(8)}😀tail`, 'three', 'four'];
  assert.equal(sliceLines(lines, 0, 4, 3, 10), `short\n${'x'.repeat(9)}\u2026\n${'y'.repeat(8)}\u2026`);
  assert.equal(sliceLines(lines, 3, 4), 'three\nfour');
});
