// The engine over one workspace: owns the model sessions, the index and its file, and answers the
// queries. It runs wherever it is created (the extension creates it in the engine worker thread, the
// CLI in its own process); nothing here imports `vscode`.
import { stat } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
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
import { liveFiles, staleTokens, type FileRecord, type WorkspaceIndex } from "../index/types";
import { ask, type AskOptions, type AskResult } from "../query/ask";
import { QueryEncoder } from "../query/queryEncoder";
import { normalise, viewRegion, type RegionView } from "../query/regionMath";
import { readLines, sliceLines } from "../query/fileText";
import { indexPathFor, rootLabel } from "./indexLocation";
import { LruMap } from "./lruMap";
import { LexicalIndex } from "../query/lexical";
import { recall, type RecallResult } from "../query/recall";
import { summarizeFile, type FileSummary } from "../query/summarizeFile";
import { summarizeWorkspace, type WorkspaceSummary } from "../query/summarizeWorkspace";

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
}

export interface EngineOptions {
  roots: string[];
  cacheDir: string;
  /** How often a long scan writes its progress to the index (so a killed scan resumes); default 10 s. */
  persistEveryMs?: number;
}

/**
 * Tokens of a region re-read for a query hit (header included): training embeds a region on its own
 * from its first 256 tokens (training/train.py, max_code), and this also bounds a question's latency.
 */
const REREAD_MAX_TOKENS = 256;
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
  private viewsCache: { at: number; history: number; views: RegionView[] } | undefined;
  private indexBytes = 0;
  private persistEveryMs = 10_000;
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
    const { runtime } = deps.runtime;
    const [scanSession, querySession] = await Promise.all([
      runtime.createSession(deps.model.scanOnnx),
      runtime.createSession(deps.model.queryOnnx),
    ]);
    engine.sessions = [scanSession, querySession];
    const card = deps.model.card;
    engine.scanParts = { card, scanner: new ModelScanner(card, scanSession), tokenizer: deps.tokenizer, regions: deps.regions };
    engine.encoder = new QueryEncoder(card, querySession, deps.tokenizer);
    engine.indexer = new Indexer(engine.scanParts, await engine.loadOrCreateIndex());
    return engine;
  }

  private async loadOrCreateIndex(): Promise<WorkspaceIndex> {
    try {
      const index = await loadIndex(this.indexPath, this.deps.model.filesHash);
      this.indexBytes = (await stat(this.indexPath)).size;
      if (index.roots.join("\0") !== this.roots.join("\0")) throw new IndexUnusable(`index ${this.indexPath} belongs to other folders`, "corrupt");
      if (!index.complete) this.notices.push(`resuming an interrupted scan (${liveFiles(index).length} files already in the index)`);
      return index;
    } catch (err) {
      if (!(err instanceof IndexUnusable)) throw err;
      if (err.reason !== "missing") this.notices.push(`${err.message}; rebuilding it`);
      return {
        modelHash: this.deps.model.filesHash,
        roots: this.roots,
        history: [],
        state: zeroState(this.deps.model.card),
        checkpoints: [],
        complete: false,
        skipped: {},
        updatedAt: Date.now(),
      };
    }
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
        persist: () => this.persist(),
        persistEveryMs: this.persistEveryMs,
      });
    } catch (err) {
      // Cancelled or failed part-way: keep what was scanned, so the next sync resumes from here.
      await this.persist();
      throw err;
    }
    for (const [reason, n] of Object.entries(found.skipped)) report.skipped[reason] = (report.skipped[reason] ?? 0) + n;
    this.index.skipped = report.skipped;
    await this.persist();
    return report;
  }

  /** A file was saved or created: rescan it alone. Returns its skip reason, if it was skipped. */
  async fileChanged(absPath: string, signal?: AbortSignal): Promise<string | undefined> {
    const source = await this.sourceFor(absPath);
    if (!source) return "outside the workspace";
    let reason: string | undefined;
    if ("missing" in source) {
      this.indexer.removeFile(source.path);
      reason = "vanished";
    } else {
      reason = await this.indexer.updateFile(source, signal);
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
    await this.persist();
  }

  async persist(): Promise<void> {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.indexBytes = await saveIndex(this.indexPath, this.index);
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
      this.persist().catch((err) => this.notices.push(`the index could not be written: ${(err as Error).message}`));
    }, PERSIST_DELAY_MS);
  }

  ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    if (!question.trim()) throw new Error("the question is empty");
    return ask(
      {
        card: this.deps.model.card,
        encode: (q) => this.encoder.encode(q),
        views: () => this.views(),
        reread: (view) => this.reread(view),
        scanActive: (path) => this.scanFresh(path),
        absPath: (f) => this.indexer.absPath(f),
        lexical: (q) => this.lexical().scores(q),
      },
      question,
      options,
    );
  }

  async summarize(path: string): Promise<FileSummary> {
    const abs = this.absFromUser(path);
    const display = this.displayPath(abs);
    if (display === undefined) throw new Error(`${path} is not inside the workspace`);
    const read = await readSource(abs);
    if ("skipped" in read) throw new Error(`${path} cannot be summarized: ${read.skipped}`);
    const root = this.rootOf(abs);
    const relPath = relative(this.roots[root], abs).split(sep).join("/");
    return summarizeFile(this.scanParts, display, relPath, read.text, this.views());
  }

  summarizeWorkspace(maxModules?: number): WorkspaceSummary {
    return summarizeWorkspace(liveFiles(this.index), maxModules);
  }

  recall(scope: { file?: string } = {}): RecallResult {
    const file = scope.file ? (this.displayPath(this.absFromUser(scope.file)) ?? scope.file) : undefined;
    return recall(this.deps.model.card, this.views(), { file }, { tokens: this.index.state.tokens, staleTokens: staleTokens(this.index) });
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

  /** Every live region with recall and embeddings, recomputed only after the index changed. */
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
    this.viewsCache = { at: index.updatedAt, history: index.history.length, views };
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
    const lines = await readLines(this.indexer.absPath(view.file));
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
    const read = await readSource(abs);
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
    return this.roots.findIndex((r) => abs === r || abs.startsWith(r.endsWith(sep) ? r : r + sep));
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
      return { root, relPath, path, absPath: full, mtimeMs: s.mtimeMs, size: s.size };
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
    if (this.persistTimer) await this.persist();
    await Promise.all(this.sessions.map((s) => s.release()));
  }
}
