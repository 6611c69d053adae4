// The ≥1M-token part of `npm run bench`, run by bench/run.ts in a child process: builds (or reuses)
// the index of bench/corpus.ts's LARGE_CORPUS with onnxruntime-node, then measures query latency,
// edit-to-fresh, index bytes per region, the index write and the doc→region retrieval check, and
// prints them as JSON on stdout (progress on stderr). Its peak RSS is the engine's.
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { layoutIndex } from '../extension/engine/index/indexFile';
import { liveFileNear } from '../extension/engine/index/types';
import { heldWhole } from '../extension/engine/query/regionMath';
import { probeIds } from '../extension/engine/scan/probeHead';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { corpusRoots, LARGE_CORPUS } from './corpus';
import { scanRateInChild } from './scanRate';
import { measureRetrieval } from './retrieval';

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const CACHE_DIR = process.env.BENCH_CACHE ?? join(tmpdir(), 'longview-bench');
const THREADS = 2;
/** Saves of the edited file: its creation, then saves that append a line. */
const SAVES = 8;

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

const rssMB = () => Math.round(process.memoryUsage.rss() / 2 ** 20);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function largeIndexFigures() {
  const roots = corpusRoots(LARGE_CORPUS);
  const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: 'onnxruntime-node', threads: THREADS } });
  const engine = await WorkspaceEngine.open(deps, { roots, cacheDir: CACHE_DIR });
  log(`large index: ${roots.length} package folders; scanning what is not cached in ${CACHE_DIR}`);
  // The scan rate of throughput.ts (the synthetic 4,096 tokens), just before and after the index: what
  // an index from scratch is compared with (bench/indexPipeline.ts compares it with the scan path on
  // the same files, alternating, on a smaller workspace). Measured in a child process: a session made
  // here would stay in this process's peak RSS, which is the engine's.
  const scanRate = () => scanRateInChild(MODEL_DIR, THREADS);
  const building = engine.index.history.length === 0;
  const scanBefore = building ? await scanRate() : null;
  let lastLog = 0;
  const report = await engine.sync({
    onProgress: (p) => {
      if (Date.now() - lastLog < 15000) return;
      lastLog = Date.now();
      log(`  ${p.filesDone}/${p.filesTotal} files, ${p.tokensDone} tokens, ${p.tokensPerSecond} tokens/s, eta ${p.etaSeconds}s`);
    },
  });
  const scanAfter = building ? await scanRate() : null;
  const status = engine.status();
  log(
    `  index: ${status.files} files, ${status.regions} regions, ${status.tokens} tokens (${report.scanned} scanned now in ${report.seconds.toFixed(0)}s)`,
  );

  log(`rss after the sync: ${rssMB()} MB (peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`);
  // What recall() would probe here (no model calls: bench/probeCost.ts times the probe on a smaller
  // workspace, bench/run.ts scales it to this one): regions beyond the attention window, and their
  // distinct heads (the zero-state half is computed once per head and kept in an LRU of that many).
  const views = engine.views();
  const card = deps.model.card;
  const beyond = views.filter((v) => !heldWhole(card, v));
  const heads = new Set(
    beyond.map((v) => probeIds(v.region.head, v.region.tokEnd - v.region.tokStart, card.recallProbeTokens).join(',')).filter((k) => k),
  );
  // The zero-state cache's capacity, read from the probe itself (query/recallProbe.ts; private there).
  const zeroCache = (engine.recallProbe as unknown as { zeroNll?: { capacity?: number } } | undefined)?.zeroNll?.capacity ?? null;
  const probe = { probedRegions: beyond.length, distinctHeads: heads.size, zeroCache };

  // Query latency: questions made of region docs and names across the workspace, no active file,
  // then the same with an active file (which adds a fresh scan of it).
  const withDoc = views.filter((v) => v.region.doc.length > 20);
  const questions = Array.from({ length: 60 }, (_, i) => withDoc[(i * 7919) % withDoc.length]?.region.doc ?? `function ${i}`);
  await engine.ask('warm up the query encoder');
  const latencies: number[] = [];
  let rereads = 0;
  // Ask measures the recall probe of the hits it shows (cached per state, so a question's new hits only).
  const probeCalls0 = engine.recallProbe?.calls.scan ?? 0;
  const cpu0 = process.cpuUsage();
  for (const q of questions) {
    const t0 = performance.now();
    const r = await engine.ask(q);
    latencies.push(performance.now() - t0);
    rereads += r.rereads;
  }
  const cpu = process.cpuUsage(cpu0);
  const probeCallsPerQuestion = ((engine.recallProbe?.calls.scan ?? 0) - probeCalls0) / questions.length;
  const queryCpuMs = (cpu.user + cpu.system) / 1000 / questions.length;
  latencies.sort((a, b) => a - b);
  const activeLatencies: number[] = [];
  const files = engine.index.history.filter((f) => f.live && f.tokens > 500 && f.tokens < 3000);
  for (let i = 0; i < 10 && files.length; i++) {
    const f = files[(i * 31) % files.length];
    const t0 = performance.now();
    await engine.ask(questions[i], { activeFile: f.path });
    activeLatencies.push(performance.now() - t0);
  }
  activeLatencies.sort((a, b) => a - b);
  log(`rss after the questions: ${rssMB()} MB (peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`);

  // Edit-to-fresh for a ~2k-token file: a new file (a copy of the indexed file nearest 2k tokens)
  // is created, then saved SAVES - 1 more times, each followed by the engine's file event, timed until
  // the in-memory index answers with the new version (the index file is written 1.5 s after the last
  // save, off this path; its write time is measured below), and until what a question reads is made
  // for the new state too (the regions' views and the keyword index: the fresh answers). Then the file
  // is deleted; compaction then only rewinds to the checkpoint before it. An older file's first edit
  // costs the same scan as the creation (the old version stays as a decaying trace until compaction,
  // which rescans from the checkpoint before it to the end: that cost is the compaction figure, not
  // edit-to-fresh).
  log(`rss before the edits: ${rssMB()} MB`);
  const model = liveFileNear(engine.index, 2000)!;
  const source = await readFile(engine.absFromUser(model.path), 'utf8');
  // In its language (its extension): the user saves the file open in the editor, which the engine
  // worker scanned once after opening (warmScan: the scan's code compiled before the first save).
  const target = join(roots[0], `longview-bench-edit-${process.pid}${extname(model.path)}`);
  await engine.warmScan(model.path);
  const edits: number[] = [];
  const answers: number[] = [];
  // Baselines, interleaved with the saves: the same bytes scanned from a zero state right after each
  // save, as Ask scans an active file (read, outline, tokens, the model; not cached: every version is
  // new). What a save costs beyond its baseline is the index's own share.
  const baselines: number[] = [];
  try {
    await writeFile(target, source);
    for (let i = 0; i < SAVES; i++) {
      if (i > 0) await appendFile(target, `\n// edited by the benchmark ${i}\n`);
      const t0 = performance.now();
      const skipped = await engine.fileChanged(target);
      const t1 = performance.now();
      if (skipped) throw new Error(`edit target skipped: ${skipped}`);
      engine.views();
      await engine.lexicalScores(questions[i]);
      answers.push(performance.now() - t0);
      edits.push(t1 - t0);
      const b0 = performance.now();
      await engine.scanFresh(target);
      baselines.push(performance.now() - b0);
    }
  } finally {
    await rm(target, { force: true });
    await engine.fileDeleted(target);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const c0 = performance.now();
  await engine.compact();
  const compactMs = Math.round(performance.now() - c0);
  const w0 = performance.now();
  await engine.persist();
  const indexWriteMs = Math.round(performance.now() - w0);
  log(`rss after the edits, compaction and write: ${rssMB()} MB (peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`);
  log('retrieval check: doc comment → region, model vs BM25 vs fused');
  // 300 questions: samples of 100 moved fused / BM25 by ±0.05 (0.805 / 0.767 on one, 0.729 / 0.754 on another).
  const retrieval = await measureRetrieval(engine, 300);

  log(`rss after the retrieval check: ${rssMB()} MB (peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`);
  // Index bytes per region: the records alone (state and checkpoints excluded), and the whole file
  // (sizes from the layout: the file is not made again in memory, which would add to the peak RSS).
  const idx = engine.index;
  const regionsOnly = layoutIndex({
    ...idx,
    checkpoints: [],
    state: { ...idx.state, ssm: new Float32Array(0), kv: new Float32Array(0) },
  }).bytes;
  const whole = layoutIndex(idx).bytes;
  const regions = engine.status().regions;
  await engine.close();
  return {
    files: status.files,
    regions,
    tokens: status.tokens,
    scannedNow: report.scanned,
    scanSeconds: Math.round(report.seconds),
    endToEndTokensPerSecond: report.scanned ? Math.round(report.tokens / report.seconds) : null,
    // The synthetic scan just before and after a from-scratch index, and the index's rate over their mean.
    scanTokensPerSecondAround: scanBefore && scanAfter ? [Math.round(scanBefore), Math.round(scanAfter)] : null,
    endToEndToScanRatio:
      scanBefore && scanAfter && report.scanned
        ? Math.round((report.tokens / report.seconds / ((scanBefore + scanAfter) / 2)) * 1000) / 1000
        : null,
    queryP50Ms: Math.round(percentile(latencies, 0.5)),
    queryP95Ms: Math.round(percentile(latencies, 0.95)),
    queryCpuMsPerQuestion: Math.round(queryCpuMs),
    queryRereadsPerQuestion: Math.round((rereads / questions.length) * 10) / 10,
    queryProbeCallsPerQuestion: Math.round(probeCallsPerQuestion * 10) / 10,
    activeFileQueryP50Ms: activeLatencies.length ? Math.round(percentile(activeLatencies, 0.5)) : null,
    editTarget: { copyOf: model.path, tokens: model.tokens },
    compactAfterDeleteMs: compactMs,
    editToFreshFirstMs: Math.round(edits[0]),
    editToFreshRepeatMs: Math.round(Math.max(...edits.slice(1))),
    editToFreshRepeatMedianMs: Math.round(median(edits.slice(1))),
    // Until the answers are fresh: the save, then the regions' views and the keyword index of the new state.
    editToAnswersFirstMs: Math.round(answers[0]),
    editToAnswersRepeatMedianMs: Math.round(median(answers.slice(1))),
    editFreshScanBaselineMs: Math.round(median(baselines)),
    // Each save over the baseline measured right after it (median): the engine's share, whatever the load.
    editToFreshOverBaseline: Math.round(median(edits.map((e, i) => e / baselines[i])) * 100) / 100,
    indexBytesPerRegion: Math.round(regionsOnly / regions),
    indexFileBytes: whole,
    indexFileBytesPerRegion: Math.round(whole / regions),
    indexWriteMs,
    retrieval,
    probe,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

largeIndexFigures().then(
  (figures) => process.stdout.write(JSON.stringify(figures), () => process.exit(0)),
  (err) => {
    process.stderr.write(`[bench] large index failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
