"""Write LONGVIEW_DATA/READY once a build is complete: its figures (tokens per split and language,
pairs per split, language and query kind), read back from the outputs themselves.

Usage: .venv/bin/python training/corpus/write_ready.py [build seconds]
"""

from __future__ import annotations

import collections
import hashlib
import json
import lzma
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paths import DATA, MANIFEST_PATH  # noqa: E402

SPLITS = ("train", "val", "eval")
QUERY_KINDS = ("doc", "question", "name", "keywords")


def pair_counts(split: str) -> dict:
    by_language, by_kind, total = collections.Counter(), collections.Counter(), 0
    with lzma.open(DATA / f"pairs-{split}.jsonl.xz", "rt", encoding="utf-8") as f:
        for line in f:
            pair = json.loads(line)
            total += 1
            by_language[pair["language"]] += 1
            for kind in QUERY_KINDS:
                by_kind[kind] += pair["queries"].get(kind) is not None
    return {"pairs": total, "by_language": dict(by_language.most_common()), "by_query_kind": dict(by_kind)}


def main() -> None:
    manifest_bytes = MANIFEST_PATH.read_bytes()
    tokens = json.loads((DATA / "tokens-report.json").read_text())
    corpus = json.loads((DATA / "corpus-report.json").read_text())
    figures = {
        "corpus_version": json.loads(manifest_bytes)["corpus_version"],
        "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
        "units": corpus["splits"],
        "tokens": {s: tokens[s]["tokens"] for s in SPLITS},
        "tokens_by_language": {s: tokens[s]["tokens_by_language"] for s in SPLITS},
        "pairs": {s: pair_counts(s) for s in SPLITS},
        "files": {p.name: p.stat().st_size for p in sorted(DATA.iterdir()) if p.is_file() and p.name != "READY"},
    }
    if len(sys.argv) > 1:
        figures["build_seconds"] = int(float(sys.argv[1]))
    (DATA / "READY").write_text(json.dumps(figures, indent=1) + "\n")
    print(json.dumps({k: figures[k] for k in ("tokens", "tokens_by_language")}, indent=1))
    print(json.dumps({s: {k: v for k, v in figures["pairs"][s].items()} for s in SPLITS}, indent=1))


if __name__ == "__main__":
    main()
