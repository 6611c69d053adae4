// `npm run bench`: every figure of issue 4 from one command, ratios measured in the same run.
// Prints a table and writes bench/results.json. Options (env):
//   BENCH_SKIP_LARGE=1   skip the ≥1M-token index (query latency, edit-to-fresh, bytes per region)
//   BENCH_CACHE=DIR      where the large index is kept between runs (default: $TMPDIR/longview-bench)
//   LONGVIEW_MODEL_DIR   model folder (default media/model)
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { loadModelFiles } from "../extension/engine/model/card";
import { loadOrtNode } from "../extension/engine/runtime/ortNode";
import { loadOrtWeb } from "../extension/engine/runtime/ortWeb";
import { encodeIndex } from "../extension/engine/index/indexFile";
import { createEngineDeps } from "../extension/engine/workspace/engineDeps";
import { WorkspaceEngine } from "../extension/engine/workspace/workspaceEngine";
import { corpusRoots, LARGE_CORPUS, SMALL_CORPUS } from "./corpus";
import { measureStall } from "./stall";
import { measureThroughput, type ThroughputFigures } from "./throughput";
import { measureRetrieval } from "./retrieval";

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? "media/model");
const GRAPHS_DIR = join(tmpdir(), "longview-bench-graphs");
const CACHE_DIR = process.env.BENCH_CACHE ?? join(tmpdir(), "longview-bench");
const THREADS = 2;

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

function referenceGraphs() {
  if (!existsSync(join(GRAPHS_DIR, "minilm.onnx"))) {
    log("building the MatMul and MiniLM-shaped reference graphs (.venv python)");
    execFileSync(resolve(".venv/bin/python"), ["bench/make_bench_models.py", GRAPHS_DIR], { stdio: ["ignore", "ignore", "inherit"] });
  }
  const shapes = JSON.parse(readFileSync(join(GRAPHS_DIR, "shapes.json"), "utf8"));
  return {
    matmulOnnx: readFileSync(join(GRAPHS_DIR, "matmul.onnx")),
    minilmOnnx: readFileSync(join(GRAPHS_DIR, "minilm.onnx")),
    matmulShape: shapes.matmul as { M: number; K: number; N: number },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function largeIndexFigures() {
  const roots = corpusRoots(LARGE_CORPUS);
  const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: "onnxruntime-node", threads: THREADS } });
  const engine = await WorkspaceEngine.open(deps, { roots, cacheDir: CACHE_DIR });
  log(`large index: ${roots.length} package folders; scanning what is not cached in ${CACHE_DIR}`);
  let lastLog = 0;
  const report = await engine.sync({
    onProgress: (p) => {
      if (Date.now() - lastLog < 15000) return;
      lastLog = Date.now();
      log(`  ${p.filesDone}/${p.filesTotal} files, ${p.tokensDone} tokens, ${p.tokensPerSecond} tokens/s, eta ${p.etaSeconds}s`);
    },
  });
  const status = engine.status();
  log(`  index: ${status.files} files, ${status.regions} regions, ${status.tokens} tokens (${report.scanned} scanned now in ${report.seconds.toFixed(0)}s)`);

  // Query latency: questions made of region docs and names across the workspace, no active file,
  // then the same with an active file (which adds a fresh scan of it).
  const views = engine.views();
  const withDoc = views.filter((v) => v.region.doc.length > 20);
  const questions = Array.from({ length: 60 }, (_, i) => withDoc[(i * 7919) % withDoc.length]?.region.doc ?? `function ${i}`);
  await engine.ask("warm up the query encoder");
  const latencies: number[] = [];
  let rereads = 0;
  for (const q of questions) {
    const t0 = performance.now();
    const r = await engine.ask(q);
    latencies.push(performance.now() - t0);
    rereads += r.rereads;
  }
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

  // Edit-to-fresh for a ~2k-token file: append a line, tell the engine, until the index (and its
  // file on disk) answers with the new version. First edit of an old file (appended, its old version
  // left as a decaying trace), then a second save of the same file (rewinds to the checkpoint).
  const target = engine.index.history
    .filter((f) => f.live)
    .sort((a, b) => Math.abs(a.tokens - 2000) - Math.abs(b.tokens - 2000))[0];
  const abs = engine.absFromUser(target.path);
  const original = await readFile(abs);
  const edits: number[] = [];
  try {
    for (let i = 0; i < 4; i++) {
      await appendFile(abs, `\n// edited by the benchmark ${i}\n`);
      const t0 = performance.now();
      const skipped = await engine.fileChanged(abs);
      edits.push(performance.now() - t0);
      if (skipped) throw new Error(`edit target skipped: ${skipped}`);
    }
  } finally {
    await writeFile(abs, original);
    await engine.fileChanged(abs);
  }
  await engine.compact();
  const w0 = performance.now();
  await engine.persist();
  const indexWriteMs = Math.round(performance.now() - w0);
  log("retrieval check: doc comment → region, model vs BM25 vs fused");
  const retrieval = await measureRetrieval(engine, 100);

  // Index bytes per region: the records alone (state and checkpoints excluded), and the whole file.
  const idx = engine.index;
  const regionsOnly = encodeIndex({ ...idx, checkpoints: [], state: { ...idx.state, ssm: new Float32Array(0), kv: new Float32Array(0) } }).length;
  const whole = encodeIndex(idx).length;
  const regions = engine.status().regions;
  await engine.close();
  return {
    files: status.files,
    regions,
    tokens: status.tokens,
    scannedNow: report.scanned,
    scanSeconds: Math.round(report.seconds),
    endToEndTokensPerSecond: report.scanned ? Math.round(report.tokens / report.seconds) : null,
    queryP50Ms: Math.round(percentile(latencies, 0.5)),
    queryP95Ms: Math.round(percentile(latencies, 0.95)),
    queryRereadsPerQuestion: Math.round((rereads / questions.length) * 10) / 10,
    activeFileQueryP50Ms: activeLatencies.length ? Math.round(percentile(activeLatencies, 0.5)) : null,
    editTarget: { path: target.path, tokens: target.tokens },
    editToFreshFirstMs: Math.round(edits[0]),
    editToFreshRepeatMs: Math.round(Math.max(...edits.slice(1))),
    indexBytesPerRegion: Math.round(regionsOnly / regions),
    indexFileBytes: whole,
    indexFileBytesPerRegion: Math.round(whole / regions),
    indexWriteMs,
    retrieval,
  };
}

async function main() {
  const model = await loadModelFiles(MODEL_DIR);
  const graphs = referenceGraphs();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  log(machine);
  const throughput: ThroughputFigures[] = [];
  for (const runtime of [await loadOrtNode(THREADS), await loadOrtWeb({ threads: THREADS })]) {
    log(`throughput: ${runtime.name}`);
    throughput.push(await measureThroughput(runtime, { card: model.card, scanOnnx: model.scanOnnx, ...graphs }));
  }
  const large = process.env.BENCH_SKIP_LARGE ? null : await largeIndexFigures();
  log("event-loop stall of a host while its worker scans");
  const stall = await measureStall(corpusRoots(SMALL_CORPUS), MODEL_DIR, "onnxruntime-node");
  const results = {
    date: new Date().toISOString(),
    machine,
    loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
    modelHash: model.filesHash,
    flopsPerToken: model.card.flopsPerToken,
    throughput,
    large,
    stall,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  writeFileSync("bench/results.json", JSON.stringify(results, null, 1) + "\n");
  printTable(results);
}

function printTable(r: any) {
  const rows: [string, string, string][] = [];
  for (const t of r.throughput as ThroughputFigures[]) {
    const target = t.runtime === "onnxruntime-node" ? 8000 : 2000;
    rows.push([`scan ${t.runtime}`, `${t.scanTokensPerSecond} tokens/s (${t.scanTokensPerCpuSecondPerThread} per CPU-second per thread)`, `≥ ${target}`]);
    rows.push([`  roofline ratio`, `${t.rooflineRatio} (MatMul ${t.matmulGflops} GFLOP/s → ${t.rooflineTokensPerSecond} tokens/s)`, "≥ 0.6"]);
    rows.push([`  MiniLM-L6-shaped encoder`, `${t.minilmTokensPerSecond} tokens/s (sequences of ${t.minilmSequence})`, "—"]);
  }
  if (r.large) {
    const l = r.large;
    rows.push(["index", `${l.tokens} tokens, ${l.files} files, ${l.regions} regions`, "≥ 1M tokens"]);
    rows.push(["query p50 / p95", `${l.queryP50Ms} / ${l.queryP95Ms} ms (${l.queryRereadsPerQuestion} re-reads/question)`, "p95 ≤ 200 ms"]);
    rows.push(["edit-to-fresh (2k tokens)", `${l.editToFreshFirstMs} ms first edit, ${l.editToFreshRepeatMs} ms repeat saves (index written ${l.indexWriteMs} ms later, off the path)`, "≤ 500 ms"]);
    rows.push(["doc → region MRR@10", `model ${l.retrieval.mrrModel}, BM25 ${l.retrieval.mrrBm25}, fused ${l.retrieval.mrrFused} (${l.retrieval.questions} questions)`, "fused ≥ model"]);
    rows.push(["index bytes per region", `${l.indexBytesPerRegion} (records); whole file ${l.indexFileBytesPerRegion}`, "≤ 1024"]);
  }
  rows.push(["host event-loop stall", `${r.stall.maxStallMs} ms max (p99 ${r.stall.p99LatenessMs} ms) over a ${r.stall.scanSeconds}s scan`, "≤ 50 ms"]);
  rows.push(["peak RSS", `${r.peakRssMB} MB`, "—"]);
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  console.log(`machine: ${r.machine}; load average at the end ${r.loadAverage.join(", ")} (other processes share the cores when it exceeds the core count)`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : err}`);
    process.exit(1);
  },
);
