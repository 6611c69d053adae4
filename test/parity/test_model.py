"""The model's three forms agree (PyTorch, CPU, float64 where it matters), one counted test each:
1. chunked SSD (training form) == the step-by-step recurrence;
2. the exported chunk scan over a sequence in pieces with carried states == the whole sequence
   in one parallel pass (SSD and sliding-window attention, across the window's edge);
3. scanning a file in pieces with the carried state == scanning it whole."""

import pytest
import torch
from model import Config, Longview, ssd_chunk, ssd_parallel, ssd_step

F64 = torch.float64
L, H, N, P = 96, 4, 16, 8


def max_diff(got, want):
    return (got - want).abs().max().item()


@pytest.fixture(scope="module")
def ssd_inputs():
    torch.manual_seed(0)
    q, k = torch.randn(L, N, dtype=F64), torch.randn(L, N, dtype=F64)
    v, a = torch.randn(L, H, P, dtype=F64), -torch.rand(L, H, dtype=F64) * 0.5
    # Reference: one token at a time. q, k (L, N); v (L, H, P); a (L, H).
    S, ys = torch.zeros(H, N, P, dtype=F64), []
    for t in range(L):
        y, S = ssd_step(q[t].expand(H, N), k[t].expand(H, N), v[t], a[t], S)
        ys.append(y)
    return (q, k, v, a), torch.stack(ys), S


def test_chunked_ssd_matches_the_recurrence(ssd_inputs):
    (q, k, v, a), y_ref, S_ref = ssd_inputs
    y, S = ssd_parallel(q[None], k[None], v[None], a[None], chunk=32)
    assert max_diff(y[0], y_ref) <= 1e-10
    assert max_diff(S[0], S_ref) <= 1e-10


def test_chunk_form_in_uneven_pieces_matches_the_recurrence(ssd_inputs):
    (q, k, v, a), y_ref, S_ref = ssd_inputs
    S, ys = torch.zeros(H, N, P, dtype=F64), []
    for s, e in [(0, 40), (40, 41), (41, 96)]:  # uneven pieces, one of a single token
        y, S = ssd_chunk(q[s:e], k[s:e], v[s:e].transpose(0, 1), a[s:e].transpose(0, 1), S)
        ys.append(y.transpose(0, 1))
    assert max_diff(torch.cat(ys), y_ref) <= 1e-10
    assert max_diff(S, S_ref) <= 1e-10


@pytest.fixture(scope="module")
def scans():
    torch.manual_seed(0)
    cfg = Config(
        vocab_size=300,
        d_model=64,
        n_head=4,
        d_key=16,
        d_value=16,
        n_head_attn=2,
        d_head_attn=16,
        window=32,
        attn_mlp_hidden=48,
        readout_dim=8,
        chunk=16,
        slow_heads=1,
        slow_log_decay=-1e-3,  # one head per layer held at the floor (binds at init)
        readout_layers=2,
    )  # region readout from two SSD layers, as shipped
    model = Longview(cfg).double().eval()
    torch.nn.init.normal_(model.readout_proj_more)  # starts at zero: give the second layer a say
    tokens = torch.randint(4, 300, (1, 100))
    with torch.no_grad():
        reference = model.trunk(tokens)

        def scan(pieces):
            ssm, kv, kv_len = (t.double() if t.is_floating_point() else t for t in model.empty_states())
            outs = []
            for s, e in pieces:
                ssm, kv, kv_len, ld, ro, h = model.scan(tokens[:, s:e], ssm, kv, kv_len)
                outs.append((ld, ro, h))
            return ssm, kv, kv_len, [torch.cat(x) for x in zip(*outs)]

        whole = scan([(s, min(s + 16, 100)) for s in range(0, 100, 16)])
        split = scan([(0, 16), (16, 23), (23, 39), (39, 55), (55, 71), (71, 87), (87, 100)])
    return cfg, reference, whole, split


def test_scan_in_chunks_matches_the_parallel_trunk(scans):
    cfg, (h_ref, lds_ref, ro_ref), (_, _, kv_len, (ld, ro, h)), _ = scans
    assert max_diff(h, h_ref[0]) <= 1e-9
    assert max_diff(ld, torch.stack(lds_ref, 2)[0]) <= 1e-9
    assert max_diff(ro, ro_ref[0]) <= 1e-9
    assert kv_len.item() == cfg.window


def test_file_in_pieces_matches_whole(scans):
    _, _, (ssm_w, kv_w, _, (_, ro, _)), (ssm_s, kv_s, _, (_, ro2, _)) = scans
    assert max_diff(ssm_s, ssm_w) <= 1e-9
    assert max_diff(kv_s, kv_w) <= 1e-9
    assert max_diff(ro2, ro) <= 1e-9


def test_sequence_shorter_than_the_window_matches_the_chunk_scan(scans):
    """trunk pads a sequence shorter than the window to the chunk only (queries: 128 tokens, not
    512); attention over it as one block must give what the chunk scan gives."""
    cfg, _, (_, _, _, (ld, ro, h)), _ = scans
    torch.manual_seed(0)
    model = Longview(cfg).double().eval()
    torch.nn.init.normal_(model.readout_proj_more)
    tokens = torch.randint(4, 300, (1, 100))  # the fixture's tokens (same seed, same draws)
    with torch.no_grad():
        h_short, lds, ro_short = model.trunk(tokens[:, :10])  # 10 tokens < window 32: one block of 16 (the chunk)
    assert max_diff(h_short[0], h[:10]) <= 1e-9
    assert max_diff(ro_short[0], ro[:10]) <= 1e-9
    assert max_diff(torch.stack(lds, 1)[0].transpose(0, 1), ld[:10]) <= 1e-9
