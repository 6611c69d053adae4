"""Gather the eval figures of a model into one JSON for its card (export.py --evals).

    .venv/bin/python training/card_evals.py --gpu-evals training/runs/cont-results/hardneg/evals.json \
        --runs training/runs --prefix hn- --out training/runs/card-evals-hardneg.json

Reads what the CPU evals wrote under --runs (names as in training/README.md) and keeps the
ablation figures of the previous card (the ablation is not re-run per model).
"""

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--gpu-evals",
        required=True,
        help="evals.json written by train.py on the GPU, or eval_bpb.py's output (weight averages)",
    )
    ap.add_argument("--runs", default=str(ROOT / "training/runs"))
    ap.add_argument("--prefix", default="hn-")
    ap.add_argument("--needles", default="needles-shipped.json")
    ap.add_argument("--z-weight", type=float, default=0.75)
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--held-out-split",
        default="eval (45 packages, never trained on)",
        help="what the figures were measured on (corpus v3: its eval split, which keeps v2's eval packages)",
    )
    args = ap.parse_args()
    runs, p = Path(args.runs), args.prefix
    # a figure whose eval was not run for this model is left out (None), never carried over from another model
    load = lambda name: json.loads((runs / name).read_text()) if (runs / name).exists() else None
    gpu = json.loads(Path(args.gpu_evals).read_text())
    previous = json.loads((ROOT / "media/model/card.json").read_text()).get("evals", {})
    evals = {
        "held_out_split": args.held_out_split,
        "train_tokens": gpu["train_tokens"],
        "bits_per_byte": round(gpu["held_out"]["bpb"], 4),
        "bits_per_byte_on": f"{gpu.get('device', 'GPU, bf16 (train.py)')}, {gpu['held_out']['tokens']:,} held-out tokens",
        "recall_window_forms": load(f"{p}recall-window.json") if (runs / f"{p}recall-window.json").exists() else None,
        "weight_average": gpu.get("soup"),
        "needle": load(args.needles),
        "code_search": load(f"{p}search-eval.json"),
        "code_search_val_tuning": (load(f"{p}search-val.json") or {}).get("tune"),
        # issue 19: what the workspace memory holds of a region d tokens back (eval_memory.py, on the GPU)
        "memory": gpu.get("memory"),
        "code_search_gpu": gpu.get("retrieval"),
        "recall_spearman": load(f"{p}recall-eval.json"),
        "recall_spearman_outline": {s: load(f"{p}orecall-{s}.json") for s in ("val", "eval")},
        "recall_spearman_val_fit": load(f"{p}recall-val.json"),
        "recall_sources": {
            s: load(name)
            for s, name in (("val", f"{p}recall-sources.json"), ("eval", f"{p}recall-sources-eval.json"))
            if (runs / name).exists()
        }
        or None,
        "search_in_file_context": load(f"{p}context-eval.json") if (runs / f"{p}context-eval.json").exists() else None,
        "scan_tokens_per_s": load("scan-speed.json") if (runs / "scan-speed.json").exists() else None,
        "ablation": previous.get("ablation"),
        "commands": {
            "search": f"training/eval_search.py --n 1000 --z-weight {args.z_weight} (weight chosen on val: --split val --tune)",
            "recall": "training/eval_recall.py --split eval (this card's recall_* parameters, chosen with --split val --fit)",
            "recall_sources": "training/recall_sources.py --split val|eval (the final state's parts: recurrent state vs attention window)",
            "recall_outline": "training/eval_recall.py --split eval --protocol outline",
            "needles": "training/eval_needles.py",
            "search_in_file_context": "training/eval_context.py",
            "memory": "training/eval_memory.py (train.py --evals memory) on the GPU",
            "train_evals": "training/train.py (evals_torch.py) on the GPU after training; "
            "training/eval_bpb.py on CPU for a weight average (soup.py)",
        },
    }
    Path(args.out).write_text(json.dumps(evals, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
