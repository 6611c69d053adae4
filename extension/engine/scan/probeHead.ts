// Which of a region's tokens the recall probe re-reads, and how its NLLs make one number
// (model-contract.md; training/onnx_model.py ShippedModel.probe_gain computes the same). Kept apart
// from the model calls (query/recallProbe.ts) so the arithmetic is testable on its own. The engine's k
// is always the card's recall_probe_tokens (card.recallProbeTokens): the index makes its heads with it
// (index/fileScan.ts) and rebuilds an index whose heads are shorter (workspace/workspaceEngine.ts).

/** k' = min(k, n − 1): the region tokens the probe predicts (each from the ones before it); 0 when n < 2. */
export function probeSpan(n: number, k: number): number {
  return n < 2 ? 0 : Math.min(k, n - 1);
}

/**
 * What the index keeps of a region's tokens [tokStart, tokEnd) for the probe: its first min(k + 1, n)
 * ids (the head it re-reads, for any n). The vocabulary (card.json vocab_size, 8192 as shipped) fits 16 bits.
 */
export function regionHead(ids: ArrayLike<number>, tokStart: number, tokEnd: number, k: number): Uint16Array {
  const n = Math.max(0, tokEnd - tokStart);
  const out = new Uint16Array(Math.min(k + 1, n));
  for (let i = 0; i < out.length; i++) out[i] = ids[tokStart + i];
  return out;
}

/**
 * The ids the probe feeds for a region of n tokens whose stored head is `head`: head[0..k'] (k' + 1
 * ids), or none when n < 2. A head shorter than that was made with a smaller k (another card): an error,
 * not a silently different number.
 */
export function probeIds(head: Uint16Array, n: number, k: number): Uint16Array {
  const span = probeSpan(n, k);
  if (span === 0) return head.subarray(0, 0);
  if (head.length < span + 1)
    throw new Error(
      `a region head of ${head.length} ids cannot give the probe's ${span + 1} (index made with another recall_probe_tokens)`,
    );
  return head.subarray(0, span + 1);
}

/**
 * probe = Σ_{t=1..k'} (a_t − c_t) / (n − 1), from the sums over the k' predicted tokens of their NLL
 * read from a zero state (a) and after the final state (c): nats per token of the region the memory
 * saves on its first tokens. Divided by the region's n − 1 predicted tokens, not the head's k' (as
 * training/onnx_model.py and the card's fit use it). 0 when n < 2.
 */
export function probeGain(zeroNllSum: number, stateNllSum: number, n: number): number {
  return n < 2 ? 0 : (zeroNllSum - stateNllSum) / (n - 1);
}
