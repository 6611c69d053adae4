"""The recall probe as the engine computes it (test/parity/run_probe.ts: onnxInitializer + RecallProbe
on onnxruntime-web and on onnxruntime-node) agrees with training/onnx_model.py ShippedModel.probe_gain
(Python onnxruntime: the native kernels onnxruntime-node runs too), one counted test per (runtime, k,
region length): max abs diff <= 1e-4, except onnxruntime-web with a scan.onnx of int8 projections,
whose WASM int8 kernels round differently from the native ones: <= 0.05 (the probe gains here range
over -4.3..+1.3). The model is causal, int8 projections included (activations quantised per token:
test_causal.py), so a probe read over the whole region (eval_recall.py) equals the head's (the
engine's) to 1e-5. Real code this project did not write, tokenized as the evals
do, from the project's own fixtures: a prefix of 700 tokens (several files, so the attention window has
moved) scanned from zero is the state; regions of 1, 2, 5, 17, 40 and 200 tokens of another file are
probed against it, with the card's k (16) and a smaller one (so k' = min(k, n - 1) takes both sides)."""

import json
import os
import subprocess
from pathlib import Path

import data
import numpy as np
import onnx
import pytest
from onnx_graphs import QUANTIZED_SUFFIX
from onnx_model import PROBE_TOKENS, ShippedModel, probe_from_token_nll
from streams import fixture_prefix, stream

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = Path(os.environ.get("LONGVIEW_PARITY_MODEL_DIR", ROOT / "media/model"))
TOL = 1e-4
SCAN_INT8 = any(
    i.name.endswith(QUANTIZED_SUFFIX + "_quantized") for i in onnx.load(str(MODEL_DIR / "scan.onnx")).graph.initializer
)
INT8_WEB_TOL = 0.05  # onnxruntime-web's int8 kernels against the native ones
RUNTIMES = ("onnxruntime-web", "onnxruntime-node")
PREFIX_TOKENS = 700
LENGTHS = (1, 2, 5, 17, 40, 200)
CARD_K = json.loads((MODEL_DIR / "card.json").read_text()).get("recall_probe_tokens", PROBE_TOKENS)
KS = (CARD_K, 4)
SOURCE = "test/fixtures/real-code/textwrap.py.fixture"


@pytest.fixture(scope="module")
def setup():
    tok = data.load_tokenizer(MODEL_DIR / "tokenizer.json")
    model = ShippedModel(MODEL_DIR)
    prefix = fixture_prefix(tok, PREFIX_TOKENS)
    assert len(prefix) == PREFIX_TOKENS and PREFIX_TOKENS > model.card["W"]
    source = stream(tok, SOURCE)
    regions, at = [], 40
    for n in LENGTHS:
        regions.append(source[at : at + n])
        at += n + 7
    assert [len(r) for r in regions] == list(LENGTHS)
    return model, prefix, regions, model.scan(prefix)[0]


@pytest.fixture(scope="module")
def engine(setup, tmp_path_factory):
    """The engine's probes by (runtime, k), from one run of run_probe.ts each."""
    _, prefix, regions, _ = setup
    out = {}
    for runtime, k in [(r, k) for r in RUNTIMES for k in KS]:
        spec = tmp_path_factory.mktemp("probe") / "spec.json"
        spec.write_text(
            json.dumps({"model_dir": str(MODEL_DIR), "prefix": prefix, "regions": regions, "k": k, "runtime": runtime})
        )
        node = subprocess.run(
            ["node", "--import", "tsx", str(ROOT / "test/parity/run_probe.ts"), str(spec)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert node.returncode == 0, f"run_probe.ts failed:\n{node.stdout}\n{node.stderr}"
        out[runtime, k] = json.loads(node.stdout)["probes"]
    return out


@pytest.mark.parametrize("n", [n for n in LENGTHS if n >= 2])
def test_probe_over_the_whole_region_equals_the_heads(setup, n):
    # eval_recall.py computes the probe from NLLs over the whole region (probe_from_token_nll); the
    # model is causal, so that must equal probe_gain, which reads only the head.
    model, _, regions, state = setup
    r = regions[LENGTHS.index(n)]
    tgt = np.asarray(r[1:])
    full = [model.token_nll(model.scan(r, s)[3][:-1], tgt) for s in (None, state)]
    assert abs(probe_from_token_nll(full[0], full[1], CARD_K) - model.probe_gain(r, state, CARD_K)) <= 1e-5


@pytest.mark.parametrize("runtime", RUNTIMES)
@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n", LENGTHS)
def test_engine_probe_matches_python(setup, engine, runtime, k, n):
    model, _, regions, state = setup
    want = model.probe_gain(regions[LENGTHS.index(n)], state, k)
    got = engine[runtime, k][LENGTHS.index(n)]
    tol = INT8_WEB_TOL if SCAN_INT8 and runtime == "onnxruntime-web" else TOL
    assert abs(want - got) <= tol, f"python {want:+.6f} {runtime} {got:+.6f}"
    if n < 2:
        assert got == 0.0
