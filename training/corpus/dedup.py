"""Exact and near-duplicate detection over the whole corpus (all splits together).

No MinHash library installs here (datasketch is not in the local wheel set), so this is a small
MinHash + LSH implementation:
- text is normalised (runs of whitespace → one space); shingles are its 24-byte windows, hashed to
  64 bits by a rolling hash in numpy;
- one-permutation MinHash: 64 bins by the hash's top bits, the smallest hash of each (signature());
- LSH with 8 bands of 8 rows proposes candidates (50% chance at Jaccard ≈ 0.77); a candidate is a
  duplicate when the signatures agree on at least THRESHOLD of their 64 slots (est. Jaccard).
Files are offered in a fixed order (train units first, then val, then eval), and the first copy is
kept, so a file shared across splits stays in train and leaves the held-out sets clean.
"""

from __future__ import annotations

import hashlib

import numpy as np

NUM_PERM, BANDS, ROWS = 64, 8, 8
THRESHOLD = 0.8
SHINGLE = 24  # bytes of normalised text
_P = np.uint64(0x100000001B3)  # odd: invertible mod 2^64
_P_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)


def normalise(text: str) -> str:
    return " ".join(text.split())


def signature(text: str) -> np.ndarray | None:
    """One-permutation MinHash signature of the text's shingles; None when the text is too short.

    Shingles are the SHINGLE-byte windows of the whitespace-normalised UTF-8 text, hashed by a
    polynomial rolling hash mod 2^64 (all in numpy: prefix sums of b[j]·P^j, each window scaled back
    by P^-i, P odd so invertible), then mixed. The top 6 bits of a shingle's hash pick one of the
    NUM_PERM bins, and each bin keeps its smallest hash: two texts agree on a bin with probability
    about their Jaccard similarity, at the cost of one pass instead of NUM_PERM. An empty bin gets a
    value of its own text (its sha1), so short texts do not agree on their empty bins."""
    normal = normalise(text).encode("utf-8")
    data = np.frombuffer(normal, dtype=np.uint8).astype(np.uint64)
    n = len(data) - SHINGLE + 1
    if n < 1:
        return None
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(len(data), _P, dtype=np.uint64)) * _P_INV  # P^0 .. P^(len-1)
        inverse = np.cumprod(np.full(len(data), _P_INV, dtype=np.uint64)) * _P
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(data * powers, dtype=np.uint64)))
        shingles = ((prefix[SHINGLE:] - prefix[:n]) * inverse[:n]) * _MIX
        shingles ^= shingles >> np.uint64(29)
        shingles *= _MIX
    empty = np.iinfo(np.uint64).max
    sig = np.full(NUM_PERM, empty, dtype=np.uint64)
    np.minimum.at(sig, (shingles >> np.uint64(58)).astype(np.intp), shingles)
    if (sig == empty).any():
        own = np.frombuffer(hashlib.sha512(normal).digest(), dtype=np.uint64)
        holes = np.flatnonzero(sig == empty)
        sig[holes] = own[holes % len(own)] ^ holes.astype(np.uint64)
    return sig


def fingerprint(text: str) -> tuple[str, np.ndarray | None]:
    """(sha1 of the whitespace-normalised text, MinHash signature): what check() compares. Computed
    where the file is read (build_corpus.py's workers); the decisions are taken in one place, in order."""
    return hashlib.sha1(normalise(text).encode()).hexdigest(), signature(text)


class Deduplicator:
    def __init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.buckets: list[dict[bytes, list[int]]] = [dict() for _ in range(BANDS)]
        self.signatures: list[np.ndarray] = []
        self.owners: list[str] = []

    def check(self, key: str, digest: str, sig: np.ndarray | None) -> str | None:
        """Register the file (its fingerprint()); return a drop reason if it duplicates one seen before."""
        if digest in self.exact:
            return f"exact duplicate of {self.exact[digest]}"
        self.exact[digest] = key
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
