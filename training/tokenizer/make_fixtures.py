"""Write test/fixtures/tokenizer/parity.jsonl: texts and the token ids Python's `tokenizers` gives them.

The TypeScript tokenizer (extension/engine/tokenizer/) must give the same ids for every text
(test/unit/tokenizer-parity.test.ts). The sample: real files of every language from the val and
eval splits, plus hand-made edge cases: CRLF, tabs, odd Unicode whitespace, emoji sequences, CJK,
combining marks, right-to-left text, special-token strings inside text, and lone UTF-16 surrogates.

A lone surrogate cannot be UTF-8, so it never reaches Python from a file on disk; in the editor the
text is a JavaScript string that may hold one. The engine encodes such text as UTF-8 the way
TextEncoder does (each lone surrogate becomes U+FFFD), so the expected ids are Python's ids for the
text with U+FFFD in its place. The fixture keeps the original text (JSON escapes the surrogate).

Usage: .venv/bin/python training/tokenizer/make_fixtures.py
"""

from __future__ import annotations

import json
import lzma
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from encode import load_tokenizer  # noqa: E402
from paths import DATA, REPO, TOKENIZER_PATH  # noqa: E402

FIXTURE = REPO / "test" / "fixtures" / "tokenizer" / "parity.jsonl"
MAX_FILE_CHARS = 6000  # keep the fixture small: the head of each sampled file
FILES_PER_LANGUAGE = 5
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")

EDGE_CASES = {
    "empty": "",
    "crlf": "function add(a, b) {\r\n\treturn a + b;\r\n}\r\n",
    "tabs and trailing spaces": "if x:\n\t\tpass   \n\t \t\n    \n",
    "odd whitespace": "a\u00a0b\u2009c\u3000d\u2028e\u2029f\u0085g\u000bh\u000ci\ufeffj\u200bk\u180el\u202fm\u205fn",
    "bom at start": "\ufeffexport const x = 1;\n",
    "emoji": "// 🚀 launch 👩🏽‍💻 dev 🇫🇷 flag ❤️ heart 1️⃣ keycap 🏳️‍🌈\nconst s = '😀😃😄';\n",
    "cjk": "/** 计算两个数的和。日本語のコメント。한국어 주석 */\nfunction 合計(数値一, 数値二) { return 数値一 + 数値二; }\n",
    "combining marks": "e\u0301 a\u0308 n\u0303 Z\u0351\u0352\u0353a\u0354l\u0355g\u0356o\n",
    "right to left": "// مرحبا بالعالم\nconst שלום = 'עולם';\n",
    "mathematical": "∀x ∈ ℝ: x² ≥ 0 ∑ ∫ ≠ ≤ 𝔸𝔹ℂ 𝟘𝟙𝟚\n",
    "digits": "const n = 1234567890.0987654321e-10 + 0xDEADbeef + 1_000_000n;\n",
    "special token strings in text": "const marker = '<|file|>'; // <|eos|> <|query|> <|pad|>\n",
    "long runs": "x" + " " * 300 + "y\n" + "-" * 500 + "\n" + "\n" * 40,
    "lone high surrogate": "const s = '\ud83d';\nreturn s;\n",
    "lone low surrogate": "a\ude00b \ude00\n",
    "reversed surrogate pair": "x\ude00\ud83dy",
    "surrogate at end": "ends with \ud800",
    "control characters": "a\u0000b\u0001c\u001bd\u007fe\u0008f\n",
    "apostrophes": "it's we're they've I'm you'll he'd 'S 'T don't\n",
    "mixed scripts": "Ελληνικά кириллица ไทย हिन्दी ქართული Ⅻ ⓐ\n",
}


def sample_files() -> list[tuple[str, str]]:
    """The first FILES_PER_LANGUAGE files of each language in the val and eval splits."""
    per_language: dict[str, list[tuple[str, str]]] = {}
    for split in ("val", "eval"):
        with lzma.open(DATA / f"corpus-{split}.jsonl.xz", "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                bucket = per_language.setdefault(r["language"], [])
                if len(bucket) < FILES_PER_LANGUAGE:
                    bucket.append((f"{r['package']}/{r['path']}", r["text"][:MAX_FILE_CHARS]))
    return [item for lang in sorted(per_language) for item in per_language[lang]]


def main() -> None:
    tokenizer = load_tokenizer(TOKENIZER_PATH)
    cases = list(EDGE_CASES.items()) + sample_files()
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    with open(FIXTURE, "w", encoding="utf-8") as out:
        for name, text in cases:
            as_utf8 = LONE_SURROGATE.sub("\ufffd", text)
            ids = tokenizer.encode(as_utf8, add_special_tokens=False).ids
            # ensure_ascii keeps lone surrogates as \\udXXX escapes, which JSON.parse restores
            out.write(json.dumps({"name": name, "text": text, "ids": ids}, ensure_ascii=True) + "\n")
    print(f"wrote {FIXTURE}: {len(cases)} texts, {FIXTURE.stat().st_size} bytes")


if __name__ == "__main__":
    main()
