"""A wider state (issue 19, state size; train.py --d-key): train.widen_state pads a checkpoint's SSD
layers from N to N' state rows so the widened model computes exactly what the checkpoint did (next-token
logits, region readout, query embedding, and the carried chunk scan), while the new rows are trainable
(their gradients are not all zero). CPU, no corpus needed."""

import torch
import train
from model import Config, Longview


def small(d_key, readout_layers=2):
    return Config(
        vocab_size=97,
        d_model=32,
        n_head=2,
        d_key=d_key,
        d_value=8,
        n_head_attn=2,
        d_head_attn=8,
        window=16,
        attn_mlp_hidden=24,
        readout_dim=4,
        chunk=8,
        readout_layers=readout_layers,
    )


def widened_pair():
    torch.manual_seed(0)
    old = Longview(small(8)).eval()
    weights = {k: v.clone() for k, v in old.state_dict().items()}
    cfg = small(16)
    new = Longview(cfg).eval()
    new.load_state_dict(train.widen_state(weights, cfg, 8), strict=True)
    return old, new


def test_widened_model_computes_what_the_checkpoint_did():
    old, new = widened_pair()
    tokens = torch.randint(0, 97, (2, 48))
    with torch.no_grad():
        lo, _, ro = old(tokens)
        ln, _, rn = new(tokens)
        qo, qn = old.encode_query(tokens[:, :10]), new.encode_query(tokens[:, :10])
    assert torch.allclose(lo, ln, atol=1e-5)
    assert torch.allclose(ro, rn, atol=1e-5)
    assert torch.allclose(qo, qn, atol=1e-5)


def test_widened_chunk_scan_matches_and_carries_a_larger_state():
    old, new = widened_pair()
    tokens = torch.randint(0, 97, (24,))
    with torch.no_grad():
        so, ko, no = old.empty_states()
        sn, kn, nn_ = new.empty_states()
        assert sn.shape[-2] == 2 * so.shape[-2]
        for c in range(0, 24, 8):
            so, ko, no, _, ro, ho = old.scan(tokens[None, c : c + 8], so, ko, no, return_hidden=False)
            sn, kn, nn_, _, rn, hn = new.scan(tokens[None, c : c + 8], sn, kn, nn_, return_hidden=False)
            assert torch.allclose(ho, hn, atol=1e-5)
            assert torch.allclose(ro, rn, atol=1e-5)
            assert torch.allclose(so, sn[:, :, :8], atol=1e-6)  # the old rows carry the old state


def test_new_state_rows_get_gradients():
    _, new = widened_pair()
    new.train()
    logits, _, readout = new(torch.randint(0, 97, (2, 32)))
    (logits.logsumexp(-1).mean() + readout.pow(2).mean()).backward()
    N, H, P = 8, new.cfg.n_head, new.cfg.d_value
    for block in new.blocks:
        if block.kind == "S":
            g = block.mixer.in_proj.weight.grad
            q_new = g[2 * H * P + 2 * N + N : 2 * H * P + 4 * N]  # the new query rows (after k, k_new, q)
            assert q_new.abs().sum() > 0
    assert new.probe.grad[:, N:].abs().sum() > 0


def test_a_shorter_training_chunk_computes_the_same():
    """train.py --train-chunk: the SSD's chunked form is exact at any chunk dividing Config.chunk."""
    torch.manual_seed(1)
    model = Longview(small(8)).eval()
    tokens = torch.randint(0, 97, (2, 64))
    with torch.no_grad():
        base = model(tokens)
        for block in model.blocks:
            if block.kind == "S":
                block.mixer.train_chunk = 2
        short = model(tokens)
    for a, b in zip(base[0:1] + base[2:], short[0:1] + short[2:]):
        assert torch.allclose(a, b, atol=1e-4)
