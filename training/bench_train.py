"""Training speed: tokens per second and model FLOP utilisation of train.py's step, per recipe, in one
run on one GPU (the GPU machine), every recipe on the same synthetic corpus (speed does not depend
on the text; random identifiers in code-shaped lines, tokenised with the shipped tokenizer).

    python3 training/bench_train.py --out $OUT/bench-train.json [--baseline .carry/baseline]

--baseline names a folder holding an older training/ (train.py, model.py, data.py, ...) to time in
the same run as today's ("before"); make it with
    mkdir -p .carry/baseline && for f in train model data evals_torch lexical; do
      git show 516c7d6:training/$f.py > .carry/baseline/$f.py; done
(.carry/ is git-ignored: name it in the device tool's carry).
Each recipe runs in its own process (train.py --probe: warm-up steps, which include compilation,
then timed steps); lm_tokens_per_s counts the next-token rows' tokens, mfu all model FLOPs
(train.py model_flops_per_step) over the GPU's dense bf16 peak.
"""

import argparse
import json
import lzma
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TRAIN_RECIPE = ["--same-package-frac", "0.5"]  # the shipped model's recipe (gpu_runs/long2.txt) at its defaults
RECIPES = {
    "eager b16": [],
    "eager b16 chunk 64": ["--train-chunk", "64"],
    "eager b16 chunk 32": ["--train-chunk", "32"],
    "compiled b16": ["--compile"],
    "compiled b16 chunk 64": ["--compile", "--train-chunk", "64"],
    "compiled b32 chunk 64": ["--compile", "--train-chunk", "64", "--batch", "32", "--pair-batch", "256"],
    "compiled b64": ["--compile", "--batch", "64", "--pair-batch", "512"],
    "compiled b64 + memory": ["--compile", "--batch", "64", "--pair-batch", "512", "--memory-weight", "0.5"],
}


def fake_corpus(out, n_files=3000, n_pairs=20000, seed=0):
    """corpus-train/eval.jsonl.xz and pairs-train.jsonl.xz of random code-shaped text."""
    g = np.random.default_rng(seed)
    words = ["".join(g.choice(list("abcdefghijklmnopqrstuvwxyz_"), int(g.integers(3, 10)))) for _ in range(4000)]
    w = lambda n: [words[i] for i in g.integers(0, len(words), n)]

    def code(lines):
        return "\n".join(
            f"    {a} = {b}({c}, {d}) + {int(g.integers(100))}" for a, b, c, d in (w(4) for _ in range(lines))
        )

    out.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", n_files), ("eval", n_files // 10)):
        with lzma.open(out / f"corpus-{split}.jsonl.xz", "wt") as f:
            for i in range(n):
                rec = {"package": f"p{i // 20}", "path": f"src/{w(1)[0]}.py", "language": "python", "text": code(60)}
                f.write(json.dumps(rec) + "\n")
    with lzma.open(out / "pairs-train.jsonl.xz", "wt") as f:
        for i in range(n_pairs):
            rec = {"package": f"p{i // 50}", "path": "a.py", "query": " ".join(w(8)) + ".", "code": code(8)}
            f.write(json.dumps(rec) + "\n")


def run(train_py, args, env, steps, warmup=None):
    """warmup None: an older train.py, which times every step after its third."""
    cmd = [sys.executable, str(train_py), *TRAIN_RECIPE, *args, "--probe", str(steps)]
    cmd += ["--probe-warmup", str(warmup)] if warmup is not None else []
    cmd += ["--steps", str(steps + (warmup if warmup is not None else 3)), "--out", "/tmp/bench-train-run", "--no-eval"]
    t0 = time.time()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    lines = [line for line in p.stdout.splitlines() if line.startswith('{"variant"')]
    if p.returncode or not lines:
        return {"error": (p.stdout + p.stderr)[-1500:]}
    rec = json.loads(lines[-1])
    rec["wall_s"] = round(time.time() - t0, 1)
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--baseline", help="folder with an older train.py and its modules (timed as 'before')")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--recipes", default=",".join(RECIPES))
    ap.add_argument("--profile", help="folder: each recipe's torch.profiler table (top kernels) written there")
    args = ap.parse_args()
    data_dir = Path("/tmp/bench-train-data")
    if not (data_dir / "pairs-train.jsonl.xz").exists():
        fake_corpus(data_dir)
    env = dict(os.environ, LONGVIEW_DATA=str(data_dir), LONGVIEW_TOKENIZER=str(ROOT / "media/model/tokenizer.json"))
    env["PYTHONUNBUFFERED"] = "1"
    results = {}
    if args.baseline:
        rec = run(Path(args.baseline) / "train.py", [], env, args.steps)
        if "ms_per_step" in rec:  # the old probe prints ms per step only
            rec["lm_tokens_per_s"] = round(16 * 4096 * 1000 / rec["ms_per_step"])
        results["before (eager b16)"] = rec
        print(json.dumps({"before (eager b16)": rec}), flush=True)
    for name in args.recipes.split(","):
        warmup = 8 if "--compile" in RECIPES[name] else 3
        extra = []
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            extra = ["--profile-out", str(Path(args.profile) / (name.replace(" ", "-").replace("+", "plus") + ".txt"))]
        results[name] = run(ROOT / "training/train.py", RECIPES[name] + extra, env, args.steps, warmup)
        print(json.dumps({name: results[name]}), flush=True)
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")  # what ran so far, if the call is cut short
    base = results.get("before (eager b16)", results.get("eager b16", {})).get("lm_tokens_per_s")
    print(f"\n{'recipe':28} {'tokens/s':>10} {'x before':>9} {'MFU':>7} {'ms/step':>8} {'GiB':>5}")
    for name, r in results.items():
        if "error" in r:
            print(f"{name:28} error: {r['error'][-300:]}")
            continue
        x = r["lm_tokens_per_s"] / base if base else float("nan")
        mfu = f"{r['mfu']:.3f}" if r.get("mfu") is not None else "-"
        print(
            f"{name:28} {r['lm_tokens_per_s']:>10,} {x:>8.2f}x {mfu:>7} {r['ms_per_step']:>8.1f} {r.get('max_gib', 0):>5}"
        )
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
