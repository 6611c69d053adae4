// Per-chunk cost of scan.onnx's outputs crossing into JavaScript, three ways, in one runtime:
//   plain     every output returned (what the engine does: ModelSession.run with no fetches)
//   names     only the four outputs the workspace scan reads (ssm_state_out, kv_state_out, log_decay, readout)
//   prealloc  those four (and kv_len_out) written into Tensors allocated once, the states ping-ponged
// Medians of REPS rounds of CHUNKS chunks (of card.chunk tokens, states carried), wall and CPU ms per chunk.
// Usage: [RT=node|web] [REPS=7] [CHUNKS=16] node bench/scanFetches.mjs [scan.onnx ...]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
process.env.ORT_DISABLE_TELEMETRY = '1'; // onnxruntime-node's telemetry off before it loads (runtime/offline.ts)
const require = createRequire(import.meta.url);
const card = JSON.parse(readFileSync('media/model/card.json', 'utf8'));
const T = card.chunk;
const ssmDims = [card.NS, card.H, card.DK, card.DV];
const kvDims = [card.NA, 2, card.HA, card.W, card.HD];
const size = (d) => d.reduce((a, b) => a * b, 1);
const tokens = new BigInt64Array(T).map((_, i) => BigInt(4 + ((i * 7919) % 8000)));

async function bench(ort, session, mode, chunks) {
  const f32 = (dims) => new ort.Tensor('float32', new Float32Array(size(dims)), dims);
  const tk = new ort.Tensor('int64', tokens, [1, T]);
  let [ssm, ssm2, kv, kv2] = [f32(ssmDims), f32(ssmDims), f32(kvDims), f32(kvDims)];
  const fixed = {
    log_decay: f32([T, card.NS, card.H]),
    readout: f32([T, card.H, card.R]),
    kv_len_out: new ort.Tensor('int64', new BigInt64Array(1), [1]),
  };
  let kvLen = 0;
  const run = async () => {
    const feeds = { tokens: tk, ssm_state: ssm, kv_state: kv, kv_len: new ort.Tensor('int64', BigInt64Array.of(BigInt(kvLen)), [1]) };
    if (mode === 'prealloc') {
      await session.run(feeds, { ssm_state_out: ssm2, kv_state_out: kv2, ...fixed });
      [ssm, ssm2, kv, kv2] = [ssm2, ssm, kv2, kv];
    } else {
      const out = await session.run(feeds, mode === 'names' ? ['ssm_state_out', 'kv_state_out', 'log_decay', 'readout'] : undefined);
      [ssm, kv] = [out.ssm_state_out, out.kv_state_out];
    }
    kvLen = Math.min(card.W, kvLen + T);
  };
  for (let i = 0; i < 3; i++) await run();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < chunks; i++) await run();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / chunks, cpu: (c.user + c.system) / 1000 / chunks };
}

const which = process.env.RT ?? 'node';
const ort = which === 'node' ? require('onnxruntime-node') : await import('onnxruntime-web');
if (which !== 'node') ort.env.wasm.numThreads = 2;
const paths = process.argv.slice(2).length ? process.argv.slice(2) : ['media/model/scan.onnx'];
const options =
  which === 'node'
    ? { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }
    : { executionProviders: ['wasm'] };
const modes = ['plain', 'names', 'prealloc'];
const results = {};
for (const p of paths) {
  const session = await ort.InferenceSession.create(readFileSync(p), options);
  for (const m of modes) results[`${p} ${m}`] = [];
  for (let r = 0; r < Number(process.env.REPS ?? 7); r++)
    for (const m of modes) results[`${p} ${m}`].push(await bench(ort, session, m, Number(process.env.CHUNKS ?? 16)));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [key, runs] of Object.entries(results)) {
  const wall = median(runs.map((r) => r.wall));
  const cpu = median(runs.map((r) => r.cpu));
  console.log(
    `${which} ${key}: ${wall.toFixed(2)} ms/chunk wall (${Math.round((T / wall) * 1000)} tokens/s), ${cpu.toFixed(2)} CPU-ms/chunk`,
  );
}
process.exit(0);
