"""Bits per byte on the held-out packages, on CPU, for a checkpoint that no GPU run evaluated
(a weight average from soup.py). The same function and windows as train.py's GPU eval
(evals_torch.bits_per_byte: consecutive 4,096-token windows from the start of the eval stream),
in fp32 instead of bf16. Writes the fields card_evals.py reads from a GPU evals.json.

    .venv/bin/python training/eval_bpb.py --ckpt training/runs/soup-s5/model.safetensors --out evals.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

import torch
from safetensors import safe_open

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
import evals_torch  # noqa: E402
from export import load_checkpoint  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--tokens", type=int, default=2_000_000, help="held-out tokens (train.py uses 2M)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    model = load_checkpoint(args.ckpt).float().eval()
    with safe_open(args.ckpt, framework="pt") as f:
        meta = f.metadata()
    tok = data.load_tokenizer()
    held = data.cached_stream(tok, "eval", seed=0)
    t0 = time.time()
    bpb = evals_torch.bits_per_byte(model, held, 4096, 4, torch.device("cpu"), args.tokens)
    out = {
        "checkpoint": args.ckpt,
        "train_tokens": int(meta.get("tokens", 0)),
        "soup": json.loads(meta["soup"]) if "soup" in meta else None,
        "held_out": bpb,
        "device": "cpu fp32",
        "seconds": round(time.time() - t0, 1),
    }
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
