// `npm run bench`: every figure of issue 4 from one command, ratios measured in the same run.
// Prints a table and writes bench/results.json. Options (env):
//   BENCH_SKIP_LARGE=1   skip the ≥1M-token index (query latency, edit-to-fresh, bytes per region)
//   BENCH_ONLY=probe     only the recall probe's cost (bench/probeCost.ts): printed, results.json untouched
//   BENCH_ONLY=storm     only the edit storm (bench/storm.ts): printed, and results.json's `storm` replaced
//   BENCH_ONLY=throughput only the scan, roofline, state round trip and MiniLM figures of both runtimes: printed, results.json untouched
//   BENCH_ONLY=ux        only what a user waits for (bench/ux.ts): printed, and results.json's `ux` replaced
//   BENCH_ONLY=pipeline  only the index pipeline's ratio (bench/indexPipeline.ts; BENCH_PIPELINE_CORPUS=large for the
//                        1.1M-token workspace): printed, and results.json's `pipeline` replaced
//   BENCH_ONLY=warm      only the warm start on the cached 1.1M-token index (bench/warmStart.ts): printed, and
//                        results.json's `warmStart` replaced
//   BENCH_ONLY=large     only the 1.1M-token index (bench/largeIndex.ts) and the warm start on it: `large` and `warmStart` replaced
//   BENCH_CACHE=DIR      where the large index is kept between runs (default: $TMPDIR/longview-bench)
//   LONGVIEW_MODEL_DIR   model folder (default media/model)
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModelFiles } from '../extension/engine/model/card';
import { loadOrtNode } from '../extension/engine/runtime/ortNode';
import { loadOrtWeb } from '../extension/engine/runtime/ortWeb';
import { childFigures, corpusRoots, SMALL_CORPUS } from './corpus';
import type { ProbeCall, ProbeCostFigures } from './probeCost';
import { printQuestions, type QuestionFigures } from './questions';
import { measureStall } from './stall';
import { measureThroughput, type ThroughputFigures } from './throughput';
import type { UxFigures } from './ux';
import type { PipelineFigures } from './indexPipeline';
import type { WarmStartFigures } from './warmStart';

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const GRAPHS_DIR = join(tmpdir(), 'longview-bench-graphs');
const THREADS = 2;
/** Regions of the ≥1M-token index (README), for the probe's estimate when that part is skipped. */
const LARGE_REGIONS = 9100;

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

function referenceGraphs() {
  if (!['minilm.onnx', 'projections.onnx', 'state_roundtrip.onnx'].every((f) => existsSync(join(GRAPHS_DIR, f)))) {
    log('building the MatMul and MiniLM-shaped reference graphs (.venv python)');
    execFileSync(resolve('.venv/bin/python'), ['bench/make_bench_models.py', GRAPHS_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const shapes = JSON.parse(readFileSync(join(GRAPHS_DIR, 'shapes.json'), 'utf8'));
  return {
    matmulOnnx: readFileSync(join(GRAPHS_DIR, 'matmul.onnx')),
    minilmOnnx: readFileSync(join(GRAPHS_DIR, 'minilm.onnx')),
    matmulShape: shapes.matmul as { M: number; K: number; N: number },
    projectionsOnnx: readFileSync(join(GRAPHS_DIR, 'projections.onnx')),
    projectionsShape: shapes.projections as { T: number; flops: number },
    stateRoundTripOnnx: readFileSync(join(GRAPHS_DIR, 'state_roundtrip.onnx')),
    states: shapes.states as Record<string, number[]>,
  };
}

/**
 * The ≥1M-token index in a child process of its own, so its peak RSS is the engine's (index, model
 * sessions, queries) and not this process's, which also loads the MiniLM-shaped reference graph.
 */
const largeIndexFigures = () => childFigures('bench/largeIndex.ts');
/** The recall probe's cost, in a child process too (its engines would add to this process's peak RSS). */
const probeCostFigures = (): Promise<ProbeCostFigures[]> => childFigures('bench/probeCost.ts');
/** The edit storm, in a child process too (its RSS figures are the engine's). */
const stormFigures = (): Promise<any> => childFigures('bench/storm.ts', {}, ['--expose-gc']); // RSS compared after a full GC
/** Summarize and the heatmap on an indexed 2,000-line file, in a child process too. */
const uxFigures = (): Promise<UxFigures> => childFigures('bench/ux.ts');
/** The index end to end against the scan path on the same files, alternating (bench/indexPipeline.ts). */
const pipelineFigures = (): Promise<PipelineFigures> => childFigures('bench/indexPipeline.ts');
/** A new process opening the cached 1.1M-token index and answering (bench/warmStart.ts; its own children). */
const warmStartFigures = (): Promise<WarmStartFigures> => childFigures('bench/warmStart.ts');

/** One part of the bench alone: its figures replace that key of results.json, the rest is kept. */
async function only<T>(key: string, what: string, figures: () => Promise<T>, rows: (rows: [string, string, string][], f: T) => void) {
  log(`${what} only (BENCH_ONLY): results.json keeps its other figures`);
  const f = await figures();
  const previous = existsSync('bench/results.json') ? JSON.parse(readFileSync('bench/results.json', 'utf8')) : {};
  writeFileSync('bench/results.json', JSON.stringify({ ...previous, [key]: f }, null, 1) + '\n');
  const printed: [string, string, string][] = [];
  rows(printed, f);
  printRows(printed);
}

async function main() {
  if (process.env.BENCH_ONLY === 'probe') {
    log('recall probe cost only (BENCH_ONLY=probe): bench/results.json is not written');
    const rows: [string, string, string][] = [];
    probeRows(rows, { probeCost: await probeCostFigures(), large: null });
    printRows(rows);
    return;
  }
  if (process.env.BENCH_ONLY === 'storm') {
    log('edit storm only (BENCH_ONLY=storm): results.json keeps its other figures');
    const storm = await stormFigures();
    const previous = existsSync('bench/results.json') ? JSON.parse(readFileSync('bench/results.json', 'utf8')) : {};
    writeFileSync('bench/results.json', JSON.stringify({ ...previous, storm }, null, 1) + '\n');
    const rows: [string, string, string][] = [];
    stormRows(rows, storm);
    printRows(rows);
    return;
  }
  if (process.env.BENCH_ONLY === 'ux') {
    log('summarize and heatmap only (BENCH_ONLY=ux): results.json keeps its other figures');
    const ux = await uxFigures();
    const previous = existsSync('bench/results.json') ? JSON.parse(readFileSync('bench/results.json', 'utf8')) : {};
    writeFileSync('bench/results.json', JSON.stringify({ ...previous, ux }, null, 1) + '\n');
    const rows: [string, string, string][] = [];
    uxRows(rows, ux);
    printRows(rows);
    return;
  }
  if (process.env.BENCH_ONLY === 'pipeline') return only('pipeline', 'the index pipeline', pipelineFigures, pipelineRows);
  if (process.env.BENCH_ONLY === 'warm') return only('warmStart', 'the warm start', warmStartFigures, warmStartRows);
  if (process.env.BENCH_ONLY === 'large') {
    await only('large', 'the 1.1M-token index', largeIndexFigures, largeRows);
    return only('warmStart', 'the warm start', warmStartFigures, warmStartRows);
  }
  const model = await loadModelFiles(MODEL_DIR);
  const graphs = referenceGraphs();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  log(machine);
  const throughput: ThroughputFigures[] = [];
  for (const runtime of [await loadOrtNode(THREADS), await loadOrtWeb({ threads: THREADS })]) {
    log(`throughput: ${runtime.name}`);
    throughput.push(await measureThroughput(runtime, { card: model.card, scanOnnx: model.scanOnnx, ...graphs }));
  }
  if (process.env.BENCH_ONLY === 'throughput') {
    const rows: [string, string, string][] = [];
    throughputRows(rows, throughput);
    console.log(JSON.stringify(throughput));
    printRows(rows);
    return;
  }
  const large = process.env.BENCH_SKIP_LARGE ? null : await largeIndexFigures();
  log('warm start on the cached large index (bench/warmStart.ts)');
  const warmStart = large ? await warmStartFigures() : null;
  log('the index pipeline against the scan path (bench/indexPipeline.ts)');
  const pipeline = await pipelineFigures();
  log('recall probe cost (workspace and one file, both runtimes)');
  const probeCost = await probeCostFigures();
  log('edit storm (bench/storm.ts)');
  const storm = await stormFigures();
  log('summarize and the heatmap on an indexed 2,000-line file (bench/ux.ts)');
  const ux = await uxFigures();
  log('event-loop stall of a host while its worker scans');
  const stall = await measureStall(corpusRoots(SMALL_CORPUS), MODEL_DIR, 'onnxruntime-node');
  log('Ask on real repositories: the question set (bench/questions.ts), with both keyword baselines');
  const questions: QuestionFigures = await childFigures('bench/questions.ts', { BENCH_QUESTIONS_JSON: '1' });
  const results = {
    date: new Date().toISOString(),
    machine,
    loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
    modelHash: model.filesHash,
    flopsPerToken: model.card.flopsPerToken,
    throughput,
    large,
    warmStart,
    pipeline,
    probeCost,
    stall,
    questions,
    storm,
    ux,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), // the throughput part: both runtimes, MiniLM
  };
  writeFileSync('bench/results.json', JSON.stringify(results, null, 1) + '\n');
  printTable(results);
  printQuestions(questions);
}

function printTable(r: any) {
  const rows: [string, string, string][] = [];
  throughputRows(rows, r.throughput);
  if (r.large) largeRows(rows, r.large);
  if (r.warmStart) warmStartRows(rows, r.warmStart);
  if (r.pipeline) pipelineRows(rows, r.pipeline);
  probeRows(rows, r);
  rows.push([
    'host event-loop stall',
    `${r.stall.maxStallMs} ms max (p99 ${r.stall.p99LatenessMs} ms) over a ${r.stall.scanSeconds}s scan; idle worker: ${r.stall.baselineMaxStallMs} ms max`,
    '≤ 50 ms',
  ]);
  if (r.storm) stormRows(rows, r.storm);
  if (r.ux) uxRows(rows, r.ux);
  rows.push(['peak RSS, throughput part', `${r.peakRssMB} MB (both runtimes, MiniLM-shaped encoder loaded)`, '—']);
  console.log(
    `machine: ${r.machine}; load average at the end ${r.loadAverage.join(', ')} (other processes share the cores when it exceeds the core count)`,
  );
  printRows(rows);
}

function stormRows(rows: [string, string, string][], s: any) {
  rows.push([
    'edit storm',
    `${s.events} events (${Object.entries(s.eventKinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}) every ${s.paceMs} ms, ${s.asks} asks between; ${s.files} files, ${fmt(s.tokens)} tokens`,
    '≥ 300 events',
  ]);
  rows.push([
    '  edit-to-fresh p50 / p95 / max',
    `${s.edit_to_fresh_p50_ms} / ${s.edit_to_fresh_p95_ms} / ${s.edit_to_fresh_max_ms} ms`,
    'p95 ≤ 500 ms',
  ]);
  rows.push(['  delete-to-gone p50 / max', `${s.delete_to_gone_p50_ms} / ${s.delete_to_gone_max_ms} ms`, '—']);
  rows.push([
    '  save during start-up index',
    `${s.save_during_startup_ms} ms (${s.save_during_startup_while_indexing ? 'sent 300 ms in, answered while the start-up index ran' : `the start-up index had finished in ${s.startup_index_ms} ms`})`,
    '≤ 1000 ms',
  ]);
  rows.push(['  stale share, max', `${(100 * s.stale_share_max).toFixed(1)} % of what the state read`, '≤ 50 %']);
  rows.push([
    '  RSS start / after index / peak / after storm',
    `${s.rss_start_mb} / ${s.rss_after_index_mb} / ${s.rss_peak_mb} / ${s.rss_after_storm_mb} MB (ratio ${s.rss_after_storm_ratio})`,
    'ratio ≤ 1.25',
  ]);
}

function throughputRows(rows: [string, string, string][], throughput: ThroughputFigures[]) {
  for (const t of throughput) {
    const target = t.runtime === 'onnxruntime-node' ? 8000 : 2000;
    rows.push([
      `scan ${t.runtime}`,
      `${t.scanTokensPerSecond} tokens/s (${t.scanTokensPerCpuSecondPerThread} per CPU-second per thread)`,
      `≥ ${target}`,
    ]);
    rows.push([
      `  roofline ratio`,
      `${t.rooflineRatio} (MatMul ${t.matmulGflops} GFLOP/s → ${t.rooflineTokensPerSecond} tokens/s)`,
      '≥ 0.6',
    ]);
    rows.push([
      `  at the model's shapes`,
      `${t.modelShapeRooflineRatio} (its projections ${t.projectionGflops} GFLOP/s, best of 5 → ${t.modelShapeRooflineTokensPerSecond} tokens/s)`,
      '≥ 0.6',
    ]);
    rows.push([`  state round trip`, `${t.stateRoundTripMs} ms per call (SSM + K/V into the runtime and back)`, '—']);
    rows.push([`  MiniLM-L6-shaped encoder`, `${t.minilmTokensPerSecond} tokens/s (sequences of ${t.minilmSequence})`, '—']);
  }
}

function uxRows(rows: [string, string, string][], u: UxFigures) {
  const where = `${u.file}: ${fmt(u.lines)} lines, ${fmt(u.tokens)} tokens, ${u.regions} regions; ${u.runtime}, ${u.threads} threads`;
  rows.push([
    'ux.summarize_indexed_ms',
    `${u.summarize_indexed_ms} ms, the first call after the engine opened its index (then ${u.summarizeRepeatMs} ms, median of 3); ${where}`,
    '≤ 1000 ms',
  ]);
  rows.push([
    'ux.heatmap_visible_ms',
    `${u.heatmap_visible_ms} ms for the file's ${u.heatmapProbedRegions} probed regions after an edit elsewhere; repeat ${u.heatmapRepeatMs} ms`,
    '≤ 2000 ms',
  ]);
  rows.push([
    '  baselines, same run',
    `outline alone ${u.outlineMs} ms; one scan of the file's tokens ${u.scanFileMs} ms; load average ${u.loadAverage.join(', ')}`,
    '—',
  ]);
}

function largeRows(rows: [string, string, string][], l: any) {
  rows.push(['index', `${l.tokens} tokens, ${l.files} files, ${l.regions} regions`, '≥ 1M tokens']);
  rows.push([
    'query p50 / p95',
    `${l.queryP50Ms} / ${l.queryP95Ms} ms (${l.queryRereadsPerQuestion} re-reads/question, ${l.queryProbeCallsPerQuestion ?? 0} recall-probe scan calls, ${l.queryCpuMsPerQuestion} CPU-ms each)`,
    'p95 ≤ 200 ms',
  ]);
  rows.push(['  with an active file', `p50 ${l.activeFileQueryP50Ms} ms (first question on a file scans it; cached after)`, '—']);
  rows.push([
    'edit-to-fresh (2k tokens)',
    `${l.editToFreshFirstMs} ms new file, ${l.editToFreshRepeatMedianMs ?? l.editToFreshRepeatMs} ms repeat saves (median; max ${l.editToFreshRepeatMs}; index written ${l.indexWriteMs} ms later, off the path)`,
    '≤ 300 ms',
  ]);
  if (l.editToAnswersFirstMs !== undefined) {
    rows.push([
      '  until the answers are fresh',
      `${l.editToAnswersFirstMs} ms new file, ${l.editToAnswersRepeatMedianMs} ms repeat saves (median): the save, then the regions' views and the keyword index of the new state`,
      '≤ 300 ms',
    ]);
  }
  rows.push([
    '  baseline: the same file from a zero state',
    `${l.editFreshScanBaselineMs} ms, median of one after each save (read, outline, tokens, the model); saves over it: ${l.editToFreshOverBaseline}×`,
    '—',
  ]);
  rows.push(['  compaction after deleting it', `${l.compactAfterDeleteMs} ms`, '—']);
  if (l.endToEndToScanRatio !== null) {
    rows.push([
      'index from scratch, end to end',
      `${l.endToEndTokensPerSecond} tokens/s in ${l.scanSeconds} s: ${l.endToEndToScanRatio} of the scan rate measured just before and after (${l.scanTokensPerSecondAround.join(' / ')} tokens/s)`,
      '≥ 0.85',
    ]);
  }
  rows.push([
    'doc → region MRR@10',
    `model ${l.retrieval.mrrModel} (dense alone ${l.retrieval.mrrDense}), BM25 ${l.retrieval.mrrBm25}, fused ${l.retrieval.mrrFused} (${l.retrieval.questions} questions)`,
    'fused ≥ 1.3 × BM25',
  ]);
  rows.push(['index bytes per region', `${l.indexBytesPerRegion} (records); whole file ${l.indexFileBytesPerRegion}`, '≤ 1024']);
  rows.push(['peak RSS, engine with the 1M-token index', `${l.peakRssMB} MB (scan, queries, edits)`, '≤ 500 MB']);
}

function warmStartRows(rows: [string, string, string][], w: WarmStartFigures) {
  rows.push([
    'warm start, first answer',
    `${w.firstAnswerMs} ms from activation: model ${w.modelLoadMs} ms, index read ${w.indexReadMs} ms, the question ${w.firstQuestionMs} ms (${fmt(w.regions)} regions, ${(w.indexBytes / 2 ** 20).toFixed(1)} MiB index)`,
    '≤ 1000 ms',
  ]);
  rows.push([
    '  without the keyword file',
    `first answer ${w.firstAnswerNoKeywordFileMs} ms, the question ${w.firstQuestionNoKeywordFileMs} ms (its terms made from the files; the keyword file: ${(w.keywordFileBytes / 2 ** 10).toFixed(0)} KiB, ${w.keywordFileBytesPerRegion} bytes per region)`,
    '—',
  ]);
  rows.push([
    '  after warmQueries (the worker)',
    `ready ${w.readyMs} ms after activation (views ${w.viewsMs} ms, keyword index ${w.keywordIndexMs} ms), a question then ${w.questionAfterWarmMs} ms; then warmScan ${w.warmScanMs} ms; the first save after the start ${w.firstSaveMs} ms (without warmScan ${w.firstSaveColdMs} ms); load average ${w.loadAverage.end.join(', ')}`,
    '—',
  ]);
}

function pipelineRows(rows: [string, string, string][], p: PipelineFigures) {
  rows.push([
    'index pipeline: end to end ÷ scan path',
    `${p.ratio} (one file at a time: ${p.ratioOneAtATime}); per CPU-second ${p.cpuRatio} (${p.cpuRatioOneAtATime}); ÷ the synthetic scan ${p.ratioToSynthetic}; ${p.corpus.join(', ')}: ${p.files} files, ${fmt(p.tokens)} tokens, median of ${p.rounds.length} rounds`,
    '≥ 0.85',
  ]);
  rows.push([
    '  rates',
    `end to end ${fmt(p.endToEndTokensPerSecond)}, scan path ${fmt(p.scanPathTokensPerSecond)} tokens/s; load average ${p.loadAverage.start.join(', ')} → ${p.loadAverage.end.join(', ')}`,
    '—',
  ]);
}

function printRows(rows: [string, string, string][]) {
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}

const fmt = (x: number) => x.toLocaleString('en-US');

/**
 * The recall probe's rows: per runtime the measured figures, then the estimate for the ≥1M-token
 * workspace (its probed regions when that part ran, else README's 9,100), from this run's ms per region.
 */
function probeRows(rows: [string, string, string][], r: { probeCost: ProbeCostFigures[]; large: any }) {
  const lp = r.large?.probe as { probedRegions: number; distinctHeads: number; zeroCache: number | null } | undefined;
  const n = lp?.probedRegions ?? LARGE_REGIONS;
  const perRegion = (c: ProbeCall) =>
    `${c.seconds} s, ${c.msPerRegion} ms per probed region = scanning ${c.scanTokens} tokens (CPU time: ${c.cpuMsPerRegion} ms = ${c.scanTokensCpu}); indexing ${c.indexTokens}`;
  for (const p of r.probeCost) {
    rows.push([
      `recall probe, ${p.runtime}`,
      `${p.corpus.join(', ')}: ${p.files} files, ${fmt(p.tokens)} tokens, ${p.regions} regions, ${p.cold.probedRegions} beyond the window`,
      '—',
    ]);
    rows.push([
      '  baseline: scan path',
      `${p.scanPath.msPerToken} ms/token, ${p.scanPath.cpuMsPerToken} CPU-ms/token (${fmt(p.scanPath.tokens)} tokens, before and after)`,
      '—',
    ]);
    rows.push([
      '  baseline: indexing those files',
      `${p.index.seconds} s, ${p.index.msPerToken} ms/token; the edit's rescan ${fmt(p.editRescanMs)} ms`,
      '—',
    ]);
    rows.push(['  workspace recall(), cold', perRegion(p.cold), '—']);
    rows.push(['  after one edit', perRegion(p.afterEdit), '—']);
    rows.push(['  repeat, nothing changed', `${p.repeatMs} ms (cached)`, '—']);
    const h = p.heatmap;
    rows.push([
      `  one file (heatmap)`,
      `${h.file}, ${h.probedRegions} probed regions: cold ${fmt(h.coldMs)} ms, after an edit ${h.afterEditMs} ms, repeat ${h.repeatMs} ms`,
      '—',
    ]);
    const cold = (p.cold.msPerRegion * n) / 1000;
    const edit = (p.afterEdit.msPerRegion * n) / 1000;
    // The zero-state halves are kept in an LRU; recall() asks for the heads in the same order every
    // time, so with more distinct heads than it holds, each is evicted before it is asked for again.
    const thrash = lp && lp.zeroCache !== null && lp.distinctHeads > lp.zeroCache;
    const editText = thrash
      ? `after an edit ${Math.round(cold)} s as cold (${fmt(lp.distinctHeads)} distinct heads > the zero-state cache's ${fmt(lp.zeroCache!)}: none stays cached; ${Math.round(edit)} s if they did)`
      : `after an edit ${Math.round(edit)} s${lp ? ` (${fmt(lp.distinctHeads)} distinct heads, zero-state cache ${lp.zeroCache === null ? '?' : fmt(lp.zeroCache)})` : ''}`;
    rows.push([
      lp ? `  estimate, 1M-token index (${fmt(n)} probed)` : `  estimate, ${fmt(n)} probed regions (README's 1M-token index)`,
      `cold ${Math.round(cold)} s, ${editText}`,
      '—',
    ]);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : err}`);
    process.exit(1);
  },
);
