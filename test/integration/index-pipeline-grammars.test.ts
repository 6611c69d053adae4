// The index pipeline on a workspace of many languages: the files prepared ahead of the model ask for
// their grammars at the same moment, and every file is indexed (before regionParser.ts chained the
// grammar loads, files of two or more languages failed with "could not load the python grammar … bad
// export type for 'tree_sitter_php_external_scanner_create'" and were left out of the index). Its own
// file: node --test runs each file in a fresh process, so no grammar is loaded before this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkspaceEngine } from '../../extension/engine/workspace/workspaceEngine';
import { tempDir, tinyDeps } from './helpers';

const FIXTURES = 'test/fixtures/regions';

test('a fresh engine indexes every file of a workspace in twelve languages, all prepared ahead at once', async () => {
  const dir = await tempDir('pipe-grammars');
  const names = (await readdir(FIXTURES)).filter((n) => n.endsWith('.fixture')).map((n) => n.replace(/\.fixture$/, ''));
  const at = new Date('2024-01-01T00:00:00Z'); // one mtime: scan order by path, languages interleaved
  for (const name of names) {
    await copyFile(join(FIXTURES, `${name}.fixture`), join(dir, name));
    await utimes(join(dir, name), at, at);
  }
  assert.ok(names.length >= 12, names.join(', '));
  // Every file prepared at once (the default prepares four ahead), so every grammar is asked for together.
  const engine = await WorkspaceEngine.open(await tinyDeps(), {
    roots: [dir],
    cacheDir: await tempDir('pipe-grammars-cache'),
    prepareAhead: { files: names.length, bytes: 1 << 24 },
  });
  try {
    const report = await engine.sync();
    assert.deepEqual(report.skipped, {}, 'no file skipped');
    assert.equal(report.scanned, names.length);
    const languages = new Set(engine.index.history.map((f) => f.language));
    for (const language of ['python', 'php', 'rust', 'csharp', 'go', 'javascript', 'typescript', 'ruby', 'java', 'c', 'cpp']) {
      assert.ok(languages.has(language), `${language} indexed (${[...languages].join(', ')})`);
    }
  } finally {
    await engine.close();
  }
});
