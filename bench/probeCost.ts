// The recall probe's cost (docs/engine.md "Recall and its probe"), run by bench/run.ts in a child
// process: per runtime (onnxruntime-node, onnxruntime-web; 2 threads) a copy of PROBE_CORPUS is
// indexed (one baseline: indexing those files, per token; the other: the engine's scan path alone,
// timed next to the probe calls), then WorkspaceEngine.recall() is timed over the whole workspace cold (no probe cached), after one edit (the final state changed;
// the zero-state halves cached) and repeated with nothing changed (cached), and recall({ file }) (the
// heatmap's request) on a file of about 20 regions, cold and after an edit. Prints JSON on stdout
// (progress on stderr). The copy is edited, never node_modules.
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { heldWhole } from '../extension/engine/query/regionMath';
import type { RuntimeName } from '../extension/engine/runtime/types';
import { ModelScanner } from '../extension/engine/scan/modelScanner';
import { zeroState } from '../extension/engine/scan/scanState';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { corpusRoots, PROBE_CORPUS } from './corpus';

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const THREADS = 2;
/** Regions of the file whose recall the heatmap asks for. */
const HEATMAP_REGIONS = 20;
/** Tokens of the scan-path baseline (as throughput.ts). */
const SCAN_TOKENS = 4096;

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** One measurement of recall() over the whole workspace, and what it costs in tokens scanned. */
export interface ProbeCall {
  /** Regions beyond the attention window: the ones the call probes. */
  probedRegions: number;
  seconds: number;
  msPerRegion: number;
  /** CPU time of this process (all threads: onnxruntime-web's workers too) per probed region. */
  cpuMsPerRegion: number;
  /** One probed region costs as much wall time as scanning this many tokens (scan path alone). */
  scanTokens: number;
  /** The same in CPU time: less moved by other processes on the cores than the wall-time ratio. */
  scanTokensCpu: number;
  /** ... as indexing this many tokens (wall time, against the whole index of the workspace). */
  indexTokens: number;
  /** Model calls (scan.onnx, token_nll.onnx). */
  calls: { scan: number; nll: number };
}

export interface ProbeCostFigures {
  runtime: string;
  threads: number;
  corpus: string[];
  files: number;
  tokens: number;
  regions: number;
  /** Baseline, same run: indexing those files from scratch (discovery, outlines, tokenizer, scan, index writes). */
  index: { seconds: number; msPerToken: number; cpuMsPerToken: number };
  /**
   * Baseline, same run: the engine's scan path alone (ModelScanner, states carried) on SCAN_TOKENS of
   * the workspace's largest file, measured just before the cold call and just after the edit's call
   * (the mean of the two), so it shares the machine's load with the probe.
   */
  scanPath: { tokens: number; msPerToken: number; cpuMsPerToken: number };
  /** recall() of the whole workspace with no probe cached. */
  cold: ProbeCall;
  /** The edit: a line appended to the most recently scanned file, rescanned alone (fileChanged). */
  editRescanMs: number;
  /** recall() of the whole workspace after that edit (the zero-state halves cached). */
  afterEdit: ProbeCall;
  /** recall() again, nothing changed. */
  repeatMs: number;
  repeatCalls: { scan: number; nll: number };
  /** recall({ file }) of a file of about HEATMAP_REGIONS regions. */
  heatmap: { file: string; regions: number; probedRegions: number; coldMs: number; afterEditMs: number; repeatMs: number };
}

/** Wall ms of run(), and its CPU ms (this process, all threads: onnxruntime-web's workers too). */
async function timed<T>(run: () => Promise<T>): Promise<[T, number, number]> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return [out, ms, (cpu.user + cpu.system) / 1000];
}

async function probeCost(runtimeName: RuntimeName): Promise<ProbeCostFigures> {
  const [source] = corpusRoots(PROBE_CORPUS);
  const work = await mkdtemp(join(tmpdir(), 'lv-probe-bench-'));
  const root = join(work, 'src');
  await cp(source, root, { recursive: true });
  try {
    const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: runtimeName, threads: THREADS } });
    const card = deps.model.card;
    if (!deps.model.tokenNll || !(card.recallProbe > 0))
      throw new Error(`the model in ${MODEL_DIR} has no recall probe (card recall_probe ${card.recallProbe})`);
    const cacheDir = join(work, 'cache');
    let engine = await WorkspaceEngine.open(deps, { roots: [root], cacheDir });
    log(`probe cost, ${runtimeName}: indexing ${PROBE_CORPUS.join(', ')} (a copy)`);
    const [report, , scanCpuMs] = await timed(() => engine.sync());

    // The scan path alone, on a session of its own and the workspace's own tokens.
    const largest = engine.index.history.filter((f) => f.live).sort((a, b) => b.tokens - a.tokens)[0];
    const ids = deps.tokenizer.encode(await readFile(join(root, largest.relPath), 'utf8')).ids;
    const scanIds = Array.from({ length: SCAN_TOKENS }, (_, i) => ids[i % ids.length]);
    const scanSession = await deps.runtime.runtime.createSession(deps.model.scanOnnx);
    const scanner = new ModelScanner(card, scanSession);
    await scanner.feed(zeroState(card), scanIds.slice(0, 2 * card.chunk)); // warm-up
    const scanPath = () => timed(() => scanner.feed(zeroState(card), scanIds));
    const scanPathRuns: [number, number][] = [];
    const probed = (file?: string) => engine.views().filter((v) => (!file || v.file.path === file) && !heldWhole(card, v)).length;
    const calls = () => ({ ...engine.recallProbe!.calls });
    const diff = (a: { scan: number; nll: number }, b: { scan: number; nll: number }) => ({ scan: b.scan - a.scan, nll: b.nll - a.nll });

    // The whole workspace (the sidebar's Recall section), cold: the scan session is warm from the
    // index, token_nll's first run is part of it (as when the section opens after indexing).
    const regions = engine.views().length;
    const files = engine.status().files;
    const probedRegions = probed();
    scanPathRuns.push((await scanPath()).slice(1) as [number, number]);
    const c0 = calls();
    const [, coldMs, coldCpuMs] = await timed(() => engine.recall());
    const c1 = calls();
    log(`  cold: ${probedRegions} probed regions in ${(coldMs / 1000).toFixed(1)} s`);

    // One edit: the most recently scanned file saved again (the usual case: rewind to the checkpoint
    // before it, rescan it alone). The final state changes, so every probe is measured again; the
    // zero-state halves come from the cache.
    const live = engine.index.history.filter((f) => f.live);
    const edited = live[live.length - 1];
    const editedAbs = join(root, edited.relPath);
    await appendFile(editedAbs, '\n// edited by the benchmark\n');
    const [skipped, editRescanMs] = await timed(() => engine.fileChanged(editedAbs));
    if (skipped) throw new Error(`edit target ${edited.path} skipped: ${skipped}`);
    const editProbedRegions = probed();
    const [, editMs, editCpuMs] = await timed(() => engine.recall());
    const c2 = calls();
    scanPathRuns.push((await scanPath()).slice(1) as [number, number]);
    await scanSession.release();
    const [, repeatMs] = await timed(() => engine.recall());
    const c3 = calls();
    log(`  after an edit: ${editProbedRegions} probed regions in ${(editMs / 1000).toFixed(1)} s; repeat ${repeatMs.toFixed(1)} ms`);

    // The heatmap: one file of about 20 probed regions (not the edited one: read last, its regions
    // sit mostly in the window), after another edit of the same file (zero-state halves cached), then again (cached).
    const byFile = new Map<string, number>();
    for (const v of engine.views()) if (!heldWhole(card, v)) byFile.set(v.file.path, (byFile.get(v.file.path) ?? 0) + 1);
    const candidates = [...byFile].filter(([path]) => path !== edited.path);
    const [heatFile] = candidates.sort((a, b) => Math.abs(a[1] - HEATMAP_REGIONS) - Math.abs(b[1] - HEATMAP_REGIONS))[0];
    const [warmFile] = candidates.filter(([path]) => path !== heatFile).sort((a, b) => a[1] - b[1])[0];
    const heatAbs = join(root, heatFile);
    await appendFile(editedAbs, '// edited again\n');
    await engine.fileChanged(editedAbs);
    const heatRegions = engine.views().filter((v) => v.file.path === heatFile).length;
    const heatProbed = probed(heatFile);
    const [, heatEditMs] = await timed(() => engine.recall({ file: heatAbs }));
    const [, heatRepeatMs] = await timed(() => engine.recall({ file: heatAbs }));
    await engine.persist();
    await engine.close();

    // The heatmap cold: an engine opened on the saved index (no probe cached), its sessions warmed by
    // the recall of another, small file first.
    engine = await WorkspaceEngine.open(deps, { roots: [root], cacheDir });
    await engine.recall({ file: join(root, warmFile) });
    const [, heatColdMs] = await timed(() => engine.recall({ file: heatAbs }));
    await engine.close();
    log(
      `  heatmap ${heatFile} (${heatProbed} probed regions): cold ${heatColdMs.toFixed(0)} ms, after an edit ${heatEditMs.toFixed(0)} ms`,
    );

    const index = { msPerToken: (report.seconds * 1000) / report.tokens, cpuMsPerToken: scanCpuMs / report.tokens };
    const path = {
      msPerToken: (scanPathRuns[0][0] + scanPathRuns[1][0]) / 2 / SCAN_TOKENS,
      cpuMsPerToken: (scanPathRuns[0][1] + scanPathRuns[1][1]) / 2 / SCAN_TOKENS,
    };
    const call = (probedRegions: number, ms: number, cpuMs: number, calls: { scan: number; nll: number }): ProbeCall => ({
      probedRegions,
      seconds: round1(ms / 1000),
      msPerRegion: round1(ms / probedRegions),
      cpuMsPerRegion: round1(cpuMs / probedRegions),
      scanTokens: Math.round(ms / probedRegions / path.msPerToken),
      scanTokensCpu: Math.round(cpuMs / probedRegions / path.cpuMsPerToken),
      indexTokens: Math.round(ms / probedRegions / index.msPerToken),
      calls,
    });
    const round3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      runtime: deps.runtime.runtime.name,
      threads: deps.runtime.runtime.threads,
      corpus: PROBE_CORPUS,
      files,
      tokens: report.tokens,
      regions,
      index: { seconds: round1(report.seconds), msPerToken: round3(index.msPerToken), cpuMsPerToken: round3(index.cpuMsPerToken) },
      scanPath: { tokens: SCAN_TOKENS, msPerToken: round3(path.msPerToken), cpuMsPerToken: round3(path.cpuMsPerToken) },
      cold: call(probedRegions, coldMs, coldCpuMs, diff(c0, c1)),
      editRescanMs: Math.round(editRescanMs),
      afterEdit: call(editProbedRegions, editMs, editCpuMs, diff(c1, c2)),
      repeatMs: round1(repeatMs),
      repeatCalls: diff(c2, c3),
      heatmap: {
        file: heatFile,
        regions: heatRegions,
        probedRegions: heatProbed,
        coldMs: Math.round(heatColdMs),
        afterEditMs: Math.round(heatEditMs),
        repeatMs: round1(heatRepeatMs),
      },
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function main() {
  const figures: ProbeCostFigures[] = [];
  for (const runtime of ['onnxruntime-node', 'onnxruntime-web'] as const) figures.push(await probeCost(runtime));
  return figures;
}

main().then(
  (figures) => process.stdout.write(JSON.stringify(figures), () => process.exit(0)),
  (err) => {
    process.stderr.write(`[bench] probe cost failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
