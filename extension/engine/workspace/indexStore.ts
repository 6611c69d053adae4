// The index's file: where it lives, read at open (or a new index when it is missing or unusable,
// with a notice saying why), written when it changed, coalesced after edits, and a notice instead of
// a failure when it cannot be written.
import { createHash } from 'node:crypto';
import { stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModelFiles } from '../model/card';
import { zeroState } from '../scan/scanState';
import { probeSpan } from '../scan/probeHead';
import { IndexUnusable, loadIndex } from '../index/indexFile';
import { saveIndex } from '../index/indexWrite';
import { removeStaleTemps } from '../index/tempFiles';
import { liveFiles, type WorkspaceIndex } from '../index/types';
import type { ReadFileLines } from '../query/lexical';
import { KeywordStore } from './keywordStore';

/**
 * An edit's index change is written to disk this long after the last file event (each event starts
 * the wait again, so a burst of saves is written once, when it pauses), and no later than
 * PERSIST_MAX_DELAY_MS after the first change not written (edits that never pause are written too).
 * A write takes the thread for about 0.2 s of work on the bench's 1.1M-token index (bench/README.md
 * "Edit to fresh answers"), which a save or a question during it would wait on.
 */
export const PERSIST_DELAY_MS = 1500;
export const PERSIST_MAX_DELAY_MS = 10_000;

/** What is written: the index, and whether it changed since it was read or last written (the Indexer). */
export interface Persistable {
  readonly index: WorkspaceIndex;
  dirty: boolean;
}

/**
 * Where a workspace's index lives: one file per workspace (its sorted root folders) in the cache
 * folder, so several workspaces can share one cache folder.
 */
export function indexPathFor(cacheDir: string, roots: readonly string[]): string {
  const key = createHash('sha1')
    .update(
      [...roots]
        .map((r) => resolve(r))
        .sort()
        .join('\0'),
    )
    .digest('hex')
    .slice(0, 16);
  const label = basename(resolve(roots[0] ?? 'workspace'))
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 40);
  return join(cacheDir, `${label}-${key}.lvix`);
}

export class IndexStore {
  /** One-line notices from opening and writing (e.g. why the old index was rebuilt). */
  readonly notices: string[] = [];
  readonly indexPath: string;
  /** Size of the index file as last read or written (0: none). */
  indexBytes = 0;
  /** A write of the index failed in this instance (said once in notices). */
  private writeFailed = false;
  private timer: NodeJS.Timeout | undefined;
  /** When the first change not yet written was scheduled (Date.now()), while a write is scheduled. */
  private firstScheduled = 0;
  /** The write under way (persist's queue). */
  private writing: Promise<void> = Promise.resolve();
  /**
   * Awaited before a write takes the index and before each of its slices: the engine's is "until no
   * file event is queued or scanning" (ScanPriority.quiet), so a save never shares the thread with a
   * write; the write goes on in the gaps (a crash before it ends costs only a rescan of what changed).
   */
  pace: (() => Promise<void>) | undefined;
  /** The keyword index's terms beside the index file (keywordStore.ts), written after the index. */
  readonly keywords: KeywordStore;
  /** How the keyword terms of a file not yet read are read (the engine's reader; none: the index is written alone). */
  readLines: ReadFileLines | undefined;
  private keywordWriteFailed = false;

  constructor(
    cacheDir: string,
    private readonly roots: string[],
    private readonly model: ModelFiles,
  ) {
    this.indexPath = indexPathFor(cacheDir, roots);
    this.keywords = new KeywordStore(this.indexPath, this.notices);
  }

  /**
   * The index in the file, or a new empty one when the file is missing or unusable (`replaces`: an
   * unusable file is there, which the new index replaces even if it stays empty). `checkHeads` when
   * the card has a recall probe.
   */
  async load(checkHeads: boolean): Promise<{ index: WorkspaceIndex; replaces: boolean }> {
    // The keyword terms are read meanwhile (restored to the records at the first question), and the
    // temporaries of writers killed mid-write (never renamed into place) removed.
    this.keywords.start();
    const temps = removeStaleTemps(dirname(this.indexPath));
    try {
      const index = await loadIndex(this.indexPath, this.model.filesHash);
      this.indexBytes = (await stat(this.indexPath)).size;
      if (index.roots.join('\0') !== this.roots.join('\0'))
        throw new IndexUnusable(`index ${this.indexPath} belongs to other folders`, 'corrupt');
      if (checkHeads) this.checkHeads(index);
      if (!index.complete) this.notices.push(`resuming an interrupted scan (${liveFiles(index).length} files already in the index)`);
      return { index, replaces: false };
    } catch (err) {
      if (!(err instanceof IndexUnusable)) throw err;
      if (err.reason !== 'missing') this.notices.push(`${err.message}; rebuilding it`);
      const index: WorkspaceIndex = {
        modelHash: this.model.filesHash,
        roots: this.roots,
        history: [],
        state: zeroState(this.model.card),
        checkpoints: [],
        complete: false,
        skipped: {},
        updatedAt: Date.now(),
      };
      return { index, replaces: err.reason !== 'missing' };
    } finally {
      await temps;
    }
  }

  /**
   * Region heads are made with the card's recall_probe_tokens at scan time; a card with a larger k
   * (a refit changes the card, not the model hash) needs longer heads: rebuilt, not probed short.
   */
  private checkHeads(index: WorkspaceIndex): void {
    const { card } = this.model;
    for (const f of index.history) {
      if (!f.live) continue;
      for (const r of f.regions) {
        const span = probeSpan(r.tokEnd - r.tokStart, card.recallProbeTokens);
        if (span > 0 && r.head.length < span + 1) {
          throw new IndexUnusable(
            `index ${this.indexPath} keeps region heads shorter than the card's recall_probe_tokens (${card.recallProbeTokens})`,
            'format',
          );
        }
      }
    }
  }

  /**
   * Writes the index if it changed since it was read or last written (an unchanged workspace writes
   * nothing). An index of no files is not written: it is a zero state, rebuilt for free, and would
   * cost a whole summary state on disk (its size: docs/engine.md) for an empty folder; an older file
   * is removed. Writes run one at a time, in call order (a call waits for the write under way, then
   * writes what changed since), and the index is taken as it stands when its write starts
   * (indexFile.ts layoutIndex): a change made while it is written leaves it dirty for the next write.
   */
  persist(target: Persistable): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const write = this.writing.then(() => this.write(target));
    this.writing = write.catch(() => undefined);
    return write;
  }

  private async write(target: Persistable): Promise<void> {
    await this.pace?.();
    if (!target.dirty) return;
    target.dirty = false; // the layout is taken now: what changes from here on is the next write's
    try {
      if (target.index.history.length === 0) {
        await unlink(this.indexPath).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
        this.indexBytes = 0;
        await this.keywords.remove();
      } else {
        this.indexBytes = await saveIndex(this.indexPath, target.index, this.pace);
      }
    } catch (err) {
      target.dirty = true;
      throw err;
    }
    if (target.index.history.length > 0) await this.writeKeywords(target.index);
  }

  /**
   * The keyword file written when it lacks terms the engine has made (warmQueries: an index written by
   * an engine that kept none, or a file read since), in turn with index writes.
   */
  persistKeywords(target: Persistable): Promise<void> {
    const write = this.writing.then(() => this.writeKeywords(target.index));
    this.writing = write.catch(() => undefined);
    return write;
  }

  /**
   * The keyword terms of the index's live files (keywordStore.ts: written when they differ from what
   * the file holds), after the index: a failure is one notice (the next start reads the files for
   * keyword search), never the write's.
   */
  private async writeKeywords(index: WorkspaceIndex): Promise<void> {
    if (!this.readLines) return;
    await this.pace?.();
    try {
      await this.keywords.write(liveFiles(index), this.readLines);
    } catch (err) {
      if (this.keywordWriteFailed) return;
      this.keywordWriteFailed = true;
      const code = (err as NodeJS.ErrnoException).code;
      this.notices.push(
        `the keyword index could not be written to ${dirname(this.indexPath)} (${code ?? (err as Error).message}); the next start reads the files for keyword search`,
      );
    }
  }

  /**
   * persist(), and when the index cannot be written (a read-only cache folder, a full disk) one notice
   * per engine instead of a failure: answers come from the index in memory, the next run scans the
   * changes again. It stays dirty, so a later write tries again.
   */
  async persistOrNotice(target: Persistable): Promise<void> {
    try {
      await this.persist(target);
    } catch (err) {
      if (!this.writeFailed) {
        const code = (err as NodeJS.ErrnoException).code;
        this.notices.push(
          `the index could not be written to ${dirname(this.indexPath)} (${code ?? (err as Error).message}${code === 'EACCES' || code === 'EROFS' || code === 'EPERM' ? ': read-only' : ''}); ` +
            `answering from this run's scan, which the next run repeats`,
        );
      }
      this.writeFailed = true;
    }
  }

  /**
   * File events change the index in memory at once (queries see the edit) and write it to disk
   * shortly after, coalesced (PERSIST_DELAY_MS after the last event, PERSIST_MAX_DELAY_MS after the
   * first at most): writing the whole index on every keystroke-save would double the edit-to-fresh
   * time. A crash before the write costs only a rescan of the files changed since, which the next sync
   * finds by their modification times.
   */
  schedule(target: Persistable): void {
    const now = Date.now();
    if (this.timer) clearTimeout(this.timer);
    else this.firstScheduled = now;
    const delay = Math.max(0, Math.min(PERSIST_DELAY_MS, this.firstScheduled + PERSIST_MAX_DELAY_MS - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.persistOrNotice(target);
    }, delay);
  }

  /** Writes a scheduled change now, and waits for the write under way (closing). */
  async flush(target: Persistable): Promise<void> {
    if (this.timer) await this.persistOrNotice(target);
    else await this.writing;
  }
}
