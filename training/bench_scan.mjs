// Scan speed of media/model/scan.onnx (or the path given) in onnxruntime-web (wasm) and
// onnxruntime-node under Node, 2 threads, chunks of card.chunk tokens with carried states.
// Usage: node training/bench_scan.mjs [scan.onnx] [card.json] [tokens=4096]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
// onnxruntime-node's telemetry off before it loads (what extension/engine/runtime/offline.ts does for the product).
process.env.ORT_DISABLE_TELEMETRY = "1";

const scanPath = process.argv[2] ?? "media/model/scan.onnx";
const card = JSON.parse(readFileSync(process.argv[3] ?? "media/model/card.json", "utf8"));
const totalTokens = Number(process.argv[4] ?? 4096);
const threads = Number(process.env.THREADS ?? 2);

function feeds(ort, T, states) {
  const tokens = new BigInt64Array(T);
  for (let i = 0; i < T; i++) tokens[i] = BigInt(4 + ((i * 7919) % (card.vocab_size - 4)));
  return {
    tokens: new ort.Tensor("int64", tokens, [1, T]),
    ssm_state: states.ssm,
    kv_state: states.kv,
    kv_len: states.kvLen,
  };
}

function zeroStates(ort) {
  const ssmDims = [card.NS, card.H, card.DK, card.DV];
  const kvDims = [Math.max(card.NA, 1), 2, card.HA, card.W, card.HD];
  const size = (d) => d.reduce((a, b) => a * b, 1);
  return {
    ssm: new ort.Tensor("float32", new Float32Array(size(ssmDims)), ssmDims),
    kv: new ort.Tensor("float32", new Float32Array(size(kvDims)), kvDims),
    kvLen: new ort.Tensor("int64", new BigInt64Array(1), [1]),
  };
}

async function bench(name, ort, session) {
  let states = zeroStates(ort);
  const run = async () => {
    const out = await session.run(feeds(ort, card.chunk, states));
    states = { ssm: out.ssm_state_out, kv: out.kv_state_out, kvLen: out.kv_len_out };
  };
  for (let i = 0; i < 3; i++) await run(); // warm-up
  const chunks = Math.ceil(totalTokens / card.chunk);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < chunks; i++) await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const tps = (chunks * card.chunk) / seconds;
  // tokens per CPU-second of this process: on a machine shared with other work, this shows what
  // one uncontended core would do (threads' time included, so it is per core, not per machine)
  const perCpu = (chunks * card.chunk) / cpuSeconds;
  console.log(`${name}: ${tps.toFixed(0)} tokens/s wall, ${perCpu.toFixed(0)} tokens per CPU-second ` +
    `(${chunks} chunks of ${card.chunk}, ${threads} threads, load ${loadavg()[0].toFixed(1)})`);
  return tps;
}

const model = readFileSync(scanPath);
const web = await import("onnxruntime-web");
web.env.wasm.numThreads = threads;
const webSession = await web.InferenceSession.create(model, { executionProviders: ["wasm"] });
await bench("onnxruntime-web", web, webSession);
const node = require("onnxruntime-node");
const nodeSession = await node.InferenceSession.create(model, { intraOpNumThreads: threads, interOpNumThreads: 1 });
await bench("onnxruntime-node", node, nodeSession);
process.exit(0);
