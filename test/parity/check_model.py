"""The model's three forms agree (PyTorch, CPU, float64 where it matters):
  1. chunked SSD (training form) == the step-by-step recurrence;
  2. the exported chunk scan over a sequence in pieces with carried states == the whole sequence
     in one parallel pass (SSD and sliding-window attention, across the window's edge);
  3. scanning a file in two pieces with the carried state == scanning it whole.
Exits non-zero on the first failure. Run: .venv/bin/python test/parity/check_model.py"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
from model import Config, Longview, ssd_chunk, ssd_parallel, ssd_step  # noqa: E402

failures = []


def check(name, got, want, tol):
    diff = (got - want).abs().max().item()
    ok = diff <= tol
    print(f"{'ok  ' if ok else 'FAIL'} {name}: max abs diff {diff:.2e} (tolerance {tol:.0e})")
    if not ok:
        failures.append(name)


def recurrence(q, k, v, a):
    """Reference: one token at a time. q, k (L, N); v (L, H, P); a (L, H)."""
    H, N, P = v.size(1), q.size(1), v.size(2)
    S, ys = torch.zeros(H, N, P, dtype=v.dtype), []
    for t in range(q.size(0)):
        y, S = ssd_step(q[t].expand(H, N), k[t].expand(H, N), v[t], a[t], S)
        ys.append(y)
    return torch.stack(ys), S


def main():
    torch.manual_seed(0)
    f64 = torch.float64
    L, H, N, P = 96, 4, 16, 8
    q, k = torch.randn(L, N, dtype=f64), torch.randn(L, N, dtype=f64)
    v, a = torch.randn(L, H, P, dtype=f64), -torch.rand(L, H, dtype=f64) * 0.5
    y_ref, S_ref = recurrence(q, k, v, a)

    y_par, S_par = ssd_parallel(q[None], k[None], v[None], a[None], chunk=32)
    check("chunked SSD (training) vs recurrence: outputs", y_par[0], y_ref, 1e-10)
    check("chunked SSD (training) vs recurrence: final state", S_par[0], S_ref, 1e-10)

    S, ys = torch.zeros(H, N, P, dtype=f64), []
    for s, e in [(0, 40), (40, 41), (41, 96)]:  # uneven pieces, one of a single token
        y, S = ssd_chunk(q[s:e], k[s:e], v[s:e].transpose(0, 1), a[s:e].transpose(0, 1), S)
        ys.append(y.transpose(0, 1))
    check("chunk form in 3 pieces vs recurrence: outputs", torch.cat(ys), y_ref, 1e-10)
    check("chunk form in 3 pieces vs recurrence: final state", S, S_ref, 1e-10)

    cfg = Config(vocab_size=300, d_model=64, n_head=4, d_key=16, d_value=16, n_head_attn=2,
                 d_head_attn=16, window=32, attn_mlp_hidden=48, readout_dim=8, chunk=16,
                 slow_heads=1, slow_log_decay=-1e-3,   # one head per layer held at the floor (binds at init)
                 readout_layers=2)                     # region readout from two SSD layers, as shipped
    model = Longview(cfg).double().eval()
    torch.nn.init.normal_(model.readout_proj_more)     # starts at zero: give the second layer a say
    tokens = torch.randint(4, 300, (1, 100))
    with torch.no_grad():
        h_ref, lds_ref, ro_ref = model.trunk(tokens)

        def scan(pieces):
            ssm, kv, kv_len = (t.double() if t.is_floating_point() else t for t in model.empty_states())
            outs = []
            for s, e in pieces:
                ssm, kv, kv_len, ld, ro, h = model.scan(tokens[:, s:e], ssm, kv, kv_len)
                outs.append((ld, ro, h))
            return ssm, kv, kv_len, [torch.cat(x) for x in zip(*outs)]

        whole = [(s, min(s + 16, 100)) for s in range(0, 100, 16)]
        ssm_w, kv_w, len_w, (ld, ro, h) = scan(whole)
        check("scan in chunks vs parallel trunk: hidden", h, h_ref[0], 1e-9)
        check("scan in chunks vs parallel trunk: log_decay", ld, torch.stack(lds_ref, 2)[0], 1e-9)
        check("scan in chunks vs parallel trunk: readout", ro, ro_ref[0], 1e-9)
        if len_w.item() != cfg.window:
            failures.append(f"kv_len {len_w.item()} != window {cfg.window}")

        split = [(0, 16), (16, 23), (23, 39), (39, 55), (55, 71), (71, 87), (87, 100)]
        ssm_s, kv_s, len_s, (ld2, ro2, h2) = scan(split)
        check("file in two pieces (7, then on) vs whole: ssm state", ssm_s, ssm_w, 1e-9)
        check("file in two pieces vs whole: kv state", kv_s, kv_w, 1e-9)
        check("file in two pieces vs whole: readout", ro2, ro, 1e-9)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed: {failures}")
    print("model form checks passed")


if __name__ == "__main__":
    main()
