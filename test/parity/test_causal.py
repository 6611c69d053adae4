"""scan.onnx is causal in every runtime that runs it: a token's outputs (log_decay, readout, hidden) do
not depend on the tokens after it in the same call. The engine relies on it: the recall probe reads a
region's 16-token head in a call of its own while eval_recall.py reads it inside the whole region, a
file's last chunk is short, and an index resumed mid-file cuts its calls elsewhere than a clean scan.
A graph whose int8 projections quantised activations with one scale per call broke it (probe gains
apart by up to 0.071); per-token scales (onnx_graphs.quantize_projections) must not.

On top of the state after 700 tokens of real code (several files, so the attention window is full),
one call of 128 tokens of another file against a call of each of its prefixes of LENGTHS tokens: the
prefix's outputs must equal the long call's first rows to TOL, in Python onnxruntime (the native
kernels) and in the engine's two runtimes (test/parity/run_causal.ts). One exception, measured: in
onnxruntime-web, whose fp32 kernels round differently by call length (up to 1e-5 here), an int8 graph
sometimes sees such a difference move an activation across a rounding boundary of its quantisation,
and the step that follows spreads to the noise between onnxruntime-web's and the native int8 results
(test_probe.py's INT8_WEB_TOL): 4 of 381 call lengths (1..127 on three files, 2026-12-07), at most
0.033; so with int8 projections onnxruntime-web is held to INT8_WEB_TOL, still well under what one
scale per call gave (0.1..0.8 at every length). LONGVIEW_PARITY_MODEL_DIR checks another model folder
(an int8 one)."""

import json
import os
import subprocess
from pathlib import Path

import data
import numpy as np
import onnx
import pytest
from onnx_graphs import QUANTIZED_SUFFIX
from onnx_model import ShippedModel
from streams import fixture_prefix, stream

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = Path(os.environ.get("LONGVIEW_PARITY_MODEL_DIR", ROOT / "media/model"))
TOL = 1e-4
INT8_WEB_TOL = 0.05  # onnxruntime-web with int8 projections: see above
SCAN_INT8 = any(
    i.name.endswith(QUANTIZED_SUFFIX + "_quantized") for i in onnx.load(str(MODEL_DIR / "scan.onnx")).graph.initializer
)
PREFIX_TOKENS = 700
LENGTHS = (1, 2, 5, 16, 17, 64, 127)
OUTPUTS = ("log_decay", "readout", "hidden")
SOURCE = "test/fixtures/real-code/punycode.go.fixture"


@pytest.fixture(scope="module")
def inputs():
    tok = data.load_tokenizer(MODEL_DIR / "tokenizer.json")
    model = ShippedModel(MODEL_DIR)
    prefix = fixture_prefix(tok, PREFIX_TOKENS)
    tokens = stream(tok, SOURCE)[: model.card["chunk"]]
    assert len(prefix) == PREFIX_TOKENS > model.card["W"] and len(tokens) == model.card["chunk"]
    return model, prefix, tokens


def python_diffs(model, prefix, tokens):
    state = model.scan(prefix)[0]
    whole = dict(zip(OUTPUTS, model.scan(tokens, state)[1:]))
    diffs = {}
    for n in LENGTHS:
        part = dict(zip(OUTPUTS, model.scan(tokens[:n], state)[1:]))
        diffs[n] = {name: float(np.abs(part[name] - whole[name][:n]).max()) for name in OUTPUTS}
    return diffs


@pytest.fixture(scope="module")
def diffs(inputs, tmp_path_factory):
    """{runtime: {length: {output: max abs diff}}}"""
    model, prefix, tokens = inputs
    out = {"onnxruntime (Python)": python_diffs(model, prefix, tokens)}
    for runtime in ("onnxruntime-web", "onnxruntime-node"):
        spec = tmp_path_factory.mktemp("causal") / "spec.json"
        spec.write_text(
            json.dumps(
                {
                    "model_dir": str(MODEL_DIR),
                    "prefix": prefix,
                    "tokens": tokens,
                    "lengths": LENGTHS,
                    "runtime": runtime,
                }
            )
        )
        node = subprocess.run(
            ["node", "--import", "tsx", str(ROOT / "test/parity/run_causal.ts"), str(spec)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert node.returncode == 0, f"run_causal.ts failed:\n{node.stdout}\n{node.stderr}"
        out[runtime] = {int(n): d for n, d in json.loads(node.stdout)["diffs"].items()}
    return out


@pytest.mark.parametrize("runtime", ["onnxruntime (Python)", "onnxruntime-web", "onnxruntime-node"])
@pytest.mark.parametrize("n", LENGTHS)
def test_a_prefix_reads_the_same_alone_as_inside_a_longer_call(diffs, runtime, n):
    got = diffs[runtime][n]
    print(f"{runtime} {n} tokens: " + ", ".join(f"{k} {v:.1e}" for k, v in got.items()))
    tol = INT8_WEB_TOL if SCAN_INT8 and runtime == "onnxruntime-web" else TOL
    assert max(got.values()) <= tol, got
