"""What the workspace memory holds of a region read d tokens ago (PyTorch, GPU; card.json evals.memory).

For each held-out pair (the eval split's doc -> code pairs, 1,000 by default) and each distance
bucket, a row is: the region read from a zero state, then d tokens of other held-out files (d
log-uniform in the bucket), then the region's first tokens again. From one forward pass:
- **mrr**: the question (query embedding) against every row's *memory embedding* at the row's end,
  `concat_h ret[h] * u[h]` with `u` the region embedding and `ret[h]` the last SSD layer's decay
  product since the region (docs/model-contract.md), computed as the engine does (ret in float64,
  the product kept in float32, so a region whose every head underflows scores 0); MRR
  among the bucket's 1,000 rows (each candidate at its own distance).
- **median_measured_recall**: the probe's measurement (contract: `sum_t (NLL_zero[t] - NLL_after[t]) /
  (len - 1)` over the region's first 16 predicted tokens), here with the real final state after d
  tokens: nats per token the memory saves when the region is read again.
- **recall_distance_rho**: Spearman of that measured recall with d over all rows of all buckets.

    python3 training/eval_memory.py --ckpt training/runs/x/model.safetensors --out memory.json
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
from evals_torch import query_embeddings  # noqa: E402
from model import region_embedding  # noqa: E402

BUCKETS = {"0.5-2k": (512, 2048), "2-8k": (2048, 8192), "8-32k": (8192, 32768)}
PROBE_TOKENS = 16


def spearman(a, b):
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


def head_nll(model, h, targets):
    """Next-token NLL from hidden rows h (n, d) for targets (n,), in fp32."""
    logits = h.float() @ model.wte.weight.float().t()
    return F.cross_entropy(logits, targets, reduction="none")


@torch.no_grad()
def bucket_rows(model, pairs, stream, lo, hi, device, rng, batch_tokens=262_144):
    """Memory embeddings, distances and measured recall for every pair at a distance in [lo, hi)."""
    n = len(pairs)
    dist = np.exp(rng.uniform(np.log(lo), np.log(hi), n)).astype(np.int64)
    mem = torch.zeros(n, model.cfg.n_head * model.cfg.readout_dim, dtype=torch.float64, device=device)
    recall = np.zeros(n)
    order = np.argsort(dist)
    i = 0
    while i < n:  # rows of similar length together (sorted by distance: the last is the longest)
        group = [order[i]]
        while i + len(group) < n and (len(group) + 1) * (int(dist[order[i + len(group)]]) + 300) <= batch_tokens:
            group.append(order[i + len(group)])
        i += len(group)
        rows, meta = [], []
        for j in group:
            code = pairs[j]["code_ids"]
            s = int(rng.integers(0, len(stream.tokens) - dist[j]))
            head = code[: min(PROBE_TOKENS, len(code) - 1) + 1]
            rows.append(list(code) + stream.tokens[s : s + dist[j]].tolist() + list(head))
            meta.append((len(code), int(dist[j]), head))
        L_max = max(len(r) for r in rows)
        x = torch.from_numpy(data.pad_batch(rows, L_max)).to(device)
        heads = torch.from_numpy(data.pad_batch([m[2] for m in meta])).to(device)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda"):
            h, log_decays, readout = model.trunk(x)
            h0, _, _ = model.trunk(heads)  # the head read from a zero state
        ld = log_decays[-1].double()
        cum = ld.cumsum(1)
        for r, (j, (n_code, d, head)) in enumerate(zip(group, meta)):
            end_region, end_read = n_code - 1, n_code + d - 1
            idx = torch.tensor([end_region], device=device)
            u = region_embedding(readout[r : r + 1], log_decays[-1][r : r + 1], idx * 0, idx)[0].double()
            ret = torch.exp(cum[r, end_read] - cum[r, end_region])  # (H,)
            mem[j] = (ret[:, None] * u.view(len(ret), -1)).flatten().float()  # stored as float32, as the engine does
            k = len(head) - 1
            tgt = torch.tensor(head[1:], device=device)
            after = head_nll(model, h[r, end_read + 1 : end_read + 1 + k], tgt)
            zero = head_nll(model, h0[r, :k], tgt)
            recall[j] = float((zero - after).sum()) / max(1, n_code - 1)
    return mem, dist, recall


@torch.no_grad()
def memory_evals(model, pairs, stream, device, seed=0):
    rng = np.random.default_rng(seed)
    q = query_embeddings(model, [p["query_ids"] for p in pairs], device).double()
    out, all_d, all_r = {}, [], []
    for name, (lo, hi) in BUCKETS.items():
        mem, dist, recall = bucket_rows(model, pairs, stream, lo, hi, device, rng)
        norm = mem.norm(dim=1, keepdim=True)
        scores = (q @ (mem / norm.clamp(min=1e-300)).t()).cpu().numpy()
        scores[:, (norm[:, 0] == 0).cpu().numpy()] = 0.0  # nothing kept: scores 0, as in the engine
        right = np.diag(scores)[:, None]
        ranks = (scores > right).sum(1) + 1
        out[name] = {
            "mrr": round(float((1.0 / ranks).mean()), 4),
            "median_measured_recall": round(float(np.median(recall)), 4),
            "n": len(pairs),
            "median_distance": int(np.median(dist)),
        }
        all_d.append(dist)
        all_r.append(recall)
        print(json.dumps({name: out[name]}), flush=True)
    out["recall_distance_rho"] = round(spearman(np.concatenate(all_d), np.concatenate(all_r)), 4)
    return out


def main():
    from export import load_checkpoint

    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--split", default="eval")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = load_checkpoint(args.ckpt).to(device).eval()
    tok = data.load_tokenizer()
    stream = data.cached_stream(tok, args.split, seed=0)
    pairs = data.load_pairs(tok, args.split, max_query=64, max_code=256, seed=0, limit=args.n)
    res = memory_evals(model, pairs, stream, device)
    res["split"] = args.split
    res["command"] = "training/eval_memory.py"
    Path(args.out).write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
