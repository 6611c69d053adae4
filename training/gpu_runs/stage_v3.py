"""Cut corpus v3 into pieces the device tool can carry (64 MiB a call, the whole tree included), for
staging over the calls of one warm hold: .carry/v3a (the eval split, its pairs and the first part of
train) and .carry/v3b (the second part of train and a sample of the train pairs). Train is cut at
package boundaries into xz streams that concatenate back into one file (`cat` on the device);
--keep (the share of train packages carried) keeps each part near 40 MB compressed.

    LONGVIEW_DATA=/work/data-v3 .venv/bin/python training/gpu_runs/stage_v3.py
    # device: mkdir -p training/data && cp .carry/v3a/corpus-eval.jsonl.xz .carry/v3a/pairs-eval.jsonl.xz training/data/
    #         cat .carry/v3a/train-1.xz .carry/v3b/train-2.xz > training/data/corpus-train.jsonl.xz
    #         cp .carry/v3b/pairs-train.jsonl.xz training/data/
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
    ap.add_argument("--keep", type=float, default=0.62, help="share of train packages carried")
    ap.add_argument("--pairs", type=int, default=150_000, help="train pairs sampled (seed 0)")
    ap.add_argument("--only", choices=["train", "pairs"], help="one half of the work")
    args = ap.parse_args()
    a, b = ROOT / ".carry/v3a", ROOT / ".carry/v3b"
    a.mkdir(parents=True, exist_ok=True)
    b.mkdir(parents=True, exist_ok=True)
    if args.only != "pairs":
        # whole packages, kept with probability --keep by a hash of their name (the corpus is ordered
        # by kind: a cut by position would drop whole languages), alternately into the two parts
        outs = [lzma.open(a / "train-1.xz", "wb", preset=6), lzma.open(b / "train-2.xz", "wb", preset=6)]
        kept, last, keep, n = 0, None, False, 0
        with lzma.open(DATA / "corpus-train.jsonl.xz", "rb") as f:
            for line in f:
                pkg = json.loads(line)["package"]
                if pkg != last:
                    last, n = pkg, n + 1
                    h = int.from_bytes(hashlib.sha256(f"stage:{pkg}".encode()).digest()[:4], "big")
                    keep = h / 2**32 < args.keep
                    kept += keep
                if keep:
                    outs[kept % 2].write(line)
        for o in outs:
            o.close()
        print(f"{kept} of {n} packages kept")
    if args.only != "train":
        for name in ("corpus-eval.jsonl.xz", "pairs-eval.jsonl.xz"):
            (a / name).write_bytes((DATA / name).read_bytes())
        with lzma.open(DATA / "pairs-train.jsonl.xz", "rb") as f:
            lines = f.readlines()
        random.Random(0).shuffle(lines)
        with lzma.open(b / "pairs-train.jsonl.xz", "wb", preset=6) as o:
            o.writelines(lines[: args.pairs])
    for d in (a, b):
        print(d, {p.name: round(p.stat().st_size / 2**20, 1) for p in d.iterdir()})


if __name__ == "__main__":
    main()
