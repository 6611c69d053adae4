"""Where does a region's measured recall come from: the recurrent state or the attention window?

eval_recall.py's ground truth re-reads a region after the final state of a package scan, which holds
two things: the SSD layers' recurrent state and the attention layers' keys/values of the last W tokens.
This splits them (files protocol, as eval_recall.py): the region re-read after
  c      the whole final state (eval_recall.py's measured recall),
  c_kv   the final attention window alone (recurrent state zeroed),
  c_ssm  the final recurrent state alone (attention window empty),
each as a recall (NLL_a - NLL_x) / (NLL_a - NLL_b). Reports medians inside and beyond the window and
the rank correlation of the measured recall with each part beyond it.

    .venv/bin/python training/recall_sources.py --split val [--model-dir DIR] [--out FILE]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
from eval_recall import files_by_package, package_regions, spearman  # noqa: E402
from onnx_model import ShippedModel  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="val")
    ap.add_argument("--model-dir", default=str(data.ROOT / "media/model"))
    ap.add_argument("--min-gain", type=float, default=0.1)
    ap.add_argument("--out")
    args = ap.parse_args()
    model = ShippedModel(args.model_dir)
    tok = data.load_tokenizer(Path(args.model_dir) / "tokenizer.json")
    by_pkg = files_by_package(args.split)
    packages = sorted(p for p in by_pkg if len(by_pkg[p]) >= 4)
    W, zero = model.card["W"], model.zero_state()
    t0, rows = time.time(), []
    for p in packages:
        regions, (ssm, kv, kv_len), _, total, _ = package_regions(model, tok, by_pkg[p], 192, 24)
        for reg in regions:
            ids, tgt = reg["ids"], np.asarray(reg["ids"][1:])
            nll = lambda s, ids=ids, tgt=tgt: model.nll(model.scan(ids, s)[3][:-1], tgt)
            a, b = nll(None), nll(reg["state"])
            if a - b < args.min_gain:
                continue
            c, c_kv, c_ssm = nll((ssm, kv, kv_len)), nll((zero[0], kv, kv_len)), nll((ssm, zero[1], zero[2]))
            rows.append(
                {
                    "recall": (a - c) / (a - b),
                    "window_alone": (a - c_kv) / (a - b),
                    "ssm_alone": (a - c_ssm) / (a - b),
                    "beyond": total - reg["end"] + len(ids) > W,
                }
            )
    get = lambda k: np.array([r[k] for r in rows])
    beyond = get("beyond").astype(bool)
    result = {
        "split": args.split,
        "packages": len(packages),
        "regions": len(rows),
        "seconds": round(time.time() - t0, 1),
    }
    for name, sel in (("inside_window", ~beyond), ("beyond_window", beyond)):
        result[name] = {
            "regions": int(sel.sum()),
            **{f"median_{k}": round(float(np.median(get(k)[sel])), 4) for k in ("recall", "window_alone", "ssm_alone")},
        }
    result["beyond_window"]["rho_recall_vs_window_alone"] = round(
        spearman(get("recall")[beyond], get("window_alone")[beyond]), 4
    )
    result["beyond_window"]["rho_recall_vs_ssm_alone"] = round(
        spearman(get("recall")[beyond], get("ssm_alone")[beyond]), 4
    )
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
