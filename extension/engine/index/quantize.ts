// Region embeddings are stored as int8 with one float scale per head: heads differ in magnitude by
// orders (their decays differ), so one scale for all would zero the quiet heads.

export function quantizePerHead(u: Float32Array, heads: number): { q: Int8Array; scales: Float32Array } {
  const width = u.length / heads;
  const q = new Int8Array(u.length);
  const scales = new Float32Array(heads);
  for (let h = 0; h < heads; h++) {
    let max = 0;
    for (let i = h * width; i < (h + 1) * width; i++) max = Math.max(max, Math.abs(u[i]));
    const scale = max > 0 ? max / 127 : 0;
    scales[h] = scale;
    if (scale === 0) continue;
    for (let i = h * width; i < (h + 1) * width; i++) q[i] = Math.round(u[i] / scale);
  }
  return { q, scales };
}

/** Into `out` when given (of q's length). */
export function dequantizePerHead(q: Int8Array, scales: Float32Array, out?: Float32Array): Float32Array {
  const width = q.length / scales.length;
  const u = out ?? new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) u[i] = q[i] * scales[Math.floor(i / width)];
  return u;
}
