// What a user waits for in the editor (issue 21), run by bench/run.ts in a child process: Summarize
// Current File of a 2,000-line file in an indexed workspace (the engine's summarize, what the Summary
// section asks for), and the heatmap's request for that file (recall({ file })), on a copy of
// UX_CORPUS with onnxruntime-node, 2 threads. Baselines measured in the same run: the file's outline
// alone (tree-sitter) and one model scan of the file's tokens (what summarize's salience pass costs).
// Prints JSON on stdout (progress on stderr). The copy is edited, never node_modules.
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { heldWhole } from '../extension/engine/query/regionMath';
import { ModelScanner } from '../extension/engine/scan/modelScanner';
import { zeroState } from '../extension/engine/scan/scanState';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { corpusRoots, UX_CORPUS, UX_FILE } from './corpus';

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const THREADS = 2;
const REPEATS = 3;

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

async function ms<T>(run: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await run();
  return Math.round(performance.now() - t0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface UxFigures {
  date: string;
  /** At the end of the run: above the core count, other processes shared the cores. */
  loadAverage: number[];
  runtime: string;
  threads: number;
  corpus: string[];
  file: string;
  lines: number;
  tokens: number;
  regions: number;
  /**
   * Summarize Current File on the indexed, unchanged file: the first call after the engine opened on
   * its index (what a user waits for: the file's recall probes measured, every file read once for the
   * reference graph); then the median of REPEATS more (all of that cached).
   */
  summarize_indexed_ms: number;
  summarizeRepeatMs: number;
  /** The heatmap's request for the file (recall({ file })) after an edit elsewhere changed the state: every probe of the file measured again. */
  heatmap_visible_ms: number;
  heatmapProbedRegions: number;
  /** recall({ file }) again, nothing changed (cached). */
  heatmapRepeatMs: number;
  /** Baselines, same run: the outline alone, and one scan of the file's tokens from a zero state. */
  outlineMs: number;
  scanFileMs: number;
}

async function ux(): Promise<UxFigures> {
  const [source] = corpusRoots(UX_CORPUS);
  const work = await mkdtemp(join(tmpdir(), 'lv-ux-bench-'));
  const root = join(work, 'src');
  await cp(source, root, { recursive: true });
  try {
    const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: 'onnxruntime-node', threads: THREADS } });
    const card = deps.model.card;
    const cacheDir = join(work, 'cache');
    let engine = await WorkspaceEngine.open(deps, { roots: [root], cacheDir });
    log(`ux: indexing ${UX_CORPUS.join(', ')} (a copy)`);
    await engine.sync();
    await engine.persist();
    await engine.close();
    // As the extension is after a restart: the index on disk, the engine opened on it.
    engine = await WorkspaceEngine.open(deps, { roots: [root], cacheDir });
    await engine.sync();
    const file = join(root, UX_FILE);
    const text = await readFile(file, 'utf8');

    const summarizeFirstMs = await ms(() => engine.summarize(file));
    const repeats: number[] = [];
    for (let i = 0; i < REPEATS; i++) repeats.push(await ms(() => engine.summarize(file)));
    log(`  summarize ${UX_FILE}: first ${summarizeFirstMs} ms, then ${repeats.join(', ')} ms`);

    // An edit of another file changes the final state: the file's probes are measured again, as when
    // the heatmap redraws after a save.
    const other = engine.index.history.filter((f) => f.live && f.relPath !== UX_FILE).pop()!;
    await appendFile(join(root, other.relPath), '\n// edited by the benchmark\n');
    await engine.fileChanged(join(root, other.relPath));
    const rel = engine.index.history.find((f) => f.live && f.relPath === UX_FILE)!;
    const views = engine.views().filter((v) => v.file === rel);
    const heatmapProbedRegions = views.filter((v) => !heldWhole(card, v)).length;
    const heatmapMs = await ms(() => engine.recall({ file }));
    const heatmapRepeatMs = await ms(() => engine.recall({ file }));
    log(`  heatmap ${UX_FILE} (${heatmapProbedRegions} probed regions): ${heatmapMs} ms, repeat ${heatmapRepeatMs} ms`);

    // Baselines on the same machine state.
    const outlineMs = await ms(() => deps.regions.outline(UX_FILE, text));
    const ids = Array.from(deps.tokenizer.encode(text).ids);
    const session = await deps.runtime.runtime.createSession(deps.model.scanOnnx);
    const scanner = new ModelScanner(card, session);
    await scanner.feed(zeroState(card), ids.slice(0, 2 * card.chunk)); // warm-up
    const scanFileMs = await ms(() => scanner.feed(zeroState(card), ids));
    await session.release();
    await engine.close();
    return {
      date: new Date().toISOString(),
      loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
      runtime: deps.runtime.runtime.name,
      threads: deps.runtime.runtime.threads,
      corpus: UX_CORPUS,
      file: UX_FILE,
      lines: text.split('\n').length,
      tokens: ids.length,
      regions: views.length,
      summarize_indexed_ms: summarizeFirstMs,
      summarizeRepeatMs: median(repeats),
      heatmap_visible_ms: heatmapMs,
      heatmapProbedRegions,
      heatmapRepeatMs,
      outlineMs,
      scanFileMs,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

ux().then(
  (figures) => process.stdout.write(JSON.stringify(figures), () => process.exit(0)),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
