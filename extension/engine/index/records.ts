// Small rules about file records and checkpoints, shared by the Indexer's sync, updates and compaction.
import type { SourceFile } from './fileScan';
import type { FileRecord } from './types';

/** A record leaves the answers: its tokens stay in the state as a trace, its regions are dropped (nothing reads a stale record's). */
export function retire(record: FileRecord): void {
  record.live = false;
  record.regions = [];
}

/** The stat fast path: unchanged when size, mtime and ctime all match (a record without a ctime, from an older index, is checked by content once). */
export function sameStat(now: SourceFile, record: FileRecord): boolean {
  return now.mtimeMs === record.mtimeMs && now.size === record.size && (now.ctimeMs === undefined || now.ctimeMs === record.ctimeMs);
}

/**
 * Which checkpoint positions (ascending history lengths) to keep, at most `max`: repeatedly drops the
 * one whose neighbours are closest relative to its distance from the end (`at`). Edits land mostly
 * on recent files, so checkpoints thin out geometrically towards the start, and compacting after an
 * edit rescans about as much as the edited file is old. The first and last are always kept.
 */
export function thinCheckpoints(positions: number[], at: number, max: number): number[] {
  const kept = [...positions];
  while (kept.length > max) {
    let drop = 1;
    let best = Infinity;
    for (let i = 1; i < kept.length - 1; i++) {
      const gap = (kept[i + 1] - kept[i - 1]) / (at - kept[i] + 1);
      if (gap < best) {
        best = gap;
        drop = i;
      }
    }
    kept.splice(drop, 1);
  }
  return kept;
}
