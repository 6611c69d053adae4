"""Can the language model rerank Ask's files? An offline experiment on the question set's dev split.

Ask's fused hits for each dev question (`TUNE=dump DUMP=/tmp/dev-hits.json node --import tsx
bench/tuneAsk.ts`) give each question's candidate files in rank order, each with its best region. The
shipped model (exported graphs, onnxruntime on CPU) scores each candidate two ways:
- ql: query likelihood, the question's mean NLL written as a comment after the region's code
  (P(question | code), as in UPR, Sachan et al. 2022);
- pmi: how much the question, written as a comment before the code, lowers the code's NLL
  (P(code | question) / P(code), per token of code).
and the dev file-MRR@10 of the hit order, of each score alone over the top N files, and of each fused
with the hit order (z-score of the model's score plus w times z of -log(rank)) is printed.

    .venv/bin/python training/rerank_ql.py /tmp/dev-hits.json [--top 10] [--max-code 384]
"""

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from onnx_model import ShippedModel  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HASH = {".py", ".rb", ".sh", ".pl", ".r", ".toml", ".yaml", ".yml"}


def comment(path, text):
    return ("# " if Path(path).suffix.lower() in HASH else "// ") + text


def mrr(order, answer, cut=10):
    return 1 / (order.index(answer) + 1) if answer in order[:cut] else 0.0


def z(xs):
    xs = np.asarray(xs, dtype=np.float64)
    sd = xs.std()
    return (xs - xs.mean()) / sd if sd > 1e-12 else xs * 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--max-code", type=int, default=384)
    ap.add_argument("--out", help="scores per question (json)")
    args = ap.parse_args()
    model = ShippedModel(threads=2)
    tok = Tokenizer.from_file(str(ROOT / "media/model/tokenizer.json"))
    tok.encode_special_tokens = False
    enc = lambda s: tok.encode(s, add_special_tokens=False).ids
    file_id = tok.token_to_id("<|file|>")
    rows = json.loads(Path(args.dump).read_text())
    results = []
    for i, row in enumerate(rows):
        files, best = [], {}
        for h in row["hits"]:
            if h["path"] not in best:
                best[h["path"]] = h
                files.append(h["path"])
        files = files[: args.top]
        repo = ROOT / "bench/questions/repos" / row["repo"]
        ql, pmi = [], []
        for path in files:
            h = best[path]
            lines = (repo / path).read_text(errors="replace").split("\n")
            code = "\n".join(lines[h["startLine"] - 1 : h["endLine"]])
            head = [file_id] + enc(path + "\n")
            code_ids = enc(code)[: args.max_code]
            q_ids = enc("\n" + comment(path, row["q"]) + "\n")
            # ql: the question after the code
            seq = head + code_ids + q_ids
            hidden = model.scan(seq[:-1])[3]
            nll = model.token_nll(hidden, np.asarray(seq[1:]))
            ql.append(-float(nll[-len(q_ids) :].mean()))
            # pmi: the code after the question (as a comment) against the code alone
            pre = head + enc(comment(path, row["q"]) + "\n")
            with_q = pre + code_ids
            nll_q = model.token_nll(model.scan(with_q[:-1])[3], np.asarray(with_q[1:]))[-len(code_ids) :]
            alone = head + code_ids
            nll_a = model.token_nll(model.scan(alone[:-1])[3], np.asarray(alone[1:]))[-len(code_ids) :]
            pmi.append(float((nll_a - nll_q).mean()))
        results.append({"q": row["q"], "repo": row["repo"], "file": row["file"], "files": files, "ql": ql, "pmi": pmi})
        print(f"{i + 1}/{len(rows)}", file=sys.stderr, flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    report(results)


def report(results):
    base = np.mean([mrr(r["files"], r["file"]) for r in results])
    print(f"hit order (Ask, dev): file-MRR@10 {base:.3f}  ({len(results)} questions)")
    for key in ("ql", "pmi"):
        alone = np.mean(
            [mrr([r["files"][j] for j in np.argsort(-np.asarray(r[key]), kind="stable")], r["file"]) for r in results]
        )
        line = [f"{key} alone {alone:.3f}"]
        for w in (0.5, 1, 1.5, 2, 3, 4):
            s = []
            for r in results:
                prior = z([-math.log(j + 1) for j in range(len(r["files"]))])
                score = z(r[key]) + w * prior
                s.append(mrr([r["files"][j] for j in np.argsort(-score, kind="stable")], r["file"]))
            line.append(f"w{w} {np.mean(s):.3f}")
        print("  ".join(line))


if __name__ == "__main__":
    main()
