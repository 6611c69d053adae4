"""Train Longview's byte-level BPE on the train split only; write media/model/tokenizer.json.

- Byte-level (GPT-2 style pre-tokenisation regex, no prefix space, no normaliser): every byte
  sequence round-trips and offsets stay exact, which the engine needs to map tokens to regions.
- Special tokens with fixed ids (docs/model-contract.md): <|pad|>=0, <|file|>=1, <|query|>=2, <|eos|>=3.
- Trained on whole files of the train split (corpus-train.jsonl.xz), fed in manifest order.

Usage: .venv/bin/python training/tokenizer/train_tokenizer.py [--vocab 8192] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import lzma
import sys
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus"))
from paths import DATA, TOKENIZER_PATH  # noqa: E402

SPECIAL_TOKENS = ["<|pad|>", "<|file|>", "<|query|>", "<|eos|>"]


def train_texts():
    with lzma.open(DATA / "corpus-train.jsonl.xz", "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            # the path is tokenised in the packed stream too, so it belongs in the training text
            yield record["path"] + "\n" + record["text"]


def build(vocab_size: int) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        show_progress=False,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(train_texts(), trainer=trainer)
    for i, tok in enumerate(SPECIAL_TOKENS):
        assert tokenizer.token_to_id(tok) == i, f"{tok} must have id {i}"
    return tokenizer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vocab", type=int, default=8192)
    parser.add_argument(
        "--out",
        type=Path,
        default=TOKENIZER_PATH,
        help="where to write (another path to check that training is reproducible)",
    )
    args = parser.parse_args()
    tokenizer = build(args.vocab)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(args.out), pretty=False)
    print(f"wrote {args.out}: vocab {tokenizer.get_vocab_size()}, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
