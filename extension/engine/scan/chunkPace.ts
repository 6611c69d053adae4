/**
 * Awaited before each chunk a scan feeds (`tokens`: the chunk's length), `after` once it is in the state:
 * how a compaction's scan yields to file events (index/scanPriority.ts).
 */
export interface ChunkPace {
  before(tokens: number): Promise<void>;
  after(tokens: number): void;
}
