"""Token-id streams for next-token training, one per split, in the engine's file format.

Each file becomes <|file|> + ids(path + "\\n") + ids(text) (training/tokenizer/encode.py); a
package's files follow each other in path order, packages in manifest order, so a window taken
inside one package's range reads several files of that package in turn.

Writes (under training/data/):
  tokens-{split}.u16.xz       little-endian uint16 ids, all packages of the split back to back
  tokens-{split}.index.json   {"tokenizer_sha256", "packages": [{"package", "start", "end",
                              "files": [[path, start, text_start, end], ...]}]} (token positions)
Usage: .venv/bin/python training/tokenizer/pack_tokens.py
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import json
import lzma
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from encode import FILE, encode_texts, load_tokenizer  # noqa: E402
from paths import DATA, TOKENIZER_PATH  # noqa: E402

SPLITS = ("train", "val", "eval")
BATCH = 512
XZ = ["xz", "-T2", "-6"]  # thread count and preset fixed: the same bytes on every machine


def records(split: str):
    with lzma.open(DATA / f"corpus-{split}.jsonl.xz", "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def pack_split(tokenizer, split: str, tokenizer_sha: str) -> dict:
    chunks: list[np.ndarray] = []
    packages: list[dict] = []
    by_language: collections.Counter = collections.Counter()
    position = 0
    stream = records(split)
    while batch := list(itertools.islice(stream, BATCH)):
        texts = [t for r in batch for t in (r["path"] + "\n", r["text"])]
        ids = encode_texts(tokenizer, texts)
        for i, r in enumerate(batch):
            header, body = ids[2 * i], ids[2 * i + 1]
            if not packages or packages[-1]["package"] != r["package"]:
                packages.append({"package": r["package"], "start": position, "end": position, "files": []})
            text_start = position + 1 + len(header)
            end = text_start + len(body)
            chunks.append(np.array([FILE, *header, *body], dtype=np.uint16))
            by_language[r["language"]] += end - position
            packages[-1]["files"].append([r["path"], position, text_start, end])
            packages[-1]["end"] = position = end
    tokens = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.uint16)
    tmp = DATA / f"tokens-{split}.u16.xz.tmp"
    with open(tmp, "wb") as out:
        subprocess.run(XZ, input=tokens.astype("<u2").tobytes(), stdout=out, check=True)
    tmp.replace(DATA / f"tokens-{split}.u16.xz")
    index = {"tokenizer_sha256": tokenizer_sha, "tokens": int(len(tokens)), "packages": packages}
    (DATA / f"tokens-{split}.index.json").write_text(json.dumps(index) + "\n")
    return {
        "tokens": int(len(tokens)),
        "tokens_by_language": dict(sorted(((str(k), v) for k, v in by_language.items()), key=lambda kv: -kv[1])),
        "packages": len(packages),
        "files": sum(len(p["files"]) for p in packages),
        "compressed_bytes": (DATA / f"tokens-{split}.u16.xz").stat().st_size,
    }


def main() -> None:
    tokenizer = load_tokenizer(TOKENIZER_PATH)
    tokenizer_sha = hashlib.sha256(TOKENIZER_PATH.read_bytes()).hexdigest()
    assert tokenizer.get_vocab_size() <= 65536, "ids must fit uint16"
    started = time.time()
    report = {}
    for split in sys.argv[1:] or SPLITS:
        report[split] = pack_split(tokenizer, split, tokenizer_sha)
        print(split, json.dumps(report[split]), f"{time.time() - started:.0f}s", flush=True)
    if not sys.argv[1:]:
        (DATA / "tokens-report.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
