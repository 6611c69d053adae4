// Who scans when, between file events (foreground: saves, creates, renames) and compaction
// (background, on its own copy of the state). Below the urgent stale share a compaction scans only while
// no file event is queued or scanning, a chunk at a time, so a save waits for at most one chunk of it.
// Past it (latched until the pass ends) the two share the scan by tokens: before each file event the
// compaction must have scanned URGENT_RATIO times the tokens the earlier file events of this urgent
// phase scanned. The ratio, not the clock, decides, so the stale share stays bounded however fast
// edits come (docs/engine.md "Stale history" has the arithmetic) and a save never waits for a whole pass.

import type { ChunkPace } from '../scan/chunkPace';

/** Stale share (of what the state has read) past which a compaction takes its turn with file events. */
export const URGENT_STALE_SHARE = 0.35;
/** Tokens a compaction scans per token of file events while urgent. */
export const URGENT_RATIO = 4;

export class ScanPriority {
  /** File events queued or scanning. */
  private foreground = 0;
  /** A compaction is scanning its copy (not holding the lock). */
  private compacting = false;
  /** Latched once the stale share passed URGENT_STALE_SHARE during this pass. */
  private urgentPass = false;
  /** Tokens the compaction owes before the next file event may scan (urgent only). */
  private owed = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly staleShare: () => number,
    private readonly urgentAt = URGENT_STALE_SHARE,
    private readonly ratio = URGENT_RATIO,
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

  /** Before a file event's scan (under the lock): waits only while an urgent compaction owes tokens. */
  async foregroundTurn(): Promise<void> {
    while (this.compacting && this.isUrgent() && this.owed > 0) await this.changed();
  }

  /** A file event scanned `tokens`: an urgent compaction owes URGENT_RATIO times as many before the next one. */
  foregroundSpent(tokens: number): void {
    if (this.compacting && this.isUrgent()) this.owed += this.ratio * tokens;
  }

  /** The pace of a compaction's scan (between `compactionStarted` and `compactionStopped`). */
  readonly background: ChunkPace = {
    before: async () => {
      while (this.compacting && this.foreground > 0 && !this.isUrgent()) await this.changed();
    },
    after: (tokens) => {
      if (this.owed > 0) {
        this.owed = Math.max(0, this.owed - tokens);
        if (this.owed === 0) this.notify();
      }
    },
  };

  compactionStarted(): void {
    this.compacting = true;
    this.urgentPass = false;
    this.owed = 0;
  }

  /** The pass stopped scanning (it swaps its copy in under the lock, or was cancelled): file events owe nothing. */
  compactionStopped(): void {
    this.compacting = false;
    this.urgentPass = false;
    this.owed = 0;
    this.notify();
  }

  /** Whether the pass under way takes its turn with file events (latched: never flips back within a pass). */
  isUrgent(): boolean {
    if (!this.urgentPass && this.compacting && this.staleShare() >= this.urgentAt) {
      this.urgentPass = true;
      this.notify(); // a compaction waiting for file events to finish goes on now
    }
    return this.urgentPass;
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
