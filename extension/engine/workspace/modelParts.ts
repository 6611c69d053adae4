// The model's sessions for one engine and what is made from them: the scanner, the query encoder,
// the recall probe's measurer (when the card has one), and how every read after discovery is bounded.
import { realpath } from 'node:fs/promises';
import type { ModelSession } from '../runtime/types';
import { ModelScanner } from '../scan/modelScanner';
import type { ScanParts } from '../index/fileScan';
import { QueryEncoder } from '../query/queryEncoder';
import { RecallProbe } from '../query/recallProbe';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../discovery/readFile';
import type { EngineDeps } from './engineDeps';

export interface ModelParts {
  /** Released when the engine closes. */
  sessions: ModelSession[];
  /** What a scan needs; `limits`: the size cap, inside the roots' real paths (every read after discovery). */
  scanParts: ScanParts & { limits: ReadLimits };
  encoder: QueryEncoder;
  /** Measures recall probes; undefined when the card has none (recall_probe 0): no model calls then. */
  probe: RecallProbe | undefined;
}

export async function openModelParts(deps: EngineDeps, roots: readonly string[]): Promise<ModelParts> {
  const { runtime } = deps.runtime;
  const probeFiles = deps.model.tokenNll;
  const [scanSession, querySession, nllSession] = await Promise.all([
    runtime.createSession(deps.model.scanOnnx),
    runtime.createSession(deps.model.queryOnnx),
    probeFiles ? runtime.createSession(probeFiles.onnx) : undefined,
  ]);
  const card = deps.model.card;
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
  const limits = { maxBytes: deps.maxFileBytes ?? DEFAULT_READ_LIMITS.maxBytes, realRoots };
  return {
    sessions: [scanSession, querySession, ...(nllSession ? [nllSession] : [])],
    scanParts: { card, scanner: new ModelScanner(card, scanSession), tokenizer: deps.tokenizer, regions: deps.regions, limits },
    encoder: new QueryEncoder(card, querySession, deps.tokenizer),
    probe:
      nllSession && probeFiles
        ? new RecallProbe(card, scanSession, nllSession, { data: probeFiles.wte, dims: probeFiles.wteDims })
        : undefined,
  };
}
