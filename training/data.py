"""Token streams, (doc, code) pairs and planted needles for training and evals.

Reads what training/corpus/ writes under training/data/ (records {"package", "path", "language",
"text"}, a package's files together) and the tokenizer in media/model/tokenizer.json.
A file enters the model as the contract says: <|file|> + path + "\n" + text.
"""

import bisect
import functools
import json
import lzma
import os
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("LONGVIEW_DATA", ROOT / "training/data"))
TOKENIZER = Path(os.environ.get("LONGVIEW_TOKENIZER", ROOT / "media/model/tokenizer.json"))
PAD, FILE, QUERY, EOS = 0, 1, 2, 3


def read_jsonl_xz(path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def load_tokenizer(path=TOKENIZER):
    if not Path(path).exists():
        raise SystemExit(f"tokenizer not found at {path}: build it first (training/tokenizer/)")
    tok = Tokenizer.from_file(str(path))
    tok.encode_special_tokens = True  # "<|eos|>" inside a file is text, as in the engine (training/tokenizer/encode.py)
    return tok


def encode_many(tok, texts):
    return [e.ids for e in tok.encode_batch(list(texts), add_special_tokens=False)]


def file_header(tok, path):
    return [FILE] + tok.encode(path + "\n", add_special_tokens=False).ids


@dataclass
class Stream:
    """All files of a split in one token stream: packages one after another, files in order."""

    tokens: np.ndarray  # int32 (n,)
    file_starts: np.ndarray  # int64, index of each file's <|file|>
    file_lens: np.ndarray  # tokens per file, header included
    file_package: list  # package name per file
    n_bytes: int  # UTF-8 bytes of paths, newlines and texts

    def package_ranges(self):
        """{package: (first token, end token)}."""
        out = {}
        for s, n, p in zip(self.file_starts, self.file_lens, self.file_package):
            a, b = out.get(p, (s, s))
            out[p] = (min(a, s), max(b, s + n))
        return out


def cached_stream(tok, split, seed=0, max_files=None):
    """build_stream, kept in training/data/cache/ (keyed by tokenizer, corpus file, seed) so that
    several training processes started together tokenize once."""
    import hashlib
    import pickle

    corpus = DATA / f"corpus-{split}.jsonl.xz"
    key = hashlib.sha256(
        f"{tok.to_str()}|{corpus.stat().st_size}|{corpus.stat().st_mtime_ns}|{seed}|{max_files}".encode()
    ).hexdigest()[:16]
    path = DATA / "cache" / f"stream-{split}-{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    stream = build_stream(tok, split, seed, max_files)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(pickle.dumps(stream))
    tmp.replace(path)
    return stream


def build_stream(tok, split, seed=0, max_files=None):
    path = DATA / f"corpus-{split}.jsonl.xz"
    records = list(read_jsonl_xz(path))
    if not records:
        raise SystemExit(f"{path} holds no records")
    by_pkg = {}
    for r in records:
        by_pkg.setdefault(r["package"], []).append(r)
    order = sorted(by_pkg)
    random.Random(seed).shuffle(order)  # package order varies, file order inside stays
    records = [r for p in order for r in by_pkg[p]][:max_files]
    headers = encode_many(tok, [r["path"] + "\n" for r in records])
    bodies = encode_many(tok, [r["text"] for r in records])
    pieces, starts, lens, pkgs, n_bytes, pos = [], [], [], [], 0, 0
    for r, h, b in zip(records, headers, bodies):
        ids = [FILE] + h + b
        pieces.append(np.asarray(ids, dtype=np.int32))
        starts.append(pos)
        lens.append(len(ids))
        pkgs.append(r["package"])
        pos += len(ids)
        n_bytes += len((r["path"] + "\n" + r["text"]).encode("utf-8"))
    return Stream(np.concatenate(pieces), np.asarray(starts), np.asarray(lens), pkgs, n_bytes)


def lm_batches(stream, seq_len, batch, rng):
    """Random windows of the stream, each seq_len + 1 tokens (inputs and shifted targets)."""
    hi = len(stream.tokens) - seq_len - 1
    while True:
        starts = rng.integers(0, hi, size=batch)
        yield np.stack([stream.tokens[s : s + seq_len + 1] for s in starts]).astype(np.int64)


# ------------------------------------------------------------------ (doc, code) pairs


def pair_fields(rec):
    """Accept the pair records of training/corpus (names may vary a little): query text and code."""
    q = rec.get("query") or rec.get("doc") or rec.get("docstring")
    c = rec.get("code") or rec.get("target") or rec.get("body")
    return q, c


def query_forms(rec, kinds):
    """The pair's query texts of the wanted kinds. Corpus v3 records carry `queries` {kind: text or
    [texts]} (doc = the doc's first sentence, question, name, keywords: training/corpus); older
    records only the doc form."""
    forms = rec.get("queries") or {}
    out = []
    for kind in kinds:
        v = forms.get(kind)
        out += [v] if isinstance(v, str) else list(v or [])
    return [q for q in out if q and q.strip()]


def load_pairs(tok, split, max_query, max_code, limit=None, seed=0, query_kinds=("doc",), in_place=None):
    """Returns list of dicts {package, path, query_ids, query_alts, code_ids}; query_ids (the doc's
    first sentence, what the evals ask with) start with <|query|>, query_alts holds every form of
    query_kinds (training draws one per row); code_ids are <|file|> path \\n code (the region
    scanned from a zero state). With in_place={"context": N, "region_cap": M or None}, each pair
    whose file corpus-{split} holds also gets `place` (in_place_rows: the region read inside its file)."""
    path = DATA / f"pairs-{split}.jsonl.xz"
    if not path.exists():
        return []
    recs = [r for r in read_jsonl_xz(path) if all(pair_fields(r))]
    random.Random(seed).shuffle(recs)
    recs = recs[:limit]
    places = in_place_rows(tok, split, recs, **in_place) if in_place else [None] * len(recs)
    qs = encode_many(tok, [first_sentence(pair_fields(r)[0]) for r in recs])
    cs = encode_many(tok, [pair_fields(r)[1] for r in recs])
    hs = encode_many(tok, [r.get("path", "") + "\n" for r in recs])
    extra_kinds = [k for k in query_kinds if k != "doc"]
    extras = [query_forms(r, extra_kinds) for r in recs]
    flat = encode_many(tok, [q for e in extras for q in e])
    out, at = [], 0
    for r, q, c, h, e, place in zip(recs, qs, cs, hs, extras, places):
        alts, at = flat[at : at + len(e)], at + len(e)
        if len(q) < 2 or len(c) < 8:
            continue
        query = [QUERY] + q[: max_query - 1]
        alts = ([query] if "doc" in query_kinds else []) + [[QUERY] + a[: max_query - 1] for a in alts if len(a) >= 1]
        question = query_forms(r, ["question"])
        out.append(
            {
                "package": r.get("package"),
                "path": r.get("path", ""),
                "language": r.get("language"),
                "query_ids": query,
                "question_ids": [QUERY] + tok.encode(question[0], add_special_tokens=False).ids[: max_query - 1]
                if question
                else None,
                "query_alts": alts or [query],
                "code_ids": ([FILE] + h + c)[:max_code],
                "header_len": 1 + len(h),
            }
        )
        if place:
            out[-1]["place"] = place
    return out


def utf16_to_index(text, offset):
    """The engine's regions carry UTF-16 offsets; Python strings index code points."""
    return len(text.encode("utf-16-le")[: 2 * offset].decode("utf-16-le", errors="ignore"))


def region_span(starts, start, end):
    """The tokens of the text span [start, end) as the engine takes a region's
    (extension/engine/scan/fileStream.ts, firstTokenAtOrAfter): those whose start offset lies in
    [start, end). starts: each token's start offset, ascending. Returns (first, stop), stop exclusive."""
    return bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)


def in_place_rows(tok, split, recs, context, region_cap=None, slack=64):
    """Each pair's region read in place, the way the engine's index reads it: the file enters as
    <|file|> path \\n text (one tokenization of the whole text), and the region's embedding pools over
    its own tokens (region_span) after everything before them. A row keeps the last `context` tokens
    before the region (the file's header too when it is that close) and the region's first
    `region_cap` tokens (all when None). Two forms per pair, each (int32 ids, first, last) with first
    and last the region's token indices in the row (inclusive, the contract's a..b):
      keep   the file as it is: the region's doc comment before it (or docstring inside) is read too;
      nodoc  the file without the region's doc (the record's `doc_cut`, training/corpus/pair-text.mts
             docCut): the region as an undocumented one. Tokenized from shortly before the cut (the
             window's first few tokens may split differently from a whole-file tokenization).
    Returns one dict {keep, nodoc} or None (file not in corpus-{split}, or no region tokens) per record."""
    wanted = {(r["package"], r["path"]) for r in recs}
    texts = {}
    for f in read_jsonl_xz(DATA / f"corpus-{split}.jsonl.xz"):
        if (f["package"], f["path"]) in wanted:
            texts[(f["package"], f["path"])] = f["text"]
    keys = sorted(texts)
    encs = tok.encode_batch([texts[k] for k in keys], add_special_tokens=False)
    headers = dict(zip(keys, encode_many(tok, [k[1] + "\n" for k in keys])))
    files = {k: (np.asarray(e.ids, dtype=np.int32), [o[0] for o in e.offsets]) for k, e in zip(keys, encs)}

    def row(header, ids, starts, start, end):
        a, b = region_span(starts, start, end)
        if region_cap is not None:
            b = min(b, a + region_cap)
        if b <= a:
            return None
        lo = a - context
        if lo < 0:  # the whole text before the region fits: the header comes too
            lo = max(0, len(header) + lo)
            ids, a, b = np.concatenate([np.asarray(header, dtype=np.int32), ids[:b]]), a + len(header), b + len(header)
        return ids[lo:b], a - lo, b - 1 - lo

    out, windows, cut_of, plain = [], [], [], {}
    for r in recs:
        key = (r["package"], r["path"])
        if key not in texts:
            out.append(None)
            continue
        text, (ids, starts) = texts[key], files[key]
        header = [FILE] + headers[key]
        if key not in plain:
            plain[key] = text.isascii() or max(text, default="") <= "\uffff"
        index = int if plain[key] else functools.partial(utf16_to_index, text)  # UTF-16 -> code points
        start, end = index(r["start"]), index(r["end"])
        keep = row(header, ids, starts, start, end)
        out.append(keep and {"keep": keep, "nodoc": keep})
        cut = r.get("doc_cut")
        if keep and cut:
            ca, cb = index(cut[0]), index(cut[1])
            first = bisect.bisect_right(starts, min(ca, start)) - 1  # the token holding the cut's start
            w = starts[max(0, first - context - slack)] if first - context - slack > 0 else 0
            stop = min(len(text), end + slack)  # a little past the region: its last token splits as in the file
            windows.append(text[w:ca] + text[cb:stop])
            shift = cb - ca
            cut_of.append((len(out) - 1, w, start - w - (shift if cb <= start else 0), end - w - shift, header))
    for (j, w, start, end, header), e in zip(cut_of, tok.encode_batch(windows, add_special_tokens=False)):
        ids, starts = np.asarray(e.ids, dtype=np.int32), [o[0] for o in e.offsets]
        nodoc = row(header if w == 0 else [], ids, starts, start, end)
        if nodoc:
            out[j]["nodoc"] = nodoc
    return out


def first_sentence(text):
    """First sentence of a doc comment: up to the first '. ' or blank line, whitespace collapsed."""
    text = " ".join(text.strip().split("\n\n")[0].split())
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            return text[: i + 1]
    return text


def pad_batch(seqs, length=None, pad=PAD):
    length = length or max(len(s) for s in seqs)
    out = np.full((len(seqs), length), pad, dtype=np.int64)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = s[:length]
    return out


# ------------------------------------------------------------------ planted needles

NEEDLE_CHARS = "abcdefghjkmnpqrstuvwxyz23456789"


def needle_texts(rng):
    """A fact stated once and asked for later, in code-like form. Returns (fact, cue, value)."""
    key = "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 8))
    value = "".join(rng.choice(list(NEEDLE_CHARS), 6))
    fact = f'\nconst SECRET_{key} = "{value}";\n'
    cue = f'\n// SECRET_{key} is "'
    return fact, cue, value


def plant_needles(tok, seq, rng, n, min_gap=16):
    """Plant n facts at random places in `seq` and each one's cue + value at a random later place
    (n > 1 is MQAR-style: many keys per row; distances from min_gap to the row length). Returns the
    new sequence (same length) and a list of (value_start, value_len) spans in it. (The first
    session's runs used a one-fact version that put the fact in the row's first half.)"""
    L = len(seq)
    facts = [needle_texts(rng) for _ in range(n)]
    enc = [
        (
            tok.encode(f, add_special_tokens=False).ids,
            tok.encode(c, add_special_tokens=False).ids,
            tok.encode(v + '";\n', add_special_tokens=False).ids,
        )
        for f, c, v in facts
    ]
    filler_len = L - sum(len(f) + len(c) + len(v) for f, c, v in enc)
    if filler_len < n * min_gap * 2:
        return seq, []
    events = []  # (place in filler, order, tokens, value offset)
    for f, c, v in enc:
        p = int(rng.integers(0, filler_len - min_gap))
        q = int(rng.integers(p + min_gap, filler_len + 1))
        events.append((p, 0, f, None))
        events.append((q, 1, c + v, len(c)))
    events.sort(key=lambda e: (e[0], e[1]))
    pieces, spans, prev, pos = [], [], 0, 0
    for place, _, toks, voff in events:
        pieces.append(seq[prev:place])
        pos += place - prev
        if voff is not None:
            spans.append((pos + voff, len(toks) - voff))
        pieces.append(np.asarray(toks, dtype=seq.dtype))
        pos += len(toks)
        prev = place
    pieces.append(seq[prev:filler_len])
    out = np.concatenate(pieces)
    assert len(out) == L, (len(out), L)
    return out, spans


def plant_repeat(seq, rng, min_len=64, max_len=256, min_gap=576):
    """Copy a span of `seq` (min_len..max_len tokens) to a place at least min_gap tokens after its
    end, past the attention window, so only the recurrent state can help predict the copy: the
    ground truth of the heatmap (a region read again after the memory) as a training signal.
    Returns the new sequence (same length, the tail cut) and the copy's (start, length)."""
    L = len(seq)
    n = int(rng.integers(min_len, max_len + 1))
    if L < 2 * n + min_gap + 1:
        return seq, None
    src = int(rng.integers(0, L - 2 * n - min_gap + 1))
    dst = int(rng.integers(src + n + min_gap, L - n + 1))
    out = np.concatenate([seq[:dst], seq[src : src + n], seq[dst : L - n]])
    assert len(out) == L, (len(out), L)
    return out, (dst, n)


def needle_example(tok, filler, distance, rng):
    """Fact, then `distance` filler tokens, then the cue and the value, written as in the fact
    (`value";`). Returns tokens and the span of the tokens that spell the value. (Until 2026-11-28
    the value was followed by a bare `"`, a token the fact never has there: every trial failed on
    that last token, so all needle figures before then read 0 whatever the model recalled.)"""
    fact, cue, value = needle_texts(rng)
    f = tok.encode(fact, add_special_tokens=False).ids
    c = tok.encode(cue, add_special_tokens=False).ids
    v = tok.encode(value + '";\n', add_special_tokens=False).ids
    n = next(k for k in range(1, len(v) + 1) if len(tok.decode(v[:k])) >= len(value))
    start = int(rng.integers(0, len(filler) - distance))
    seq = np.concatenate([f, filler[start : start + distance], c, v]).astype(np.int64)
    return seq, (len(seq) - len(v), n)
