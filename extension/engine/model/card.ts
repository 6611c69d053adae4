// The model card (media/model/card.json) as the engine reads it, validated once at load so that a
// malformed or mismatched model fails with one clear line instead of a shape error deep in a scan.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SKETCH_SIZE } from '../scan/bigrams';
import { float16Matrix, OnnxFormatError } from './onnxInitializer';

export interface ModelCard {
  version: number;
  modelHash: string;
  chunk: number;
  NS: number; // SSD layers
  H: number; // heads per SSD layer
  DK: number;
  DV: number;
  NA: number; // attention layers
  HA: number; // attention heads
  W: number; // attention window
  HD: number; // attention head dim
  R: number; // readout width per head; embedding = H * R
  recallWeights: number[][]; // [NS][H], >= 0, sum 1
  /** Shown recall of a region beyond the attention window before its decays count (fitted on val; 0 if absent). */
  recallFloor: number;
  /** Weight of the region's window overlap in the shown recall (0 if absent: cards before the sixth session). */
  recallOverlap: number;
  /** Weight of Σ recall_weights · retention in the shown recall (1 − floor if absent: the older form, same numbers). */
  recallDecay: number;
  /** Bigram hashes kept per region sketch (48 if absent). */
  recallSketchSize: number;
  /** Weight of the region's recall probe (nats per token) in the shown recall; 0 if absent: no probe, no model calls. */
  recallProbe: number;
  /** k: predicted tokens of a region's head the probe re-reads (16 if absent); regions keep their first k + 1 ids. */
  recallProbeTokens: number;
  /** The probe's NLL graph (a file in the model folder) and the name of scan.onnx's fp16 embedding it is fed. */
  tokenNll: { graph: string; wte: string } | undefined;
  rereadBelow: number;
  maxQuery: number;
  flopsPerToken: number;
  /** sha256 of the tokenizer.json the model was trained with; null in cards made before it existed. */
  tokenizerSha256: string | null;
  evals: Record<string, unknown>;
}

export class ModelCardError extends Error {}

const INTEGER_FIELDS = ['version', 'chunk', 'NS', 'H', 'DK', 'DV', 'NA', 'HA', 'W', 'HD', 'R', 'max_query'] as const;

export function parseCard(raw: unknown, source = 'card.json'): ModelCard {
  if (typeof raw !== 'object' || raw === null) throw new ModelCardError(`${source}: not a JSON object`);
  const c = raw as Record<string, unknown>;
  for (const f of INTEGER_FIELDS) {
    const v = c[f];
    if (!Number.isInteger(v) || (v as number) < (f === 'NA' ? 0 : 1)) {
      throw new ModelCardError(`${source}: field "${f}" must be a positive integer, got ${JSON.stringify(v)}`);
    }
  }
  const num = (f: string): number => {
    const v = c[f];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelCardError(`${source}: field "${f}" must be a number`);
    return v;
  };
  const str = (f: string): string => {
    const v = c[f];
    if (typeof v !== 'string' || v.length === 0) throw new ModelCardError(`${source}: field "${f}" must be a string`);
    return v;
  };
  const NS = c.NS as number;
  const H = c.H as number;
  const weights = c.recall_weights;
  if (!Array.isArray(weights) || weights.length !== NS || weights.some((row) => !Array.isArray(row) || row.length !== H)) {
    throw new ModelCardError(`${source}: "recall_weights" must be an array [${NS}][${H}]`);
  }
  const flat = (weights as number[][]).flat();
  if (flat.some((w) => typeof w !== 'number' || !(w >= 0))) throw new ModelCardError(`${source}: "recall_weights" must be numbers >= 0`);
  const total = flat.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-3) throw new ModelCardError(`${source}: "recall_weights" sum to ${total}, expected 1`);
  const floor = recallFloor(c, source);
  return {
    version: c.version as number,
    modelHash: str('model_hash'),
    chunk: c.chunk as number,
    NS,
    H,
    DK: c.DK as number,
    DV: c.DV as number,
    NA: c.NA as number,
    HA: c.HA as number,
    W: c.W as number,
    HD: c.HD as number,
    R: c.R as number,
    recallWeights: weights as number[][],
    recallFloor: floor,
    ...recallTerms(c, source, floor),
    ...recallProbeTerms(c, source),
    rereadBelow: num('reread_below'),
    maxQuery: c.max_query as number,
    flopsPerToken: num('flops_per_token'),
    tokenizerSha256: c.tokenizer_sha256 == null ? null : str('tokenizer_sha256'),
    evals: typeof c.evals === 'object' && c.evals !== null ? (c.evals as Record<string, unknown>) : {},
  };
}

/**
 * The intercept of the number beyond the attention window: until the fifth session the median
 * measured recall there, in [0, 1); since the sixth it is fitted by least squares together with the
 * overlap term and can be slightly negative (the sum is clamped to [0, 1]).
 */
function recallFloor(c: Record<string, unknown>, source: string): number {
  const v = c.recall_floor ?? 0;
  if (typeof v !== 'number' || !(v > -1 && v < 1)) throw new ModelCardError(`${source}: "recall_floor" must be a number in (-1, 1)`);
  return v;
}

/**
 * The shown recall's other coefficients (fitted with the floor on val). Their defaults make an older
 * card's number exactly what it was: floor + (1 − floor) · Σ w · ret, no overlap term. The fitted
 * coefficients are not bounded (least squares may give a negative one); the sum is clamped instead.
 */
function recallTerms(c: Record<string, unknown>, source: string, floor: number) {
  const finite = (f: string, fallback: number): number => {
    const v = c[f] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelCardError(`${source}: "${f}" must be a finite number`);
    return v;
  };
  const size = c.recall_sketch_size ?? DEFAULT_SKETCH_SIZE;
  if (!Number.isInteger(size) || (size as number) < 1) {
    throw new ModelCardError(`${source}: "recall_sketch_size" must be a positive integer, got ${JSON.stringify(size)}`);
  }
  return { recallOverlap: finite('recall_overlap', 0), recallDecay: finite('recall_decay', 1 - floor), recallSketchSize: size as number };
}

/**
 * The recall probe's fields (model-contract.md): its coefficient, how many tokens of a region's head
 * it re-reads, and the graph that turns scan.onnx's `hidden` rows into next-token NLLs. Absent in
 * cards before the probe: coefficient 0, which leaves the shown recall as it was.
 */
function recallProbeTerms(c: Record<string, unknown>, source: string) {
  const probe = c.recall_probe ?? 0;
  if (typeof probe !== 'number' || !Number.isFinite(probe) || probe < 0) {
    throw new ModelCardError(`${source}: "recall_probe" must be a number >= 0, got ${JSON.stringify(probe)}`);
  }
  const tokens = c.recall_probe_tokens ?? PROBE_TOKENS;
  if (!Number.isInteger(tokens) || (tokens as number) < 1) {
    throw new ModelCardError(`${source}: "recall_probe_tokens" must be an integer >= 1, got ${JSON.stringify(tokens)}`);
  }
  let tokenNll: { graph: string; wte: string } | undefined;
  if (c.token_nll !== undefined && c.token_nll !== null) {
    const t = c.token_nll as Record<string, unknown>;
    const name = (v: unknown) => typeof v === 'string' && v.length > 0;
    if (typeof t !== 'object' || !name(t.graph) || !name(t.wte) || /[\\/]/.test(t.graph as string)) {
      throw new ModelCardError(
        `${source}: "token_nll" must be {"graph": a file name in the model folder, "wte": an initializer name}, got ${JSON.stringify(c.token_nll)}`,
      );
    }
    tokenNll = { graph: t.graph as string, wte: t.wte as string };
  }
  if (probe > 0 && !tokenNll)
    throw new ModelCardError(`${source}: "recall_probe" is ${probe} but the card names no "token_nll" graph to measure it with`);
  return { recallProbe: probe, recallProbeTokens: tokens as number, tokenNll };
}

/** Recall probe tokens when the card has no `recall_probe_tokens` (training/onnx_model.py PROBE_TOKENS). */
export const PROBE_TOKENS = 16;

/**
 * The sizes of scan.onnx's states and per-token outputs (docs/model-contract.md), derived from the card
 * in this one place: everything that allocates, feeds or checks them reads these.
 */
export interface StateShapes {
  /** ssm_state / ssm_state_out: [NS, H, DK, DV]. */
  ssm: readonly number[];
  /** kv_state / kv_state_out: [NA, 2, HA, W, HD]. */
  kv: readonly number[];
  ssmSize: number;
  /**
   * Values allocated for a zero kv_state: at least one layer's worth even for a card with NA = 0 (what
   * training/onnx_model.py allocates too), so the array is never empty; `kv` keeps the card's NA.
   */
  kvSize: number;
  /** Bytes of the state the model carries (ssm + kv in float32, as the card shapes them): the fixed summary. */
  summaryBytes: number;
  /** NS × H: log_decay per token, the running sum L, a region's retention. */
  decaySize: number;
  /** H × R: readout per token, a region's embedding, query.onnx's embedding. */
  embeddingSize: number;
}

/** Per card, computed once (cards are never changed after parseCard; a changed copy is another key). */
const shapesOf = new WeakMap<ModelCard, StateShapes>();

export function stateShapes(card: ModelCard): StateShapes {
  const known = shapesOf.get(card);
  if (known) return known;
  const ssm = [card.NS, card.H, card.DK, card.DV];
  const kv = [card.NA, 2, card.HA, card.W, card.HD];
  const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
  const shapes: StateShapes = {
    ssm,
    kv,
    ssmSize: size(ssm),
    kvSize: Math.max(1, card.NA) * size(kv.slice(1)),
    summaryBytes: 4 * (size(ssm) + size(kv)),
    decaySize: card.NS * card.H,
    embeddingSize: card.H * card.R,
  };
  shapesOf.set(card, shapes);
  return shapes;
}

export interface ModelFiles {
  dir: string;
  card: ModelCard;
  scanOnnx: Uint8Array;
  queryOnnx: Uint8Array;
  tokenizerJson: string;
  /**
   * The recall probe's NLL graph and scan.onnx's fp16 token embedding it is fed (its `wte` input),
   * loaded only when the card's recall_probe is > 0. Not part of filesHash: the index does not depend
   * on it (the probe is measured at query time).
   */
  tokenNll?: { onnx: Uint8Array; wte: Uint16Array; wteDims: [number, number] };
  /** sha256 over scan.onnx, query.onnx and tokenizer.json, computed here: the index's identity. */
  filesHash: string;
}

export async function loadModelFiles(dir: string): Promise<ModelFiles> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (err) {
      throw new ModelCardError(`model file ${join(dir, name)} cannot be read: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
  };
  // Read together, but report the first missing file in this fixed order (card.json first): with
  // Promise.all the message named whichever read failed first, which varied from run to run.
  const settled = await Promise.allSettled(['card.json', 'scan.onnx', 'query.onnx', 'tokenizer.json'].map(read));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [cardBytes, scanOnnx, queryOnnx, tokenizerBytes] = settled.map((r) => (r as PromiseFulfilledResult<Buffer>).value);
  let cardJson: unknown;
  try {
    cardJson = JSON.parse(cardBytes.toString('utf8'));
  } catch (err) {
    throw new ModelCardError(`${join(dir, 'card.json')}: invalid JSON (${(err as Error).message})`);
  }
  const card = parseCard(cardJson, join(dir, 'card.json'));
  const tokenNll = card.recallProbe > 0 && card.tokenNll ? await loadTokenNll(dir, card.tokenNll, scanOnnx, read) : undefined;
  const hash = createHash('sha256');
  hash.update(scanOnnx).update(queryOnnx).update(tokenizerBytes);
  return {
    dir,
    card,
    scanOnnx,
    queryOnnx,
    tokenizerJson: tokenizerBytes.toString('utf8'),
    tokenNll,
    filesHash: hash.digest('hex'),
  };
}

/** token_nll.onnx and scan.onnx's fp16 embedding; either missing or malformed is a ModelCardError. */
async function loadTokenNll(
  dir: string,
  names: { graph: string; wte: string },
  scanOnnx: Uint8Array,
  read: (name: string) => Promise<Buffer>,
) {
  const onnx = await read(names.graph).catch((err: Error) => {
    throw new ModelCardError(`${err.message} (the card's recall_probe > 0 needs it)`);
  });
  try {
    const { data, dims } = float16Matrix(scanOnnx, names.wte);
    return { onnx, wte: data, wteDims: dims };
  } catch (err) {
    if (!(err instanceof OnnxFormatError)) throw err;
    throw new ModelCardError(`${join(dir, 'scan.onnx')}: the recall probe's embedding cannot be read: ${err.message}`);
  }
}
