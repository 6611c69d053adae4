"""Bits per byte on the held-out packages, on CPU. The same windows as train.py's GPU eval
(evals_torch.bits_per_byte: consecutive 4,096-token windows from the start of the eval stream, each
read from a zero state), in fp32 instead of bf16. Writes the fields card_evals.py reads from a GPU
evals.json.

--ckpt judges a checkpoint no GPU run evaluated (a weight average from soup.py) in PyTorch.
--model-dir judges an exported folder as the engine runs it: scan.onnx in onnxruntime, each window in
chunks of card.chunk with carried states, the next-token NLL from its `hidden` through the tied
embedding (onnx_model.ShippedModel), so a graph that differs from the PyTorch model (int8
projections) is judged as it ships. The fp32 graphs give the checkpoint's figure.

    .venv/bin/python training/eval_bpb.py --ckpt training/runs/soup-s5/model.safetensors --out evals.json
    .venv/bin/python training/eval_bpb.py --model-dir media/model --tokens 524288 --out bpb.json
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402

SEQ_LEN = 4096  # train.py's eval windows


def onnx_bits_per_byte(model, stream, max_tokens):
    """evals_torch.bits_per_byte's windows and formula, through the exported scan graph."""
    toks = stream.tokens[: min(len(stream.tokens), max_tokens)]
    n_seq = (len(toks) - 1) // SEQ_LEN
    nll, count = 0.0, 0
    for j in range(n_seq):
        row = np.asarray(toks[j * SEQ_LEN : j * SEQ_LEN + SEQ_LEN + 1], dtype=np.int64)
        hidden = model.scan(row[:-1])[3]
        nll += float(model.token_nll(hidden, row[1:]).sum())
        count += SEQ_LEN
    tokens_per_byte = len(stream.tokens) / stream.n_bytes
    return {"bpb": nll / count / math.log(2) * tokens_per_byte, "nll_per_token": nll / count, "tokens": count}


def main():
    ap = argparse.ArgumentParser()
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--ckpt", help="a safetensors checkpoint, run in PyTorch")
    which.add_argument("--model-dir", help="an exported folder (scan.onnx, card.json), run in onnxruntime")
    ap.add_argument("--tokens", type=int, default=2_000_000, help="held-out tokens (train.py uses 2M)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    tok = data.load_tokenizer()
    held = data.cached_stream(tok, "eval", seed=0)
    t0 = time.time()
    if args.model_dir:
        from onnx_model import ShippedModel

        model = ShippedModel(args.model_dir)
        bpb = onnx_bits_per_byte(model, held, args.tokens)
        out = {"model_dir": args.model_dir, "scan_int8": bool(model.card.get("scan_int8")), "held_out": bpb}
        out["device"] = "cpu onnxruntime " + ("int8 projections" if out["scan_int8"] else "fp32")
    else:
        import evals_torch
        import torch
        from export import load_checkpoint
        from safetensors import safe_open

        model = load_checkpoint(args.ckpt).float().eval()
        with safe_open(args.ckpt, framework="pt") as f:
            meta = f.metadata()
        bpb = evals_torch.bits_per_byte(model, held, SEQ_LEN, 4, torch.device("cpu"), args.tokens)
        out = {
            "checkpoint": args.ckpt,
            "train_tokens": int(meta.get("tokens", 0)),
            "soup": json.loads(meta["soup"]) if "soup" in meta else None,
            "held_out": bpb,
            "device": "cpu fp32",
        }
    out["seconds"] = round(time.time() - t0, 1)
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
