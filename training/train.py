"""Train one Longview model (hybrid, recurrent-only or attention-only) and evaluate it on held-out packages.

    python training/train.py --variant hybrid --steps 600 --out $OUT/hybrid
    python training/train.py --variant hybrid --resume runs/hybrid --steps 1200 --out $OUT/hybrid2
    python training/train.py --variant recurrent --probe 12      # prints ms/step and exits

Objectives each step: next-token prediction on windows of the package stream (several files of
one package in turn, with planted needles: a fact stated and asked for later), plus InfoNCE between
query embeddings (first sentence of a doc comment) and region embeddings (the code it documents,
read with the decay-weighted readout of the contract, half the time after unrelated context; with
--in-place-frac, a share read inside its file after the file's earlier text, as the engine's index
reads it).
Writes to --out: model.safetensors (config in the metadata), optim.pt (to resume), log.jsonl,
evals.json.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import load_file, save_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
import eval_memory  # noqa: E402
import evals_torch  # noqa: E402
import lexical  # noqa: E402
from model import Config, Longview, region_embedding  # noqa: E402
from onnx_graphs import flops_per_token  # noqa: E402

LAYOUTS = {"hybrid": "SSSASSSA", "recurrent": "SSSSSSSS", "attention": "AAAAAAAA"}


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", choices=sorted(LAYOUTS), default="hybrid")
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--max-minutes", type=float, default=1e9, help="stop early (logged) after this")
    ap.add_argument("--seq-len", type=int, default=4096)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--pair-batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--needle-frac", type=float, default=0.5, help="share of LM rows with a needle")
    ap.add_argument(
        "--needles-per-row",
        type=int,
        default=1,
        help="facts planted (and asked for later) per needle row; >1 is MQAR-style dense recall",
    )
    ap.add_argument(
        "--needle-weight",
        type=float,
        default=0.0,
        help="extra loss: mean NLL of the planted values' tokens, times this",
    )
    ap.add_argument(
        "--same-package-frac",
        type=float,
        default=0.0,
        help="share of each contrastive batch drawn in groups from one package (hard negatives)",
    )
    ap.add_argument(
        "--bm25-frac",
        type=float,
        default=0.0,
        help="share of each pair batch drawn 8 at a time as a training query's BM25 nearest "
        "regions (hard negatives where keyword search is fooled)",
    )
    ap.add_argument(
        "--aug-crop",
        type=float,
        default=0.0,
        help="share of pair rows whose code is cut to a random span (at least half of it)",
    )
    ap.add_argument(
        "--aug-token-drop",
        type=float,
        default=0.0,
        help="share of code and query tokens replaced by random ones (against memorising pairs)",
    )
    ap.add_argument("--slow-heads", type=int, default=0, help="Config.slow_heads (long-memory heads per SSD layer)")
    ap.add_argument(
        "--d-key",
        type=int,
        help="state rows per SSD head (Config.d_key; default: the checkpoint's, else 64). Larger than the "
        "checkpoint's widens the state (issue 19, state size): widen_state",
    )
    ap.add_argument("--slow-log-decay", type=float, default=-1e-4, help="Config.slow_log_decay")
    ap.add_argument(
        "--repeat-frac",
        type=float,
        default=0.0,
        help="share of LM rows (the last ones) where a 64-256 token span is copied past the window",
    )
    ap.add_argument(
        "--repeat-weight",
        type=float,
        default=0.0,
        help="extra loss: mean NLL of the copied span's tokens (first excluded), times this",
    )
    ap.add_argument(
        "--readout-layers", type=int, default=None, help="Config.readout_layers (default: the resumed model's, else 1)"
    )
    ap.add_argument("--contrastive-weight", type=float, default=1.0)
    ap.add_argument(
        "--memory-weight",
        type=float,
        default=0.0,
        help="extra InfoNCE: the question against the region's memory embedding (what the final state "
        "still holds, docs/model-contract.md) after --memory-distances tokens of other text",
    )
    ap.add_argument("--memory-rows", type=int, default=64, help="contrastive rows that also get the memory loss")
    ap.add_argument("--memory-distances", default="512,32768", help="log-uniform range of tokens read since the region")
    ap.add_argument(
        "--query-kinds",
        default="doc",
        help="comma list of the pair query kinds to sample from (corpus v3: doc,question,name,keywords)",
    )
    ap.add_argument(
        "--in-place-frac",
        type=float,
        default=0.0,
        help="share of each pair batch whose region is read inside its file, after the file's earlier "
        "text, as the engine's index reads it (data.in_place_rows; needs corpus-train beside the pairs)",
    )
    ap.add_argument("--in-place-context", type=int, default=1024, help="tokens of the file before the region, at most")
    ap.add_argument(
        "--in-place-nodoc",
        type=float,
        default=0.5,
        help="share of the in-place rows read without the region's doc comment or docstring (pairs' doc_cut)",
    )
    ap.add_argument(
        "--in-place-eval-context",
        type=int,
        default=4096,
        help="the code-search eval in place: tokens of the file before the region, at most (0: no such eval)",
    )
    ap.add_argument("--evals", default="bpb,search,memory,needle", help="which evals run after training (comma list)")
    ap.add_argument(
        "--compile",
        action="store_true",
        help="torch.compile the step's forward and losses (in-place rows vary in length: one graph per length)",
    )
    ap.add_argument(
        "--train-chunk",
        type=int,
        help="chunk of the training scan (a divisor of Config.chunk; the same math, smaller masks: faster)",
    )
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--resume", help="folder with model.safetensors and optim.pt")
    ap.add_argument("--out", default="training/runs/hybrid")
    ap.add_argument("--probe", type=int, default=0, help="time this many steps, print ms/step, exit")
    ap.add_argument("--probe-warmup", type=int, default=3, help="steps before the timed ones (compilation)")
    ap.add_argument("--profile-out", help="with --probe: torch.profiler over the timed steps, top kernels written here")
    ap.add_argument("--eval-tokens", type=int, default=2_000_000)
    ap.add_argument("--needle-distances", default="1024,4096,16384,65536")
    ap.add_argument("--needle-trials", type=int, default=32)
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--max-files", type=int, help="use only this many files per split (smoke tests)")
    ap.add_argument("--max-pairs", type=int, help="use only this many pairs (smoke tests)")
    ap.add_argument("--prepare-only", action="store_true", help="tokenize and cache the streams, exit")
    ap.add_argument("--save-optim", action="store_true", help="also write optim.pt (fp32, large)")
    args = ap.parse_args()
    if args.needle_frac + args.repeat_frac > 1:  # needle rows come first, repeat rows last: never both
        ap.error("--needle-frac + --repeat-frac must not exceed 1")
    return args


def save_checkpoint(model, opt, step, tokens, out, with_optim):
    """Weights as fp16 (what ships anyway, and small enough to come back from the GPU machine)."""
    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().half().cpu().contiguous() for k, v in model.state_dict().items()}
    save_file(
        state,
        str(out / "model.safetensors"),
        metadata={"config": json.dumps(model.cfg.to_dict()), "step": str(step), "tokens": str(tokens)},
    )
    if with_optim:
        torch.save({"opt": opt.state_dict(), "step": step, "tokens": tokens}, out / "optim.pt")


def pair_indices(pairs, by_package, rng, n, same_package_frac, group=8, neighbours=None, bm25_frac=0.0):
    """n distinct pair indices: a share drawn `group` at a time as a pair and its BM25 nearest
    neighbours (neighbours[i], bm25_frac), a share `group` at a time from one package (negatives that
    share its vocabulary), the rest at random; a query text repeated in the batch is kept once."""
    chosen, seen_q = [], set()

    def take(i):
        q = tuple(pairs[i]["query_ids"])
        if q not in seen_q and len(chosen) < n:
            seen_q.add(q)
            chosen.append(i)

    n_lexical = int(n * bm25_frac) if neighbours is not None else 0
    while len(chosen) < n_lexical:
        i = int(rng.integers(len(pairs)))
        for j in [i] + list(neighbours[i][: group - 1]):
            take(int(j))
    n_grouped = len(chosen) + int(n * same_package_frac)
    names = [p for p, ix in by_package.items() if len(ix) >= group]
    while names and len(chosen) < n_grouped:
        ix = by_package[names[int(rng.integers(len(names)))]]
        for i in rng.choice(ix, size=group, replace=False):
            take(int(i))
    while len(chosen) < n:
        take(int(rng.integers(len(pairs))))
    return chosen


def augment(ids, keep, rng, crop, token_drop, vocab, first_plain=4):
    """ids[:keep] unchanged (header, <|query|>); the rest maybe cut to a random span of at least half
    its length (probability crop) and with a share token_drop of tokens replaced by random ones."""
    head, body = list(ids[:keep]), np.asarray(ids[keep:])
    if crop and len(body) > 8 and rng.random() < crop:
        n = int(rng.integers(len(body) // 2, len(body) + 1))
        a = int(rng.integers(0, len(body) - n + 1))
        body = body[a : a + n]
    if token_drop and len(body):
        hit = rng.random(len(body)) < token_drop
        body = np.where(hit, rng.integers(first_plain, vocab, len(body)), body)
    return head + body.tolist()


def contrastive_rows(
    pairs,
    stream,
    rng,
    idx,
    vocab,
    ctx_len=256,
    row_len=512,
    crop=0.0,
    token_drop=0.0,
    max_query=64,
    in_place=0.0,
    nodoc=0.0,
    unit=128,
):
    """One row per pair index. A share `in_place` of them (the last ones, among pairs that carry
    `place`: data.in_place_rows) read the region inside its file, after the file's earlier text, as
    the engine's index does; a share `nodoc` of those read the file without the region's doc. The
    others read the code alone: half from a zero state, half after ctx_len tokens of unrelated
    context. The question is one of the pair's query forms (data.load_pairs: the doc's first
    sentence, and with corpus v3 question, name and keyword forms), drawn at random. Returns a dict:
    crow (n_alone, row_len) tokens with the region's start/end cs/ce (inclusive); prow (n_place, L)
    with ps/pe when any row is in place (L the longest rounded up to `unit`; no crop or token drop);
    q and qm, query tokens and mask (n, max_query) in the order alone rows then in-place rows."""
    n_place = int(round(len(idx) * in_place))
    placeable = [i for i in idx if pairs[i].get("place")] if n_place else []
    placed = placeable[len(placeable) - n_place :] if n_place else []
    chosen = set(placed)
    order = [i for i in idx if i not in chosen] + placed
    rows, starts, ends, queries = [], [], [], []
    code_room = row_len - ctx_len
    for j, i in enumerate(order[: len(order) - len(placed)]):
        code = augment(pairs[i]["code_ids"], pairs[i]["header_len"], rng, crop, token_drop, vocab)[:code_room]
        if j % 2:
            s = int(rng.integers(0, len(stream.tokens) - ctx_len))
            row = list(stream.tokens[s : s + ctx_len]) + code
            start = ctx_len
        else:
            row, start = code, 0
        rows.append(row)
        starts.append(start)
        ends.append(len(row) - 1)
    for i in order:
        alts = pairs[i].get("query_alts") or [pairs[i]["query_ids"]]
        query = alts[int(rng.integers(len(alts)))] if len(alts) > 1 else alts[0]
        queries.append(augment(query, 1, rng, 0.0, token_drop, vocab)[:max_query])
    out = {
        "crow": data.pad_batch(rows, row_len),
        "cs": np.array(starts),
        "ce": np.array(ends),
        "q": data.pad_batch(queries, max_query),
        "qm": data.pad_batch([[1] * len(s) for s in queries], max_query),
    }
    if placed:
        forms = [pairs[i]["place"]["nodoc" if rng.random() < nodoc else "keep"] for i in placed]
        longest = max(len(f[0]) for f in forms)
        out["prow"] = data.pad_batch([f[0] for f in forms], -(-longest // unit) * unit)
        out["ps"] = np.array([f[1] for f in forms])
        out["pe"] = np.array([f[2] for f in forms])
    return out


def memory_spans(rng, n, n_rows, seq_len, lo, hi):
    """Distances for the memory objective, log-uniform in [lo, hi] tokens, each made of whole LM rows
    (the decay over a row is the sum of its tokens' log decays) plus a part of one more row. Returns
    full (n, k) row indices with a 0/1 mask, and the part's row, offset and length."""
    d = np.exp(rng.uniform(np.log(lo), np.log(hi), n)).astype(np.int64)
    n_full = np.minimum(d // seq_len, n_rows - 1)
    rem = np.minimum(d - n_full * seq_len, seq_len)
    k = max(1, int(n_full.max()))
    full = np.stack([rng.choice(n_rows, size=k, replace=False) for _ in range(n)])
    full_mask = (np.arange(k)[None, :] < n_full[:, None]).astype(np.float32)
    part_row = rng.integers(0, n_rows, n)
    part_off = rng.integers(0, seq_len - rem + 1)
    return {
        "mem_dist": n_full * seq_len + rem,
        "mem_full": full,
        "mem_full_mask": full_mask,
        "mem_part_row": part_row,
        "mem_part_a": part_off,
        "mem_part_b": part_off + rem,
    }


def make_batch(args, tok, stream, batches, pairs, by_package, neighbours, rng, vocab):
    """Everything one step reads, as numpy arrays (built on a CPU thread while the GPU trains)."""
    rows = next(batches)
    value_mask = np.zeros((len(rows), rows.shape[1] - 1), dtype=np.float32)  # targets that are planted values
    for r in range(int(len(rows) * args.needle_frac)):
        rows[r], spans = data.plant_needles(tok, rows[r], rng, args.needles_per_row)
        for vs, vn in spans:
            value_mask[r, vs - 1 : vs - 1 + vn] = 1
    repeat_mask = np.zeros_like(value_mask)
    for r in range(len(rows) - int(len(rows) * args.repeat_frac), len(rows)):
        rows[r], span = data.plant_repeat(rows[r], rng)
        if span:
            repeat_mask[r, span[0] : span[0] + span[1] - 1] = 1  # targets: the copy after its first token
    b = {"x": rows, "value_mask": value_mask, "repeat_mask": repeat_mask}
    if pairs and args.contrastive_weight > 0:
        idx = pair_indices(
            pairs,
            by_package,
            rng,
            min(args.pair_batch, len(pairs)),
            args.same_package_frac,
            neighbours=neighbours,
            bm25_frac=args.bm25_frac,
        )
        b.update(
            contrastive_rows(
                pairs,
                stream,
                rng,
                idx,
                vocab,
                crop=args.aug_crop,
                token_drop=args.aug_token_drop,
                in_place=args.in_place_frac,
                nodoc=args.in_place_nodoc,
            )
        )
        if args.memory_weight > 0:
            lo, hi = (int(v) for v in args.memory_distances.split(","))
            n_mem = min(args.memory_rows, len(idx))
            b.update(memory_spans(rng, n_mem, len(rows), rows.shape[1] - 1, lo, hi))
    return b


def prefetch(make, depth=3):
    """Batches from a background thread (numpy and the tokenizer release the GIL for most of it)."""
    import queue
    import threading

    q = queue.Queue(maxsize=depth)

    def work():
        while True:
            q.put(make())

    threading.Thread(target=work, daemon=True).start()
    while True:
        yield q.get()


def info_nce(a, b, scale):
    sim = scale * a @ b.t()
    labels = torch.arange(len(sim), device=sim.device)
    return (F.cross_entropy(sim, labels) + F.cross_entropy(sim.t(), labels)) / 2


def masked_mean(values, mask):
    return (values * mask).sum() / mask.sum().clamp(min=1)


def step_losses(model, logit_scale, t, weights):
    """The step's losses from the batch tensors t (make_batch's arrays on the device). Fixed shapes and
    no data-dependent indexing, so torch.compile makes one graph of it."""
    amp = dict(device_type="cuda", dtype=torch.bfloat16, enabled=t["x"].is_cuda)
    x = t["x"]
    with torch.autocast(**amp):
        logits, lm_decays, _ = model(x[:, :-1])
        per_token = F.cross_entropy(logits.float().flatten(0, 1), x[:, 1:].flatten(), reduction="none")
    parts = {"lm": per_token.mean()}
    parts["needle"] = masked_mean(per_token, t["value_mask"].flatten())
    parts["repeat"] = masked_mean(per_token, t["repeat_mask"].flatten())
    loss = parts["lm"] + weights["needle"] * parts["needle"] + weights["repeat"] * parts["repeat"]
    if "crow" in t:
        scale = logit_scale.exp().clamp(max=100)
        with torch.autocast(**amp):
            _, log_decays, readout = model.trunk(t["crow"])
            u = region_embedding(readout, log_decays[-1], t["cs"], t["ce"])  # (n, H*R) fp32
            if "prow" in t:  # regions read in their files (the last rows of the batch)
                _, log_decays, readout = model.trunk(t["prow"])
                u = torch.cat([u, region_embedding(readout, log_decays[-1], t["ps"], t["pe"])])
            qe = model.encode_query(t["q"], t["qm"]).float()
        parts["con"] = info_nce(qe, F.normalize(u, dim=-1), scale)
        loss = loss + weights["con"] * parts["con"]
        if "mem_full" in t:
            # what the final state still holds of each region after mem_dist tokens of other text:
            # ret[h] * u[h], ret the product of the decays of the last SSD layer over those tokens
            # (here the LM rows' own decays, so the gradient reaches the decays of real text)
            ld = lm_decays[-1].float()  # (B, L, H)
            cum = F.pad(ld.cumsum(1), (0, 0, 1, 0))  # (B, L+1, H)
            total = cum[:, -1]  # (B, H)
            log_ret = (total[t["mem_full"]] * t["mem_full_mask"][..., None]).sum(1)
            log_ret = log_ret + cum[t["mem_part_row"], t["mem_part_b"]] - cum[t["mem_part_row"], t["mem_part_a"]]
            n = log_ret.size(0)
            ret = torch.exp(log_ret - log_ret.max(-1, keepdim=True).values)  # direction only: no underflow
            mem = (ret.unsqueeze(-1) * u[:n].unflatten(-1, (ret.size(1), -1))).flatten(1)
            parts["memory"] = info_nce(qe[:n], F.normalize(mem, dim=-1), scale)
            loss = loss + weights["memory"] * parts["memory"]
    return loss, parts


def restart_slow_heads(model):
    """Turning on slow heads in a model trained without them: their old values, now kept for 10k
    tokens instead of a few hundred, would swamp the layer. Zero the in_proj rows that make their
    values (x), so each starts empty and learns what to keep."""
    H, P = model.cfg.n_head, model.cfg.d_value
    with torch.no_grad():
        for block in model.blocks:
            if block.kind == "S":
                block.mixer.in_proj.weight[H * P : H * P + model.cfg.slow_heads * P] = 0
    print(f"slow heads: values of the first {model.cfg.slow_heads} heads per SSD layer restarted", flush=True)


def widen_state(weights, cfg, old_n, seed=0):
    """A checkpoint with old_n state rows per SSD head, widened to cfg.d_key rows: each SSD layer's new
    key rows (in_proj) start small and random, its new query rows and the readout probes' new columns
    start at zero, so the widened model computes exactly what the checkpoint did (the new rows hold
    state nobody reads yet) while every new parameter has a gradient (a zero key would leave the zero
    query none)."""
    H, P, N = cfg.n_head, cfg.d_value, cfg.d_key
    g = torch.Generator().manual_seed(seed)
    out = dict(weights)
    for name, w in weights.items():
        if name.endswith("mixer.in_proj.weight") and w.size(0) == 2 * H * P + 2 * old_n + H:
            z_x, k, q, dt = torch.split(w, [2 * H * P, old_n, old_n, H])
            k_new = torch.randn(N - old_n, w.size(1), generator=g) * k.std() * 0.1
            q_new = torch.zeros(N - old_n, w.size(1))
            out[name] = torch.cat([z_x, k, k_new, q, q_new, dt])
        elif name in ("probe", "probe_more"):
            out[name] = F.pad(w, (0, N - old_n))
    print(f"state widened: {old_n} -> {N} rows per SSD head", flush=True)
    return out


def keep_x_dim_in_inductor():
    """torch 2.11's inductor fails to generate some persistent-reduction kernels of this step (TypeError in
    TritonSymbols.get_block_shape: a load indexed by x in a kernel made without an x dimension, `no_x_dim`).
    Dropping the x dimension is an optimisation (such kernels have XBLOCK 1 either way): keep it."""
    from torch._inductor.codegen import triton as inductor_triton

    inductor_triton.TritonKernel.want_no_x_dim = lambda self: False


def lr_at(step, total, peak, warmup):
    if step < warmup:
        return peak * (step + 1) / warmup
    frac = (step - warmup) / max(1, total - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, frac))))


def model_flops_per_step(cfg, args):
    """Model FLOPs of one training step (forward + backward = 3 x forward): the scan's FLOPs per token
    (onnx_graphs.flops_per_token: projections, SSD chunk of 128, attention over the window, readout)
    for the next-token rows (plus the LM head), the contrastive code rows (512 tokens) and the
    queries (128 tokens, padded)."""
    per_token = flops_per_token(cfg)
    n = args.batch * args.seq_len * (per_token + 2 * cfg.d_model * cfg.vocab_size)
    if args.contrastive_weight > 0:
        n += args.pair_batch * (512 + 128) * per_token
        # in-place rows: up to the context and a 256-token region (the longest; rows are padded to it)
        n += round(args.pair_batch * args.in_place_frac) * (args.in_place_context + 256 - 512) * per_token
    return 3 * n


def peak_flops(device):
    """Dense bf16 peak of the GPU (datasheets): H100/H200 SXM 989 TFLOP/s, H100 PCIe 756."""
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name()
    if "H100" in name and "PCIe" in name:
        return 756e12
    if "H100" in name or "H200" in name:
        return 989e12
    return None


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cuda.matmul.allow_tf32 = True
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = open(out / "log.jsonl", "a")

    tok = data.load_tokenizer()
    t0 = time.time()
    train = data.cached_stream(tok, "train", seed=args.seed, max_files=args.max_files)
    kinds = args.query_kinds.split(",")
    in_place = {"context": args.in_place_context, "region_cap": 256} if args.in_place_frac > 0 else None
    pairs = data.load_pairs(
        tok,
        "train",
        max_query=64,
        max_code=256,
        seed=args.seed,
        limit=args.max_pairs,
        query_kinds=kinds,
        in_place=in_place,
    )
    by_package = {}
    for i, p in enumerate(pairs):
        by_package.setdefault(p["package"], []).append(i)
    placed = sum(1 for p in pairs if p.get("place"))
    print(
        f"train stream {len(train.tokens):,} tokens, {len(pairs):,} pairs"
        + (f" ({placed:,} readable in place)" if in_place else "")
        + f" ({time.time() - t0:.0f}s)",
        flush=True,
    )
    if in_place and not placed:
        raise SystemExit("--in-place-frac: no pair's file is in corpus-train (training/gpu_runs/stage_in_place.py)")
    if (
        in_place
        and args.in_place_nodoc > 0
        and not any(p["place"]["nodoc"] is not p["place"]["keep"] for p in pairs if p.get("place"))
    ):
        raise SystemExit("--in-place-nodoc: the pairs carry no doc_cut (training/corpus/add-doc-cuts.mts)")
    neighbours = None
    if args.bm25_frac > 0 and pairs:
        t1 = time.time()
        neighbours = lexical.bm25_neighbours(
            [tok.decode(p["query_ids"][1:]) for p in pairs],
            [tok.decode(p["code_ids"][1:]) for p in pairs],
            k=7,
            device=device,
        )
        print(f"BM25 neighbours of {len(pairs):,} pairs ({time.time() - t1:.0f}s)", flush=True)
    if args.prepare_only:
        data.cached_stream(tok, "eval", seed=0, max_files=args.max_files)
        return

    readout_layers, d_key, ckpt_d_key = args.readout_layers, args.d_key, None
    if args.resume:
        with safe_open(str(Path(args.resume) / "model.safetensors"), framework="pt") as f:
            saved = json.loads(f.metadata()["config"])
        readout_layers = saved.get("readout_layers", 1) if readout_layers is None else readout_layers
        ckpt_d_key = saved.get("d_key", 64)
        d_key = d_key or ckpt_d_key
        if d_key < ckpt_d_key:
            raise SystemExit(
                f"--d-key {d_key}: the checkpoint's state has {ckpt_d_key} rows (only widening is supported)"
            )
    cfg = Config(
        vocab_size=tok.get_vocab_size(),
        layout=LAYOUTS[args.variant],
        slow_heads=args.slow_heads,
        slow_log_decay=args.slow_log_decay,
        readout_layers=readout_layers or 1,
        d_key=d_key or 64,
    )
    model = Longview(cfg).to(device)
    if args.train_chunk:
        assert cfg.chunk % args.train_chunk == 0, "--train-chunk must divide Config.chunk"
        for block in model.blocks:
            if block.kind == "S":
                block.mixer.train_chunk = args.train_chunk
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (decay if p.dim() >= 2 and "probe" not in n else no_decay).append(p)
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr,
        betas=(0.9, 0.95),
        fused=device.type == "cuda",
    )
    logit_scale = torch.nn.Parameter(torch.tensor(math.log(20.0), device=device))
    opt.add_param_group({"params": [logit_scale], "weight_decay": 0.0})
    step, tokens = 0, 0
    if args.resume:
        ckpt, optim = Path(args.resume) / "model.safetensors", Path(args.resume) / "optim.pt"
        weights = {k: v.float() for k, v in load_file(str(ckpt)).items()}
        if cfg.d_key > ckpt_d_key:
            weights = widen_state(weights, cfg, ckpt_d_key)
        missing, unexpected = model.load_state_dict(weights, strict=False)
        # only parameters this run adds (more readout layers) may be missing; they start as built
        assert not unexpected and all(k.endswith("_more") for k in missing), (missing, unexpected)
        with safe_open(str(ckpt), framework="pt") as f:
            meta = f.metadata()
        if optim.exists():
            st = torch.load(optim, map_location=device)
            opt.load_state_dict(st["opt"])
            step, tokens = st["step"], st["tokens"]
        else:  # weights only (what comes back from the GPU machine): fresh optimizer, new warmup
            tokens = int(meta.get("tokens", 0))
        print(f"resumed at step {step}, {tokens:,} tokens", flush=True)
        if cfg.slow_heads and not json.loads(meta["config"]).get("slow_heads", 0):
            restart_slow_heads(model)
    total_steps = step + args.steps if args.resume else args.steps
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{args.variant}: {n_params:,} params, layout {cfg.layout}", flush=True)

    batches = data.lm_batches(train, args.seq_len, args.batch, rng)
    vocab = cfg.vocab_size
    feed = prefetch(lambda: make_batch(args, tok, train, batches, pairs, by_package, neighbours, rng, vocab))
    weights = {
        "needle": args.needle_weight,
        "repeat": args.repeat_weight,
        "con": args.contrastive_weight,
        "memory": args.memory_weight,
    }
    if args.compile:
        keep_x_dim_in_inductor()
    losses = torch.compile(step_losses) if args.compile else step_losses
    start, timed, timed_tokens, prof = time.time(), None, 0, None
    while step < total_steps:
        if args.probe and step == args.probe_warmup:
            torch.cuda.synchronize() if device.type == "cuda" else None
            timed, timed_tokens = time.time(), tokens
            if args.profile_out:
                acts = [torch.profiler.ProfilerActivity.CPU]
                acts += [torch.profiler.ProfilerActivity.CUDA] if device.type == "cuda" else []
                prof = torch.profiler.profile(activities=acts)
                prof.__enter__()
        for g in opt.param_groups:
            g["lr"] = lr_at(step, total_steps, args.lr, args.warmup)
        t = {k: torch.from_numpy(v).to(device, non_blocking=True) for k, v in next(feed).items()}
        loss, parts = losses(model, logit_scale, t, weights)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens += args.batch * args.seq_len
        if step % 25 == 0 or step == total_steps:
            rec = {"step": step, "tokens": tokens}
            rec.update({k: round(v.item(), 4) for k, v in parts.items()})
            rec.update({"lr": opt.param_groups[0]["lr"], "min": round((time.time() - start) / 60, 2)})
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n")
            log.flush()
        if (time.time() - start) / 60 > args.max_minutes:
            print(f"stopped by --max-minutes at step {step}", flush=True)
            break
    if args.probe:
        torch.cuda.synchronize() if device.type == "cuda" else None
        if prof is not None:
            prof.__exit__(None, None, None)
            key = "self_cuda_time_total" if device.type == "cuda" else "self_cpu_time_total"
            Path(args.profile_out).write_text(
                prof.key_averages().table(sort_by=key, row_limit=40, max_name_column_width=70)
            )
        mem = torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else 0
        secs = time.time() - timed
        rate = (tokens - timed_tokens) / secs  # next-token rows' tokens per second
        flops = model_flops_per_step(cfg, args) / (args.batch * args.seq_len)  # per LM token, all passes
        peak = peak_flops(device)
        print(
            json.dumps(
                {
                    "variant": args.variant,
                    "ms_per_step": secs * 1000 / (step - args.probe_warmup),
                    "lm_tokens_per_s": round(rate),
                    "model_tflops": round(rate * flops / 1e12, 2),
                    "mfu": round(rate * flops / peak, 4) if peak else None,
                    "gpu": torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
                    "max_gib": round(mem, 1),
                    "compile": args.compile,
                    "batch": args.batch,
                    "seq_len": args.seq_len,
                    "pair_batch": args.pair_batch,
                    "memory_weight": args.memory_weight,
                }
            ),
            flush=True,
        )
        return
    save_checkpoint(model, opt, step, tokens, out, args.save_optim)
    if args.no_eval:
        return
    model.eval()
    results = {
        "variant": args.variant,
        "params": n_params,
        "steps": step,
        "train_tokens": tokens,
        "lr": args.lr,
        "seq_len": args.seq_len,
        "train_minutes": round((time.time() - start) / 60, 2),
    }
    evals = set(args.evals.split(","))
    held = data.cached_stream(tok, "eval", seed=0, max_files=args.max_files)
    if "bpb" in evals:
        results["held_out"] = evals_torch.bits_per_byte(model, held, args.seq_len, 8, device, args.eval_tokens)
    in_place = {"context": args.in_place_eval_context, "region_cap": None} if args.in_place_eval_context else None
    eval_pairs = data.load_pairs(
        tok, "eval", max_query=64, max_code=256, seed=0, limit=1000, query_kinds=("doc", "question"), in_place=in_place
    )
    if "search" in evals:
        results["retrieval"] = evals_torch.retrieval_mrr(model, eval_pairs, device)
        print(json.dumps({"retrieval": results["retrieval"]}), flush=True)
    if "memory" in evals:
        results["memory"] = eval_memory.memory_evals(model, eval_pairs, held, device)
    if "needle" in evals:
        distances = [int(d) for d in args.needle_distances.split(",")]
        results["needle"] = evals_torch.needle_accuracy(model, tok, held, distances, args.needle_trials, device)
    print(json.dumps(results), flush=True)
    (out / "evals.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
