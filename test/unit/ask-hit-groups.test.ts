// The sidebar groups Ask's hits by file (extension/engine/query/hitGroups.ts, rendered by webview/askView.ts and the CLI's cli/format.ts): files in the order of their
// best hit, each file's best region first and its other regions under it, each hit keeping its rank.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupByFile } from '../../extension/engine/query/hitGroups';
import type { AskHitView } from '../../extension/protocol';

const hit = (path: string, startLine: number, fileRank: number) =>
  ({ path, startLine, endLine: startLine, fileRank, uri: `file:///w/${path}` }) as unknown as AskHitView;

test('hits grouped by file: files by their best hit, regions in rank order under it, ranks kept', () => {
  const hits = [hit('src/a.ts', 10, 1), hit('src/b.ts', 3, 2), hit('src/a.ts', 40, 1), hit('src/c.ts', 1, 3), hit('src/b.ts', 9, 2)];
  const groups = groupByFile(hits);
  assert.deepEqual(
    groups.map((g) => [g.path, g.hits.map((h) => [h.hit.startLine, h.rank])]),
    [
      [
        'src/a.ts',
        [
          [10, 0],
          [40, 2],
        ],
      ],
      [
        'src/b.ts',
        [
          [3, 1],
          [9, 4],
        ],
      ],
      ['src/c.ts', [[1, 3]]],
    ],
  );
  assert.deepEqual(
    groups.map((g) => g.hits[0].hit.fileRank),
    [1, 2, 3],
    "the groups' order is the engine's fileRank",
  );
  assert.deepEqual(groupByFile([]), []);
});
