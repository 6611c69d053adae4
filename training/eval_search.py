"""Code search on the held-out packages with the shipped model (CPU, onnxruntime).

Each query is the first sentence of a doc comment, its target the documented region with the
comment removed (training/data/pairs-eval.jsonl.xz), ranked among N candidates (default 1,000:
the targets of N pairs drawn with a fixed seed). Scores: the model alone (query.onnx embedding
against the region embedding computed from scan.onnx outputs by the contract's formula, each
candidate scanned from a zero state), BM25 alone (rank_bm25's BM25Okapi over the same candidates,
identifiers split on camelCase and snake_case), and two fusions of them: reciprocal-rank fusion
(k = 60; --model-weight tilts it) and z-score fusion (each list standardised per query, then
weighted by --z-weight). Weights are chosen on the val split with --tune, never on eval.

    .venv/bin/python training/eval_search.py [--n 1000] [--out search.json]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
from lexical import words  # noqa: E402
from onnx_model import ShippedModel  # noqa: E402

RRF_K = 60


def ranks_of_right(scores):
    """scores (Q, C), right answer of row i at column i -> 1-based rank per query (ties count against)."""
    right = np.diag(scores)[:, None]
    return (scores > right).sum(1) + 1


def rrf(model_scores, bm25_scores, model_weight=0.5):
    """Weighted reciprocal-rank fusion; weight 0.5 is plain RRF (both lists count the same)."""
    fused = np.zeros_like(model_scores)
    for s, w in ((model_scores, model_weight), (bm25_scores, 1 - model_weight)):
        order = np.argsort(-s, axis=1)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(1, s.shape[1] + 1)[None].repeat(len(s), 0), axis=1)
        fused += 2 * w / (RRF_K + rank)
    return fused


def zscore_fusion(model_scores, bm25_scores, model_weight):
    """Score fusion: each list standardised per query (mean 0, sd 1 over the candidates), then
    weighted. Unlike RRF it keeps how far ahead a candidate is, so a confident list can win."""
    z = lambda s: (s - s.mean(1, keepdims=True)) / (s.std(1, keepdims=True) + 1e-9)
    return model_weight * z(model_scores) + (1 - model_weight) * z(bm25_scores)


def ratio_ci(rr_a, rr_b, n_boot=2000, seed=0):
    """95 % interval of mean(rr_a) / mean(rr_b) over queries resampled with replacement (paired:
    both lists see the same resampled queries), so a ratio near a threshold reads with its noise."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(rr_a), (n_boot, len(rr_a)))
    ratios = rr_a[idx].mean(1) / rr_b[idx].mean(1)
    return [round(float(np.percentile(ratios, 2.5)), 3), round(float(np.percentile(ratios, 97.5)), 3)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--model-dir", default=str(data.ROOT / "media/model"))
    ap.add_argument("--split", default="eval")
    ap.add_argument("--max-code", type=int, default=256, help="region tokens scanned per candidate")
    ap.add_argument(
        "--model-weight",
        type=float,
        default=0.5,
        help="the model's weight in the fusion (0.5 = plain RRF); choose it on val with --tune",
    )
    ap.add_argument(
        "--z-weight",
        type=float,
        default=0.75,
        help="the model's weight in the z-score fusion (chosen on val with --tune, never on eval)",
    )
    ap.add_argument("--tune", action="store_true", help="print both fusions' MRR for model weights 0.3..0.9")
    ap.add_argument("--out")
    ap.add_argument("--dump", help="write both score matrices here (.npz) for offline study")
    args = ap.parse_args()
    model = ShippedModel(args.model_dir)
    tok = data.load_tokenizer(Path(args.model_dir) / "tokenizer.json")
    path = data.DATA / f"pairs-{args.split}.jsonl.xz"
    raw = [r for r in data.read_jsonl_xz(path) if all(data.pair_fields(r))]
    if len(raw) < 10:
        sys.exit(f"{path}: only {len(raw)} usable pairs")
    pairs = data.load_pairs(
        tok, args.split, max_query=model.card["max_query"], max_code=args.max_code, limit=args.n, seed=0
    )[: args.n]
    t0 = time.time()
    regions = []
    for p in pairs:
        _, ld, ro, _ = model.scan(p["code_ids"])
        regions.append(model.region_embedding(ld[:, -1], ro, 0, len(p["code_ids"]) - 1))
    queries = np.stack([model.query_embedding(p["query_ids"]) for p in pairs])
    model_scores = queries @ np.stack(regions).T
    scan_s = time.time() - t0

    texts = [tok.decode(p["code_ids"][1:]) for p in pairs]  # exactly the tokens the model saw
    bm25 = BM25Okapi([words(t) for t in texts])
    queries_text = [tok.decode(p["query_ids"][1:]) for p in pairs]
    bm25_scores = np.stack([bm25.get_scores(words(q)) for q in queries_text])

    if args.dump:
        np.savez_compressed(args.dump, model=model_scores, bm25=bm25_scores)
    result = {"split": args.split, "candidates": len(pairs)}
    if args.tune:
        grid = np.round(np.arange(0.3, 0.91, 0.05), 2)
        mrr_of = lambda sc: round(float((1.0 / ranks_of_right(sc)).mean()), 4)
        result["tune"] = {
            "rrf": {f"{w:.2f}": mrr_of(rrf(model_scores, bm25_scores, w)) for w in grid},
            "zscore": {f"{w:.2f}": mrr_of(zscore_fusion(model_scores, bm25_scores, w)) for w in grid},
        }
    result["fusion_model_weight"] = args.model_weight
    result["zscore_fusion_model_weight"] = args.z_weight
    rank = {}
    for name, s in [
        ("model", model_scores),
        ("bm25", bm25_scores),
        ("fusion", rrf(model_scores, bm25_scores, args.model_weight)),
        ("zscore_fusion", zscore_fusion(model_scores, bm25_scores, args.z_weight)),
    ]:
        r = rank[name] = ranks_of_right(s)
        result[name] = {"mrr": round(float((1.0 / r).mean()), 4), "recall@10": round(float((r <= 10).mean()), 4)}
    best = max(result["model"]["mrr"], result["fusion"]["mrr"], result["zscore_fusion"]["mrr"])
    result["target"] = {
        "mrr>=0.6": best >= 0.6,
        "ratio_to_bm25": round(best / max(result["bm25"]["mrr"], 1e-9), 3),
        ">=1.3x_bm25": best >= 1.3 * result["bm25"]["mrr"],
    }
    result["target"]["zscore_ratio_ci95"] = ratio_ci(1.0 / rank["zscore_fusion"], 1.0 / rank["bm25"])
    result["seconds_scanning"] = round(scan_s, 1)
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
