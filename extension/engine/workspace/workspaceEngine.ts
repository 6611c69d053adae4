// The engine over one workspace: owns the model sessions, the index and its file, and answers the
// queries. It runs wherever it is created (the extension creates it in the engine worker thread, the
// CLI in its own process); nothing here imports `vscode`.
import { realpath, stat, unlink } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import type { ModelFiles } from "../model/card";
import type { RegionParser } from "../regions/types";
import type { RuntimeChoice } from "../runtime/select";
import type { ModelSession } from "../runtime/types";
import { ModelScanner } from "../scan/modelScanner";
import { RegionAccumulator } from "../scan/regionAccumulator";
import { windowHashSet } from "../scan/bigrams";
import { summaryBytes, zeroState } from "../scan/scanState";
import { buildFileStream, type TextTokenizer } from "../scan/fileStream";
import { readSource, scanText, type ScanParts, type SourceFile } from "../index/fileScan";
import { Indexer, type ScanProgress, type SyncReport } from "../index/indexer";
import { IndexUnusable, loadIndex, saveIndex } from "../index/indexFile";
import { removeStaleTemps } from "../index/tempFiles";
import { questionProblem } from "../query/questionLimit";
import { probeSpan } from "../scan/probeHead";
import { liveFiles, staleTokens, type FileRecord, type WorkspaceIndex } from "../index/types";
import { ask, type AskOptions, type AskResult } from "../query/ask";
import { QueryEncoder } from "../query/queryEncoder";
import { heldWhole, normalise, viewRegion, withProbe, type RegionView } from "../query/regionMath";
import { RecallProbe, type ProbeOptions } from "../query/recallProbe";
import { readLines, sliceLines } from "../query/fileText";
import { indexPathFor, rootLabel } from "./indexLocation";
import { LruMap } from "./lruMap";
import { LexicalIndex } from "../query/lexical";
import { inScope, recall, type RecallResult } from "../query/recall";
import { summarizeFile, type FileSummary } from "../query/summarizeFile";
import { summarizeWorkspace, type WorkspaceSummary } from "../query/summarizeWorkspace";
import { isWithin } from "../discovery/containment";
import { DEFAULT_READ_LIMITS, type ReadLimits } from "../discovery/read-file";

export interface Discovered {
  files: SourceFile[];
  skipped: Record<string, number>;
}

export interface EngineDeps {
  model: ModelFiles;
  runtime: RuntimeChoice;
  tokenizer: TextTokenizer;
  regions: RegionParser;
  discover(roots: readonly string[], signal?: AbortSignal): Promise<Discovered>;
  /**
   * Discovery's verdict on one file, for a save, create or rename: the rules of a full walk, from the
   * same code (discovery/examine-path.ts), so a file the walk leaves out is left out when saved too.
   */
  examine(roots: readonly string[], absPath: string): Promise<{ file: SourceFile } | { skipped: string; detail?: string }>;
  /** The size cap discovery applies, in bytes (default DEFAULT_MAX_FILE_SIZE_KB): every later read keeps to it too. */
  maxFileBytes?: number;
}

export interface EngineOptions {
  roots: string[];
  cacheDir: string;
  /** How often a long scan writes its progress to the index (so a killed scan resumes); default 10 s. */
  persistEveryMs?: number;
  /** Regions per recall-probe measurement stored at once (what a cancelled request keeps); default PROBE_SLICE. */
  probeSlice?: number;
}

/**
 * Tokens of a region re-read for a query hit (header included): training embeds a region on its own
 * from its first 256 tokens (training/train.py, max_code), and this also bounds a question's latency.
 */
const REREAD_MAX_TOKENS = 256;
/** Regions per recall-probe measurement stored at once (what a cancelled request keeps). */
export const PROBE_SLICE = 64;
/** Delay before an edit's index change is written to disk (edits within it are written once). */
const PERSIST_DELAY_MS = 1500;

export class WorkspaceEngine {
  /** One-line notices from opening (e.g. why the old index was rebuilt). */
  readonly notices: string[] = [];
  readonly indexPath: string;
  private indexer!: Indexer;
  private scanParts!: ScanParts;
  private encoder!: QueryEncoder;
  private sessions: ModelSession[] = [];
  /** The views of one state, with the L they were made with (the recall probe's numbers are made from it too). */
  private viewsCache: { at: number; history: number; views: RegionView[]; L: Float64Array } | undefined;
  /** Measures recall probes; undefined when the card has none (recall_probe 0): no model calls then. */
  private probe: RecallProbe | undefined;
  /** Probes measured against one state (same key as viewsCache), by region, and the views with them counted. */
  private probeCache: { at: number; history: number; values: Map<string, number>; views: Map<string, RegionView> } | undefined;
  private indexBytes = 0;
  /** How every read of a workspace file after discovery is bounded: the size cap, inside the roots' real paths. */
  private readLimits: ReadLimits = DEFAULT_READ_LIMITS;
  /** A write of the index failed in this instance (said once in notices). */
  private writeFailed = false;
  private persistEveryMs = 10_000;
  private probeSlice = PROBE_SLICE;
  private persistTimer: NodeJS.Timeout | undefined;
  private lexicalCache: { views: RegionView[]; index: LexicalIndex } | undefined;
  private readonly rereadCache = new LruMap<string, Float32Array>(2048);
  private readonly freshScanCache = new LruMap<string, ReturnType<WorkspaceEngine["scanFreshUncached"]>>(8);

  private constructor(
    readonly deps: EngineDeps,
    readonly roots: string[],
    cacheDir: string,
  ) {
    this.indexPath = indexPathFor(cacheDir, roots);
  }

  static async open(deps: EngineDeps, options: EngineOptions): Promise<WorkspaceEngine> {
    const roots = options.roots.map((r) => resolve(r));
    const engine = new WorkspaceEngine(deps, roots, options.cacheDir);
    if (options.persistEveryMs !== undefined) engine.persistEveryMs = options.persistEveryMs;
    if (options.probeSlice !== undefined) engine.probeSlice = Math.max(1, options.probeSlice);
    const { runtime } = deps.runtime;
    const probeFiles = deps.model.tokenNll;
    const [scanSession, querySession, nllSession] = await Promise.all([
      runtime.createSession(deps.model.scanOnnx),
      runtime.createSession(deps.model.queryOnnx),
      probeFiles ? runtime.createSession(probeFiles.onnx) : undefined,
    ]);
    engine.sessions = [scanSession, querySession, ...(nllSession ? [nllSession] : [])];
    const card = deps.model.card;
    const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
    engine.readLimits = { maxBytes: deps.maxFileBytes ?? DEFAULT_READ_LIMITS.maxBytes, realRoots };
    if (nllSession && probeFiles) engine.probe = new RecallProbe(card, scanSession, nllSession, { data: probeFiles.wte, dims: probeFiles.wteDims });
    engine.scanParts = { card, scanner: new ModelScanner(card, scanSession), tokenizer: deps.tokenizer, regions: deps.regions, limits: engine.readLimits };
    engine.encoder = new QueryEncoder(card, querySession, deps.tokenizer);
    // Temporaries of writers killed mid-write (never renamed into place) go first.
    await removeStaleTemps(dirname(engine.indexPath));
    const { index, replaces } = await engine.loadOrCreateIndex();
    engine.indexer = new Indexer(engine.scanParts, index);
    // A new index that replaces an unusable file is written even if it stays empty (the bad file goes).
    engine.indexer.dirty = replaces;
    return engine;
  }

  private async loadOrCreateIndex(): Promise<{ index: WorkspaceIndex; replaces: boolean }> {
    try {
      const index = await loadIndex(this.indexPath, this.deps.model.filesHash);
      this.indexBytes = (await stat(this.indexPath)).size;
      if (index.roots.join("\0") !== this.roots.join("\0")) throw new IndexUnusable(`index ${this.indexPath} belongs to other folders`, "corrupt");
      this.checkHeads(index);
      if (!index.complete) this.notices.push(`resuming an interrupted scan (${liveFiles(index).length} files already in the index)`);
      return { index, replaces: false };
    } catch (err) {
      if (!(err instanceof IndexUnusable)) throw err;
      if (err.reason !== "missing") this.notices.push(`${err.message}; rebuilding it`);
      const index: WorkspaceIndex = {
        modelHash: this.deps.model.filesHash,
        roots: this.roots,
        history: [],
        state: zeroState(this.deps.model.card),
        checkpoints: [],
        complete: false,
        skipped: {},
        updatedAt: Date.now(),
      };
      return { index, replaces: err.reason !== "missing" };
    }
  }

  /**
   * Region heads are made with the card's recall_probe_tokens at scan time; a card with a larger k
   * (a refit changes the card, not the model hash) needs longer heads: rebuilt, not probed short.
   */
  private checkHeads(index: WorkspaceIndex): void {
    const { card } = this.deps.model;
    if (!this.probe) return;
    for (const f of index.history) {
      if (!f.live) continue;
      for (const r of f.regions) {
        const span = probeSpan(r.tokEnd - r.tokStart, card.recallProbeTokens);
        if (span > 0 && r.head.length < span + 1) {
          throw new IndexUnusable(`index ${this.indexPath} keeps region heads shorter than the card's recall_probe_tokens (${card.recallProbeTokens})`, "format");
        }
      }
    }
  }

  /** The recall probe's measurer (its call counts), undefined when the card has no probe. */
  get recallProbe(): RecallProbe | undefined {
    return this.probe;
  }

  get index(): WorkspaceIndex {
    return this.indexer.index;
  }

  /** Walks the roots and brings the index up to date (a first scan, a resume, or catching up). */
  async sync(options: { signal?: AbortSignal; onProgress?: (p: ScanProgress) => void } = {}): Promise<SyncReport> {
    const found = await this.deps.discover(this.roots, options.signal);
    let report: SyncReport;
    try {
      report = await this.indexer.sync(found.files, {
        ...options,
        persist: () => this.persistOrNotice(),
        persistEveryMs: this.persistEveryMs,
      });
    } catch (err) {
      // Cancelled or failed part-way: keep what was scanned, so the next sync resumes from here.
      await this.persistOrNotice();
      throw err;
    }
    for (const [reason, n] of Object.entries(found.skipped)) report.skipped[reason] = (report.skipped[reason] ?? 0) + n;
    if (JSON.stringify(sortedEntries(this.index.skipped)) !== JSON.stringify(sortedEntries(report.skipped))) {
      this.index.skipped = report.skipped;
      this.indexer.dirty = true;
    }
    await this.persistOrNotice();
    return report;
  }

  /**
   * A file was saved or created: rescan it alone, if discovery's rules (`deps.examine`, the walk's own)
   * let a full walk index it. Returns its skip reason, if it was skipped; a skipped file's earlier
   * records leave the answers, as they would after a full walk.
   */
  async fileChanged(absPath: string, signal?: AbortSignal): Promise<string | undefined> {
    const full = resolve(absPath);
    const path = this.displayPath(full);
    if (path === undefined) return "outside-workspace";
    const verdict = await this.deps.examine(this.roots, full);
    let reason: string | undefined;
    if ("skipped" in verdict) {
      this.indexer.removeFile(path);
      reason = verdict.skipped;
    } else {
      reason = await this.indexer.updateFile(verdict.file, signal);
    }
    this.schedulePersist();
    return reason;
  }

  async fileDeleted(absPath: string): Promise<boolean> {
    const path = this.displayPath(absPath);
    const removed = path !== undefined && this.indexer.removeFile(path);
    if (removed) this.schedulePersist();
    return removed;
  }

  async fileRenamed(fromAbs: string, toAbs: string): Promise<string | undefined> {
    const from = this.displayPath(fromAbs);
    if (from !== undefined) this.indexer.removeFile(from);
    return this.fileChanged(toAbs);
  }

  /** Makes the summary exact again after edits (rescans from the nearest checkpoint). */
  async compact(signal?: AbortSignal): Promise<void> {
    await this.indexer.compact({ signal });
    await this.persistOrNotice();
  }

  /**
   * Writes the index if it changed since it was read or last written (an unchanged workspace writes
   * nothing). An index of no files is not written: it is a zero state, rebuilt for free, and would
   * cost 2.8 MB on disk (the shipped model's zero state) for an empty folder; an older file is removed.
   */
  async persist(): Promise<void> {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (!this.indexer.dirty) return;
    if (this.index.history.length === 0) {
      await unlink(this.indexPath).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "ENOENT") throw err;
      });
      this.indexBytes = 0;
    } else {
      this.indexBytes = await saveIndex(this.indexPath, this.index);
    }
    this.indexer.dirty = false;
  }

  /**
   * persist(), and when the index cannot be written (a read-only cache folder, a full disk) one notice
   * per engine instead of a failure: answers come from the index in memory, the next run scans the
   * changes again. It stays dirty, so a later write tries again.
   */
  private async persistOrNotice(): Promise<void> {
    try {
      await this.persist();
    } catch (err) {
      if (!this.writeFailed) {
        const code = (err as NodeJS.ErrnoException).code;
        this.notices.push(
          `the index could not be written to ${dirname(this.indexPath)} (${code ?? (err as Error).message}${code === "EACCES" || code === "EROFS" || code === "EPERM" ? ": read-only" : ""}); ` +
            `answering from this run's scan, which the next run repeats`,
        );
      }
      this.writeFailed = true;
    }
  }

  /**
   * File events change the index in memory at once (queries see the edit) and write it to disk
   * shortly after, coalesced: writing the whole index on every keystroke-save would double the
   * edit-to-fresh time. A crash before the write costs only a rescan of the files changed since,
   * which the next sync finds by their modification times.
   */
  private schedulePersist(): void {
    if (this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.persistOrNotice();
    }, PERSIST_DELAY_MS);
  }

  ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    const problem = questionProblem(question);
    if (problem) throw new Error(problem);
    return ask(
      {
        card: this.deps.model.card,
        encode: (q) => this.encoder.encode(q),
        views: () => this.views(),
        probedCached: this.probe ? (views) => this.probedViewsCached(views).views : undefined,
        reread: (view) => this.reread(view),
        scanActive: (path) => this.scanFresh(path),
        absPath: (f) => this.indexer.absPath(f),
        readLimits: this.readLimits,
        lexical: (q) => this.lexical().scores(q),
      },
      question,
      options,
    );
  }

  async summarize(path: string, options: ProbeOptions = {}): Promise<FileSummary> {
    const abs = this.absFromUser(path);
    const display = this.displayPath(abs);
    if (display === undefined) throw new Error(`${path} is not inside the workspace`);
    const read = await readSource(abs, this.readLimits);
    if ("skipped" in read) throw new Error(`${path} cannot be summarized: ${read.skipped}`);
    const root = this.rootOf(abs);
    const relPath = relative(this.roots[root], abs).split(sep).join("/");
    // The file's own regions are measured; the share of the summary's recall divides by every region's,
    // which a workspace-wide measurement (the Recall section) leaves in the cache: without it the share
    // is left out rather than measured here (a minute on a 9,000-region workspace) or mixed with
    // unmeasured numbers.
    const views = this.views();
    const mine = await this.probedViews(views.filter((v) => v.file.path === display), options);
    const all = this.probedViewsCached(views);
    return summarizeFile(this.scanParts, display, relPath, read.text, all.views, mine, all.complete);
  }

  summarizeWorkspace(maxModules?: number): WorkspaceSummary {
    return summarizeWorkspace(liveFiles(this.index), maxModules);
  }

  /** The shown recall of the regions in scope, their recall probes measured first (beyond the window; cached per state). */
  async recall(scope: { file?: string } = {}, options: ProbeOptions = {}): Promise<RecallResult> {
    const file = scope.file ? (this.displayPath(this.absFromUser(scope.file)) ?? scope.file) : undefined;
    const views = await this.probedViews(inScope(this.views(), { file }), options);
    return recall(this.deps.model.card, views, { file }, { tokens: this.index.state.tokens, staleTokens: staleTokens(this.index) });
  }

  /**
   * `views` (from views()) with their recall probes counted: measured for those beyond the attention
   * window that this state has not measured yet (inside it the recall is 1 anyway), then each such
   * view's recall made again with its probe. The same views when the card has no probe: no model calls.
   */
  async probedViews(views: readonly RegionView[], options: ProbeOptions = {}): Promise<RegionView[]> {
    if (!this.probe) return [...views];
    const card = this.deps.model.card;
    const cache = this.currentProbeCache();
    const missing = new Map<string, RegionView>();
    for (const v of views) {
      const key = probeKey(v);
      if (!heldWhole(card, v) && !cache.values.has(key)) missing.set(key, v);
    }
    const list = [...missing.values()];
    // The state as it is now, for every slice: a scan replaces these arrays (never writes them), so a
    // change of the index meanwhile cannot mix two states' numbers in this state's cache.
    const { ssm, kv, kvLen } = this.index.state;
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
      // Into this state's cache: when the index changes meanwhile, currentProbeCache() makes a new one,
      // so numbers measured on one state are never shown with another's.
      slice.forEach((v, i) => cache.values.set(probeKey(v), measured[i]));
    }
    return this.withCachedProbes(views);
  }

  /** Each view with its probe from this state's cache counted in its recall (as it is when none is cached). */
  private withCachedProbes(views: readonly RegionView[]): RegionView[] {
    const card = this.deps.model.card;
    this.views(); // makes viewsCache current
    const made = this.viewsCache!;
    const cache = this.currentProbeCache();
    return views.map((v) => {
      const key = probeKey(v);
      const probe = cache.values.get(key);
      if (probe === undefined || heldWhole(card, v)) return v;
      let probed = cache.views.get(key);
      if (!probed || probed.region !== v.region) {
        probed = withProbe(card, v, made.L, probe);
        cache.views.set(key, probed);
      }
      return probed;
    });
  }

  /**
   * `views` with the probes this state has already measured counted, and none measured now; `complete`
   * when every view beyond the window had one (or the card has no probe).
   */
  probedViewsCached(views: readonly RegionView[]): { views: RegionView[]; complete: boolean } {
    if (!this.probe) return { views: [...views], complete: true };
    const card = this.deps.model.card;
    const values = this.currentProbeCache().values;
    const complete = views.every((v) => heldWhole(card, v) || values.has(probeKey(v)));
    return { views: this.withCachedProbes(views), complete };
  }

  /** The probe cache of the index as it stands (emptied when it changed: same key as the views). */
  private currentProbeCache() {
    const { index } = this;
    if (!this.probeCache || this.probeCache.at !== index.updatedAt || this.probeCache.history !== index.history.length) {
      this.probeCache = { at: index.updatedAt, history: index.history.length, values: new Map(), views: new Map() };
    }
    return this.probeCache;
  }

  /** BM25 scores of a question (region key → score, best first). */
  lexicalScores(question: string): Map<string, number> {
    return this.lexical().scores(question);
  }

  /** BM25 over the live regions, rebuilt only after the index changed. */
  private lexical(): LexicalIndex {
    const views = this.views();
    if (this.lexicalCache?.views !== views) this.lexicalCache = { views, index: new LexicalIndex(views) };
    return this.lexicalCache.index;
  }

  /**
   * Every live region with recall and embeddings, recomputed only after the index changed. Synchronous
   * and without model calls, so the recall here has no probe term: what is shown goes through
   * probedViews (recall, summarize) or, for ask's hits, probedViewsCached (what was measured, no model call).
   */
  views(): RegionView[] {
    const { index } = this;
    if (this.viewsCache && this.viewsCache.at === index.updatedAt && this.viewsCache.history === index.history.length) {
      return this.viewsCache.views;
    }
    const card = this.deps.model.card;
    const views: RegionView[] = [];
    // Tokens read after each file of the history, stale versions included (they are in the state too).
    let after = index.history.reduce((sum, f) => sum + f.tokens, 0);
    // The window's bigrams are the same for every region: hashed once here, not per region.
    const windowSet = windowHashSet(index.state.window, index.state.kvLen);
    for (const file of index.history) {
      after -= file.tokens;
      if (file.live) for (const region of file.regions) views.push(viewRegion(card, file, region, index.state.L, after, windowSet));
    }
    this.viewsCache = { at: index.updatedAt, history: index.history.length, views, L: index.state.L.slice() };
    return views;
  }

  /**
   * A region's current text scanned from a zero state, as training embeds a region on its own
   * (`<|file|>` path "\n" text, accumulated from the first token); its fresh normalised embedding.
   */
  private async reread(view: RegionView): Promise<Float32Array | undefined> {
    // A region's zero-state embedding depends only on its text and path: cache it by content.
    const key = `${view.file.contentHash}:${view.file.relPath}:${view.region.startLine}:${view.region.endLine}`;
    const cached = this.rereadCache.get(key);
    if (cached) return cached;
    const fresh = await this.rereadUncached(view);
    if (fresh) this.rereadCache.set(key, fresh);
    return fresh;
  }

  private async rereadUncached(view: RegionView): Promise<Float32Array | undefined> {
    const lines = await readLines(this.indexer.absPath(view.file), this.readLimits);
    if (!lines) return undefined;
    const text = sliceLines(lines, view.region.startLine, view.region.endLine);
    const stream = buildFileStream(view.file.relPath, text, this.deps.tokenizer, []);
    const ids = stream.ids.subarray(0, REREAD_MAX_TOKENS);
    const card = this.deps.model.card;
    const acc = new RegionAccumulator(card, [{ tokStart: 0, tokEnd: ids.length }]);
    await this.scanParts.scanner.feed(zeroState(card), ids, acc);
    const u = acc.results[0]?.embedding;
    return u ? normalise(u) : undefined;
  }

  /** A file scanned from a zero state (the active file in `ask`), cached by content. */
  async scanFresh(pathOrAbs: string) {
    const abs = this.absFromUser(pathOrAbs);
    const source = await this.sourceFor(abs);
    if (!source || "missing" in source) return undefined;
    const read = await readSource(abs, this.readLimits);
    if ("skipped" in read) return undefined;
    const key = `${abs}:${read.hash}`;
    let scan = this.freshScanCache.get(key);
    if (!scan) {
      scan = this.scanFreshUncached(source, read);
      this.freshScanCache.set(key, scan);
      scan.catch(() => this.freshScanCache.delete(key));
    }
    return scan;
  }

  private async scanFreshUncached(source: SourceFile, read: { text: string; hash: string }) {
    const result = await scanText(this.scanParts, source, read.text, read.hash, zeroState(this.deps.model.card));
    if ("skipped" in result) return undefined;
    const card = this.deps.model.card;
    const file = result.record;
    return {
      file,
      text: read.text,
      regions: file.regions.map((region) => ({ region, fresh: viewRegion(card, file, region, file.lBase).fresh })),
    };
  }

  /** Accepts an absolute path, a root-relative path or a displayed path. */
  absFromUser(path: string): string {
    const direct = resolve(path);
    if (this.rootOf(direct) >= 0 && path.startsWith(sep)) return direct;
    for (const f of this.index.history) if (f.path === path || f.relPath === path) return this.indexer.absPath(f);
    return resolve(this.roots[0], path);
  }

  private rootOf(abs: string): number {
    return this.roots.findIndex((r) => isWithin(r, abs));
  }

  displayPath(abs: string): string | undefined {
    const root = this.rootOf(resolve(abs));
    if (root < 0) return undefined;
    const rel = relative(this.roots[root], resolve(abs)).split(sep).join("/");
    return this.roots.length > 1 ? `${rootLabel(this.roots[root])}/${rel}` : rel;
  }

  private async sourceFor(abs: string): Promise<SourceFile | { missing: true; path: string } | undefined> {
    const full = resolve(abs);
    const root = this.rootOf(full);
    if (root < 0) return undefined;
    const path = this.displayPath(full)!;
    const relPath = relative(this.roots[root], full).split(sep).join("/");
    try {
      const s = await stat(full);
      return { root, relPath, path, absPath: full, mtimeMs: s.mtimeMs, size: s.size, ctimeMs: s.ctimeMs };
    } catch {
      return { missing: true, path };
    }
  }

  liveFile(path: string): FileRecord | undefined {
    return this.index.history.find((f) => f.live && (f.path === path || f.relPath === path));
  }

  status() {
    const { index } = this;
    const live = liveFiles(index);
    const card = this.deps.model.card;
    return {
      roots: this.roots,
      runtime: this.deps.runtime.runtime.name,
      runtimeReason: this.deps.runtime.reason,
      threads: this.deps.runtime.runtime.threads,
      modelHash: this.deps.model.filesHash,
      complete: index.complete,
      files: live.length,
      regions: live.reduce((n, f) => n + f.regions.length, 0),
      tokens: live.reduce((n, f) => n + f.tokens, 0),
      stateTokens: index.state.tokens,
      staleTokens: staleTokens(index),
      summaryBytes: summaryBytes(card),
      indexPath: this.indexPath,
      indexBytes: this.indexBytes,
      checkpoints: index.checkpoints.length,
      skipped: index.skipped,
      updatedAt: new Date(index.updatedAt).toISOString(),
      notices: this.notices,
    };
  }

  async close(): Promise<void> {
    if (this.persistTimer) await this.persistOrNotice();
    await Promise.all(this.sessions.map((s) => s.release()));
  }
}

/** A count-by-reason map in a canonical order (to compare two of them). */
function sortedEntries(m: Record<string, number>): [string, number][] {
  return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A region's key in the probe cache: its file and token range. */
function probeKey(v: RegionView): string {
  return `${v.file.path}\0${v.region.tokStart}\0${v.region.tokEnd}`;
}
