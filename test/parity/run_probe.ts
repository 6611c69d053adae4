// The recall probe as the engine computes it (model/onnxInitializer, scan/probeHead, query/recallProbe
// on onnxruntime-web, or onnxruntime-node with runtime "onnxruntime-node"), for test/parity/test_probe.py
// to compare with training/onnx_model.py ShippedModel.probe_gain.
// Spec (JSON file, argv[2]): {model_dir, prefix: ids, regions: [ids...], k, runtime?}.
// The state is `prefix` scanned from zero (ModelScanner); each region's probe is measured against it.
// Prints {probes: [...], ms_per_region} as JSON on stdout.
// Run: node --import tsx test/parity/run_probe.ts spec.json
import '../../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCard } from '../../extension/engine/model/card';
import { float16Matrix } from '../../extension/engine/model/onnxInitializer';
import { RecallProbe } from '../../extension/engine/query/recallProbe';
import { loadOrtNode } from '../../extension/engine/runtime/ortNode';
import { loadOrtWeb } from '../../extension/engine/runtime/ortWeb';
import type { RuntimeName } from '../../extension/engine/runtime/types';
import { regionHead } from '../../extension/engine/scan/probeHead';
import { ModelScanner } from '../../extension/engine/scan/modelScanner';
import { zeroState } from '../../extension/engine/scan/scanState';

interface Spec {
  model_dir: string;
  prefix: number[];
  regions: number[][];
  k: number;
  runtime?: RuntimeName;
}

async function main() {
  const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Spec;
  const raw = JSON.parse(readFileSync(join(spec.model_dir, 'card.json'), 'utf8'));
  // The card as shipped may not carry the probe yet: its fields here, with the spec's k.
  const names = raw.token_nll ?? { graph: 'token_nll.onnx', wte: 'model.wte.weight__fp16' };
  const card = parseCard({ ...raw, recall_probe: raw.recall_probe || 1, recall_probe_tokens: spec.k, token_nll: names });
  const scanBytes = readFileSync(join(spec.model_dir, 'scan.onnx'));
  const runtime = spec.runtime === 'onnxruntime-node' ? await loadOrtNode(1) : await loadOrtWeb({ threads: 1 });
  const scan = await runtime.createSession(scanBytes);
  const nll = await runtime.createSession(readFileSync(join(spec.model_dir, names.graph)));
  const state = zeroState(card);
  await new ModelScanner(card, scan).feed(state, spec.prefix);
  const probe = new RecallProbe(card, scan, nll, float16Matrix(scanBytes, names.wte));
  const targets = spec.regions.map((ids) => ({ head: regionHead(ids, 0, ids.length, spec.k), length: ids.length }));
  const t0 = performance.now();
  const probes = await probe.measure(targets, state);
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ probes, ms_per_region: ms / targets.length, calls: probe.calls }) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
