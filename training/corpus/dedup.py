"""Exact and near-duplicate detection over the whole corpus (all splits together).

No MinHash library installs here (datasketch is not in the local wheel set), so this is a small
MinHash + LSH implementation:
- text is normalised (runs of whitespace → one space) and split into word/punctuation tokens;
- shingles are 5-token windows, hashed to 64 bits;
- 64 hash functions of the form (h XOR salt) * odd (mod 2^64) give the signature;
- LSH with 8 bands of 8 rows proposes candidates (50% chance at Jaccard ≈ 0.77); a candidate is a
  duplicate when the signatures agree on at least THRESHOLD of their 64 slots (est. Jaccard).
Files are offered in a fixed order (train units first, then val, then eval), and the first copy is
kept, so a file shared across splits stays in train and leaves the held-out sets clean.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

NUM_PERM, BANDS, ROWS = 64, 8, 8
THRESHOLD = 0.8
SHINGLE = 5
_TOKEN = re.compile(r"\w+|[^\w\s]")
_rng = np.random.default_rng(20261128)
_SALTS = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_ODDS = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def normalise(text: str) -> str:
    return " ".join(text.split())


def signature(text: str) -> np.ndarray | None:
    """MinHash signature of the text's shingles; None when the text has too few tokens."""
    tokens = _TOKEN.findall(text)
    if len(tokens) < SHINGLE + 1:
        return None
    h = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    with np.errstate(over="ignore"):
        shingles = np.zeros(len(tokens) - SHINGLE + 1, dtype=np.uint64)
        for k in range(SHINGLE):
            shingles = shingles * _MIX + h[k : len(h) - SHINGLE + 1 + k]
        shingles = np.unique(shingles)
        # (n_shingles, NUM_PERM) in blocks to bound memory on large files
        sig = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
        for start in range(0, len(shingles), 4096):
            block = shingles[start : start + 4096, None]
            sig = np.minimum(sig, ((block ^ _SALTS) * _ODDS).min(axis=0))
    return sig


class Deduplicator:
    def __init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.buckets: list[dict[bytes, list[int]]] = [dict() for _ in range(BANDS)]
        self.signatures: list[np.ndarray] = []
        self.owners: list[str] = []

    def check(self, key: str, text: str) -> str | None:
        """Register the file; return a drop reason if it duplicates one seen before."""
        digest = hashlib.sha1(normalise(text).encode()).hexdigest()
        if digest in self.exact:
            return f"exact duplicate of {self.exact[digest]}"
        self.exact[digest] = key
        sig = signature(text)
        if sig is None:
            return None
        band_keys = [sig[b * ROWS : (b + 1) * ROWS].tobytes() for b in range(BANDS)]
        candidates = {i for b, k in enumerate(band_keys) for i in self.buckets[b].get(k, ())}
        for i in sorted(candidates):
            if float(np.mean(self.signatures[i] == sig)) >= THRESHOLD:
                return f"near duplicate of {self.owners[i]}"
        index = len(self.signatures)
        self.signatures.append(sig)
        self.owners.append(key)
        for b, k in enumerate(band_keys):
            self.buckets[b].setdefault(k, []).append(index)
        return None
