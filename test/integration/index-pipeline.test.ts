// The index pipeline in the Indexer (extension/engine/index/filePipeline.ts, indexerCore.ts): files are
// read, outlined and tokenized ahead of the model, yet the index is the same bytes however those
// preparations are timed; a file whose preparation fails is skipped with its reason and the others are
// indexed; a cancelled scan stops preparing; a file changed after it was prepared is read again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrepareResult, SourceFile } from '../../extension/engine/index/fileScan';
import { decodeIndex, encodeIndex } from '../../extension/engine/index/indexFile';
import { Indexer } from '../../extension/engine/index/indexer';
import type { WorkspaceIndex } from '../../extension/engine/index/types';
import { zeroState } from '../../extension/engine/scan/scanState';
import { openModelParts, type ModelParts } from '../../extension/engine/workspace/modelParts';
import { tempDir, tinyDeps } from './helpers';
import { writeWorkspace } from './workspaceFixture';

/** A workspace of several languages (tree-sitter outlines, Markdown, plain text blocks), mtimes apart. */
async function workspace(name: string, n = 12): Promise<string> {
  const dir = await tempDir(name);
  await writeWorkspace(dir, n);
  await writeFile(join(dir, 'notes.md'), '# Notes\n\nHow widgets are counted.\n\n## Labels\n\nUpper case, then the number.\n');
  await writeFile(join(dir, 'tool.py'), 'def count(parts):\n    """Adds the parts."""\n    return sum(parts)\n');
  return dir;
}

async function setup(dir: string): Promise<{ parts: ModelParts; files: SourceFile[]; index: () => WorkspaceIndex }> {
  const deps = await tinyDeps();
  const parts = await openModelParts(deps, [dir]);
  const { files } = await deps.discover([dir]);
  const index = (): WorkspaceIndex => ({
    modelHash: deps.model.filesHash,
    roots: [dir],
    history: [],
    state: zeroState(deps.model.card),
    checkpoints: [],
    complete: false,
    skipped: {},
    updatedAt: 0,
  });
  return { parts, files, index };
}

/** The index's bytes, its one clock field (updatedAt, when it last changed) left out. */
const bytesOf = (index: WorkspaceIndex) => encodeIndex({ ...index, updatedAt: 0 });

/** Preparations finish after random delays (a seeded sequence), so they complete out of order. */
class JitteryIndexer extends Indexer {
  prepared: string[] = [];
  private seed = 7;
  protected override async prepare(file: SourceFile): Promise<PrepareResult> {
    this.prepared.push(file.path);
    this.seed = (this.seed * 48271) % 2147483647;
    await new Promise((r) => setTimeout(r, this.seed % 15));
    return super.prepare(file);
  }
}

test('the same workspace yields the same index bytes whether files are prepared one at a time or ahead, out of order', async () => {
  const dir = await workspace('pipe-same');
  const { parts, files, index } = await setup(dir);
  const sequential = new Indexer(parts.scanParts, index());
  sequential.checkpointTokens = 300; // several checkpoints: they are in the bytes too
  sequential.prepareAhead = { files: 0, bytes: 0 };
  await sequential.sync(files);
  const ahead = new JitteryIndexer(parts.scanParts, index());
  ahead.checkpointTokens = 300;
  ahead.prepareAhead = { files: 6, bytes: 1 << 20 };
  await ahead.sync(files);
  assert.equal(ahead.index.history.length, files.length);
  assert.ok(ahead.index.checkpoints.length > 2);
  assert.ok(bytesOf(sequential.index).equals(bytesOf(ahead.index)), 'same bytes');
  // And a third time with the default limits, from the files as they are: nothing depends on the run.
  const again = new Indexer(parts.scanParts, index());
  again.checkpointTokens = 300;
  await again.sync(files);
  assert.ok(bytesOf(again.index).equals(bytesOf(sequential.index)));
  await Promise.all(parts.sessions.map((s) => s.release()));
});

test('a file whose preparation throws is skipped with its reason; the files after it are indexed', async () => {
  const dir = await workspace('pipe-fail', 6);
  const { parts, files, index } = await setup(dir);
  const regions = parts.scanParts.regions;
  const broken = {
    ...parts.scanParts,
    regions: {
      ...regions,
      outline: (path: string, text: string) =>
        path === 'mod2.ts' ? Promise.reject(new Error('grammar crashed\nstack…')) : regions.outline(path, text),
    },
  };
  const indexer = new Indexer(broken, index());
  const report = await indexer.sync(files);
  assert.deepEqual(report.skipped, { 'failed (grammar crashed)': 1 });
  assert.equal(report.scanned, files.length - 1);
  const indexed = indexer.index.history.map((f) => f.path);
  assert.ok(!indexed.includes('mod2.ts'));
  for (const later of ['mod3.ts', 'mod4.ts', 'mod5.ts', 'notes.md', 'tool.py']) assert.ok(indexed.includes(later), later);
  await Promise.all(parts.sessions.map((s) => s.release()));
});

test('a cancelled scan prepares no file beyond its limit past the one it stopped at', async () => {
  const dir = await workspace('pipe-cancel', 20);
  const { parts, files, index } = await setup(dir);
  const indexer = new JitteryIndexer(parts.scanParts, index());
  indexer.prepareAhead = { files: 3, bytes: 1 << 20 };
  const controller = new AbortController();
  let done = 0;
  await assert.rejects(
    indexer.sync(files, {
      signal: controller.signal,
      onProgress: (p) => {
        done = p.filesDone;
        if (p.filesDone === 5) controller.abort();
      },
    }),
    /cancelled/,
  );
  const preparedAtCancel = indexer.prepared.length;
  await new Promise((r) => setTimeout(r, 50)); // what was under way settles; nothing new starts
  assert.equal(indexer.prepared.length, preparedAtCancel);
  assert.ok(preparedAtCancel <= done + 1 + 3, `${preparedAtCancel} prepared, ${done} scanned, limit 3 ahead`);
  assert.ok(preparedAtCancel < files.length);
  await Promise.all(parts.sessions.map((s) => s.release()));
});

test('a file written after it was prepared is read again when its scan comes (sync and save)', async () => {
  const dir = await workspace('pipe-stale', 4);
  const { parts, files, index } = await setup(dir);
  /** Appends to mod1.ts right after its first preparation: what was prepared is then stale. */
  class WrittenMeanwhile extends Indexer {
    reads = 0;
    protected override async prepare(file: SourceFile): Promise<PrepareResult> {
      const result = await super.prepare(file);
      if (file.path === 'mod1.ts' && this.reads++ === 0) await appendFile(file.absPath, '\nexport const late = 1;\n');
      return result;
    }
  }
  const indexer = new WrittenMeanwhile(parts.scanParts, index());
  await indexer.sync(files);
  const sha1 = async (name: string) =>
    createHash('sha1')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  const record = indexer.liveRecord('mod1.ts')!;
  assert.equal(indexer.reads, 2, 'prepared, then read again');
  assert.equal(record.contentHash, await sha1('mod1.ts'));
  assert.ok(record.regions.some((r) => r.name === 'late'));
  // A save: prepared when it is sent, read again if the file changed before its scan.
  const saving = new WrittenMeanwhile(parts.scanParts, indexer.index);
  await appendFile(join(dir, 'mod1.ts'), '\nexport const saved = 2;\n');
  const file = files.find((f) => f.path === 'mod1.ts')!;
  assert.equal(await saving.updateFile(file), undefined);
  assert.equal(saving.reads, 2);
  assert.equal(saving.liveRecord('mod1.ts')!.contentHash, await sha1('mod1.ts'));
  await Promise.all(parts.sessions.map((s) => s.release()));
});

test('between any two chunks of a scan the index is whole: its state has read exactly its history (what a write taken then saves)', async () => {
  const dir = await workspace('pipe-whole', 5);
  const { parts, files, index } = await setup(dir);
  const indexer = new Indexer(parts.scanParts, index());
  let checks = 0;
  const whole = () => {
    const saved = decodeIndex(encodeIndex(indexer.index), indexer.index.modelHash);
    const read = saved.history.reduce((n, f) => n + f.tokens, 0);
    assert.equal(saved.state.tokens, read, `after ${saved.history.length} files`);
    checks++;
  };
  await indexer.sync(files, { pace: { before: async () => whole(), after: () => whole() } });
  assert.ok(checks > 2 * files.length, `${checks} checks`);
  await Promise.all(parts.sessions.map((s) => s.release()));
});
