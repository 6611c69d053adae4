// The engine's results, declared once: what its queries return, what the worker's RPC methods answer
// (workspace/workspaceMethods.ts), what the CLI prints with --json (docs/cli.md), and what the
// extension's sidebar views are made from (extension/protocol*.ts builds on these). Types only, and
// no imports but runtime/types.ts (itself import-free): the webview's tsconfig checks this file
// without Node's types.
import type { RuntimeName } from './runtime/types';

// ---------------------------------------------------------------------------------------------
// ask (query/ask.ts). Lines are 1-based and inclusive.

/**
 * Which memory answered: attention over the active file, the recurrent summary, a re-read of the
 * text, or none (keyword: found by keyword search, BM25F over the region's name, signature, doc,
 * body and path, and not among the regions the model re-read).
 */
export type HitSource = 'exact' | 'memory' | 'reread' | 'keyword';

export interface AskHit {
  /** The hit comes from an open document's unsaved text (the editor's, not the file on disk). */
  unsaved?: boolean;
  /** The region's workspace path (paths/workspacePaths.ts). */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  symbol: string;
  kind: string;
  /**
   * Cosine of the question and the region's embedding (memory, fresh or re-read), −1…1; for a
   * keyword hit, with what the memory held right after reading it (the model did not re-read it).
   */
  score: number;
  /** BM25F of the question against the region's name, signature, doc, body and path (0: no match). */
  bm25: number;
  /** The rank of the hit's file among the answer's files (1: the file of the best hit), for grouping by file. */
  fileRank: number;
  source: HitSource;
  /**
   * The region's shown recall, the number `recall` gives it (with its recall probe); 1 for an exact
   * hit; null while its probe is not measured on this state (a question does not wait for its model
   * calls, bench/README.md runs F and G: the heatmap and the Recall section measure it).
   */
  recall: number | null;
  snippet: string;
}

export interface AskAnswer {
  text: string;
  path: string;
  line: number;
}

export interface AskResult {
  question: string;
  answer: AskAnswer | null;
  hits: AskHit[];
  rereads: number;
  /**
   * Forgotten regions (memoryKept below the card's reread_below) among the hits that were not re-read
   * (the model re-reads a fixed number of the best candidates): they show as keyword hits.
   */
  notReread: number;
  /** Time the question took in the engine, milliseconds. */
  ms: number;
}

// ---------------------------------------------------------------------------------------------
// recall (query/recall.ts)

export interface RecallEntry {
  path: string;
  symbol: string;
  kind: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  recall: number;
  /** Tokens the summary read after this region's last token. */
  distanceTokens: number;
  /**
   * Share of the region's bigrams the attention window's tokens share (the shown recall's overlap
   * term; what recall follows past the window); absent from older engines.
   */
  windowOverlap?: number;
  /**
   * The recall probe counted in `recall`: the summed NLL that reading the region's first tokens (up to
   * card.recall_probe_tokens) after the summary saves over reading them cold, per token of the region
   * (nats; negative when the summary makes them harder). Absent inside the attention window, with a
   * card without the probe, and from older engines.
   */
  probeGain?: number;
}

export interface RecallResult {
  scope: string;
  regions: RecallEntry[];
  meanRecall: number;
  summaryBytes: number;
  stateTokens: number;
  staleTokens: number;
}

// ---------------------------------------------------------------------------------------------
// summarize: one file (query/summarizeFile.ts) and the workspace's modules (query/summarizeWorkspace.ts)

export interface SymbolLine {
  symbol: string;
  kind: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  description: string;
  /** "doc" when from the doc comment, "salient" when the model's most salient line. */
  from: 'doc' | 'salient';
  depth: number;
  /** Top-level symbols: how often other files of the workspace use its name (the reference graph). */
  uses?: number;
}

/** What a file is for, in one sentence (query/fileAbout.ts). */
export interface FileAbout {
  /** The first sentence, whole (cut with "…" only past 240 characters). */
  text: string;
  /** null: the file's own doc (module docstring, leading comment); else the main symbol whose doc it is. */
  symbol: string | null;
}

export interface FileSummary {
  path: string;
  /** What the file is for, in one sentence; null when neither it nor its main symbols have a doc. */
  about: FileAbout | null;
  /** Its main symbols' names, best first (query/symbolRank.ts: kind, uses from other files, exported, size). */
  main: string[];
  /** Summarized from an open document's unsaved text (the editor's, not the file on disk). */
  unsaved?: boolean;
  language: string;
  lines: number;
  tokens: number;
  overview: string;
  /** In source order; `uses`: references to it from other files of the workspace (top-level symbols). */
  symbols: SymbolLine[];
  imports: string[];
  exports: string[];
  /**
   * Σ recall of this file's regions ÷ Σ recall of all regions (0 when the file is not indexed); null
   * when not every region's recall probe has been measured on this state (the Recall section measures
   * them all; summarize measures only the file's own).
   */
  recallShare: number | null;
  meanRecall: number;
  /**
   * Whose regions `meanRecall` and `recallShare` are: 'file' the file as summarized; 'saved' its saved
   * version's (the summary read unsaved text, the memory follows saves); 'none' no version of it is in
   * the memory yet (an untitled buffer, a file never saved): the figures are 0 / null and mean nothing.
   */
  recallOf: 'file' | 'saved' | 'none';
}

/** What a folder holds: the source, or what is about it (query/summarizeWorkspace.ts moduleRole). */
export type ModuleRole = 'source' | 'tests' | 'examples' | 'docs' | 'scripts';

export interface ModuleSummary {
  /** Folder path ("." for the root). */
  module: string;
  role: ModuleRole;
  /** What it is for, in one sentence (its own doc, README, or its most used file's doc); null when nothing says. */
  about: string | null;
  files: number;
  regions: number;
  /** Its files' share of all use of one file's definitions by another (query/referenceGraph.ts), in [0, 1]. */
  centrality: number;
  /** Modules this one imports from, most imported first. */
  dependsOn: { module: string; imports: number }[];
  /** Its most used files (those that define something first). */
  keyFiles: string[];
  /** Most-used exported symbols' names (by file centrality). */
  exports: string[];
}

export interface WorkspaceSummary {
  files: number;
  regions: number;
  importEdges: number;
  externalImports: { name: string; files: number }[];
  modules: ModuleSummary[];
}

// ---------------------------------------------------------------------------------------------
// status (workspace/engineStatus.ts)

export interface EngineStatus {
  /** The workspace's root folders, resolved, in order. */
  roots: string[];
  runtime: RuntimeName;
  /** Why this runtime was chosen (e.g. why the native build was not). */
  runtimeReason: string;
  threads: number;
  /** sha256 over the model files: the index's identity. */
  modelHash: string;
  /** False while files are still to be read (answers come from what is indexed so far). */
  complete: boolean;
  /** Live files, their regions and tokens. */
  files: number;
  regions: number;
  tokens: number;
  /** Tokens the summary state has read, stale versions of edited files included. */
  stateTokens: number;
  /** Tokens of those stale versions (compaction removes them). */
  staleTokens: number;
  /** Size of the summary state, fixed whatever the workspace's size. */
  summaryBytes: number;
  indexPath: string;
  /** Size of the index file as last read or written (0: none). */
  indexBytes: number;
  checkpoints: number;
  /** Files discovery skipped, by reason. */
  skipped: Record<string, number>;
  /** When the index last changed (ISO 8601). */
  updatedAt: string;
  /** One-line notices (e.g. why the old index was rebuilt, or why it could not be written). */
  notices: string[];
}
