// Which line of a region the model weighs most: per line, the summed L2 norm of its tokens' readout
// (the "salient" line a Summary shows for a symbol with no doc comment). Measured while a file is
// scanned, so the index keeps it per region (RegionRecord.salientLine) and an unchanged file is
// summarized without scanning it again; summarize scans only a file that changed or is unsaved.
import type { FileStream } from './fileStream';

export class LineSalience {
  readonly perLine: Float64Array;
  private readonly lineStarts: number[] = [0];
  private line = 0;

  constructor(
    text: string,
    private readonly stream: Pick<FileStream, 'textStart' | 'textStarts'>,
    /** Readout values per token (the card's embedding size). */
    private readonly width: number,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    this.perLine = new Float64Array(this.lineStarts.length);
  }

  /** ModelScanner.feed's `observe`: chunks arrive in order. */
  readonly observe = (position: number, T: number, readout: Float32Array): void => {
    const { textStart, textStarts } = this.stream;
    for (let t = 0; t < T; t++) {
      const k = position + t - textStart;
      if (k < 0 || k >= textStarts.length) continue;
      const offset = textStarts[k];
      while (this.line + 1 < this.lineStarts.length && this.lineStarts[this.line + 1] <= offset) this.line++;
      let n = 0;
      for (let i = t * this.width; i < (t + 1) * this.width; i++) n += readout[i] * readout[i];
      this.perLine[this.line] += Math.sqrt(n);
    }
  };

  /** The 0-based line in [startLine, endLine] with the most salience, skipping blank and bracket-only lines; -1 when none. */
  salientLine(lines: readonly string[], startLine: number, endLine: number): number {
    let best = -1;
    let bestScore = -Infinity;
    for (let l = startLine; l <= endLine && l < lines.length; l++) {
      const t = lines[l].trim();
      if (!t || /^[{}()[\];,]*$/.test(t)) continue;
      if (this.perLine[l] > bestScore) {
        bestScore = this.perLine[l];
        best = l;
      }
    }
    return best;
  }
}
