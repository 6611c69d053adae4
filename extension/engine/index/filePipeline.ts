// The index pipeline: what a file needs before the model reads it (its bytes, outline and tokens:
// fileScan.ts prepareFile) is made ahead of the scan, in the scan's order, so the model's calls do not
// wait for the reads, tree-sitter or the tokenizer. Bounded: at most `files` files and `bytes` bytes
// of source are prepared or being prepared beyond the one the scan takes next, so a large workspace
// never holds more than a few files' text and tokens at once. Deterministic: a file's preparation
// reads only that file, and results are taken in order, so what the index holds does not depend on
// when each was made. One file's failure is that file's result (its skip reason), never the queue's.

/** How far ahead of the scan files are prepared. */
export interface AheadLimits {
  files: number;
  bytes: number;
}

/**
 * Enough to keep the next files' reads done before their turn; a prepared file holds its text (UTF-16),
 * token ids and offsets and outline, about 4-5 times its bytes, so 2 MiB of source ahead costs at most
 * about 10 MB.
 */
export const PREPARE_AHEAD: AheadLimits = { files: 4, bytes: 2 << 20 };

export class PrepareQueue<T extends { size: number }, R> {
  private readonly pending = new Map<number, Promise<R>>();
  /** The next item to start, and the next to take. */
  private started = 0;
  private taken = 0;
  private bytesAhead = 0;
  private closed = false;

  /**
   * `prepare` makes one item's result; `failed` turns what it threw into that item's result (the queue
   * goes on with the next items).
   */
  constructor(
    private readonly items: readonly T[],
    private readonly prepare: (item: T) => Promise<R>,
    private readonly failed: (error: unknown, item: T) => R,
    private readonly limits: AheadLimits = PREPARE_AHEAD,
  ) {}

  /** The next item's result (items are taken in order, each once); the queue is topped up behind it. */
  take(): Promise<R> {
    if (this.closed) throw new Error('the prepare queue is closed');
    if (this.taken >= this.items.length) throw new Error('the prepare queue has no items left');
    const i = this.taken++;
    this.start(i); // not started yet when nothing was ahead (the first item, or limits of 0)
    const result = this.pending.get(i)!;
    this.pending.delete(i);
    this.bytesAhead -= this.items[i].size;
    this.fill();
    return result;
  }

  /** Items started beyond the last one taken (prepared or under way). */
  get ahead(): number {
    return this.started - this.taken;
  }

  /** Starts nothing more: what is under way finishes, and its results are dropped. */
  close(): void {
    this.closed = true;
    this.pending.clear();
  }

  private fill(): void {
    while (!this.closed && this.started < this.items.length && this.started - this.taken < this.limits.files) {
      const size = this.items[this.started].size;
      // The next item always starts when nothing else is ahead, whatever its size.
      if (this.started > this.taken && this.bytesAhead + size > this.limits.bytes) break;
      this.start(this.started);
    }
  }

  private start(i: number): void {
    if (i < this.started) return;
    this.started = i + 1;
    const item = this.items[i];
    this.bytesAhead += item.size;
    let run: Promise<R>;
    try {
      run = this.prepare(item);
    } catch (error) {
      run = Promise.reject(error);
    }
    this.pending.set(
      i,
      run.catch((error: unknown) => this.failed(error, item)),
    );
  }
}
