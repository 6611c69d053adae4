"""Check what training/data/ holds before it travels to the GPU machine.

- No package appears in two splits (corpus, pairs, token streams), and each split's packages are
  the manifest's units of that split.
- Token streams decode back to the corpus: for every val/eval file and a sample of train files,
  tokens[start] is <|file|>, the header decodes to path + "\\n" and the body to the file's text.
- The token index was made with the committed tokenizer (sha256).
- No package or file path is excluded code (reserved.txt, the Ask question set: exclusions.py).
Exits non-zero with a line per problem. Usage: .venv/bin/python training/tokenizer/verify_outputs.py
"""

from __future__ import annotations

import hashlib
import json
import lzma
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from encode import FILE, load_tokenizer  # noqa: E402
from exclusions import excluded  # noqa: E402
from paths import DATA, MANIFEST_PATH, TOKENIZER_PATH  # noqa: E402

SPLITS = ("train", "val", "eval")
TRAIN_SAMPLE = 400


def jsonl(path: Path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def main() -> None:
    problems: list[str] = []
    manifest = json.loads(MANIFEST_PATH.read_text())
    split_of = {u["name"]: u["split"] for u in manifest["units"]}
    tokenizer = load_tokenizer(TOKENIZER_PATH)
    tokenizer_sha = hashlib.sha256(TOKENIZER_PATH.read_bytes()).hexdigest()
    rng = random.Random(0)
    exclude = excluded()
    for split in SPLITS:
        corpus = {(r["package"], r["path"]): r["text"] for r in jsonl(DATA / f"corpus-{split}.jsonl.xz")}
        for package, path in corpus:
            if hit := exclude.package(package) or exclude.path(f"{package}/{path}"):
                problems.append(f"{split}: {package}/{path} is excluded code ({hit})")
        pair_packages = {r["package"] for r in jsonl(DATA / f"pairs-{split}.jsonl.xz")}
        for package in {p for p, _ in corpus} | pair_packages:
            if split_of.get(package) != split:
                problems.append(f"{split}: package {package} belongs to split {split_of.get(package)}")
        index = json.loads((DATA / f"tokens-{split}.index.json").read_text())
        if index["tokenizer_sha256"] != tokenizer_sha:
            problems.append(f"{split}: token stream made with another tokenizer; rerun pack_tokens.py")
        with lzma.open(DATA / f"tokens-{split}.u16.xz") as f:
            tokens = np.frombuffer(f.read(), dtype="<u2")
        if len(tokens) != index["tokens"]:
            problems.append(f"{split}: {len(tokens)} tokens, index says {index['tokens']}")
        files = [(p["package"], *f) for p in index["packages"] for f in p["files"]]
        if len(files) != len(corpus):
            problems.append(f"{split}: {len(files)} files in the token index, {len(corpus)} in the corpus")
        checked = files if split != "train" else rng.sample(files, min(TRAIN_SAMPLE, len(files)))
        for package, path, start, text_start, end in checked:
            header = tokenizer.decode(tokens[start + 1 : text_start].tolist(), skip_special_tokens=False)
            body = tokenizer.decode(tokens[text_start:end].tolist(), skip_special_tokens=False)
            if tokens[start] != FILE or header != path + "\n" or body != corpus.get((package, path)):
                problems.append(f"{split}: {package}/{path} does not decode back to its text")
        print(f"{split}: {len(corpus)} files, {len(tokens)} tokens, {len(checked)} files decoded and compared")
    for p in problems[:50]:
        print("PROBLEM", p)
    if problems:
        raise SystemExit(f"{len(problems)} problems")
    print("training/data is consistent")


if __name__ == "__main__":
    main()
