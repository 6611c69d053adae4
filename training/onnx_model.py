"""The shipped model as the engine runs it: scan.onnx / query.onnx in onnxruntime (CPU), with the
contract's region and retention formulas in float64. Used by the CPU evals."""

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
from onnx_graphs import weights_from_onnx

ROOT = Path(__file__).resolve().parent.parent


SKETCH_SIZE = 48  # bigram hashes kept per region (card `recall_sketch_size`)


PROBE_TOKENS = 16  # tokens of a region the recall probe re-reads (card recall_probe_tokens)


def recall_params(fit):
    """The shown number's parameters {weights [NS][H], floor, overlap, decay, probe, probe_tokens,
    sketch_size} from a dict with card.json's keys (the card itself, or eval_recall.py --fit's JSON).
    Missing keys take the engine's defaults, which give an older card's number exactly: floor 0, no
    overlap or probe term, decay 1 - floor."""
    floor = float(fit.get("recall_floor", 0.0))
    return {
        "weights": fit["recall_weights"],
        "floor": floor,
        "overlap": float(fit.get("recall_overlap", 0.0)),
        "decay": float(fit.get("recall_decay", 1.0 - floor)),
        "probe": float(fit.get("recall_probe", 0.0)),
        "probe_tokens": int(fit.get("recall_probe_tokens", PROBE_TOKENS)),
        "sketch_size": int(fit.get("recall_sketch_size", SKETCH_SIZE)),
    }


def read_recall_fit(path):
    """recall_params of eval_recall.py --fit's JSON (a bare [NS][H] list, as written until the fourth
    session, means weights alone)."""
    fit = json.loads(Path(path).read_text())
    return recall_params({"recall_weights": fit} if isinstance(fit, list) else fit)


def bigram_hashes(ids):
    """32-bit hash of each consecutive token pair (the engine's bigramHash: key a * 65536 + b, then
    a murmur-style mix); (len(ids) - 1,) uint64 holding 32-bit values."""
    x = np.asarray(ids, dtype=np.uint64)
    x = (x[:-1] * 65536 + x[1:]) & 0xFFFFFFFF
    for _ in range(2):
        x = ((x ^ (x >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
    return x ^ (x >> 16)


def region_sketch(ids, k=SKETCH_SIZE):
    """The k smallest distinct bigram hashes of a region's tokens (a bottom-k sample: the share of
    them found somewhere estimates the share of all its distinct bigrams found there)."""
    return np.unique(bigram_hashes(ids))[:k] if len(ids) >= 2 else np.zeros(0, np.uint64)


def window_overlap(sketch, window_ids):
    """Share of a region's sketch among the bigrams of the last W tokens the scan read (what the
    attention window holds at the end): 0 for an empty sketch."""
    if len(sketch) == 0 or len(window_ids) < 2:
        return 0.0
    return float(np.isin(sketch, bigram_hashes(window_ids)).mean())


def shown_recall(
    ret,
    after,
    length,
    weights,
    floor,
    window,
    overlap=None,
    overlap_coef=0.0,
    decay_coef=None,
    probe=None,
    probe_coef=0.0,
):
    """Contract (model-contract.md): 1 while the attention window holds the whole region
    (after + length <= window), else clip(floor + overlap_coef * overlap + probe_coef * probe +
    decay_coef * sum(weights * retention), 0, 1); decay_coef defaults to 1 - floor (the form before
    the sixth session). ret (n, NS*H), after/length/overlap/probe (n,) tokens; returns (n,)."""
    decay = np.asarray(ret) @ np.asarray(weights, dtype=np.float64).reshape(-1)
    decay_coef = 1.0 - floor if decay_coef is None else decay_coef
    ov = np.zeros_like(decay) if overlap is None else np.asarray(overlap, dtype=np.float64)
    pr = np.zeros_like(decay) if probe is None else np.asarray(probe, dtype=np.float64)
    inside = (np.asarray(after) + np.asarray(length)) <= window
    return np.where(inside, 1.0, np.clip(floor + overlap_coef * ov + probe_coef * pr + decay_coef * decay, 0.0, 1.0))


def probe_from_token_nll(nll_zero, nll_state, k=PROBE_TOKENS):
    """probe_gain from a region's per-token NLLs already computed over all its n - 1 predicted tokens
    (from a zero state and from the final state): the first k of them count, divided by n - 1. The
    model is causal, so this equals ShippedModel.probe_gain (test/parity/test_probe.py tests it)."""
    a, c = np.asarray(nll_zero, dtype=np.float64), np.asarray(nll_state, dtype=np.float64)
    return float((a[:k] - c[:k]).sum() / len(a)) if len(a) else 0.0


class ShippedModel:
    def __init__(self, model_dir=ROOT / "media/model", threads=2):
        self.dir = Path(model_dir)
        self.card = json.loads((self.dir / "card.json").read_text())
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.scan_session = ort.InferenceSession(str(self.dir / "scan.onnx"), opts)
        self.query_session = ort.InferenceSession(str(self.dir / "query.onnx"), opts)
        self.wte = weights_from_onnx(self.dir / "scan.onnx")["wte.weight"].numpy()  # tied LM head

    def zero_state(self):
        c = self.card
        return (
            np.zeros((c["NS"], c["H"], c["DK"], c["DV"]), np.float32),
            np.zeros((max(c["NA"], 1), 2, c["HA"], c["W"], c["HD"]), np.float32),
            np.zeros(1, np.int64),
        )

    def scan(self, tokens, state=None):
        """tokens: list/array of ids. Returns (final state, log_decay (T, NS, H), readout (T, H, R),
        hidden (T, d)) scanning in chunks of card.chunk from `state` (zeros by default)."""
        ssm, kv, kv_len = state or self.zero_state()
        tokens = np.asarray(tokens, dtype=np.int64)
        lds, ros, hs = [], [], []
        for s in range(0, len(tokens), self.card["chunk"]):
            out = self.scan_session.run(
                None,
                {
                    "tokens": tokens[None, s : s + self.card["chunk"]],
                    "ssm_state": ssm,
                    "kv_state": kv,
                    "kv_len": kv_len,
                },
            )
            ssm, kv, kv_len, ld, ro, h = out
            lds.append(ld), ros.append(ro), hs.append(h)
        return (ssm, kv, kv_len), np.concatenate(lds), np.concatenate(ros), np.concatenate(hs)

    def token_nll(self, hidden, targets):
        """Next-token NLL (nats) of each target given the hidden state before it: (len(targets),)."""
        logits = hidden.astype(np.float64) @ self.wte.T.astype(np.float64)
        logits -= logits.max(-1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        return -logp[np.arange(len(targets)), targets]

    def probe_gain(self, ids, state, k=PROBE_TOKENS):
        """The recall probe (model-contract.md): the region's first k' = min(k, n - 1) predicted tokens
        (n = len(ids)) read from a zero state and from `state` (the scan's final state, not changed);
        returns sum_{t=1..k'} (NLL_zero[t] - NLL_state[t]) / (n - 1), 0 for n < 2."""
        n = len(ids)
        if n < 2:
            return 0.0
        head = np.asarray(ids[: min(k, n - 1) + 1])
        # the k' tokens that predict the rest, as the engine feeds them (its last token predicts nothing):
        zero = self.token_nll(self.scan(head[:-1])[3], head[1:])
        after = self.token_nll(self.scan(head[:-1], state)[3], head[1:])
        return float((zero - after).sum() / (n - 1))

    def nll(self, hidden, targets):
        """Mean next-token NLL (nats) of targets given the hidden state before each."""
        return float(self.token_nll(hidden, targets).mean())

    @staticmethod
    def region_embedding(log_decay_last, readout, a, b):
        """Contract: u[h] = sum_{s=a..b} exp(L[b] - L[s]) readout[s, h], L the running log-decay sum."""
        L = np.cumsum(log_decay_last.astype(np.float64), axis=0)  # (T, H)
        w = np.exp(L[b] - L[a : b + 1])  # (n, H)
        u = (w[:, :, None] * readout[a : b + 1].astype(np.float64)).sum(0)  # (H, R)
        e = u.reshape(-1)
        return e / max(np.linalg.norm(e), 1e-12)

    def query_embedding(self, ids):
        ids = np.asarray(ids[: self.card["max_query"]], dtype=np.int64)[None]
        return self.query_session.run(None, {"tokens": ids})[0].astype(np.float64)
