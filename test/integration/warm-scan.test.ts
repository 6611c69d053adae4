// WorkspaceEngine.warmScan: the worker's warm-up after opening scans the active file from a zero state
// (the first question about it is then answered from that scan), never a file outside the workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openEngine, tempDir } from './helpers';

const WORKSPACE = resolve('test/fixtures/workspace');

/** Counts the model scanner's feeds (one per scanned text). */
function countFeeds(engine: object): { readonly feeds: number } {
  const scanner = (engine as { parts: { scanParts: { scanner: { feed: (...a: unknown[]) => Promise<void> } } } }).parts.scanParts.scanner;
  const feed = scanner.feed.bind(scanner);
  const counter = { feeds: 0 };
  scanner.feed = (...a: unknown[]) => {
    counter.feeds++;
    return feed(...a);
  };
  return counter;
}

test('warmScan scans the active file once; the first question about it reuses that scan', async () => {
  const engine = await openEngine([WORKSPACE], await tempDir('warm-scan'));
  try {
    await engine.sync();
    const counter = countFeeds(engine);
    await engine.warmScan(resolve(WORKSPACE, 'src/pricing.ts'));
    assert.equal(counter.feeds, 1, 'the active file is scanned');
    const answer = await engine.ask('how is the price computed', { activeFile: 'src/pricing.ts', maxRereads: 0 });
    assert.ok(
      answer.hits.some((h) => h.source === 'exact' && h.path === 'src/pricing.ts'),
      'the active file answers exactly',
    );
    assert.equal(counter.feeds, 1, 'from the warm scan: not scanned again');
  } finally {
    await engine.close();
  }
});

test('warmScan with no active file, or one outside the workspace, scans a workspace file instead', async () => {
  const engine = await openEngine([WORKSPACE], await tempDir('warm-scan-outside'));
  try {
    await engine.sync();
    const counter = countFeeds(engine);
    const outside = resolve(WORKSPACE, '..', '..', '..', 'package.json');
    await engine.warmScan(outside);
    assert.equal(counter.feeds, 1, 'one workspace file scanned in its place');
    const answer = await engine.ask('package name', { activeFile: outside, maxRereads: 0 });
    assert.ok(!answer.hits.some((h) => h.source === 'exact'), 'a file outside the workspace is never read as the active file');
    await engine.warmScan();
    assert.equal(counter.feeds, 1, 'without an active file: the same file, already scanned (cached by content)');
  } finally {
    await engine.close();
  }
});

test('warmScan leaves an active file larger than 32 KB to the first question about it', async () => {
  const root = await tempDir('warm-scan-large');
  await cp(WORKSPACE, root, { recursive: true });
  const large = join(root, 'src', 'generated.ts');
  await writeFile(large, Array.from({ length: 1500 }, (_, i) => `export const value${i} = ${i} * 2; // a generated line\n`).join(''));
  const engine = await openEngine([root], await tempDir('warm-scan-large-cache'));
  try {
    await engine.sync();
    const counter = countFeeds(engine);
    await engine.warmScan(large);
    assert.equal(counter.feeds, 1, 'another, smaller workspace file is scanned in its place');
    await engine.ask('generated values', { activeFile: 'src/generated.ts', maxRereads: 0 });
    assert.equal(counter.feeds, 2, 'the large active file is scanned when a question needs it');
  } finally {
    await engine.close();
  }
});
