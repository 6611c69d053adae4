"""Average the weights of several checkpoints that continue one trunk (a "model soup",
Wortsman et al. 2022): runs fine-tuned from the same weights stay in one basin, and their mean
often generalises better than any one of them, at no cost at run time (same graph, same FLOPs).

Every input must have the same config; the output's metadata records the sources and weights.

    .venv/bin/python training/soup.py --out runs/soup/model.safetensors \
        runs/cont-long2/model.safetensors runs/cont-long3/model.safetensors
"""

import argparse
import json
from pathlib import Path

from safetensors import safe_open
from safetensors.torch import save_file


def read(path):
    with safe_open(str(path), "pt") as f:
        return {k: f.get_tensor(k) for k in f.keys()}, dict(f.metadata() or {})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ckpts", nargs="+")
    ap.add_argument("--weights", help="comma-separated mixing weights (default: equal)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    mix = [float(w) for w in args.weights.split(",")] if args.weights else [1.0] * len(args.ckpts)
    if len(mix) != len(args.ckpts):
        raise SystemExit("--weights needs one weight per checkpoint")
    mix = [w / sum(mix) for w in mix]

    first, meta = read(args.ckpts[0])
    total = {k: v.float() * mix[0] for k, v in first.items()}
    tokens = [int(meta.get("tokens", 0))]
    for path, w in zip(args.ckpts[1:], mix[1:]):
        tensors, m = read(path)
        if m.get("config") != meta.get("config") or tensors.keys() != first.keys():
            raise SystemExit(f"{path}: config or tensor names differ from {args.ckpts[0]}")
        for k, v in tensors.items():
            total[k] += v.float() * w
        tokens.append(int(m.get("tokens", 0)))
    out = {k: v.to(first[k].dtype).contiguous() for k, v in total.items()}
    meta["soup"] = json.dumps({"sources": args.ckpts, "weights": mix, "tokens": tokens})
    meta["tokens"] = str(max(tokens))  # the most any one ingredient has seen
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    save_file(out, args.out, metadata=meta)
    print(json.dumps({"out": args.out, "sources": args.ckpts, "weights": mix}))


if __name__ == "__main__":
    main()
