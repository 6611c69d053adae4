"""Longview's hybrid model: Mamba-2 SSD blocks interleaved with sliding-window attention blocks.

Two ways to run the same weights:
  * `forward(tokens)`: whole sequences at once (training, evals). The SSD layers use the chunked
    matrix form (one parallel pass, no Python loop over chunks); attention is blocked into
    windows of W so a sequence of any length costs O(L * W).
  * `scan(tokens, ssm_state, kv_state, kv_len)`: one chunk of T <= chunk tokens with carried
    states. This is what becomes `scan.onnx` (docs/model-contract.md). Plain matmuls, no einsum,
    no in-place updates, so the exporter and onnxruntime see simple graphs.
`ssd_step` is the one-token recurrence; tests check every form against it.

Shape letters: B batch, L/T sequence, H SSD heads, N = DK key/state size, P = DV value size,
HA/HD attention heads/head size, W window, R readout size per head.
"""

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab_size: int = 8192
    d_model: int = 256
    layout: str = "SSSASSSA"  # S = SSD (recurrent) block, A = sliding-window attention block
    n_head: int = 8  # H: SSD heads, one scalar decay each
    d_key: int = 64  # DK = N: key / state rows, shared by all heads (Mamba-2 ngroups=1)
    d_value: int = 64  # DV = P: value size per head; inner width = H * DV
    n_head_attn: int = 4  # HA
    d_head_attn: int = 64  # HD
    window: int = 512  # W: attention sees the last W tokens
    attn_mlp_hidden: int = 224  # SwiGLU after attention, sized so an A block ~ an S block in params
    readout_dim: int = 32  # R: per-head size of the region embedding
    readout_layers: int = 1  # the region embedding reads the values of this many last SSD layers
    chunk: int = 128  # T for scan.onnx and the chunk length of the training scan
    rope_base: float = 10000.0
    slow_heads: int = 0  # the first slow_heads SSD heads of each layer decay no faster than
    slow_log_decay: float = -1e-4  # this per token (state kept ~e^-1 after 10k tokens): long memory

    @property
    def n_ssd(self):
        return self.layout.count("S")

    @property
    def n_attn(self):
        return self.layout.count("A")

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


# ---------------------------------------------------------------- SSD math (functional)


def segsum(a):
    """a: (..., T) log decays -> (..., T, T) with out[i, j] = sum a[j+1..i] for j <= i, -inf above."""
    T = a.size(-1)
    cs = torch.cumsum(a, dim=-1)
    out = cs[..., :, None] - cs[..., None, :]
    causal = torch.ones(T, T, dtype=torch.bool, device=a.device).tril()
    return out.masked_fill(~causal, float("-inf"))


def ssd_step(q, k, v, log_decay, state):
    """One token. q, k: (H, N); v: (H, P); log_decay: (H,); state: (H, N, P).
    S' = exp(g) S + k^T v ;  y = q S'.  Returns y (H, P), S'."""
    new_state = torch.exp(log_decay)[:, None, None] * state + k[:, :, None] * v[:, None, :]
    y = (q[:, None, :] @ new_state).squeeze(1)
    return y, new_state


def causal_bias(T, device=None):
    """(T, T) additive mask: 0 on and below the diagonal, -inf above. x + 0 is x exactly, so adding it
    before exp equals segsum's masked_fill, and onnxruntime adds faster than it selects (Where)."""
    return torch.full((T, T), float("-inf"), device=device).triu(1)


def ssd_chunk(q, k, v, log_decay, state, bias=None):
    """One chunk with a carried state, matrix form (this is what is exported).
    q, k: (T, N) shared by heads; v: (H, T, P); log_decay: (H, T); state: (H, N, P) or None for
    zeros (the query graph); bias: causal_bias(T) (the scan shares one among its layers). Returns
    y (H, T, P), new state (H, N, P)."""
    cum = torch.cumsum(log_decay, dim=-1)  # (H, T)
    if bias is None:
        bias = causal_bias(log_decay.size(-1), log_decay.device)
    decay_mat = torch.exp(cum[:, :, None] - cum[:, None, :] + bias)  # (H, T, T): exp(segsum)
    scores = (q @ k.transpose(0, 1)).unsqueeze(0) * decay_mat  # (H, T, T)
    y_inner = scores @ v  # (H, T, P)
    to_end = torch.exp(cum[:, -1:] - cum)  # (H, T)
    k_weighted = k.transpose(0, 1).unsqueeze(0) * to_end.unsqueeze(1)  # (H, N, T)
    if state is None:
        return y_inner, k_weighted @ v
    y_carry = (q.unsqueeze(0) @ state) * torch.exp(cum).unsqueeze(-1)  # (H, T, P)
    new_state = torch.exp(cum[:, -1])[:, None, None] * state + k_weighted @ v
    return y_inner + y_carry, new_state


def ssd_parallel(q, k, v, log_decay, chunk):
    """Whole sequences from a zero state, chunked matrix form (training).
    q, k: (B, L, N); v: (B, L, H, P); log_decay: (B, L, H); L a multiple of chunk.
    Returns y (B, L, H, P) and the final state (B, H, N, P)."""
    B, L, H, P = v.shape
    c, Q = L // chunk, chunk
    qc = q.view(B, 1, c, Q, -1)  # (B, 1, c, Q, N)
    kc = k.view(B, 1, c, Q, -1)
    vc = v.view(B, c, Q, H, P).permute(0, 3, 1, 2, 4)  # (B, H, c, Q, P)
    a = log_decay.to(torch.promote_types(log_decay.dtype, torch.float32))  # decays stay >= fp32
    a = a.view(B, c, Q, H).permute(0, 3, 1, 2)  # (B, H, c, Q)
    cum = torch.cumsum(a, dim=-1)
    # inside each chunk: attention-like product masked by the decay between positions
    scores = (qc @ kc.transpose(-1, -2)) * torch.exp(segsum(a)).to(qc.dtype)  # (B, H, c, Q, Q)
    y_inner = scores @ vc
    # each chunk's own contribution to the state at its end
    to_end = torch.exp(cum[..., -1:] - cum).to(kc.dtype)  # (B, H, c, Q)
    chunk_states = (kc.transpose(-1, -2) * to_end.unsqueeze(-2)) @ vc  # (B, H, c, N, P)
    # carry states across chunks: state entering chunk j = sum_{i<j} decay(i+1..j-1 ends) * own_i
    chunk_decay = F.pad(cum[..., -1], (1, 0))  # (B, H, c+1)
    across = torch.exp(segsum(chunk_decay))  # (B, H, c+1, c+1)
    zero = torch.zeros_like(chunk_states[:, :, :1])
    stacked = torch.cat([zero, chunk_states], dim=2).flatten(3).to(a.dtype)  # (B, H, c+1, N*P)
    entering = (across @ stacked).view(B, H, c + 1, *chunk_states.shape[-2:])
    states_in, final = entering[:, :, :-1], entering[:, :, -1]
    y_carry = (qc @ states_in.to(qc.dtype)) * torch.exp(cum).unsqueeze(-1).to(qc.dtype)
    y = (y_inner + y_carry).permute(0, 2, 3, 1, 4).reshape(B, L, H, P)
    return y, final


# ---------------------------------------------------------------- blocks


class SSDMixer(nn.Module):
    """Mamba-2 style mixer without the short convolution (its state is not in the contract)."""

    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        H, N, P, d = cfg.n_head, cfg.d_key, cfg.d_value, cfg.d_model
        self.in_proj = nn.Linear(d, 2 * H * P + 2 * N + H, bias=False)  # z, x, k(B), q(C), dt
        self.out_proj = nn.Linear(H * P, d, bias=False)
        self.norm = RMSNorm(H * P)
        # decay rate A in [1, 16] and step dt in [1e-3, 1e-1] (Mamba-2 init): per-token decays
        # from ~0.9 to ~0.999 so some heads remember long and some short
        self.A_log = nn.Parameter(torch.log(torch.empty(H).uniform_(1, 16)))
        dt = torch.exp(torch.empty(H).uniform_(math.log(1e-3), math.log(1e-1)))
        self.dt_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))  # inverse softplus
        self.D = nn.Parameter(torch.ones(H))
        # per-head lower bound of log_decay: slow heads can't forget faster than slow_log_decay
        # (training left to itself made every head forget within ~2k tokens); -1e4 = no bound
        floor = torch.full((H,), -1e4)
        floor[: cfg.slow_heads] = cfg.slow_log_decay
        self.register_buffer("log_decay_floor", floor, persistent=False)
        # the training scan's chunk (train.py --train-chunk): the SSD's chunked form is exact at any chunk
        # dividing cfg.chunk, and a shorter one makes smaller (B, H, c, Q, Q) masks; cfg.chunk stays the export's
        self.train_chunk = None

    def split(self, x):
        """x: (..., T, d) -> z, xv (..., T, H*P), k, q (..., T, N), log_decay, dt (..., T, H)."""
        H, N, P = self.cfg.n_head, self.cfg.d_key, self.cfg.d_value
        z, xv, k, q, dt = torch.split(self.in_proj(x), [H * P, H * P, N, N, H], dim=-1)
        dt = F.softplus(dt.float() + self.dt_bias)
        log_decay = torch.maximum(-torch.exp(self.A_log) * dt, self.log_decay_floor)  # <= 0
        return z, xv, k, q, log_decay, dt

    def project(self, x):
        """x: (..., T, d) -> z, xv (..., T, H, P), k, q (..., T, N), log_decay, dt (..., T, H)."""
        H, P = self.cfg.n_head, self.cfg.d_value
        z, xv, k, q, log_decay, dt = self.split(x)
        xv = xv.unflatten(-1, (H, P))
        z = z.unflatten(-1, (H, P))
        return z, xv, k, q, log_decay, dt

    def finish(self, y, xv, z):
        y = y + self.D[:, None] * xv
        y = (y * F.silu(z)).flatten(-2)
        return self.out_proj(self.norm(y))

    def forward(self, x):
        """x: (B, L, d). Returns out (B, L, d), log_decay (B, L, H), dt-scaled values and keys."""
        z, xv, k, q, log_decay, dt = self.project(x)
        v = xv * dt.unsqueeze(-1).to(xv.dtype)  # (B, L, H, P)
        y, _ = ssd_parallel(q, k, v, log_decay, self.train_chunk or self.cfg.chunk)
        return self.finish(y.to(xv.dtype), xv, z), log_decay, v, k

    def forward_chunk(self, x, state, bias=None):
        """x: (T, d); state: (H, N, P); bias: causal_bias(T). Returns out (T, d), new state, log_decay
        (T, H), v, k. finish's arithmetic, with reshapes to constant shapes (T left to -1) so the graph
        computes no shapes, and z kept flat."""
        H, P = self.cfg.n_head, self.cfg.d_value
        z, xv, k, q, log_decay, dt = self.split(x)
        xv = xv.reshape(-1, H, P)
        v = xv * dt.unsqueeze(-1)  # (T, H, P)
        y, new_state = ssd_chunk(q, k, v.transpose(0, 1), log_decay.transpose(0, 1), state, bias)
        y = (y.transpose(0, 1) + self.D[:, None] * xv).reshape(-1, H * P)
        return self.out_proj(self.norm(y * F.silu(z))), new_state, log_decay, v, k


def rope(x, pos, base):
    """x: (..., T, D) rotated by integer positions pos (T,)."""
    D = x.size(-1)
    dt = torch.promote_types(x.dtype, torch.float32)
    inv = base ** (-torch.arange(0, D, 2, device=x.device, dtype=dt) / D)
    ang = pos.to(dt)[:, None] * inv[None, :]  # (T, D/2)
    cos, sin = torch.cos(ang).to(x.dtype), torch.sin(ang).to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).flatten(-2)


class AttentionMixer(nn.Module):
    """Causal sliding-window attention (window W) with RoPE over positions inside the window.
    Keys are cached unrotated, so positions are relative to the cached window and no absolute
    position counter has to be carried between chunks."""

    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.n_head_attn * cfg.d_head_attn, bias=False)
        self.out = nn.Linear(cfg.n_head_attn * cfg.d_head_attn, cfg.d_model, bias=False)

    def heads(self, x):
        HA, HD = self.cfg.n_head_attn, self.cfg.d_head_attn
        q, k, v = self.qkv(x).unflatten(-1, (3, HA, HD)).unbind(-3)  # (..., T, HA, HD)
        return q.transpose(-2, -3), k.transpose(-2, -3), v.transpose(-2, -3)  # (..., HA, T, HD)

    def forward(self, x):
        """x: (B, L, d), L a multiple of W (or shorter than W). Each block of W queries sees the previous
        block and its own."""
        B, L, _ = x.shape
        W = min(self.cfg.window, L)  # a sequence shorter than the window is one block of its own length
        nb = L // W
        q, k, v = self.heads(x)  # (B, HA, L, HD)
        q = q.unflatten(2, (nb, W))
        k, v = k.unflatten(2, (nb, W)), v.unflatten(2, (nb, W))
        prev = lambda t: torch.cat([torch.zeros_like(t[:, :, :1]), t[:, :, :-1]], dim=2)
        keys = torch.cat([prev(k), k], dim=3)  # (B, HA, nb, 2W, HD)
        vals = torch.cat([prev(v), v], dim=3)
        pos = torch.arange(2 * W, device=x.device)
        q, keys = rope(q, pos[W:], self.cfg.rope_base), rope(keys, pos, self.cfg.rope_base)
        t, i = torch.arange(W, device=x.device)[:, None], pos[None, :]
        mask = (i <= W + t) & (i > t)  # (W, 2W)
        first = mask & (i >= W)  # block 0 has no previous block
        mask = torch.stack([first] + [mask] * (nb - 1))  # (nb, W, 2W)
        y = F.scaled_dot_product_attention(q, keys, vals, attn_mask=mask)
        return self.out(y.flatten(2, 3).transpose(1, 2).flatten(2))

    def forward_chunk(self, x, kv, ctx):
        """x: (T, d); kv: (keys, values), each (HA, W, HD), unrotated, of the last W tokens, or None (the
        query graph: nothing carried); ctx: ChunkContext of this call (rotary tables, additive mask).
        Returns out (T, d) and the new (keys, values) of the last W tokens (None without kv): the scan
        stacks every layer's at once."""
        HA, HD = self.cfg.n_head_attn, self.cfg.d_head_attn
        # (T, 3*HA, HD) -> (3*HA, T, HD) -> q, k, v (HA, T, HD): one transpose, one split
        q, k, v = self.qkv(x).reshape(-1, 3 * HA, HD).transpose(0, 1).split(HA, dim=0)
        if kv is None:
            keys, vals = k, v
        else:
            keys = torch.cat([kv[0], k], dim=1)  # (HA, W+T, HD)
            vals = torch.cat([kv[1], v], dim=1)
        # scaling q instead of the scores: exact when 1/sqrt(HD) is a power of two (HD = 64 here)
        qr = ctx.rotate(q, ctx.q_cos, ctx.q_sin) * (1 / math.sqrt(HD))
        kr = ctx.rotate(keys, ctx.k_cos, ctx.k_sin)
        y = torch.softmax(qr @ kr.transpose(1, 2) + ctx.attn_bias, dim=-1) @ vals  # (HA, T, HD)
        W = self.cfg.window  # the last W positions: slices from a constant start
        new_kv = None if kv is None else (keys[:, -W:], vals[:, -W:])
        return self.out(y.transpose(0, 1).reshape(-1, HA * HD)), new_kv


class ChunkContext:
    """What every layer of one scan call shares, computed once per call rather than once per layer:
    the SSD blocks' causal mask, and the attention blocks' rotary tables and additive mask. Each is a
    slice of a table built from the config alone (the exporter stores it as a constant: ~0.7 MB of
    scan.onnx), so a call computes only the slices and the part that depends on kv_len.
    T <= cfg.chunk tokens; carried: a K/V window of cfg.window positions comes in (kv_len of them hold
    real tokens), else none (the query graph)."""

    def __init__(self, cfg, T, kv_len, carried, dtype=torch.float32, device=None):
        C, HD = cfg.chunk, cfg.d_head_attn
        W = cfg.window if carried else 0
        dt = torch.promote_types(dtype, torch.float32)  # rope()'s precision
        self.ssd_bias = causal_bias(C, device).to(dt)[:T, :T]
        # rotary tables: rope()'s angles for positions 0 .. W+C-1, each pair's cos and sin repeated
        # for both members; the minus of x1 * cos - x2 * sin folded into the sin table's even entries
        inv = cfg.rope_base ** (-torch.arange(0, HD, 2, device=device, dtype=dt) / HD)
        ang = torch.arange(W + C, device=device, dtype=dt)[:, None] * inv[None, :]  # (W+C, HD/2)
        cos, sin = torch.cos(ang), torch.sin(ang)
        cos2 = torch.stack([cos, cos], dim=-1).flatten(-2)  # (W+C, HD)
        sin2 = torch.stack([-sin, sin], dim=-1).flatten(-2)
        self.k_cos, self.k_sin = cos2[: W + T], sin2[: W + T]
        self.q_cos, self.q_sin = cos2[W : W + T], sin2[W : W + T]
        # x @ swap exchanges the members of each pair: one small MatMul, exact (each output is one
        # product by 1 plus zeros); in onnxruntime faster than a Gather of the last axis, and in
        # onnxruntime-node than rope()'s strided slices (docs/model.md, "Fewer operations per chunk")
        pairs = torch.arange(HD, device=device)
        self.swap = (pairs[:, None] == (pairs ^ 1)[None, :]).to(dt)  # (HD, HD)
        # causal and inside the window (constant), and only carried positions that hold a real token
        t, i = torch.arange(C, device=device)[:, None], torch.arange(W + C, device=device)[None, :]
        inf = torch.full((), float("-inf"), device=device, dtype=dt)
        zero = torch.zeros((), device=device, dtype=dt)
        valid = (i <= W + t) & (i > W + t - cfg.window)  # (C, W+C)
        bias = torch.where(valid, zero, inf)[:T, : W + T]
        if carried:
            held = torch.arange(W + C, device=device)[: W + T] >= W - kv_len  # (W+T,)
            bias = bias + torch.where(held, zero, inf)
        self.attn_bias = bias  # (T, W+T)

    def rotate(self, x, cos, sin):
        """rope(x, positions of the tables' rows): x (..., n, HD), cos/sin (n, HD). Bit for bit rope():
        x1 * cos + (-x2) * sin is x1 * cos - x2 * sin, x2 * cos + x1 * sin is x1 * sin + x2 * cos."""
        return x * cos + (x @ self.swap) * sin


class SwiGLU(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.up = nn.Linear(d, 2 * hidden, bias=False)
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x):
        a, b = self.up(x).chunk(2, dim=-1)
        return self.down(F.silu(a) * b)


class Block(nn.Module):
    def __init__(self, cfg: Config, kind: str):
        super().__init__()
        self.kind = kind
        self.norm = RMSNorm(cfg.d_model)
        if kind == "S":
            self.mixer = SSDMixer(cfg)
        else:
            self.mixer = AttentionMixer(cfg)
            self.mlp_norm = RMSNorm(cfg.d_model)
            self.mlp = SwiGLU(cfg.d_model, cfg.attn_mlp_hidden)


# ---------------------------------------------------------------- the model


class Longview(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        H, R = cfg.n_head, cfg.readout_dim
        self.wte = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg, kind) for kind in cfg.layout)
        self.norm_f = RMSNorm(cfg.d_model)
        # region readout from the last SSD layer: a learned probe per head reads the state like a
        # query would (probe . k), and a per-head projection maps the value P -> R
        self.probe = nn.Parameter(torch.randn(H, cfg.d_key) / math.sqrt(cfg.d_key))
        self.readout_proj = nn.Parameter(torch.randn(H, cfg.d_value, R) / math.sqrt(cfg.d_value))
        self.query_proj = nn.Linear(cfg.d_model, H * R, bias=False)
        # attention-only models (the ablation) have no decaying state to read: their region
        # embedding is a projection of the final hidden state summed over the region
        ssd = [i for i, kind in enumerate(cfg.layout) if kind == "S"]
        self.last_ssd = ssd[-1] if ssd else None
        # readout_layers > 1: earlier SSD layers' values are read too (same form, own probe and
        # projection, summed). Their projections start at zero, so a model continued with more
        # readout layers starts out computing exactly what it did.
        self.readout_ssd = ssd[-cfg.readout_layers :] if ssd else []
        n_more = len(self.readout_ssd) - 1
        if n_more > 0:
            self.probe_more = nn.Parameter(torch.randn(n_more, H, cfg.d_key) / math.sqrt(cfg.d_key))
            self.readout_proj_more = nn.Parameter(torch.zeros(n_more, H, cfg.d_value, R))
        if self.last_ssd is None:
            self.region_proj = nn.Linear(cfg.d_model, H * R, bias=False)
        nn.init.normal_(self.wte.weight, std=0.02)

    def readout(self, vks):
        """vks: [(v (..., T, H, P) dt-scaled values, k (..., T, N))] of the readout_ssd layers,
        last SSD layer last -> (..., T, H, R)."""
        out = None
        for j, (v, k) in enumerate(vks):
            last = j == len(vks) - 1
            probe = self.probe if last else self.probe_more[j]
            proj_w = self.readout_proj if last else self.readout_proj_more[j]
            match = k @ probe.transpose(0, 1)  # (..., T, H)
            proj = (v.unsqueeze(-2) @ proj_w).squeeze(-2)  # (..., T, H, R)
            out = match.unsqueeze(-1) * proj if out is None else out + match.unsqueeze(-1) * proj
        return out

    def trunk(self, tokens):
        """tokens: (B, L) from zero state. Returns hidden (B, L, d), log_decays [(B, L, H)] per SSD
        layer, readout (B, L, H, R) of the readout SSD layers. L is padded internally (at the end,
        which causality makes harmless) to a multiple of the chunk, and of the window when longer
        than it (a query of 64 tokens costs 128, not 512)."""
        L = tokens.size(1)
        c = self.cfg
        unit = c.window if c.n_attn and L > c.window else c.chunk
        pad = (-L) % unit
        if pad:
            h, log_decays, readout = self.trunk(F.pad(tokens, (0, pad)))
            return h[:, :L], [a[:, :L] for a in log_decays], readout[:, :L]
        x = self.wte(tokens)
        log_decays, readout, vks = [], None, []
        for i, block in enumerate(self.blocks):
            if block.kind == "S":
                y, log_decay, v, k = block.mixer(block.norm(x))
                log_decays.append(log_decay)
                if i in self.readout_ssd:
                    f32 = torch.promote_types(v.dtype, torch.float32)  # bf16 under autocast -> fp32
                    vks.append((v.to(f32), k.to(f32)))
                if i == self.last_ssd:
                    readout = self.readout(vks)
                x = x + y
            else:
                x = x + block.mixer(block.norm(x))
                x = x + block.mlp(block.mlp_norm(x))
        h = self.norm_f(x)
        if readout is None:
            readout = self.region_proj(h).unflatten(-1, (self.cfg.n_head, -1)).float()
            log_decays = [torch.zeros(h.shape[:2] + (self.cfg.n_head,), device=h.device)]
        return h, log_decays, readout

    def forward(self, tokens):
        """Next-token logits (B, L, V) plus what the region objective needs."""
        h, log_decays, readout = self.trunk(tokens)
        return h @ self.wte.weight.t(), log_decays, readout

    def encode_query(self, tokens, mask=None):
        """tokens: (B, Tq) starting with <|query|>, mask (B, Tq) of real tokens (default all)
        -> (B, H*R) L2-normalised: the query projection of the mean final hidden state."""
        h, _, _ = self.trunk(tokens)
        return self.query_head(h, mask)

    def query_head(self, h, mask=None):
        if mask is None:
            pooled = h.mean(dim=1)
        else:
            m = mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1)
        return F.normalize(self.query_proj(pooled), dim=-1)

    def encode_query_chunk(self, tokens):
        """Export path of encode_query: tokens (1, Tq <= chunk) through the chunk scan from zero states."""
        h = self.scan(tokens, None, None, None, return_hidden=True)
        return self.query_head(h.unsqueeze(0))[0]

    def scan(self, tokens, ssm_state, kv_state, kv_len, return_hidden=False):
        """One chunk. tokens (1, T); ssm_state (NS, H, N, P); kv_state (NA, 2, HA, W, HD); kv_len (1,).
        Returns ssm_state_out, kv_state_out, kv_len_out, log_decay (T, NS, H), readout (T, H, R),
        hidden (T, d): the final normed hidden state (logits = hidden @ wte^T; evals use it)."""
        x = self.wte(tokens[0])  # (T, d)
        ctx = ChunkContext(self.cfg, tokens.size(1), kv_len, kv_state is not None, x.dtype, x.device)
        ssm_out, kv_out, log_decays, readout, vks = [], [], [], None, []
        # every layer's states in one split, and out in one stack: no per-layer copies
        c = self.cfg
        kv_shape = (-1, 2, c.n_head_attn, c.window, c.d_head_attn)  # constants: no shape computed
        kv_in = None if kv_state is None else kv_state.reshape((-1,) + kv_shape[2:]).unbind(0)
        ssm_in = None if ssm_state is None else ssm_state.unbind(0)
        si = ai = 0
        for i, block in enumerate(self.blocks):
            if block.kind == "S":
                y, state, log_decay, v, k = block.mixer.forward_chunk(
                    block.norm(x), ssm_in and ssm_in[si], ctx.ssd_bias
                )
                ssm_out.append(state)
                log_decays.append(log_decay)
                if i in self.readout_ssd:
                    vks.append((v, k))
                if i == self.last_ssd:
                    readout = self.readout(vks)
                si += 1
                x = x + y
            else:
                y, kv = block.mixer.forward_chunk(block.norm(x), kv_in and kv_in[2 * ai : 2 * ai + 2], ctx)
                kv_out += kv or []
                ai += 1
                x = x + y
                x = x + block.mlp(block.mlp_norm(x))
        hidden = self.norm_f(x)  # (T, d)
        if return_hidden:
            return hidden
        kv_len_out = torch.clamp(kv_len + tokens.size(1), max=self.cfg.window)
        kv_state_out = torch.stack(kv_out).reshape(kv_shape) if kv_out else kv_state
        return (torch.stack(ssm_out), kv_state_out, kv_len_out, torch.stack(log_decays, dim=1), readout, hidden)

    def empty_states(self):
        c = self.cfg
        return (
            torch.zeros(c.n_ssd, c.n_head, c.d_key, c.d_value),
            torch.zeros(max(c.n_attn, 1), 2, c.n_head_attn, c.window, c.d_head_attn),
            torch.zeros(1, dtype=torch.long),
        )

    def scan_params(self):
        """Parameters the scan uses (everything but the query projection)."""
        return sum(p.numel() for n, p in self.named_parameters() if not n.startswith("query_proj"))


def region_embedding(readout, log_decay_last, start, end):
    """Contract formula for one region per row. readout (B, L, H, R), log_decay_last (B, L, H),
    start/end (B,) inclusive token indices -> (B, H*R) not normalised."""
    cum = torch.cumsum(log_decay_last.float(), dim=1)  # (B, L, H)
    at_end = cum.gather(1, end[:, None, None].expand(-1, 1, cum.size(2)))
    pos = torch.arange(cum.size(1), device=cum.device)[None, :]
    inside = (pos >= start[:, None]) & (pos <= end[:, None])  # (B, L)
    weight = torch.exp((at_end - cum).clamp(max=0)) * inside.unsqueeze(-1)
    return (weight.unsqueeze(-1) * readout.float()).sum(1).flatten(1)
