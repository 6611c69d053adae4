"""Stage one device call's data for training with regions read in place (train.py --in-place-frac,
issue 18 "Pairs read in place"): .carry/inplace holds, within ~30 MiB (the repository itself takes
~27 of the 64 MiB a call carries):
  pairs-train.jsonl.xz   every train pair of whole packages, taken in sha256("in-place:" + name)
                         order until --pairs, with `doc_cut` (training/corpus/add-doc-cuts.mts)
  corpus-train.jsonl.xz  those packages' files that hold a pair (the in-place rows' text and the LM
                         rows' stream)
  pairs-eval.jsonl.xz    the 1,000 eval pairs train.py's evals take (data.load_pairs, seed 0), with
                         `doc_cut`: the same candidates as the full split's code-search eval
  corpus-eval.jsonl.xz   the files of those pairs (their in-place rows, and the held-out stream for
                         bits per byte, which is therefore not the full split's)
  model.safetensors      the checkpoint to continue from (--ckpt)

    LONGVIEW_DATA=/work/data-v3 .venv/bin/python training/gpu_runs/stage_in_place.py \\
        --ckpt training/runs/v3b/model.safetensors
    # then the device call: bash training/gpu_runs/v3.sh f   (carry .carry/inplace)
"""

import argparse
import hashlib
import json
import lzma
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
import data  # noqa: E402


def package_order(name):
    return hashlib.sha256(f"in-place:{name}".encode()).digest()


def write_xz(path, lines, preset=9):
    with lzma.open(path, "wb", preset=preset) as f:
        for line in lines:
            f.write(line if isinstance(line, bytes) else line.encode())


def files_of(split, wanted):
    """The corpus lines (bytes) of the (package, path) keys in `wanted`, in corpus order."""
    out = []
    with lzma.open(data.DATA / f"corpus-{split}.jsonl.xz", "rb") as f:
        for line in f:
            r = json.loads(line)
            if (r["package"], r["path"]) in wanted:
                out.append(line)
    return out


def with_doc_cuts(pairs_lines, corpus_lines, out, tmp, drop_unmatched=False):
    """pairs_lines through add-doc-cuts.mts against corpus_lines, written to `out`."""
    pin, cin = tmp / "pairs.jsonl.xz", tmp / "corpus.jsonl.xz"
    write_xz(pin, pairs_lines, preset=1)
    write_xz(cin, corpus_lines, preset=1)
    run = subprocess.run(
        ["node", "--import", "tsx", "training/corpus/add-doc-cuts.mts", str(pin), str(cin), str(tmp / "cut.jsonl.xz")]
        + (["--drop-unmatched"] if drop_unmatched else []),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        raise SystemExit(f"add-doc-cuts.mts failed:\n{run.stdout}\n{run.stderr}")
    with lzma.open(tmp / "cut.jsonl.xz", "rb") as f:
        write_xz(out, f.readlines())
    return json.loads(run.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=30_000, help="train pairs, whole packages (at least this many)")
    ap.add_argument("--eval-pairs", type=int, default=1000, help="as train.py's evals take them")
    ap.add_argument("--ckpt", default=str(ROOT / "training/runs/v3b/model.safetensors"))
    ap.add_argument("--out", default=str(ROOT / ".carry/inplace"))
    ap.add_argument(
        "--eval-split",
        default="eval",
        help="the split staged as the eval side (val: choosing between models by the val-split rule; "
        "written under the eval names, which train.py's evals read)",
    )
    ap.add_argument("--no-train", action="store_true", help="stage only the eval side (and the checkpoint)")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.no_train:
            report["train"] = stage_train(args, out, tmp)
        # eval: the pairs data.load_pairs(..., seed=0, limit=N) takes, in the same way
        split = args.eval_split
        recs = [
            line
            for line in lzma.open(data.DATA / f"pairs-{split}.jsonl.xz", "rb")
            if all(data.pair_fields(json.loads(line)))
        ]
        random.Random(0).shuffle(recs)
        recs = recs[: args.eval_pairs]
        corpus = files_of(split, {(r["package"], r["path"]) for r in map(json.loads, recs)})
        write_xz(out / "corpus-eval.jsonl.xz", corpus)
        report["eval"] = {"split": split, "files": len(corpus), "pairs": len(recs)}
        # val's pairs were extracted by an older outline: the few it no longer finds are left out there
        report["eval"]["doc_cuts"] = with_doc_cuts(recs, corpus, out / "pairs-eval.jsonl.xz", tmp, split != "eval")
    shutil.copyfile(args.ckpt, out / "model.safetensors")
    os.chmod(out / "model.safetensors", 0o644)
    report["sizes_mib"] = {p.name: round(p.stat().st_size / 2**20, 2) for p in sorted(out.iterdir())}
    report["total_mib"] = round(sum(p.stat().st_size for p in out.iterdir()) / 2**20, 2)
    (out / "stage.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))


def stage_train(args, out, tmp):
    """Whole train packages, so the pairs are those of the full extraction for them."""
    by_package = {}
    with lzma.open(data.DATA / "pairs-train.jsonl.xz", "rb") as f:
        for line in f:
            by_package.setdefault(json.loads(line)["package"], []).append(line)
    chosen, lines = [], []
    for name in sorted(by_package, key=package_order):
        if len(lines) >= args.pairs:
            break
        chosen.append(name)
        lines += by_package[name]
    wanted = {(r["package"], r["path"]) for r in map(json.loads, lines)}
    corpus = files_of("train", wanted)
    write_xz(out / "corpus-train.jsonl.xz", corpus)
    report = {"packages": len(chosen), "files": len(corpus), "pairs": len(lines)}
    report["doc_cuts"] = with_doc_cuts(lines, corpus, out / "pairs-train.jsonl.xz", tmp)
    return report


if __name__ == "__main__":
    main()
