// The engine over one workspace, in the engine worker or the CLI (never `vscode`): the list of what it
// does. Its parts: model sessions (modelParts.ts), the index file (indexStore.ts), what one state of the
// index gives (indexState.ts), file events (fileEvents.ts), zero-state scans (freshScans.ts), paths.
import { isAbsolute, resolve } from 'node:path';
import { readSource } from '../index/fileScan';
import { Indexer, type ScanProgress, type SyncReport } from '../index/indexer';
import { liveFileNear, liveFiles, staleTokens, type FileRecord, type WorkspaceIndex } from '../index/types';
import { readLines, readLinesHashed } from '../query/fileText';
import { questionProblem } from '../query/questionLimit';
import { ask, type AskOptions, type AskResult } from '../query/ask';
import type { RegionView } from '../query/regionMath';
import type { ProbeOptions, RecallProbe } from '../query/recallProbe';
import { inScope, recall, type RecallResult } from '../query/recall';
import { summarizeFile, type FileSummary } from '../query/summarizeFile';
import { summarizeWorkspace, type WorkspaceSummary } from '../query/summarizeWorkspace';
import { WorkspacePaths } from '../paths/workspacePaths';
import type { EngineDeps, EngineOptions } from './engineDeps';

export type { EngineOptions } from './engineDeps';
import { engineStatus, type EngineStatus } from './engineStatus';
import { FreshScans, withUnsavedSnippets, type FreshScan } from './freshScans';
import { IndexState, PROBE_SLICE } from './indexState';
import { IndexStore } from './indexStore';
import { openModelParts, type ModelParts } from './modelParts';
import { FileEvents } from './fileEvents';

/** warmScan's file without an active one: about one save's worth of the model's calls (16 chunks). */
const WARM_SCAN_TOKENS = 2000;
/** The largest active file warmScan scans (about 8,000 tokens, a second of the model's time): a larger one waits for a question. */
const WARM_SCAN_MAX_BYTES = 32 * 1024;

export class WorkspaceEngine {
  readonly roots: string[];
  readonly paths: WorkspacePaths;
  private readonly store: IndexStore;
  private indexer!: Indexer;
  private state!: IndexState;
  private fresh!: FreshScans;
  private parts!: ModelParts;
  private events!: FileEvents;
  private persistEveryMs = 10_000;
  /** What opening took: reading the index file, then the model's sessions (the bench's warm start). */
  opening = { indexReadMs: 0, sessionsMs: 0 };

  private constructor(
    readonly deps: EngineDeps,
    roots: string[],
    cacheDir: string,
  ) {
    this.paths = new WorkspacePaths(roots);
    this.roots = [...this.paths.roots];
    this.store = new IndexStore(cacheDir, this.roots, deps.model);
  }

  static async open(deps: EngineDeps, options: EngineOptions): Promise<WorkspaceEngine> {
    const engine = new WorkspaceEngine(deps, options.roots, options.cacheDir);
    engine.persistEveryMs = options.persistEveryMs ?? engine.persistEveryMs;
    const t0 = performance.now();
    // Region heads are checked when the card has a recall probe (its token_nll files: modelParts.ts).
    // The keyword file is read meanwhile (keywordStore.ts). The sessions come after: onnxruntime-node
    // makes each on this thread, in one piece, so reads started beside them waited for them (measured:
    // no gain from overlapping the two, bench/README.md "Warm start").
    const { index, replaces } = await engine.store.load(deps.model.tokenNll !== undefined);
    const t1 = performance.now();
    // The grammars of the index's languages, compiled now, off this thread (WebAssembly compiles in the
    // background) while the sessions are made, rather than at the first save or summary of such a file:
    // compiled while other WebAssembly runs, one took seconds (bench/README.md "Figures behind the code").
    void deps.regions.preload(new Set(index.history.filter((f) => f.live).map((f) => f.language))).catch(() => undefined);
    const parts = (engine.parts = await openModelParts(deps, engine.roots));
    engine.opening = { indexReadMs: t1 - t0, sessionsMs: performance.now() - t1 };
    engine.indexer = new Indexer(parts.scanParts, index);
    if (options.prepareAhead) engine.indexer.prepareAhead = options.prepareAhead;
    engine.store.pace = () => engine.indexer.priority.quiet(); // file events first, index writes in the gaps
    engine.store.readLines = (file) => readLinesHashed(engine.indexer.absPath(file), parts.scanParts.limits);
    // A new index that replaces an unusable file is written even if it stays empty (the bad file goes).
    engine.indexer.dirty = replaces;
    engine.state = new IndexState(
      deps.model.card,
      () => engine.index,
      parts.probe,
      Math.max(1, options.probeSlice ?? PROBE_SLICE),
      (files) => engine.store.keywords.restore(files),
    );
    engine.fresh = new FreshScans(parts.scanParts, engine.paths, (f) => engine.indexer.absPath(f));
    engine.events = new FileEvents(deps, engine.paths, engine.store, engine.indexer, options.compactAtStaleShare);
    return engine;
  }

  /**
   * Makes what the first question needs from the index as it stands (its regions' views and keyword
   * index: bench/README.md "Warm start" has the cost) and runs the query encoder once, so a question
   * asked after this has settled does not wait for them; one asked meanwhile shares the same work.
   * The extension calls it after opening (a CLI command, which asks at once or not at all, does not).
   */
  async warmQueries(): Promise<void> {
    this.views();
    await this.lexicalIndex();
    await this.parts.encoder.encode('warm');
    // Terms the keyword file lacked (an index written by an engine that kept none) are kept for the next start.
    await this.store.persistKeywords(this.indexer);
  }

  /**
   * Scans one file from a zero state, as Ask scans the active file (and cached as that scan), so the
   * code a save runs is compiled before the first save: V8 compiles hot WebAssembly (the grammars) and
   * JavaScript (the tokenizer, the region accumulators) again, optimised, on background threads, which
   * on two cores took the model's threads' time: the first save after a start ran its model calls at
   * about half speed (bench/README.md "The first save after a start"). `activeFile`: the editor's file
   * (the first question about it is then answered from this scan), when it is a workspace file of at
   * most WARM_SCAN_MAX_BYTES; else the live file nearest 2,000 tokens. The extension calls it after
   * warmQueries; a CLI command does not.
   */
  async warmScan(activeFile?: string): Promise<void> {
    if (activeFile && (await this.fresh.scan(this.absFromUser(activeFile), WARM_SCAN_MAX_BYTES))) return;
    const pick = liveFileNear(this.index, WARM_SCAN_TOKENS);
    if (pick) await this.fresh.scan(this.indexer.absPath(pick));
  }

  /** One-line notices from opening and writing (e.g. why the old index was rebuilt). */
  get notices(): string[] {
    return this.store.notices;
  }

  get indexPath(): string {
    return this.store.indexPath;
  }

  /** The recall probe's measurer (its call counts), undefined when the card has no probe. */
  get recallProbe(): RecallProbe | undefined {
    return this.state.probe;
  }

  get index(): WorkspaceIndex {
    return this.indexer.index;
  }

  /** Walks the roots and brings the index up to date (a first scan, a resume, or catching up). */
  async sync(options: { signal?: AbortSignal; onProgress?: (p: ScanProgress) => void } = {}): Promise<SyncReport> {
    const found = await this.deps.discover(this.roots, options.signal);
    let report: SyncReport;
    try {
      report = await this.events.whileSyncing(() =>
        this.indexer.sync(found.files, {
          ...options,
          persist: () => this.store.persistOrNotice(this.indexer),
          persistEveryMs: this.persistEveryMs,
        }),
      );
    } catch (err) {
      // Cancelled or failed part-way: keep what was scanned, so the next sync resumes from here.
      await this.store.persistOrNotice(this.indexer);
      throw err;
    }
    for (const [reason, n] of Object.entries(found.skipped)) report.skipped[reason] = (report.skipped[reason] ?? 0) + n;
    this.indexer.recordSkipped(report.skipped);
    await this.store.persistOrNotice(this.indexer);
    return report;
  }

  /** A file or folder was saved, created or renamed to (FileEvents.changed): its skip reason, if skipped. */
  fileChanged(absPath: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.events.changed(absPath, signal);
  }

  /** A file or folder was deleted: its records leave the answers. */
  async fileDeleted(absPath: string): Promise<boolean> {
    return this.events.deleted(absPath);
  }

  /** A file or folder was renamed: the old paths leave the answers, the new ones are indexed. */
  fileRenamed(fromAbs: string, toAbs: string): Promise<string | undefined> {
    return this.events.renamed(fromAbs, toAbs);
  }

  /** Resolves once the background compaction under way (if any) has finished. */
  settled(): Promise<void> {
    return this.events.settled();
  }

  /** Makes the summary exact again after edits (rescans from the nearest checkpoint). */
  async compact(signal?: AbortSignal, onProgress?: (p: ScanProgress) => void): Promise<void> {
    await this.indexer.compact({ signal, onProgress });
    await this.store.persistOrNotice(this.indexer);
  }

  /** Writes the index if it changed since it was read or last written (IndexStore.persist). */
  persist(): Promise<void> {
    return this.store.persist(this.indexer);
  }

  /**
   * `activeText`: the active document's text as the editor has it (unsaved edits, an untitled buffer
   * named by `options.activeFile`): its exact pass reads that text, and its hits say they are unsaved.
   * The workspace memory itself follows saves only.
   */
  async ask(question: string, options: AskOptions = {}, activeText?: string): Promise<AskResult> {
    const problem = questionProblem(question);
    if (problem) throw new Error(problem);
    let open: FreshScan | undefined;
    const context = {
      card: this.deps.model.card,
      encode: (q: string) => this.parts.encoder.encode(q),
      views: () => this.state.views(),
      probedCached: this.state.probe ? (views: RegionView[]) => this.state.probedViewsCached(views).views : undefined,
      reread: (view: RegionView) => this.fresh.reread(view),
      scanActive: async (path: string) =>
        activeText === undefined
          ? this.scanFresh(path)
          : (open = await this.fresh.scanOpen(isAbsolute(path) ? resolve(path) : path, activeText)),
      absPath: (f: FileRecord) => this.indexer.absPath(f),
      readLimits: this.parts.scanParts.limits,
      lexical: (q: string) => this.lexicalScores(q),
      fileLexical: async (q: string) => (await this.lexicalIndex()).fileScores(q),
      uncovered: async () => (await this.lexicalIndex()).uncovered,
    };
    const result = await ask(context, question, options);
    return open ? withUnsavedSnippets(result, open) : result;
  }

  /**
   * `text`: the open document's text as the editor has it (unsaved edits; an untitled buffer named
   * `path`, which is then no workspace file): summarized from it, and the summary says it is unsaved.
   */
  async summarize(path: string, options: ProbeOptions = {}, text?: string): Promise<FileSummary> {
    const abs = text !== undefined && !isAbsolute(path) ? undefined : this.absFromUser(path);
    const at = abs === undefined ? { path, relPath: path } : this.paths.locate(abs);
    if (at === undefined) throw new Error(`${path} is not inside the workspace`);
    const read = text !== undefined ? { text } : await readSource(abs!, this.parts.scanParts.limits);
    if ('skipped' in read) throw new Error(`${path} cannot be summarized: ${read.skipped}`);
    // The file's own regions are measured; the share of the summary's recall divides by every region's,
    // which a workspace-wide measurement (the Recall section) leaves in the cache: without it the share
    // is left out rather than measured here (minutes on a large workspace: bench/README.md "Recall
    // probe cost") or mixed with unmeasured numbers.
    const views = this.views();
    const mine = await this.probedViews(
      views.filter((v) => v.file.path === at.path),
      options,
    );
    const all = this.state.probedViewsCached(views);
    const uses = await this.usesOf(at.path);
    // An unchanged file (the bytes the index scanned) is not scanned again: its record has the salient lines.
    const record = 'hash' in read ? liveFiles(this.index).find((f) => f.path === at.path && f.contentHash === read.hash) : undefined;
    const summary = await summarizeFile(this.parts.scanParts, at.path, at.relPath, read.text, all.views, {
      own: mine,
      shareMeasured: all.complete,
      uses,
      indexed: record,
    });
    if (text === undefined) return summary;
    // The memory follows saves: the recall figures are the saved version's, or there is none.
    const saved = this.index.history.some((f) => f.live && f.path === at.path);
    return saved ? { ...summary, unsaved: true, recallOf: 'saved' } : { ...summary, unsaved: true, recallOf: 'none', recallShare: null };
  }

  async summarizeWorkspace(maxModules?: number): Promise<WorkspaceSummary> {
    const files = liveFiles(this.index);
    return summarizeWorkspace(files, await this.references(), maxModules);
  }

  /** How often other files use each of this file's definitions (by name); empty for a file not indexed. */
  private async usesOf(path: string): Promise<Record<string, number>> {
    const i = liveFiles(this.index).findIndex((f) => f.path === path);
    if (i < 0) return {};
    return Object.fromEntries((await this.references()).uses[i]);
  }

  private references() {
    return this.state.references(async (file) => (await readLines(this.indexer.absPath(file), this.parts.scanParts.limits))?.join('\n'));
  }

  /** The shown recall of the regions in scope, their recall probes measured first (beyond the window; cached per state). */
  async recall(scope: { file?: string } = {}, options: ProbeOptions = {}): Promise<RecallResult> {
    const file = scope.file ? (this.displayPath(this.absFromUser(scope.file)) ?? scope.file) : undefined;
    const views = await this.probedViews(inScope(this.views(), { file }), options);
    return recall(this.deps.model.card, views, { file }, { tokens: this.index.state.tokens, staleTokens: staleTokens(this.index) });
  }

  /** Every live region with recall and embeddings, made again only after the index changed (IndexState.views). */
  views(): RegionView[] {
    return this.state.views();
  }

  /** `views` with their recall probes measured and counted (IndexState.probedViews). */
  probedViews(views: readonly RegionView[], options: ProbeOptions = {}): Promise<RegionView[]> {
    return this.state.probedViews(views, options);
  }

  /** Keyword (BM25F) scores of a question for every matching region (region key → score, best first). */
  async lexicalScores(question: string): Promise<Map<string, number>> {
    return (await this.lexicalIndex()).scores(question);
  }

  private lexicalIndex() {
    return this.state.lexical((file) => readLinesHashed(this.indexer.absPath(file), this.parts.scanParts.limits));
  }

  /** A file scanned from a zero state (the active file in `ask`), cached by content. */
  scanFresh(pathOrAbs: string): Promise<FreshScan | undefined> {
    return this.fresh.scan(this.absFromUser(pathOrAbs));
  }

  /** Accepts an absolute path, a root-relative path or a workspace path. */
  absFromUser(path: string): string {
    return this.paths.fromUser(path, (name) => {
      const f = this.index.history.find((r) => r.path === name || r.relPath === name);
      return f && this.indexer.absPath(f);
    });
  }

  /** The workspace path of an absolute path, or undefined when it lies below no root. */
  displayPath(abs: string): string | undefined {
    return this.paths.toEngine(abs);
  }

  status(): EngineStatus {
    return engineStatus(this.deps, this.index, this.roots, {
      indexPath: this.store.indexPath,
      indexBytes: this.store.indexBytes,
      notices: this.notices,
    });
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.store.flush(this.indexer);
    await Promise.all(this.parts.sessions.map((s) => s.release()));
  }
}
