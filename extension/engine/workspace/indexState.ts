// What the engine derives from one state of the index: every live region's view (recall, embeddings),
// the recall probes measured on that state, and the BM25 index over its regions. All of it belongs to
// the state it was made from; `current()` is the one place that decides when the index changed (its
// `updatedAt` and history length, which every change of the Indexer moves) and drops all of it at once.
import type { ModelCard } from '../model/card';
import { liveFiles, type FileRecord, type WorkspaceIndex } from '../index/types';
import { windowHashSet } from '../scan/bigrams';
import { heldWhole, viewRegion, withProbe, type RegionView } from '../query/regionMath';
import type { ProbeOptions, RecallProbe } from '../query/recallProbe';
import { LexicalIndex, type ReadFileLines } from '../query/lexical';
import { referenceGraph, type ReadText, type ReferenceGraph } from '../query/referenceGraph';

/** Regions per recall-probe measurement stored at once (what a cancelled request keeps). */
export const PROBE_SLICE = 64;

/** Everything derived from one state of the index. */
interface Derived {
  at: number;
  history: number;
  views: RegionView[];
  /** The L the views were made with (the recall probe's views are made from it too). */
  L: Float64Array;
  /** Recall probes measured on this state, by region (probeKey). */
  probes: Map<string, number>;
  /** The views with their probe counted, made once per region. */
  probed: Map<string, RegionView>;
  /** Keyword search over the views (query/lexical.ts), built on first use. */
  lexical?: Promise<LexicalIndex>;
  /** The graph of definitions and uses over the live files (query/referenceGraph.ts), built on first use. */
  references?: Promise<ReferenceGraph>;
}

export class IndexState {
  private derived: Derived | undefined;
  /** The keyword index made last (of this state or an earlier one): the next one keeps what they share. */
  private lastLexical: LexicalIndex | undefined;

  /**
   * `index` gives the index as it stands; `probe` measures recall probes, undefined when the card has
   * none (recall_probe 0: no model calls then); `probeSlice` regions are measured and stored at once.
   */
  constructor(
    private readonly card: ModelCard,
    private readonly index: () => WorkspaceIndex,
    readonly probe: RecallProbe | undefined,
    private readonly probeSlice = PROBE_SLICE,
    /** Gives records the keyword terms kept on disk for them (IndexStore.keywords) before the keyword index reads files. */
    private readonly restoreTerms: (files: FileRecord[]) => Promise<unknown> = async () => undefined,
  ) {}

  /** What is derived from the index as it stands: made again, all of it, when the index changed. */
  private current(): Derived {
    const index = this.index();
    const d = this.derived;
    if (d && d.at === index.updatedAt && d.history === index.history.length) return d;
    const { views, L } = deriveViews(this.card, index);
    this.derived = { at: index.updatedAt, history: index.history.length, views, L, probes: new Map(), probed: new Map() };
    return this.derived;
  }

  /**
   * Every live region with recall and embeddings. Synchronous and without model calls, so the recall
   * here has no probe term: what is shown goes through probedViews (recall, summarize) or, for ask's
   * hits, probedViewsCached (what was measured, no model call).
   */
  views(): RegionView[] {
    return this.current().views;
  }

  /**
   * Keyword search over the live regions, reading the files whose records it has not indexed yet. Made
   * from the last one made (an earlier state's): the records both share keep their inverted terms, so
   * an edit inverts its file's alone (query/lexicalSegment.ts); the scores are those of one made anew.
   */
  lexical(read: ReadFileLines): Promise<LexicalIndex> {
    const d = this.current();
    d.lexical ??= (async () => {
      const files = liveFiles(this.index());
      await this.restoreTerms(files);
      const made = await LexicalIndex.build(d.views, read, undefined, files, this.lastLexical);
      this.lastLexical = made;
      return made;
    })();
    return d.lexical;
  }

  /** The graph of definitions and uses over the live files, in liveFiles order, reading what it has not read (cached per record). */
  references(read: ReadText): Promise<ReferenceGraph> {
    const d = this.current();
    d.references ??= referenceGraph(liveFiles(this.index()), read);
    return d.references;
  }

  /**
   * `views` (from views()) with their recall probes counted: measured for those beyond the attention
   * window that this state has not measured yet (inside it the recall is 1 anyway), then each such
   * view's recall made again with its probe. The same views when the card has no probe: no model calls.
   */
  async probedViews(views: readonly RegionView[], options: ProbeOptions = {}): Promise<RegionView[]> {
    if (!this.probe) return [...views];
    const derived = this.current();
    const missing = new Map<string, RegionView>();
    for (const v of views) {
      const key = probeKey(v);
      if (!heldWhole(this.card, v) && !derived.probes.has(key)) missing.set(key, v);
    }
    const list = [...missing.values()];
    // The state as it is now, for every slice: a scan replaces these arrays (never writes them), so a
    // change of the index meanwhile cannot mix two states' numbers in this state's cache.
    const { ssm, kv, kvLen } = this.index().state;
    // Measured in slices, each stored as it completes: a measurement cancelled because the view went
    // away keeps what it measured for the next request on the same state.
    const size = this.probeSlice;
    for (let start = 0; start < list.length; start += size) {
      const slice = list.slice(start, start + size);
      const measured = await this.probe.measure(
        slice.map((v) => ({ head: v.region.head, length: v.region.tokEnd - v.region.tokStart })),
        { ssm, kv, kvLen },
        { signal: options.signal, onProgress: options.onProgress && ((done) => options.onProgress!(start + done, list.length)) },
      );
      // Into the state they were measured on: when the index changed meanwhile, current() has made a
      // new one, so numbers measured on one state are never shown with another's.
      slice.forEach((v, i) => derived.probes.set(probeKey(v), measured[i]));
    }
    return this.withCachedProbes(views);
  }

  /**
   * `views` with the probes this state has already measured counted, and none measured now; `complete`
   * when every view beyond the window had one (or the card has no probe).
   */
  probedViewsCached(views: readonly RegionView[]): { views: RegionView[]; complete: boolean } {
    if (!this.probe) return { views: [...views], complete: true };
    const { probes } = this.current();
    const complete = views.every((v) => heldWhole(this.card, v) || probes.has(probeKey(v)));
    return { views: this.withCachedProbes(views), complete };
  }

  /** Each view with its probe from this state's cache counted in its recall (as it is when none is cached). */
  private withCachedProbes(views: readonly RegionView[]): RegionView[] {
    const { probes, probed, L } = this.current();
    return views.map((v) => {
      const key = probeKey(v);
      const probe = probes.get(key);
      if (probe === undefined || heldWhole(this.card, v)) return v;
      let made = probed.get(key);
      if (!made || made.region !== v.region) {
        made = withProbe(this.card, v, L, probe);
        probed.set(key, made);
      }
      return made;
    });
  }
}

/** Every live region's view of one state, and (a copy of) the L they were made with. */
function deriveViews(card: ModelCard, index: WorkspaceIndex): { views: RegionView[]; L: Float64Array } {
  const views: RegionView[] = [];
  // Tokens read after each file of the history, stale versions included (they are in the state too).
  let after = index.history.reduce((sum, f) => sum + f.tokens, 0);
  // The window's bigrams are the same for every region: hashed once here, not per region.
  const windowSet = windowHashSet(index.state.window, index.state.kvLen);
  // Every view's memory factors in one block (views of it), rather than an array per region; the
  // embeddings are the regions' own, made once (regionMath.ts freshEmbedding), not per state.
  let count = 0;
  for (const file of index.history) if (file.live) count += file.regions.length;
  const scales = new Float64Array(count * card.H);
  for (const file of index.history) {
    after -= file.tokens;
    if (!file.live) continue;
    for (const region of file.regions) {
      const at = views.length * card.H;
      views.push(viewRegion(card, file, region, index.state.L, after, windowSet, scales.subarray(at, at + card.H)));
    }
  }
  return { views, L: index.state.L.slice() };
}

/** A region's key among the probes of one state: its file and token range. */
function probeKey(v: RegionView): string {
  return `${v.file.path}\0${v.region.tokStart}\0${v.region.tokEnd}`;
}
