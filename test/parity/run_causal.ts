// Is scan.onnx causal in the engine's runtimes? For test/parity/test_causal.py: on top of the state
// after `prefix` (scanned from zero by ScanGraph, as the engine scans), one call with all of `tokens`
// and one call with each of its prefixes of the given `lengths`; prints, per length, the largest
// absolute difference of each per-token output between the short call and the long call's first rows.
// Spec (JSON file, argv[2]): {model_dir, prefix: ids, tokens: ids (<= card.chunk), lengths, runtime}.
// Run: node --import tsx test/parity/run_causal.ts spec.json
import '../../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCard } from '../../extension/engine/model/card';
import { ScanGraph, type ScanOutputName } from '../../extension/engine/model/scanGraph';
import { loadOrtNode } from '../../extension/engine/runtime/ortNode';
import { loadOrtWeb } from '../../extension/engine/runtime/ortWeb';
import type { RuntimeName } from '../../extension/engine/runtime/types';
import { zeroState } from '../../extension/engine/scan/scanState';

interface Spec {
  model_dir: string;
  prefix: number[];
  tokens: number[];
  lengths: number[];
  runtime: RuntimeName;
}

const OUTPUTS: ScanOutputName[] = ['log_decay', 'readout', 'hidden'];

async function main() {
  const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Spec;
  const card = parseCard(JSON.parse(readFileSync(join(spec.model_dir, 'card.json'), 'utf8')));
  const runtime = spec.runtime === 'onnxruntime-node' ? await loadOrtNode(2) : await loadOrtWeb({ threads: 2 });
  const graph = new ScanGraph(card, await runtime.createSession(readFileSync(join(spec.model_dir, 'scan.onnx'))));
  const state = await graph.feed(spec.prefix, zeroState(card), () => {});
  const call = async (ids: number[]) => {
    const out: Partial<Record<ScanOutputName, Float32Array>> = {};
    await graph.feed(ids, state, (chunk) => OUTPUTS.forEach((name) => (out[name] = chunk.output(name))));
    return out as Record<ScanOutputName, Float32Array>;
  };
  const whole = await call(spec.tokens);
  const diffs: Record<number, Record<ScanOutputName, number>> = {};
  for (const n of spec.lengths) {
    const part = await call(spec.tokens.slice(0, n));
    diffs[n] = Object.fromEntries(
      OUTPUTS.map((name) => {
        let worst = 0;
        part[name].forEach((v, i) => (worst = Math.max(worst, Math.abs(v - whole[name][i]))));
        return [name, worst];
      }),
    ) as Record<ScanOutputName, number>;
  }
  process.stdout.write(JSON.stringify({ runtime: runtime.name, diffs }) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
