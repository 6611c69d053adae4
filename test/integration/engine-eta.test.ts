// The time left that a scan reports (ScanProgress.etaSeconds), on a synthetic run with a known cost:
// files cost a fixed amount plus an amount per byte, the old small files come first (mtime order) and
// the large recent ones last. The clock is the test's: each file's "scan" advances it by its cost.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Indexer, type ScanProgress } from '../../extension/engine/index/indexer';
import type { ScanParts, SourceFile } from '../../extension/engine/index/fileScan';
import { zeroState } from '../../extension/engine/scan/scanState';
import { tempDir, tinyDeps } from './helpers';

const PER_FILE_S = 0.05;
const PER_BYTE_S = 0.0001;

test('etaSeconds follows the bytes left at the measured per-file and per-byte costs', async () => {
  const card = (await tinyDeps()).model.card;
  const dir = await tempDir('eta');
  const files: SourceFile[] = [];
  const sizes = [...Array.from({ length: 40 }, (_, i) => 100 + (i % 7) * 100), ...Array.from({ length: 10 }, () => 20_000)];
  for (const [i, size] of sizes.entries()) {
    const relPath = `f${String(i).padStart(2, '0')}.txt`;
    await writeFile(join(dir, relPath), 'x'.repeat(size));
    files.push({ root: 0, relPath, path: relPath, absPath: join(dir, relPath), mtimeMs: i, size });
  }
  let now = 1_000_000;
  mock.method(Date, 'now', () => now);
  const parts: ScanParts = {
    card,
    // One token per 3 characters (the real tokenizer does about 3 bytes a token on code).
    tokenizer: {
      encode: (text: string) => ({
        ids: new Int32Array(Math.ceil(text.length / 3)),
        starts: Int32Array.from({ length: Math.ceil(text.length / 3) }, (_, k) => 3 * k),
      }),
    },
    regions: {
      languageFor: () => 'text',
      outline: async () => ({ language: 'text', supported: true, regions: [], imports: [], exports: [] }),
    } as unknown as ScanParts['regions'],
    scanner: {
      feed: async (state: { tokens: number }, ids: ArrayLike<number>) => {
        const bytes = (ids.length - 4) * 3;
        now += 1000 * (PER_FILE_S + PER_BYTE_S * bytes);
        state.tokens += ids.length;
      },
    } as unknown as ScanParts['scanner'],
  };
  const progress: ScanProgress[] = [];
  try {
    const indexer = new Indexer(parts, {
      modelHash: 'm',
      roots: [dir],
      history: [],
      state: zeroState(card),
      checkpoints: [],
      complete: false,
      skipped: {},
      updatedAt: 0,
    });
    await indexer.sync(files, { onProgress: (p) => progress.push({ ...p }) });
  } finally {
    mock.restoreAll();
  }
  const cost = (size: number) => PER_FILE_S + PER_BYTE_S * size;
  const trueLeft = (done: number) => sizes.slice(done).reduce((n, s) => n + cost(s), 0);
  // With 80% of the files done the large ones are all ahead: 20 s of a 24 s run.
  const at40 = progress.find((p) => p.phase === 'scan' && p.filesDone === 40)!;
  assert.ok(
    Math.abs(at40.etaSeconds - trueLeft(40)) <= 0.1 * trueLeft(40),
    `${at40.etaSeconds} s estimated, ${trueLeft(40).toFixed(1)} s left`,
  );
  for (const p of progress.filter((q) => q.filesDone >= 15 && q.filesDone < 50)) {
    assert.ok(
      Math.abs(p.etaSeconds - trueLeft(p.filesDone)) <= 0.15 * trueLeft(p.filesDone) + 1,
      `after ${p.filesDone}: ${p.etaSeconds} s, ${trueLeft(p.filesDone).toFixed(1)} s left`,
    );
  }
  // tokensTotal from the measured bytes per token, not a guess.
  const tokensAll = sizes.reduce((n, s) => n + Math.ceil(s / 3) + 4, 0);
  assert.ok(Math.abs(at40.tokensTotal - tokensAll) <= 0.05 * tokensAll, `${at40.tokensTotal} tokens estimated of ${tokensAll}`);
  assert.equal(progress.at(-1)!.etaSeconds, 0);
});
