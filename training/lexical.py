"""Lexical side of code search: the word pieces BM25 sees, and BM25 nearest neighbours of each training
query among the training regions (hard negatives: the regions keyword search confuses with the right
one, which is where the model has to add something for the fusion to beat BM25).

Mining uses torch sparse matrices (no scipy on the GPU machine): Okapi BM25 with k1 1.5, b 0.75 and
the non-negative idf log(1 + (N - n + 0.5) / (n + 0.5)); close to rank_bm25's BM25Okapi, which stays
the baseline the evals report.
"""

import re

import numpy as np
import torch


def words(text):
    """Lower-cased word pieces: fooBar_baz -> foo, bar, baz (and the whole identifier)."""
    out = []
    for ident in re.findall(r"[A-Za-z0-9]+", text):
        parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", ident)
        out.extend(p.lower() for p in parts)
        if len(parts) > 1:
            out.append(ident.lower())
    return out


def bm25_neighbours(queries, docs, k, device="cpu", k1=1.5, b=0.75, chunk=1024):
    """queries[i], docs[j]: texts. Returns (len(queries), k) int64: for each query the k docs with
    the highest BM25 score, its own doc (same index) left out."""
    vocab, rows, cols, vals = {}, [], [], []
    lengths = np.zeros(len(docs), np.float32)
    for j, text in enumerate(docs):
        counts = {}
        for w in words(text):
            counts[w] = counts.get(w, 0) + 1
        lengths[j] = sum(counts.values())
        for w, c in counts.items():
            rows.append(j), cols.append(vocab.setdefault(w, len(vocab))), vals.append(c)
    rows, cols, tf = np.asarray(rows), np.asarray(cols), np.asarray(vals, np.float32)
    df = np.bincount(cols, minlength=len(vocab)).astype(np.float32)
    idf = np.log1p((len(docs) - df + 0.5) / (df + 0.5))
    norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-9))
    weight = idf[cols] * tf * (k1 + 1) / (tf + norm[rows])
    doc_term = (
        torch.sparse_coo_tensor(
            np.stack([rows, cols]), weight, (len(docs), len(vocab)), dtype=torch.float32, check_invariants=False
        )
        .coalesce()
        .to(device)
    )
    out = np.zeros((len(queries), k), np.int64)
    for s in range(0, len(queries), chunk):
        q = torch.zeros((len(vocab), min(chunk, len(queries) - s)), device=device)
        for i, text in enumerate(queries[s : s + chunk]):
            ids = [vocab[w] for w in set(words(text)) if w in vocab]
            q[ids, i] = 1.0
        scores = torch.sparse.mm(doc_term, q).t()  # (chunk, docs)
        idx = torch.arange(scores.shape[0], device=device)
        scores[idx, idx + s] = -float("inf")  # not its own region
        out[s : s + scores.shape[0]] = scores.topk(k, dim=1).indices.cpu().numpy()
    return out
