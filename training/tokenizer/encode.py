"""How training turns text into token ids: the one place, shared by packing, pairs and fixtures.

Matches the engine (extension/engine/tokenizer/ and scan/fileStream.ts) exactly:
- a file enters as <|file|> + ids(path + "\\n") + ids(text), the two texts tokenised separately;
- text is literal: a special-token string inside a file ("<|eos|>") is ordinary text, never the
  special id (encode_special_tokens = True), so no file can inject a control token.
"""

from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer

PAD, FILE, QUERY, EOS = 0, 1, 2, 3


def load_tokenizer(path: Path | str) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.encode_special_tokens = True
    for i, name in enumerate(["<|pad|>", "<|file|>", "<|query|>", "<|eos|>"]):
        if tokenizer.token_to_id(name) != i:
            raise ValueError(f"{path}: {name} must have id {i} (docs/model-contract.md)")
    return tokenizer


def encode_texts(tokenizer: Tokenizer, texts: list[str]) -> list[list[int]]:
    """Ids of each text, no special tokens added (batch form uses the Rust side's threads)."""
    return [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=False)]


def file_ids(tokenizer: Tokenizer, path: str, text: str) -> list[int]:
    header, body = encode_texts(tokenizer, [path + "\n", text])
    return [FILE, *header, *body]
