"""Cut corpus v3 into pieces the device tool can carry (64 MiB a call for the whole working tree, of
which the repository itself takes ~27 MiB), for staging over the calls of one warm hold: .carry/v3a (the
eval split, its pairs and a first part of train), .carry/v3b (a second part of train), .carry/v3c (a
third part) and .carry/v3d (a sample of the train pairs). Train is cut at package boundaries into xz streams that
concatenate back into one file (`cat` on the device); --keep (the share of train packages carried,
split between the parts by --cuts) keeps each carry near 32 MiB.

    LONGVIEW_DATA=/work/data-v3 .venv/bin/python training/gpu_runs/stage_v3.py
    # device, after the four calls (ignored outputs stay on the warm machine between calls):
    #   mkdir -p training/data && cp .carry/v3a/corpus-eval.jsonl.xz .carry/v3a/pairs-eval.jsonl.xz training/data/
    #   cat .carry/v3a/train-1.xz .carry/v3b/train-2.xz .carry/v3c/train-3.xz > training/data/corpus-train.jsonl.xz
    #   cp .carry/v3d/pairs-train.jsonl.xz training/data/
"""

import argparse
import hashlib
import json
import lzma
import os
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("LONGVIEW_DATA", ROOT / "training/data"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cuts", default="0.13,0.42,0.55", help="cumulative package shares of the three train parts")
    ap.add_argument("--pairs", type=int, default=100_000, help="train pairs sampled (seed 0)")
    ap.add_argument("--only", choices=["train", "pairs"], help="one half of the work")
    args = ap.parse_args()
    cuts = [float(x) for x in args.cuts.split(",")]
    dirs = [ROOT / f".carry/v3{c}" for c in "abcd"]
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
    if args.only != "pairs":
        # whole packages, chosen by a hash of their name (the corpus is ordered by kind: a cut by
        # position would drop whole languages); packages past the last cut stay behind
        outs = [lzma.open(d / f"train-{i + 1}.xz", "wb", preset=6) for i, d in enumerate(dirs[:3])]
        kept, last, part, n = [0, 0, 0], None, None, 0
        with lzma.open(DATA / "corpus-train.jsonl.xz", "rb") as f:
            for line in f:
                pkg = json.loads(line)["package"]
                if pkg != last:
                    last, n = pkg, n + 1
                    h = int.from_bytes(hashlib.sha256(f"stage:{pkg}".encode()).digest()[:4], "big") / 2**32
                    part = next((i for i, c in enumerate(cuts) if h < c), None)
                    if part is not None:
                        kept[part] += 1
                if part is not None:
                    outs[part].write(line)
        for o in outs:
            o.close()
        print(f"{sum(kept)} of {n} packages kept, by part {kept}")
    if args.only != "train":
        for name in ("corpus-eval.jsonl.xz", "pairs-eval.jsonl.xz"):
            (dirs[0] / name).write_bytes((DATA / name).read_bytes())
        with lzma.open(DATA / "pairs-train.jsonl.xz", "rb") as f:
            lines = f.readlines()
        random.Random(0).shuffle(lines)
        with lzma.open(dirs[3] / "pairs-train.jsonl.xz", "wb", preset=6) as o:
            o.writelines(lines[: args.pairs])
    for d in dirs:
        print(d, {p.name: round(p.stat().st_size / 2**20, 1) for p in d.iterdir()})


if __name__ == "__main__":
    main()
