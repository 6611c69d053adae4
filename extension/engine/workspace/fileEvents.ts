// File events as the editor reports them (saves, creates, deletes, renames of files and folders) and
// the background compaction they start. Every event applies discovery's rules (`deps.examine`, the
// walk's own) and never waits behind maintenance: the indexer holds its lock for one file's scan at a
// time, and compaction works on a copy that lets saves go first (docs/engine.md "Freshness").
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Indexer } from '../index/indexer';
import { staleTokens } from '../index/types';
import type { WorkspacePaths } from '../paths/workspacePaths';
import type { EngineDeps } from './engineDeps';
import type { IndexStore } from './indexStore';

/**
 * A file event starts a background compaction once stale tokens pass this share of what the state has
 * read. It scans only while no file event does, so starting early costs saves nothing and leaves it more
 * of the idle time before edits could outrun it (index/scanPriority.ts) and it must go first.
 */
export const COMPACT_AT_STALE_SHARE = 0.15;

export class FileEvents {
  /** The background compaction under way (maintain), and how to stop it. */
  private maintenance: { done: Promise<void>; abort: AbortController } | undefined;
  /** A sync is under way: it compacts by itself, so maintain() starts nothing. */
  private syncing = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly paths: WorkspacePaths,
    private readonly store: IndexStore,
    private readonly indexer: Indexer,
    private readonly compactAtStaleShare = COMPACT_AT_STALE_SHARE,
  ) {}

  /** Runs a full sync: no background compaction starts meanwhile (the sync compacts by itself). */
  async whileSyncing<T>(sync: () => Promise<T>): Promise<T> {
    this.syncing = true;
    try {
      return await sync();
    } finally {
      this.syncing = false;
    }
  }

  /**
   * A file was saved or created: rescan it alone, if discovery's rules let a full walk index it. Returns
   * its skip reason, if it was skipped; a skipped file's earlier records leave the answers, as they would
   * after a full walk. A folder (created, or renamed to: VS Code reports only the folder,
   * microsoft/vscode#109754) indexes every file the walk finds in it.
   */
  changed(absPath: string, signal?: AbortSignal): Promise<string | undefined> {
    // A file event from its arrival: a compaction under way yields from its next chunk (scanPriority.ts).
    return this.indexer.priority.fileEvent(() => this.changedNow(absPath, signal));
  }

  private async changedNow(absPath: string, signal?: AbortSignal): Promise<string | undefined> {
    const full = resolve(absPath);
    const path = this.paths.toEngine(full);
    if (path === undefined) return 'outside-workspace';
    if (await isFolder(full)) {
      await this.folderChanged(path, signal);
      return undefined;
    }
    const verdict = await this.deps.examine(this.paths.roots, full);
    let reason: string | undefined;
    if ('skipped' in verdict) {
      this.indexer.removeFile(path);
      reason = verdict.skipped;
    } else {
      reason = await this.indexer.updateFile(verdict.file, signal);
    }
    this.afterEvent();
    return reason;
  }

  /** A file or folder was deleted: its records (every file's under a folder) leave the answers. */
  deleted(absPath: string): boolean {
    const path = this.paths.toEngine(resolve(absPath));
    if (path === undefined) return false;
    const removed = this.removeUnder(path);
    if (removed) this.afterEvent();
    return removed;
  }

  /**
   * A file or folder was renamed: the old paths leave the answers, the new ones answer. A file whose
   * bytes did not change is relabelled, not rescanned (its old header's tokens count as stale until a
   * compaction reads it at its new path: Indexer.renamed); one that discovery's rules now leave out leaves the
   * answers; anything else (changed bytes, a file new to the index) is scanned as a save would be.
   */
  renamed(fromAbs: string, toAbs: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.indexer.priority.fileEvent(() => this.renamedNow(fromAbs, toAbs, signal));
  }

  private async renamedNow(fromAbs: string, toAbs: string, signal?: AbortSignal): Promise<string | undefined> {
    const from = this.paths.toEngine(resolve(fromAbs));
    const fullTo = resolve(toAbs);
    const file = from === undefined ? undefined : this.indexer.liveRecord(from);
    const under = from === undefined ? [] : this.indexer.liveUnder(from);
    if (from === undefined || (!file && under.length === 0)) return this.changedNow(fullTo, signal); // nothing indexed there
    if (file) {
      const reason = await this.moveRecord(from, fullTo);
      if (reason === 'changed') return this.changedNow(fullTo, signal);
      this.afterEvent();
      return reason;
    }
    for (const f of under) await this.moveRecord(f.path, join(fullTo, f.path.slice(from.length + 1)));
    // Whatever else the walk finds in the folder now: files new to the index, or changed (their records left above).
    return this.changedNow(fullTo, signal);
  }

  /**
   * One file's record to its new place: relabelled when its bytes are unchanged; else it leaves the
   * answers and says why: discovery's reason to leave it out, or 'changed' (the caller scans it).
   */
  private async moveRecord(from: string, toAbs: string): Promise<string | undefined> {
    const verdict =
      this.paths.toEngine(toAbs) === undefined ? { skipped: 'outside-workspace' } : await this.deps.examine(this.paths.roots, toAbs);
    if (!('skipped' in verdict) && (await this.indexer.renamed(from, verdict.file))) return undefined;
    this.indexer.removeFile(from);
    return 'skipped' in verdict ? verdict.skipped : 'changed';
  }

  /** Resolves once the background compaction under way (if any) has finished. */
  async settled(): Promise<void> {
    await this.maintenance?.done;
  }

  /** Stops the background compaction under way, if any. */
  async close(): Promise<void> {
    this.maintenance?.abort.abort();
    await this.maintenance?.done;
  }

  /** The file at `path`, or every file under the folder `path`, leaves the answers. */
  private removeUnder(path: string): boolean {
    let removed = this.indexer.removeFile(path);
    for (const f of this.indexer.liveUnder(path)) removed = this.indexer.removeFile(f.path) || removed;
    return removed;
  }

  /** Every file under a folder the walk would read, updated where its record differs (or has none). */
  private async folderChanged(folder: string, signal?: AbortSignal): Promise<void> {
    const prefix = `${folder}/`;
    const found = await this.deps.discover(this.paths.roots, signal);
    const live = new Map(this.indexer.liveUnder(folder).map((f) => [f.path, f]));
    for (const file of found.files) {
      if (!file.path.startsWith(prefix)) continue;
      const record = live.get(file.path);
      if (record && record.mtimeMs === file.mtimeMs && record.size === file.size) continue;
      await this.indexer.updateFile(file, signal);
    }
    this.afterEvent();
  }

  /** After a file event: the index is written soon, and compacted in the background once the stale share passes its limit. */
  private afterEvent(): void {
    this.store.schedule(this.indexer);
    this.maintain();
  }

  /**
   * Starts a compaction in the background when the stale share passes `compactAtStaleShare` and none
   * runs: it works on a copy and lets file events go first (Indexer.compact, index/scanPriority.ts), so a
   * save waits at most for one chunk of it, or, when edits are about to outrun it, until it has caught up.
   */
  private maintain(): void {
    if (this.maintenance || this.syncing) return;
    const { index } = this.indexer;
    const { tokens } = index.state;
    if (tokens === 0 || staleTokens(index) / tokens < this.compactAtStaleShare) return;
    const abort = new AbortController();
    const done = this.indexer
      .compact({ signal: abort.signal })
      .then(() => this.store.schedule(this.indexer))
      .catch(() => undefined) // cancelled (close) or failed: the next file event tries again
      .finally(() => {
        if (this.maintenance?.abort === abort) this.maintenance = undefined;
      });
    this.maintenance = { done, abort };
  }
}

async function isFolder(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isDirectory();
  } catch {
    return false;
  }
}
