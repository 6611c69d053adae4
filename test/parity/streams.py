"""Token streams of the project's fixtures as the model reads them (shared by the parity tests that feed
the shipped graphs a state built from real code before the tokens they check)."""

from pathlib import Path

import data

ROOT = Path(__file__).resolve().parents[2]


def stream(tok, rel):
    """A file as the model reads it: <|file|> path "\\n" text."""
    text = (ROOT / rel).read_text(encoding="utf-8")
    return data.file_header(tok, rel) + tok.encode(text, add_special_tokens=False).ids


def fixture_prefix(tok, n):
    """The first n tokens of the region fixtures read one after another: a state past the window."""
    prefix = []
    for path in sorted((ROOT / "test/fixtures/regions").glob("*.fixture")):
        prefix += stream(tok, str(path.relative_to(ROOT)))
    return prefix[:n]
