"""Does reading a region inside its file, as the engine's index does, change how well the model finds it?

The same N held-out documented regions, embedded three ways by the contract's region formula, each
ranked for its doc comment's first sentence among the N (MRR, recall@10):
  zero_nocomment  the code with its comment removed, from a zero state (what eval_search.py and
                  training's contrastive rows use)
  zero_span       the region's text as the outline cut it, from a zero state (the engine's re-read)
  in_file         the region read in place: its file from the first token, the embedding summed
                  over the region's tokens (what the engine's index stores and Ask ranks re-reads by;
                  the region's tokens by the engine's rule, data.region_span, since 2026-12-07: until
                  then the tokens wholly inside the span, which can leave out the last one)
Regions ending past --max-file-tokens tokens into their file are skipped (scan time).

    .venv/bin/python training/eval_context.py [--model-dir DIR] [--n 300] [--out context.json]
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
from onnx_model import ShippedModel  # noqa: E402


def embeddings(model, tok, rec, text):
    """The three embeddings of one pair's region, or None when it is too short or too deep in its file."""
    a, b = data.utf16_to_index(text, rec["start"]), data.utf16_to_index(text, rec["end"])
    enc = tok.encode(text, add_special_tokens=False)
    head = data.file_header(tok, rec["path"])
    first, stop = data.region_span([o[0] for o in enc.offsets], a, b)  # the engine's tokens of the region
    toks = range(first, stop)
    if len(toks) < 8 or toks[-1] > ARGS.max_file_tokens:
        return None
    code = (
        [data.FILE]
        + tok.encode(rec["path"] + "\n", add_special_tokens=False).ids
        + tok.encode(data.pair_fields(rec)[1], add_special_tokens=False).ids
    )[:256]
    span = (head + tok.encode(text[a:b], add_special_tokens=False).ids)[:256]
    out = {}
    for name, ids in (("zero_nocomment", code), ("zero_span", span)):
        _, ld, ro, _ = model.scan(ids)
        out[name] = model.region_embedding(ld[:, -1], ro, 0, len(ids) - 1)
    _, ld, ro, _ = model.scan(head + enc.ids[: toks[-1] + 1])
    out["in_file"] = model.region_embedding(ld[:, -1], ro, len(head) + toks[0], len(head) + toks[-1])
    return out


def main():
    model = ShippedModel(ARGS.model_dir)
    tok = data.load_tokenizer(Path(ARGS.model_dir) / "tokenizer.json")
    files = {
        (r["package"], r["path"]): r["text"] for r in data.read_jsonl_xz(data.DATA / f"corpus-{ARGS.split}.jsonl.xz")
    }
    recs = [
        r
        for r in data.read_jsonl_xz(data.DATA / f"pairs-{ARGS.split}.jsonl.xz")
        if all(data.pair_fields(r)) and (r["package"], r["path"]) in files
    ]
    random.Random(0).shuffle(recs)
    emb, queries, t0 = {}, [], time.time()
    for rec in recs:
        if len(queries) >= ARGS.n:
            break
        q = [data.QUERY] + tok.encode(data.first_sentence(data.pair_fields(rec)[0]), add_special_tokens=False).ids[:63]
        e = embeddings(model, tok, rec, files[(rec["package"], rec["path"])]) if len(q) >= 3 else None
        if e is None:
            continue
        queries.append(model.query_embedding(q))
        for k, v in e.items():
            emb.setdefault(k, []).append(v)
    Q = np.stack(queries)
    result = {"split": ARGS.split, "regions": len(Q), "seconds": round(time.time() - t0, 1)}
    for k, v in emb.items():
        s = Q @ np.stack(v).T
        rank = (s > np.diag(s)[:, None]).sum(1) + 1
        result[k] = {"mrr": round(float(np.mean(1 / rank)), 4), "recall@10": round(float(np.mean(rank <= 10)), 4)}
    print(json.dumps(result, indent=1))
    if ARGS.out:
        Path(ARGS.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(data.ROOT / "media/model"))
    ap.add_argument("--split", default="eval")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--max-file-tokens", type=int, default=4000)
    ap.add_argument("--out")
    ARGS = ap.parse_args()
    main()
