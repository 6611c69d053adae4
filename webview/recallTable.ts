// The Recall table's rows (one per file) and their sort orders. No DOM: unit-tested under plain Node.
import type { RecallView } from '../extension/protocol';

export interface RecallFileRow {
  path: string;
  uri: string;
  regions: number;
  meanRecall: number;
  minRecall: number;
  /** The file's nearest region's distance from the summary's end, in tokens. */
  distanceTokens: number;
  active: boolean;
}

export type SortKey = 'path' | 'regions' | 'meanRecall' | 'minRecall' | 'distanceTokens';

export function recallFileRows(view: RecallView): RecallFileRow[] {
  const rows = new Map<string, RecallFileRow & { sum: number }>();
  for (const r of view.regions) {
    let row = rows.get(r.path);
    if (!row) {
      row = {
        path: r.path,
        uri: r.uri,
        regions: 0,
        meanRecall: 0,
        minRecall: 1,
        distanceTokens: r.distanceTokens,
        active: r.active,
        sum: 0,
      };
      rows.set(r.path, row);
    }
    row.regions++;
    row.sum += r.recall;
    row.minRecall = Math.min(row.minRecall, r.recall);
    row.distanceTokens = Math.min(row.distanceTokens, r.distanceTokens);
  }
  return [...rows.values()].map(({ sum, ...row }) => ({ ...row, meanRecall: row.regions ? sum / row.regions : 0 }));
}

export function sortRows(rows: readonly RecallFileRow[], key: SortKey, descending: boolean): RecallFileRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const order = key === 'path' ? a.path.localeCompare(b.path) : a[key] - b[key];
    return sign * order || a.path.localeCompare(b.path);
  });
}
