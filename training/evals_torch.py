"""Held-out evals with the PyTorch model (used on the GPU right after training, for all three
ablation variants): bits per byte, retrieval MRR among 1,000 candidates (regions read alone, and read
in place), needle accuracy by distance.
The shipped ONNX graphs are checked by eval_search.py / eval_recall.py instead (CPU)."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from data import needle_example, pad_batch
from model import region_embedding


@torch.no_grad()
def bits_per_byte(model, stream, seq_len, batch, device, max_tokens=4_000_000):
    """Mean NLL over consecutive windows of the held-out stream, turned into bits per UTF-8 byte."""
    toks = stream.tokens[: min(len(stream.tokens), max_tokens)]
    n_seq = (len(toks) - 1) // seq_len
    nll, count = 0.0, 0
    for i in range(0, n_seq, batch):
        rows = [toks[j * seq_len : j * seq_len + seq_len + 1] for j in range(i, min(n_seq, i + batch))]
        x = torch.from_numpy(np.stack(rows).astype(np.int64)).to(device)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits, _, _ = model(x[:, :-1])
        nll += F.cross_entropy(logits.float().flatten(0, 1), x[:, 1:].flatten(), reduction="sum").item()
        count += x[:, 1:].numel()
    tokens_per_byte = len(stream.tokens) / stream.n_bytes
    return {"bpb": nll / count / math.log(2) * tokens_per_byte, "nll_per_token": nll / count, "tokens": count}


@torch.no_grad()
def region_embeddings(model, code_seqs, device, batch=64):
    """Each sequence scanned from a zero state; its region is the whole sequence."""
    out = []
    for i in range(0, len(code_seqs), batch):
        seqs = code_seqs[i : i + batch]
        x = torch.from_numpy(pad_batch(seqs)).to(device)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda"):
            _, log_decays, readout = model.trunk(x)
        end = torch.tensor([len(s) - 1 for s in seqs], device=device)
        e = region_embedding(readout, log_decays[-1], torch.zeros_like(end), end)
        out.append(F.normalize(e, dim=-1))
    return torch.cat(out)


@torch.no_grad()
def in_place_embeddings(model, forms, device, batch_tokens=65_536):
    """Regions read inside their files (data.in_place_rows forms: ids, first, last), pooled over the
    region's tokens by the contract's formula; normalised, in the order given. Rows of similar length
    go together."""
    order = sorted(range(len(forms)), key=lambda i: len(forms[i][0]))
    out = [None] * len(forms)
    i = 0
    while i < len(order):
        n = 1
        while i + n < len(order) and (n + 1) * len(forms[order[i + n]][0]) <= batch_tokens:
            n += 1
        group = order[i : i + n]
        i += n
        x = torch.from_numpy(pad_batch([forms[j][0] for j in group])).to(device)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda"):
            _, log_decays, readout = model.trunk(x)
        first = torch.tensor([forms[j][1] for j in group], device=device)
        last = torch.tensor([forms[j][2] for j in group], device=device)
        e = F.normalize(region_embedding(readout, log_decays[-1], first, last), dim=-1)
        for k, j in enumerate(group):
            out[j] = e[k]
    return torch.stack(out)


@torch.no_grad()
def query_embeddings(model, query_seqs, device, batch=256):
    out = []
    for i in range(0, len(query_seqs), batch):
        seqs = query_seqs[i : i + batch]
        x = torch.from_numpy(pad_batch(seqs)).to(device)
        mask = torch.from_numpy(pad_batch([[1] * len(s) for s in seqs])).to(device)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda"):
            out.append(model.encode_query(x, mask).float())
    return torch.cat(out)


def mrr_from_scores(scores):
    """scores (Q, C) with the right candidate of query i at column i."""
    right = scores.diagonal().unsqueeze(1)
    ranks = (scores > right).sum(1) + 1
    return (1.0 / ranks.float()).mean().item()


def reciprocal_ranks(scores):
    """scores (Q, C) with the right candidate of query i at column i -> 1 / rank per query."""
    right = scores.diagonal().unsqueeze(1)
    return 1.0 / ((scores > right).sum(1) + 1).float()


@torch.no_grad()
def retrieval_mrr(model, pairs, device, n_candidates=1000):
    """Model-alone code search among n_candidates regions: the doc's first sentence as the question;
    with corpus v3 pairs also a question form of it (the pair's first `question` alternative) against
    the same candidates, and the doc-form MRR per language. Pairs loaded with in_place (data.load_pairs)
    also give `in_place` and `in_place_nodoc`: the same search with every candidate read inside its file."""
    pairs = pairs[:n_candidates]
    if len(pairs) < 10:
        return {"mrr": None, "n": len(pairs)}
    r = region_embeddings(model, [p["code_ids"] for p in pairs], device)
    q = query_embeddings(model, [p["query_ids"] for p in pairs], device)
    rr = reciprocal_ranks(q @ r.t()).cpu().numpy()
    out = {"mrr": float(rr.mean()), "n": len(pairs)}
    langs = np.array([p.get("language") or "?" for p in pairs])
    out["by_language"] = {
        lang: {"mrr": round(float(rr[langs == lang].mean()), 4), "n": int((langs == lang).sum())}
        for lang in sorted(set(langs))
    }
    asked = [i for i, p in enumerate(pairs) if p.get("question_ids")]
    if asked:
        qq = query_embeddings(model, [pairs[i]["question_ids"] for i in asked], device)
        rq = reciprocal_ranks_rows(qq @ r.t(), asked).cpu().numpy()
        out["question_form"] = {"mrr": round(float(rq.mean()), 4), "n": len(asked)}
    # the same regions read in place, as the engine's index stores them (pairs loaded with in_place):
    # every candidate in place, the file as it is (keep) or without the regions' docs (nodoc)
    placed = [i for i, p in enumerate(pairs) if p.get("place")]
    if len(placed) >= 10:
        for form, key in (("keep", "in_place"), ("nodoc", "in_place_nodoc")):
            e = in_place_embeddings(model, [pairs[i]["place"][form] for i in placed], device)
            rp = reciprocal_ranks(q[placed] @ e.t()).cpu().numpy()
            res = {"mrr": round(float(rp.mean()), 4), "n": len(placed)}
            if len(placed) < len(pairs):  # the alone figure over the same regions, for comparison
                res["alone_mrr"] = round(float(reciprocal_ranks(q[placed] @ r[placed].t()).mean()), 4)
            pos = {i: k for k, i in enumerate(placed)}
            asked_here = [i for i in asked if i in pos]
            if asked_here:
                qq = query_embeddings(model, [pairs[i]["question_ids"] for i in asked_here], device)
                rq = reciprocal_ranks_rows(qq @ e.t(), [pos[i] for i in asked_here]).cpu().numpy()
                res["question_form"] = {"mrr": round(float(rq.mean()), 4), "n": len(asked_here)}
            out[key] = res
    return out


def reciprocal_ranks_rows(scores, rights):
    """scores (Q, C); the right candidate of row i is column rights[i]."""
    right = scores[torch.arange(len(rights)), torch.tensor(rights)].unsqueeze(1)
    return 1.0 / ((scores > right).sum(1) + 1).float()


@torch.no_grad()
def needle_accuracy(model, tok, stream, distances, trials, device, seed=0):
    """A fact planted, `distance` held-out tokens, then its cue: correct when every value token is
    the model's top prediction (teacher forced)."""
    rng = np.random.default_rng(seed)
    out, token_acc = {}, {}
    for d in distances:
        if len(stream.tokens) <= d + 1:
            out[str(d)] = None
            continue
        hits, tok_hits, tok_n = 0, 0, 0
        for _ in range(trials):
            seq, (vs, vn) = needle_example(tok, stream.tokens, d, rng)
            x = torch.from_numpy(seq[None]).to(device)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda"):
                logits, _, _ = model(x[:, :-1])
            pred = logits[0, vs - 1 : vs - 1 + vn].argmax(-1)
            hits += int(torch.equal(pred, x[0, vs : vs + vn]))
            tok_hits += int((pred == x[0, vs : vs + vn]).sum())
            tok_n += vn
        out[str(d)] = hits / trials
        token_acc[str(d)] = round(tok_hits / tok_n, 4)
    out["value_token_accuracy"] = token_acc
    return out
