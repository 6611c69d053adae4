// Warm start (issue 20), run by bench/run.ts after bench/largeIndex.ts has left the 1.1M-token index in
// BENCH_CACHE: a new process opens the engine on it (as the engine worker does at activation) and asks
// a question. Each measurement is a child process of its own (nothing loaded or compiled before), in
// two ways, alternated over the rounds:
// - `at-once`: the question is sent as soon as the engine is open. Split: the model's parts
//   (createEngineDeps: model files, tokenizer, runtime, tree-sitter; then the sessions), the index read,
//   and the question (which makes the regions' views and the keyword index first, from the keyword
//   terms kept beside the index: workspace/keywordStore.ts).
// - `warm`: the engine worker's way (workspace.open starts WorkspaceEngine.warmQueries): when that has
//   settled, how long after activation, and a question then.
// - `no-keyword-file`: `at-once` with the keyword file removed, so the question makes the keyword terms
//   from the files (the first start after an engine that kept none, or a lost file): the baseline of
//   what keeping them saves, in the same run.
// Then, in each, the first save after the start (a new copy of a ~2k-token file, in its language); in
// `warm` after the worker's warmScan of that file as the active one (scanned from a zero state, so the
// save's code is compiled before the save), in the others without it: the baseline of what warming the
// scan saves, in the same run.
// Prints JSON on stdout (progress on stderr).
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { liveFileNear } from '../extension/engine/index/types';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { indexPathFor } from '../extension/engine/workspace/indexStore';
import { keywordPathFor } from '../extension/engine/workspace/keywordStore';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { childFigures, corpusRoots, LARGE_CORPUS } from './corpus';

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const CACHE_DIR = process.env.BENCH_CACHE ?? join(tmpdir(), 'longview-bench');
const THREADS = 2;
const ROUNDS = 3;
/** Idle time before the first save, in every mode. */
const SAVE_AFTER_MS = 2000;
const QUESTIONS = ['how are http request headers validated', 'where is a protobuf message decoded from a buffer'];

type Mode = 'at-once' | 'warm' | 'no-keyword-file';
const MODES: Mode[] = ['at-once', 'warm', 'no-keyword-file'];

export interface WarmStartRun {
  mode: Mode;
  /** createEngineDeps: model files read and hashed, tokenizer, runtime loaded, tree-sitter started. */
  depsMs: number;
  /** The model's sessions (scan, query, recall probe), then the index file read and decoded. */
  sessionsMs: number;
  indexReadMs: number;
  /** at-once, no-keyword-file: the first question, sent as the engine opened; from activation to its answer. */
  firstQuestionMs?: number;
  firstAnswerMs?: number;
  /** warm: what the first question needs, made by warmQueries: the regions' views, the keyword index (query/lexical.ts). */
  viewsMs?: number;
  keywordIndexMs?: number;
  /** warm: when warmQueries settled (from activation), and a question asked then. */
  readyMs?: number;
  questionMs?: number;
  /** warm: then WorkspaceEngine.warmScan (the worker's step after warmQueries), with the file the save copies as the active one. */
  warmScanMs?: number;
  /** Then the first save after the start: a new copy of the indexed file nearest 2k tokens (as largeIndex.ts's edit), until its answers are fresh. */
  firstSaveMs: number;
  peakRssMB: number;
}

export interface WarmStartFigures {
  date: string;
  loadAverage: { start: number[]; end: number[] };
  files: number;
  regions: number;
  indexBytes: number;
  /** The keyword file beside the index (its terms: workspace/keywordStore.ts). */
  keywordFileBytes: number;
  keywordFileBytesPerRegion: number;
  runs: WarmStartRun[];
  /** Medians over the rounds. */
  modelLoadMs: number;
  indexReadMs: number;
  firstQuestionMs: number;
  firstAnswerMs: number;
  /** The same without the keyword file (terms made from the files). */
  firstQuestionNoKeywordFileMs: number;
  firstAnswerNoKeywordFileMs: number;
  viewsMs: number;
  keywordIndexMs: number;
  readyMs: number;
  questionAfterWarmMs: number;
  warmScanMs: number;
  /** The first save after warmScan (`warm`), and without it (`at-once`, `no-keyword-file`). */
  firstSaveMs: number;
  firstSaveColdMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const since = (t: number) => Math.round(performance.now() - t);

/** The file the first save copies: the indexed file nearest 2k tokens; in `warm` also the active file warmScan scans. */
function saveSource(engine: WorkspaceEngine) {
  return liveFileNear(engine.index, 2000)!;
}

/** One measurement, in this process (started fresh by the parent). */
async function measure(mode: Mode): Promise<WarmStartRun & { files: number; regions: number; indexBytes: number }> {
  // A copy of the cached index: the save below changes it, and the next run must open the same one.
  const roots = corpusRoots(LARGE_CORPUS);
  const cacheDir = await mkdtemp(join(tmpdir(), 'longview-bench-warm-'));
  const index = indexPathFor(CACHE_DIR, roots);
  await copyFile(index, indexPathFor(cacheDir, roots));
  if (mode !== 'no-keyword-file') await copyFile(keywordPathFor(index), keywordPathFor(indexPathFor(cacheDir, roots)));
  try {
    return await measureIn(mode, cacheDir);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function measureIn(mode: Mode, cacheDir: string): Promise<WarmStartRun & { files: number; regions: number; indexBytes: number }> {
  const activated = performance.now();
  const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: 'onnxruntime-node', threads: THREADS } });
  const depsMs = since(activated);
  const engine = await WorkspaceEngine.open(deps, { roots: corpusRoots(LARGE_CORPUS), cacheDir });
  const { files, regions } = engine.status();
  const common = {
    mode,
    depsMs,
    sessionsMs: Math.round(engine.opening.sessionsMs),
    indexReadMs: Math.round(engine.opening.indexReadMs),
    files,
    regions,
    indexBytes: engine.status().indexBytes,
  };
  let run: WarmStartRun & { files: number; regions: number; indexBytes: number };
  if (mode !== 'warm') {
    const asked = performance.now();
    await engine.ask(QUESTIONS[0]);
    run = { ...common, firstQuestionMs: since(asked), firstAnswerMs: since(activated), firstSaveMs: 0, peakRssMB: 0 };
  } else {
    // warmQueries' parts timed one by one (it finds the first two made, and runs the encoder once).
    let t = performance.now();
    engine.views();
    const viewsMs = since(t);
    t = performance.now();
    await engine.lexicalScores('warm');
    const keywordIndexMs = since(t);
    await engine.warmQueries();
    const readyMs = since(activated);
    const asked = performance.now();
    await engine.ask(QUESTIONS[1]);
    const questionMs = since(asked);
    t = performance.now();
    await engine.warmScan(saveSource(engine).path);
    const warmScanMs = since(t);
    run = { ...common, viewsMs, keywordIndexMs, readyMs, questionMs, warmScanMs, firstSaveMs: 0, peakRssMB: 0 };
  }
  // The first save after the start (its language's grammar, its scan): a copy of the file nearest 2k
  // tokens, in its language (its extension), as a user saves the file open in the editor.
  const model = saveSource(engine);
  const target = join(engine.roots[0], `longview-bench-warm-${process.pid}${extname(model.path)}`);
  try {
    await writeFile(target, await readFile(engine.absFromUser(model.path)));
    // A user's first save comes seconds after the start, not at once: the same idle moment in every mode
    // (in `at-once` it does not warm anything: V8 compiles what runs, not what waits).
    await new Promise((resolve) => setTimeout(resolve, SAVE_AFTER_MS));
    const saved = performance.now();
    const skipped = await engine.fileChanged(target);
    if (skipped) throw new Error(`the save was skipped: ${skipped}`);
    run.firstSaveMs = since(saved);
  } finally {
    await rm(target, { force: true });
    await engine.fileDeleted(target);
  }
  run.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  await engine.close(); // the index is written again without the copy
  return run;
}

/** Writes the keyword file beside the cached index (the worker's warm-up, WorkspaceEngine.warmQueries). */
async function keepKeywordTerms(): Promise<void> {
  process.stderr.write('[bench] warm start: no keyword file beside the cached index; the warm-up writes it\n');
  const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: 'onnxruntime-node', threads: THREADS } });
  const engine = await WorkspaceEngine.open(deps, { roots: corpusRoots(LARGE_CORPUS), cacheDir: CACHE_DIR });
  await engine.warmQueries();
  await engine.close();
}

function child(mode: Mode): Promise<WarmStartRun & { files: number; regions: number; indexBytes: number }> {
  return childFigures('bench/warmStart.ts', { BENCH_WARM_MODE: mode });
}

async function main(): Promise<unknown> {
  const mode = process.env.BENCH_WARM_MODE as Mode | undefined;
  if (mode) return measure(mode);
  const index = indexPathFor(CACHE_DIR, corpusRoots(LARGE_CORPUS));
  if (!existsSync(index)) throw new Error(`no index of the large workspace in ${CACHE_DIR}: run bench/largeIndex.ts first`);
  // An index cached by an engine that kept no keyword terms (or found nothing to write) has no keyword
  // file: the worker's warm-up writes it, as it does at a user's first start after such an engine.
  if (!existsSync(keywordPathFor(index))) await keepKeywordTerms();
  const keywordFileBytes = (await stat(keywordPathFor(index))).size;
  const start = loadavg();
  const runs: (WarmStartRun & { files: number; regions: number; indexBytes: number })[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // The modes in turn, each round starting one further along (the load moves less within one round).
    for (let i = 0; i < MODES.length; i++) {
      runs.push(await child(MODES[(r + i) % MODES.length]));
      process.stderr.write(`[bench] warm start: ${JSON.stringify(runs[runs.length - 1])}\n`);
    }
  }
  const at = runs.filter((r) => r.mode === 'at-once');
  const without = runs.filter((r) => r.mode === 'no-keyword-file');
  const warm = runs.filter((r) => r.mode === 'warm');
  const figures: WarmStartFigures = {
    date: new Date().toISOString(),
    loadAverage: { start: start.map((x) => Math.round(x * 10) / 10), end: loadavg().map((x) => Math.round(x * 10) / 10) },
    files: runs[0].files,
    regions: runs[0].regions,
    indexBytes: runs[0].indexBytes,
    keywordFileBytes,
    keywordFileBytesPerRegion: Math.round(keywordFileBytes / runs[0].regions),
    runs: runs.map(({ files: _f, regions: _r, indexBytes: _b, ...run }) => run),
    modelLoadMs: median(runs.map((r) => r.depsMs + r.sessionsMs)),
    indexReadMs: median(runs.map((r) => r.indexReadMs)),
    firstQuestionMs: median(at.map((r) => r.firstQuestionMs!)),
    firstAnswerMs: median(at.map((r) => r.firstAnswerMs!)),
    firstQuestionNoKeywordFileMs: median(without.map((r) => r.firstQuestionMs!)),
    firstAnswerNoKeywordFileMs: median(without.map((r) => r.firstAnswerMs!)),
    viewsMs: median(warm.map((r) => r.viewsMs!)),
    keywordIndexMs: median(warm.map((r) => r.keywordIndexMs!)),
    readyMs: median(warm.map((r) => r.readyMs!)),
    questionAfterWarmMs: median(warm.map((r) => r.questionMs!)),
    warmScanMs: median(warm.map((r) => r.warmScanMs!)),
    firstSaveMs: median(warm.map((r) => r.firstSaveMs)),
    firstSaveColdMs: median([...at, ...without].map((r) => r.firstSaveMs)),
  };
  return figures;
}

main().then(
  (figures) => process.stdout.write(JSON.stringify(figures), () => process.exit(0)),
  (err) => {
    process.stderr.write(`[bench] warm start failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
