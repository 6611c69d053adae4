// Time left in a long scan. A scan's cost is not its file count: files enter least recently modified
// first, so a workspace's old, small files (vendored bits, configs) often come first and its large
// recent ones last, and counting files (or tokens done against a guessed tokens-per-byte for the rest)
// runs far ahead of the real end. What is known exactly is each file's size, so the time left is
// fitted as  a · files left + b · bytes left: a per-file cost (read, outline, session calls) and a
// per-byte cost (tokens through the model), least squares over the files done, recent files weighing
// more (a half-life of HALF_LIFE_S of work) so a change of pace (another process, a cooler CPU) shows.
/** Seconds of work after which a finished file's sample counts half. */
const HALF_LIFE_S = 30;
/** Files to measure before an estimate is given (-1 until then). */
const MIN_FILES = 3;
/** Seconds of work to measure before an estimate is given. */
const MIN_SECONDS = 1;

export class WorkEstimate {
  filesDone = 0;
  bytesLeft: number;
  private secondsDone = 0;
  // Decayed sums over finished files: weight w, bytes x, seconds y.
  private w = 0;
  private x = 0;
  private y = 0;
  private xx = 0;
  private xy = 0;

  constructor(
    readonly filesTotal: number,
    bytesTotal: number,
    private readonly halfLifeSeconds = HALF_LIFE_S,
  ) {
    this.bytesLeft = bytesTotal;
  }

  /** A file of `bytes` is done (scanned or skipped) and took `seconds`. */
  fileDone(bytes: number, seconds: number): void {
    this.filesDone++;
    this.bytesLeft = Math.max(0, this.bytesLeft - bytes);
    this.secondsDone += seconds;
    const decay = Math.pow(0.5, seconds / this.halfLifeSeconds);
    this.w = this.w * decay + 1;
    this.x = this.x * decay + bytes;
    this.y = this.y * decay + seconds;
    this.xx = this.xx * decay + bytes * bytes;
    this.xy = this.xy * decay + bytes * seconds;
  }

  /** Seconds per file and per byte, fitted; both ≥ 0. */
  rates(): { perFile: number; perByte: number } {
    const { w, x, y, xx, xy } = this;
    const varX = w * xx - x * x;
    // Sizes too alike to separate the two costs (or a single sample): the bytes carry it all.
    if (w < 2 || varX <= 1e-9 * (w * xx + 1)) return { perFile: 0, perByte: x > 0 ? y / x : 0 };
    let perByte = (w * xy - x * y) / varX;
    let perFile = (y - perByte * x) / w;
    if (perByte < 0) {
      perByte = 0;
      perFile = y / w;
    } else if (perFile < 0) {
      perFile = 0;
      perByte = xx > 0 ? xy / xx : 0;
    }
    return { perFile, perByte };
  }

  /** Estimated seconds left (rounded), 0 when done, -1 while too little has been measured. */
  secondsLeft(): number {
    const filesLeft = this.filesTotal - this.filesDone;
    if (filesLeft <= 0) return 0;
    if (this.filesDone < MIN_FILES || this.secondsDone < MIN_SECONDS) return -1;
    const { perFile, perByte } = this.rates();
    return Math.round(perFile * filesLeft + perByte * this.bytesLeft);
  }
}
