"""Needle recall by distance with the shipped model (CPU, onnxruntime): a fact
`const SECRET_key = "value";` is read, then `distance` tokens of held-out code, then the cue
`// SECRET_key is "`; a trial counts when every token spelling the value is the model's top
prediction (teacher forced). Also reports the share of value tokens predicted right.
Within the attention window (512 tokens) the attention layers can copy the value; beyond it only the
recurrent state can hold it.

    .venv/bin/python training/eval_needles.py [--model-dir media/model] [--out needles.json]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
from onnx_model import ShippedModel  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(data.ROOT / "media/model"))
    ap.add_argument("--split", default="eval")
    ap.add_argument("--distances", default="256,1024,4096,16384,65536")
    ap.add_argument("--trials", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out")
    args = ap.parse_args()
    model = ShippedModel(args.model_dir)
    tok = data.load_tokenizer(Path(args.model_dir) / "tokenizer.json")
    held = data.cached_stream(tok, args.split, seed=0)
    rng = np.random.default_rng(args.seed)
    wte = model.wte.astype(np.float32)
    result, t0 = {"split": args.split, "trials": args.trials, "exact": {}, "value_token_accuracy": {}}, time.time()
    for d in (int(x) for x in args.distances.split(",")):
        hits, tok_hits, tok_n = 0, 0, 0
        for _ in range(args.trials):
            seq, (vs, vn) = data.needle_example(tok, held.tokens, d, rng)
            _, _, _, hidden = model.scan(seq[: vs + vn])
            pred = (hidden[vs - 1 : vs - 1 + vn] @ wte.T).argmax(-1)
            right = pred == seq[vs : vs + vn]
            hits += int(right.all())
            tok_hits += int(right.sum())
            tok_n += vn
        result["exact"][str(d)] = hits / args.trials
        result["value_token_accuracy"][str(d)] = round(tok_hits / tok_n, 4)
        print(d, result["exact"][str(d)], result["value_token_accuracy"][str(d)], flush=True)
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
