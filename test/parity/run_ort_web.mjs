// Runs the parity inputs written by test_onnx.py through onnxruntime-web (wasm) in Node:
// the scan over the given chunk pieces with states carried from zeros, and the query encoder.
// Writes each output as raw little-endian float32 plus outputs.json {name: {file, dims}}.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const card = spec.card;
ort.env.wasm.numThreads = 1;
const index = {};
function save(name, tensor) {
  const file = `${name}.bin`;
  writeFileSync(join(spec.out_dir, file), Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
  index[name] = { file, dims: tensor.dims };
}
const zeros = (dims) => new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
const ids = (list) => new ort.Tensor('int64', BigInt64Array.from(list.map(BigInt)), [1, list.length]);

const scan = await ort.InferenceSession.create(readFileSync(join(spec.model_dir, 'scan.onnx')));
let ssm = zeros([card.NS, card.H, card.DK, card.DV]);
let kv = zeros([Math.max(card.NA, 1), 2, card.HA, card.W, card.HD]);
let kvLen = new ort.Tensor('int64', new BigInt64Array(1), [1]);
for (const [i, [s, e]] of spec.pieces.entries()) {
  const out = await scan.run({ tokens: ids(spec.tokens.slice(s, e)), ssm_state: ssm, kv_state: kv, kv_len: kvLen });
  for (const name of ['log_decay', 'readout', 'hidden']) save(`chunk${i}.${name}`, out[name]);
  ({ ssm_state_out: ssm, kv_state_out: kv, kv_len_out: kvLen } = out);
}
save('final.ssm_state_out', ssm);
save('final.kv_state_out', kv);
const query = await ort.InferenceSession.create(readFileSync(join(spec.model_dir, 'query.onnx')));
for (const [i, q] of spec.queries.entries()) save(`query${i}.embedding`, (await query.run({ tokens: ids(q) })).embedding);
writeFileSync(join(spec.out_dir, 'outputs.json'), JSON.stringify(index));
process.exit(0);
