// Who scans when, between file events (foreground: saves, creates, renames) and compaction
// (background, on its own copy of the state). File events go first: a compaction scans only while no
// file event is queued or scanning, a chunk at a time, so a save waits for at most one chunk of it.
// The one exception keeps the stale share bounded: when what the pass still has to scan exceeds
// CATCH_UP_RATIO times the headroom (the stale tokens file events could still add before the share
// reaches STALE_SHARE_LIMIT), the compaction scans first, and the file event waits until that holds
// again. Tokens, not the clock, decide, so the bound holds however fast edits come, and a save waits
// only when edits are about to outrun the compaction (docs/engine.md "Stale history" has the arithmetic).

import type { ChunkPace } from '../scan/chunkPace';

/** The stale share (of what the state has read) the compaction keeps file events below, with room for one event's overshoot. */
export const STALE_SHARE_LIMIT = 0.45;
/** A file event waits while the pass's remaining tokens exceed this many times the headroom left. */
export const CATCH_UP_RATIO = 4;

/** What the state has read and how much of it is stale (tokens). */
export interface StaleCount {
  stale: number;
  tokens: number;
}

export class ScanPriority {
  /** File events queued or scanning. */
  private foreground = 0;
  /** Tokens the pass under way still has to scan (its copy's rescan and catch-up); undefined when no pass scans. */
  private remaining: (() => number) | undefined;
  private waiters: (() => void)[] = [];
  /** The stale tokens each file event waiting for its turn would add: the compaction goes on until all may go. */
  private waitingAdds: number[] = [];

  constructor(
    private readonly count: () => StaleCount,
    private readonly limit = STALE_SHARE_LIMIT,
    private readonly ratio = CATCH_UP_RATIO,
  ) {}

  /** A file event, from when it is sent (queued for the lock included) until it is done: compaction yields meanwhile. */
  async fileEvent<T>(work: () => Promise<T>): Promise<T> {
    this.foreground++;
    try {
      return await work();
    } finally {
      this.foreground--;
      this.notify();
    }
  }

  /**
   * Before a file event's scan (under the lock): waits only while the compaction must catch up first,
   * counting the stale tokens this event adds (`adds`: its file's old version), so it cannot carry the
   * share past the limit by itself.
   */
  async foregroundTurn(adds = 0): Promise<void> {
    if (!this.mustCompact(adds)) return;
    this.waitingAdds.push(adds);
    this.notify(); // a compaction that yielded to this event checks again: it must go first now
    try {
      while (this.mustCompact(adds)) await this.changed();
    } finally {
      this.waitingAdds.splice(this.waitingAdds.indexOf(adds), 1);
    }
  }

  /** The pace of a compaction's scan (between `compactionStarted` and `compactionStopped`). */
  readonly background: ChunkPace = {
    before: async () => {
      while (this.remaining && this.foreground > 0 && !this.mustCompact(Math.max(0, ...this.waitingAdds))) {
        this.notify(); // the pass finished a file since its last chunk: a file event waiting for its turn checks again
        await this.changed();
      }
    },
    after: () => {
      if (this.waiters.length > 0) this.notify(); // a file event waiting for its turn checks again
    },
  };

  /** Resolves once no file event is queued or scanning: an index write waits for this before each slice (file events first). */
  async quiet(): Promise<void> {
    while (this.foreground > 0) await this.changed();
  }

  /** The index changed (a delete, a rename, a swap): who waits checks again. */
  indexChanged(): void {
    this.notify();
  }

  /** A pass starts scanning; `remaining` tells how many tokens it still has to scan. */
  compactionStarted(remaining: () => number): void {
    this.remaining = remaining;
    this.notify();
  }

  /** The pass stopped scanning (it swaps its copy in under the lock, or was cancelled): file events wait for nothing. */
  compactionStopped(): void {
    this.remaining = undefined;
    this.notify();
  }

  /**
   * Stale tokens file events may still add (each with about as many new tokens: a save) before the
   * share reaches the limit: h with (stale + h) / (tokens + h) = limit.
   */
  headroom(): number {
    const { stale, tokens } = this.count();
    return Math.max(0, (this.limit * tokens - stale) / (1 - this.limit));
  }

  /**
   * Whether the pass under way must scan before a file event that adds `adds` stale tokens: its
   * remaining tokens exceed `ratio` × the headroom left after that event.
   */
  mustCompact(adds = 0): boolean {
    return this.remaining !== undefined && this.remaining() > this.ratio * (this.headroom() - adds);
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
