// The model card (media/model/card.json) as the engine reads it, validated once at load so that a
// malformed or mismatched model fails with one clear line instead of a shape error deep in a scan.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_SKETCH_SIZE } from "../scan/bigrams";

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
  rereadBelow: number;
  maxQuery: number;
  flopsPerToken: number;
  /** sha256 of the tokenizer.json the model was trained with; null in cards made before it existed. */
  tokenizerSha256: string | null;
  evals: Record<string, unknown>;
}

export class ModelCardError extends Error {}

const INTEGER_FIELDS = ["version", "chunk", "NS", "H", "DK", "DV", "NA", "HA", "W", "HD", "R", "max_query"] as const;

export function parseCard(raw: unknown, source = "card.json"): ModelCard {
  if (typeof raw !== "object" || raw === null) throw new ModelCardError(`${source}: not a JSON object`);
  const c = raw as Record<string, unknown>;
  for (const f of INTEGER_FIELDS) {
    const v = c[f];
    if (!Number.isInteger(v) || (v as number) < (f === "NA" ? 0 : 1)) {
      throw new ModelCardError(`${source}: field "${f}" must be a positive integer, got ${JSON.stringify(v)}`);
    }
  }
  const num = (f: string): number => {
    const v = c[f];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new ModelCardError(`${source}: field "${f}" must be a number`);
    return v;
  };
  const str = (f: string): string => {
    const v = c[f];
    if (typeof v !== "string" || v.length === 0) throw new ModelCardError(`${source}: field "${f}" must be a string`);
    return v;
  };
  const NS = c.NS as number;
  const H = c.H as number;
  const weights = c.recall_weights;
  if (!Array.isArray(weights) || weights.length !== NS || weights.some((row) => !Array.isArray(row) || row.length !== H)) {
    throw new ModelCardError(`${source}: "recall_weights" must be an array [${NS}][${H}]`);
  }
  const flat = (weights as number[][]).flat();
  if (flat.some((w) => typeof w !== "number" || !(w >= 0))) throw new ModelCardError(`${source}: "recall_weights" must be numbers >= 0`);
  const total = flat.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-3) throw new ModelCardError(`${source}: "recall_weights" sum to ${total}, expected 1`);
  const floor = recallFloor(c, source);
  return {
    version: c.version as number,
    modelHash: str("model_hash"),
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
    rereadBelow: num("reread_below"),
    maxQuery: c.max_query as number,
    flopsPerToken: num("flops_per_token"),
    tokenizerSha256: c.tokenizer_sha256 == null ? null : str("tokenizer_sha256"),
    evals: typeof c.evals === "object" && c.evals !== null ? (c.evals as Record<string, unknown>) : {},
  };
}

/**
 * The intercept of the number beyond the attention window: until the fifth session the median
 * measured recall there, in [0, 1); since the sixth it is fitted by least squares together with the
 * overlap term and can be slightly negative (the sum is clamped to [0, 1]).
 */
function recallFloor(c: Record<string, unknown>, source: string): number {
  const v = c.recall_floor ?? 0;
  if (typeof v !== "number" || !(v > -1 && v < 1)) throw new ModelCardError(`${source}: "recall_floor" must be a number in (-1, 1)`);
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
    if (typeof v !== "number" || !Number.isFinite(v)) throw new ModelCardError(`${source}: "${f}" must be a finite number`);
    return v;
  };
  const size = c.recall_sketch_size ?? DEFAULT_SKETCH_SIZE;
  if (!Number.isInteger(size) || (size as number) < 1) {
    throw new ModelCardError(`${source}: "recall_sketch_size" must be a positive integer, got ${JSON.stringify(size)}`);
  }
  return { recallOverlap: finite("recall_overlap", 0), recallDecay: finite("recall_decay", 1 - floor), recallSketchSize: size as number };
}

/** Sizes derived from the card that the engine uses everywhere. */
export function stateShapes(card: ModelCard) {
  return {
    ssm: [card.NS, card.H, card.DK, card.DV],
    kv: [card.NA, 2, card.HA, card.W, card.HD],
    embeddingSize: card.H * card.R,
    decaySize: card.NS * card.H,
  };
}

export interface ModelFiles {
  dir: string;
  card: ModelCard;
  scanOnnx: Uint8Array;
  queryOnnx: Uint8Array;
  tokenizerJson: string;
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
  const settled = await Promise.allSettled(["card.json", "scan.onnx", "query.onnx", "tokenizer.json"].map(read));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  const [cardBytes, scanOnnx, queryOnnx, tokenizerBytes] = settled.map((r) => (r as PromiseFulfilledResult<Buffer>).value);
  let cardJson: unknown;
  try {
    cardJson = JSON.parse(cardBytes.toString("utf8"));
  } catch (err) {
    throw new ModelCardError(`${join(dir, "card.json")}: invalid JSON (${(err as Error).message})`);
  }
  const card = parseCard(cardJson, join(dir, "card.json"));
  const hash = createHash("sha256");
  hash.update(scanOnnx).update(queryOnnx).update(tokenizerBytes);
  return {
    dir,
    card,
    scanOnnx,
    queryOnnx,
    tokenizerJson: tokenizerBytes.toString("utf8"),
    filesHash: hash.digest("hex"),
  };
}
