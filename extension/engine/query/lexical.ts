// Keyword search over every region, fused with the model's scores in ask(). Two indexes over one
// state of the workspace:
// - regions: BM25F (Robertson, Zaragoza & Taylor 2004) over fields with their own weights and length
//   normalisation: the region's name, signature, doc comment and the comments in its body, the
//   identifiers and words of its body, and its file's path. Terms are identifiers split
//   (camelCase, snake_case) and also kept whole, English stop words out, Porter-stemmed (stem.ts), so
//   "parse options" meets `parseOptions`, "parsing" and "parser_options"; a question's word also
//   meets the code's abbreviation of it and the words code uses for the same thing, at lower weights
//   ("character" meets `char`, "delete" meets `remove`: questionTerms, synonyms.ts).
// - files: BM25 over each file's whole text and path with the same terms: the file a question is
//   about often says so in many places at once, none of which is the best region's own text.
// Weights and parameters were chosen on the question set's dev split (bench/questions/, docs/model.md).
//
// A compact inverted index of typed arrays rather than a general search library: a library builds a
// result object for every matching document, which on a large workspace took the whole query budget
// (MiniSearch, measured: bench/README.md "Figures behind the code").
import type { FileRecord, RegionRecord } from '../index/types';
import type { RegionView } from './regionMath';
import { searchTerms, vocabulary } from './lexicalTerms';
import { accumulate, memo } from './lexicalQuestion';
import { FIELDS, fileTermsOf, type Field } from './fileTerms';
import { LexicalSegment, type SegmentFile } from './lexicalSegment';
import { keep, keptTerms, makeTerms, regionTermsOf, type ReadFileLines } from './keptTerms';

const F = FIELDS.length;

export type { ReadFileLines } from './keptTerms';

/** A region's key in BM25's scores (and in ask's fusion with them): its workspace path, first line and name. */
export function regionKey(path: string, region: Pick<RegionRecord, 'startLine' | 'name'>): string {
  return `${path}:${region.startLine}:${region.name}`;
}

/** BM25F parameters per field: weight and length normalisation (chosen on the dev split). */
export interface LexicalWeights {
  k1: number;
  /** How much a question word's abbreviation in the code (`char` for "character") counts against the word itself (questionTerms). */
  abbreviation: number;
  /** How much a word of the same meaning in code (synonyms.ts: `remove` for "delete") counts against the word itself. */
  synonym: number;
  weight: Record<Field, number>;
  b: Record<Field, number>;
}
export const DEFAULT_LEXICAL: LexicalWeights = {
  k1: 1.2,
  abbreviation: 0.5,
  synonym: 0.3,
  weight: { name: 3, signature: 1.5, doc: 3, body: 0.5, path: 1.5 },
  b: { name: 0.3, signature: 0.5, doc: 0.6, body: 0.75, path: 0.3 },
};

/**
 * The text of a file that no region of its outline covers (an object literal of functions, code the
 * outline could not parse, top-level statements), as one more candidate: no part of a file is then
 * invisible to keyword search. From the first to the last uncovered line; its name is the file's.
 */
export interface UncoveredText {
  file: FileRecord;
  region: RegionRecord;
}

/** Segments an index keeps before it is made again as one (each edit adds one for its file). */
const MAX_SEGMENTS = 8;
/** Share of the kept segments' documents that may belong to files gone from the index before it is made again as one. */
const MAX_DEAD_SHARE = 0.25;

/** A segment as one index uses it: which of its files are live here, and where its documents and files start among the index's. */
interface Part {
  segment: LexicalSegment;
  live: Uint8Array;
  docBase: number;
  fileBase: number;
}

export class LexicalIndex {
  private readonly parts: Part[];
  private readonly weights: LexicalWeights;
  /** Live documents (regions and uncovered texts) and each field's mean length over them. */
  private readonly docCount: number;
  private readonly average: Float64Array;
  /** Documents and files numbered across the segments (all of one segment's, then the next's). */
  private readonly docTotal: number;
  private readonly fileTotal: number;
  /** By file: its whole-text length and place in the index's order. */
  private readonly fileLength: Float64Array;
  private readonly fileOrder: Int32Array;
  private readonly fileCount: number;
  private readonly fileAverage: number;
  /** Each file's text that no region covers, as a candidate of its own, in the index's file order. */
  readonly uncovered: UncoveredText[];

  /** `files`: the index's files in order, each in one of `segments` (the first that has it). */
  private constructor(segments: readonly LexicalSegment[], files: readonly FileRecord[], weights: LexicalWeights) {
    this.weights = weights;
    const order = new Map(files.map((f, i) => [f, i]));
    const placed = new Set<FileRecord>();
    const uncovered: (UncoveredText | undefined)[] = new Array(files.length);
    const lengthSum = new Float64Array(F);
    let docBase = 0;
    let fileBase = 0;
    let docCount = 0;
    let fileCount = 0;
    let fileLengthSum = 0;
    this.parts = segments.map((segment) => {
      const live = new Uint8Array(segment.files.length);
      segment.files.forEach((file, i) => {
        if (!order.has(file) || placed.has(file)) return;
        placed.add(file);
        live[i] = 1;
        docCount += segment.fileFirstDoc[i + 1] - segment.fileFirstDoc[i];
        for (let f = 0; f < F; f++) lengthSum[f] += segment.fileFieldLength[i * F + f];
        fileCount++;
        fileLengthSum += segment.fileLength[i];
        const region = segment.uncovered[i];
        if (region) uncovered[order.get(file)!] = { file, region };
      });
      const part = { segment, live, docBase, fileBase };
      docBase += segment.docCount;
      fileBase += segment.files.length;
      return part;
    });
    this.docCount = docCount;
    this.docTotal = docBase;
    this.fileTotal = fileBase;
    // BM25F: per field, tf normalised by the field's length against its average over the live documents.
    this.average = lengthSum.map((sum) => Math.max(1e-9, sum / Math.max(1, docCount)));
    this.fileLength = new Float64Array(fileBase);
    this.fileOrder = new Int32Array(fileBase);
    for (const { segment, fileBase: base } of this.parts) {
      segment.files.forEach((file, i) => {
        this.fileLength[base + i] = segment.fileLength[i];
        this.fileOrder[base + i] = order.get(file) ?? -1;
      });
    }
    this.fileCount = fileCount;
    this.fileAverage = fileCount ? fileLengthSum / fileCount : 1;
    this.uncovered = uncovered.filter((u): u is UncoveredText => u !== undefined);
  }

  /**
   * The index over `views`, reading each file whose records it has not seen (their terms are kept per
   * record: makeTerms). A file that cannot be read is indexed by its regions' names, signatures and docs.
   * `previous`: the index of an earlier state, whose segments are kept for the live records it shares
   * with this one (only the files new to it are inverted), unless too many of their documents are gone.
   */
  static async build(
    views: readonly RegionView[],
    read: ReadFileLines,
    weights: LexicalWeights = DEFAULT_LEXICAL,
    liveFiles: readonly FileRecord[] = [],
    previous?: LexicalIndex,
  ): Promise<LexicalIndex> {
    const files: FileRecord[] = [];
    const seen = new Set<FileRecord>();
    // Files with no region at all are searched too (their whole text is uncovered).
    for (const f of liveFiles) {
      if (seen.has(f)) continue;
      seen.add(f);
      files.push(f);
    }
    // The regions searched are the views' (a record retired since the views were made has dropped its own).
    const viewRegions = new Map<FileRecord, RegionRecord[]>();
    for (const v of views) {
      if (!seen.has(v.file)) {
        seen.add(v.file);
        files.push(v.file);
      }
      const list = viewRegions.get(v.file);
      if (list) list.push(v.region);
      else viewRegions.set(v.file, [v.region]);
    }
    await makeTerms(files, read, (f) => (f.live ? f.regions : (viewRegions.get(f) ?? f.regions)));
    return LexicalIndex.fromKept(files, (f) => viewRegions.get(f) ?? [], weights, previous);
  }

  /**
   * The index of `files` from their kept terms, `regionsOf` each file's regions searched; a live record
   * `previous` holds keeps its segment (a live record's regions and terms never change).
   */
  private static fromKept(
    files: FileRecord[],
    regionsOf: (file: FileRecord) => readonly RegionRecord[],
    weights: LexicalWeights,
    previous?: LexicalIndex,
  ): LexicalIndex {
    const kept: LexicalSegment[] = [];
    const claimed = new Set<FileRecord>();
    if (previous) {
      const current = new Set(files);
      let docs = 0;
      let dead = 0;
      for (const { segment } of previous.parts) {
        let mine = 0;
        let gone = 0;
        segment.files.forEach((file, i) => {
          if (file.live && current.has(file) && !claimed.has(file)) {
            claimed.add(file);
            mine++;
          } else gone += segment.fileFirstDoc[i + 1] - segment.fileFirstDoc[i];
        });
        if (mine === 0) continue; // nothing of it is in this index: dropped
        kept.push(segment);
        docs += segment.docCount;
        dead += gone;
      }
      if (kept.length >= MAX_SEGMENTS || dead > MAX_DEAD_SHARE * docs) {
        kept.length = 0;
        claimed.clear();
      }
    }
    const added = files.filter((f) => !claimed.has(f));
    const segments = added.length > 0 ? [...kept, new LexicalSegment(added.map((f) => segmentFile(f, regionsOf(f))))] : kept;
    return new LexicalIndex(segments, files, weights);
  }

  /** The index over `views` from their names, signatures, docs and paths alone (no file reads): for tests. */
  static fromRecords(views: readonly RegionView[], weights: LexicalWeights = DEFAULT_LEXICAL): LexicalIndex {
    const files = [...new Set(views.map((v) => v.file))];
    const regionsOf = (file: FileRecord) => views.filter((v) => v.file === file).map((v) => v.region);
    for (const file of files) {
      const regions = regionsOf(file);
      const terms = fileTermsOf(file.path, regions, undefined);
      // The file's own terms: its path and its regions' names and signatures, as this has always made them.
      const own = searchTerms(`${file.path}\n${regions.map((r) => `${r.name} ${r.signature}`)}`);
      const counts = new Map<number, number>();
      for (const t of own) counts.set(vocabulary.id(t), (counts.get(vocabulary.id(t)) ?? 0) + 1);
      keep(file, regions, { ...terms, counts: Int32Array.from([...counts].flat()), length: own.length });
    }
    return LexicalIndex.fromKept(files, regionsOf, weights);
  }

  /** How many segments the index keeps (an edit adds one; too many, or too many gone documents, and it is made again as one). */
  get segmentCount(): number {
    return this.parts.length;
  }

  /** Document `d`'s key (documents numbered across the segments). */
  private keyOf(d: number): string {
    let i = this.parts.length - 1;
    while (this.parts[i].docBase > d) i--;
    return this.parts[i].segment.docKeys[d - this.parts[i].docBase];
  }

  /** File `f`'s path (files numbered across the segments). */
  private pathOf(f: number): string {
    let i = this.parts.length - 1;
    while (this.parts[i].fileBase > f) i--;
    return this.parts[i].segment.files[f - this.parts[i].fileBase].path;
  }

  /** A term's live documents (by index) and their BM25F term frequency: each field's count weighted and normalised by its length. */
  private regionPosting(term: string): { docs: number[]; tfs: number[] } | undefined {
    const id = vocabulary.find(term);
    if (id === undefined) return undefined;
    const { weight, b } = this.weights;
    const w = FIELDS.map((f) => weight[f]);
    const bs = FIELDS.map((f) => b[f]);
    const docs: number[] = [];
    const tfs: number[] = [];
    for (const { segment, live, docBase } of this.parts) {
      const length = segment.docLength;
      let last = -1;
      // A document's entries come field by field (FIELDS order): summed in that order, as one document's terms always were.
      segment.forEachEntry(id, live, (d, f, count) => {
        const norm = 1 - bs[f] + (bs[f] * length[d * F + f]) / this.average[f];
        const tf = (w[f] * count) / norm;
        if (d === last) tfs[tfs.length - 1] += tf;
        else {
          docs.push(docBase + d);
          tfs.push(tf);
          last = d;
        }
      });
    }
    return docs.length ? { docs, tfs } : undefined;
  }

  /** A term's live files (by index) and its count in each. */
  private filePosting(term: string): { docs: number[]; tfs: number[] } | undefined {
    const id = vocabulary.find(term);
    if (id === undefined) return undefined;
    const docs: number[] = [];
    const tfs: number[] = [];
    for (const { segment, live, fileBase } of this.parts) {
      segment.forEachFile(id, live, (file, count) => {
        docs.push(fileBase + file);
        tfs.push(count);
      });
    }
    return docs.length ? { docs, tfs } : undefined;
  }

  /** BM25F score per region (regionKey) of every region matching a term, best first (ties by key). */
  scores(question: string, limit = Infinity, k1 = DEFAULT_LEXICAL.k1): Map<string, number> {
    const { score, touched } = accumulate(
      question,
      memo((t) => this.regionPosting(t)),
      this.docTotal,
      this.docCount,
      (idf, tf) => (idf * tf * (k1 + 1)) / (tf + k1),
      this.weights.abbreviation,
      this.weights.synonym,
    );
    touched.sort((a, b) => score[b] - score[a] || (this.keyOf(a) < this.keyOf(b) ? -1 : 1));
    const out = new Map<string, number>();
    for (const d of touched.slice(0, limit)) out.set(this.keyOf(d), score[d]);
    return out;
  }

  /**
   * BM25 (k1 1.2, b 0.75) of each file's whole text and path, by path, for files matching a term,
   * times the square root of the share of the question the file holds (its terms' idf over all the
   * question's): a file that speaks of every part of the question comes before one that repeats a
   * single part of it many times (the square root chosen on the dev split). In the index's file order.
   */
  fileScores(question: string, coverage = 0.5): Map<string, number> {
    const { score, matched, total, touched } = accumulate(
      question,
      memo((t) => this.filePosting(t)),
      this.fileTotal,
      this.fileCount,
      (idf, tf, d) => (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * this.fileLength[d]) / this.fileAverage)),
      this.weights.abbreviation,
      this.weights.synonym,
    );
    touched.sort((a, b) => this.fileOrder[a] - this.fileOrder[b]);
    const out = new Map<string, number>();
    for (const d of touched) out.set(this.pathOf(d), score[d] * Math.pow(matched[d] / total, coverage));
    return out;
  }
}

/** One file's documents for a segment: its regions searched and its uncovered text, with their kept terms and keys. */
function segmentFile(file: FileRecord, regions: readonly RegionRecord[]): SegmentFile {
  const k = keptTerms(file)!;
  return {
    file,
    regions: regions.map((region) => ({ region, key: regionKey(file.path, region), terms: regionTermsOf(region)! })),
    terms: k.terms,
    uncovered: k.uncovered ? { region: k.uncovered, key: regionKey(file.path, k.uncovered), terms: k.terms.uncovered!.terms } : null,
  };
}
