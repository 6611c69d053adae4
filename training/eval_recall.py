"""Is the recall the heatmap shows true? Shown vs measured recall per region (CPU, shipped model).

Two protocols. `files` (default): for each held-out package, its files (each cut to --region-tokens)
are scanned in turn into one running state; each file is a region. `outline` (the heatmap's own
setting): whole files in path order up to --max-tokens per package; regions are the documented
functions and classes the engine's outline found (pairs-{split}.jsonl.xz), --per-package of them.
Per region:
  shown recall    = 1 if after + len <= W (the attention window holds the whole region), else
                    floor + (1 - floor) * sum_{l,h} recall_weights[l][h] * exp(L_end[l,h] - L_b[l,h])
                    (the contract; after = tokens read after the region, len = its tokens)
  measured recall = (NLL_a - NLL_c) / (NLL_a - NLL_b): the region's tokens fed again after
                    (a) an empty state, (b) the state right after the region was read,
                    (c) the final state of the package scan.
Regions where NLL_a - NLL_b < --min-gain nats/token are left out (re-reading them gains nothing,
so their recall is undefined). Reports Spearman's rho between shown and measured recall.
With --fit, fits the floor (the median measured recall of the regions beyond the window) and
recall_weights (>= 0, sum 1) on the given split (use val) and writes both: the weights are those,
among a least-squares fit of the decay term, uniform weights and each (layer, head) alone, whose shown
number has the highest Spearman rho on that split (since the fifth session; a least-squares fit
before). Also reported: rho of the decay term alone (the shown number until the fourth session) and
the mean absolute error of each.

    .venv/bin/python training/eval_recall.py --split val --fit runs/recall_fit.json
    .venv/bin/python training/eval_recall.py --split eval --weights runs/recall_fit.json --out recall.json
    .venv/bin/python training/eval_recall.py --split eval --protocol outline --weights runs/recall_fit.json
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
from onnx_model import ShippedModel, read_recall_fit, shown_recall  # noqa: E402


def ranks(x):
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    # average ranks of ties
    vals, inv, counts = np.unique(x, return_inverse=True, return_counts=True)
    sums = np.zeros(len(vals))
    np.add.at(sums, inv, r)
    return (sums / counts)[inv]


def spearman(a, b):
    ra, rb = ranks(np.asarray(a)), ranks(np.asarray(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def package_regions(model, tok, records, region_tokens, max_files):
    """Scan a package's files into one state; return per-region (tokens, state after it, L at its end)
    and the final state and L."""
    state, L, out, pos = None, np.zeros((model.card["NS"], model.card["H"])), [], 0
    for r in records[:max_files]:
        ids = (data.file_header(tok, r["path"]) + tok.encode(r["text"], add_special_tokens=False).ids)
        ids = ids[:region_tokens]
        if len(ids) < 16:
            continue
        state, ld, _, _ = model.scan(ids, state)
        L = L + ld.astype(np.float64).sum(0)
        pos += len(ids)
        out.append({"ids": ids, "state": state, "L": L.copy(), "end": pos})
    return out, state, L, pos


def utf16_to_index(text, offset):
    """The engine's regions carry UTF-16 offsets; Python strings index code points."""
    return len(text.encode("utf-16-le")[: 2 * offset].decode("utf-16-le", errors="ignore"))


def outline_regions(model, tok, records, pairs, max_tokens, per_package, rng):
    """The heatmap's setting: a package's whole files scanned in order (up to max_tokens), regions the
    documented functions/classes the engine's outline found in them (pairs-{split}.jsonl.xz offsets).
    Returns regions [{ids, state, L, end}], the final state, final L and the tokens scanned."""
    stream, spans = [], []
    by_path = {}
    for q in pairs:
        by_path.setdefault(q["path"], []).append(q)
    for r in records:
        enc = tok.encode(r["text"], add_special_tokens=False)
        head = data.file_header(tok, r["path"])
        if len(stream) + len(head) + len(enc.ids) > max_tokens:
            break
        base = len(stream) + len(head)
        for q in by_path.get(r["path"], []):
            a_ch, b_ch = utf16_to_index(r["text"], q["start"]), utf16_to_index(r["text"], q["end"])
            toks = [i for i, (s0, e0) in enumerate(enc.offsets) if s0 >= a_ch and e0 <= b_ch]
            if len(toks) >= 16:
                spans.append((base + toks[0], base + toks[-1]))
        stream += head + enc.ids
    spans = sorted(set(spans))
    if len(spans) > per_package:
        spans = [spans[i] for i in sorted(rng.choice(len(spans), per_package, replace=False))]
    state, L, pos, at_end = None, np.zeros((model.card["NS"], model.card["H"])), 0, {}
    for end in sorted({b for _, b in spans}) + [len(stream) - 1]:
        if end >= pos:
            state, ld, _, _ = model.scan(stream[pos:end + 1], state)
            L = L + ld.astype(np.float64).sum(0)
            pos = end + 1
        at_end[end] = (state, L.copy())
    out = [{"ids": stream[a:b + 1], "state": at_end[b][0], "L": at_end[b][1], "end": b + 1} for a, b in spans]
    return out, state, L, len(stream)


def fit_weights(features, target, iters=3000, lr=0.05):
    """w >= 0, sum 1, minimising ||features @ w - target||^2 (projected gradient on the simplex)."""
    n, k = features.shape
    w = np.full(k, 1.0 / k)
    for _ in range(iters):
        grad = features.T @ (features @ w - target) / n
        w = project_simplex(w - lr * grad)
    return w


def choose_weights(feats, measured, after, length, floor, W, H):
    """The weights whose shown number (the contract's, window rule and floor included) ranks this
    split's regions best (Spearman, the target's measure): among the least-squares simplex fit of the
    decay term, uniform weights, and each (layer, head) alone. Returns (weights, what was chosen)."""
    n = feats.shape[1]
    candidates = {"least-squares fit": fit_weights(feats, np.clip(measured, 0, 1)),
                  "uniform": np.full(n, 1.0 / n)}
    for j in range(n):
        candidates[f"layer {j // H} head {j % H} alone"] = np.eye(n)[j]
    rho = {name: spearman(shown_recall(feats, after, length, w, floor, W), measured)
           for name, w in candidates.items()}
    best = max(rho, key=lambda name: (round(rho[name], 6), name == "least-squares fit"))
    return candidates[best], {"candidate": best, "rho": round(rho[best], 4),
                              "rho_least_squares": round(rho["least-squares fit"], 4),
                              "rho_uniform": round(rho["uniform"], 4)}


def project_simplex(v):
    u = np.sort(v)[::-1]
    css = np.cumsum(u)
    rho = np.nonzero(u * np.arange(1, len(v) + 1) > (css - 1))[0][-1]
    return np.maximum(v - (css[rho] - 1) / (rho + 1), 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="eval")
    ap.add_argument("--model-dir", default=str(data.ROOT / "media/model"))
    ap.add_argument("--packages", type=int, default=0,
                    help="first N eligible packages (sorted by name); 0 = all (until the third session: 12)")
    ap.add_argument("--max-files", type=int, default=24, help="files (regions) per package")
    ap.add_argument("--region-tokens", type=int, default=192)
    ap.add_argument("--min-gain", type=float, default=0.1)
    ap.add_argument("--weights", help="eval_recall --fit's JSON (default: card.json's recall_weights and recall_floor)")
    ap.add_argument("--fit", help="fit recall_weights and recall_floor on this split and write them here")
    ap.add_argument("--protocol", choices=["files", "outline"], default="files",
                    help="files: each file's first --region-tokens tokens is a region (24 files per package); "
                         "outline: whole files up to --max-tokens per package, regions the documented "
                         "functions/classes (what the heatmap colours)")
    ap.add_argument("--max-tokens", type=int, default=16384, help="outline: tokens scanned per package")
    ap.add_argument("--per-package", type=int, default=24, help="outline: regions sampled per package")
    ap.add_argument("--out")
    ap.add_argument("--dump", help="write per-region features and NLLs (JSON lines) here")
    args = ap.parse_args()
    model = ShippedModel(args.model_dir)
    tok = data.load_tokenizer(Path(args.model_dir) / "tokenizer.json")
    by_pkg = {}
    for r in data.read_jsonl_xz(data.DATA / f"corpus-{args.split}.jsonl.xz"):
        by_pkg.setdefault(r["package"], []).append(r)
    pairs_by_pkg = {}
    if args.protocol == "outline":
        for q in data.read_jsonl_xz(data.DATA / f"pairs-{args.split}.jsonl.xz"):
            pairs_by_pkg.setdefault(q["package"], []).append(q)
        packages = sorted(p for p in by_pkg if len(pairs_by_pkg.get(p, [])) >= 8)
    else:
        packages = sorted(p for p in by_pkg if len(by_pkg[p]) >= 4)
    packages = packages[: args.packages or None]
    rng = np.random.default_rng(0)
    t0 = time.time()
    feats, measured, nll_rows, after, length = [], [], [], [], []
    for p in packages:
        if args.protocol == "outline":
            regions, final_state, L_end, total = outline_regions(
                model, tok, by_pkg[p], pairs_by_pkg[p], args.max_tokens, args.per_package, rng)
        else:
            regions, final_state, L_end, total = package_regions(
                model, tok, by_pkg[p], args.region_tokens, args.max_files)
        for reg in regions:
            ids, tgt = reg["ids"], np.asarray(reg["ids"][1:])
            nll = [model.nll(model.scan(ids, s)[3][:-1], tgt) for s in (None, reg["state"], final_state)]
            a, b, c = nll
            if a - b < args.min_gain:
                continue
            feats.append(np.exp(L_end - reg["L"]).reshape(-1))   # retention per (layer, head)
            measured.append((a - c) / (a - b))
            after.append(total - reg["end"])
            length.append(len(ids))
            nll_rows.append({"package": p, "nll": [a, b, c], "len": len(ids), "after": after[-1],
                             "ret": np.exp(L_end - reg["L"]).reshape(-1).tolist()})
    feats, measured, after, length = (np.asarray(x) for x in (feats, measured, after, length))
    W = model.card["W"]
    if len(measured) < 5:
        sys.exit(f"only {len(measured)} usable regions: too few to judge")
    NS, H = model.card["NS"], model.card["H"]
    result = {"split": args.split, "protocol": args.protocol, "packages": len(packages), "regions": len(measured),
              "seconds": round(time.time() - t0, 1)}
    if args.fit:
        floor = float(np.median(measured[after + length > W]))
        w, chosen = choose_weights(feats, measured, after, length, floor, W, H)
        Path(args.fit).write_text(json.dumps({"recall_weights": w.reshape(NS, H).round(6).tolist(),
                                              "recall_floor": round(floor, 6), "chosen": chosen}) + "\n")
        result["fitted_to"] = args.fit
        result["fit_chosen"] = chosen
    elif args.weights:
        w, floor = read_recall_fit(args.weights)
    else:
        w, floor = model.card["recall_weights"], model.card.get("recall_floor", 0.0)
    w = np.asarray(w, dtype=np.float64).reshape(-1)
    shown = shown_recall(feats, after, length, w, floor, W)
    decay_only = feats @ w
    mae = lambda x: round(float(np.abs(x - np.clip(measured, 0, 1)).mean()), 4)
    result.update({
        "spearman_rho": round(spearman(shown, measured), 4),
        "spearman_rho_decay_only": round(spearman(decay_only, measured), 4),
        "spearman_rho_uniform_weights": round(spearman(feats.mean(1), measured), 4),
        "mean_abs_error": mae(shown),
        "mean_abs_error_decay_only": mae(decay_only),
        "recall_floor": round(float(floor), 6),
        "regions_inside_window": int(((after + length) <= W).sum()),
        "measured_recall_median": round(float(np.median(measured)), 4),
        "shown_recall_median": round(float(np.median(shown)), 4),
        "target_rho>=0.7": spearman(shown, measured) >= 0.7,
    })
    print(json.dumps(result, indent=1))
    if args.dump:
        Path(args.dump).write_text("".join(json.dumps(r) + "\n" for r in nll_rows))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
