"""The shipped graphs (media/model/scan.onnx, query.onnx) in onnxruntime-web under Node agree with
the PyTorch reference on CPU (max abs diff <= 1e-4), one counted test per output. The reference model
is rebuilt from the graphs' own named weights, so this checks exactly what ships. Inputs and expected
outputs go through a temp folder as raw little-endian arrays plus a JSON index;
test/parity/run_ort_web.mjs runs them. LONGVIEW_PARITY_MODEL_DIR checks another model folder."""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from model import Config, Longview
from onnx_graphs import weights_from_onnx

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = Path(os.environ.get("LONGVIEW_PARITY_MODEL_DIR", ROOT / "media/model"))
CARD = json.loads((MODEL_DIR / "card.json").read_text())
TOL = 1e-4
C = CARD["chunk"]
PIECES = [(0, C), (C, 2 * C), (2 * C, 2 * C + 37)]  # the last chunk is short, like a file's end
QUERY_LENGTHS = (5, 17, CARD["max_query"] - 1)
OUTPUTS = (
    [f"chunk{i}.{name}" for i in range(len(PIECES)) for name in ("log_decay", "readout", "hidden")]
    + ["final.ssm_state_out", "final.kv_state_out"]
    + [f"query{i}.embedding" for i in range(len(QUERY_LENGTHS))]
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """(PyTorch's outputs, onnxruntime-web's outputs) by name, from one run of each."""
    model = Longview(Config(**CARD["config"])).eval()
    model.load_state_dict(weights_from_onnx(MODEL_DIR / "scan.onnx", MODEL_DIR / "query.onnx"))
    torch.manual_seed(0)
    V = CARD["vocab_size"]
    tokens = torch.randint(4, V, (1, 2 * C + 37))
    tokens[0, 0] = 1
    queries = [[2] + torch.randint(4, V, (n,)).tolist() for n in QUERY_LENGTHS]
    expected = {}
    with torch.no_grad():
        ssm, kv, kv_len = model.empty_states()
        for i, (s, e) in enumerate(PIECES):
            ssm, kv, kv_len, ld, ro, h = model.scan(tokens[:, s:e], ssm, kv, kv_len)
            expected.update({f"chunk{i}.log_decay": ld, f"chunk{i}.readout": ro, f"chunk{i}.hidden": h})
        expected.update({"final.ssm_state_out": ssm, "final.kv_state_out": kv})
        for i, q in enumerate(queries):
            expected[f"query{i}.embedding"] = model.encode_query_chunk(torch.tensor([q]))
    tmp = tmp_path_factory.mktemp("ort-web")
    spec = {
        "model_dir": str(MODEL_DIR),
        "tokens": tokens[0].tolist(),
        "pieces": PIECES,
        "queries": queries,
        "card": CARD,
        "out_dir": str(tmp),
    }
    (tmp / "spec.json").write_text(json.dumps(spec))
    node = subprocess.run(
        ["node", str(ROOT / "test/parity/run_ort_web.mjs"), str(tmp / "spec.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert node.returncode == 0, f"onnxruntime-web run failed:\n{node.stdout}\n{node.stderr}"
    index = json.loads((tmp / "outputs.json").read_text())
    got = {name: np.fromfile(tmp / entry["file"], dtype="<f4").reshape(entry["dims"]) for name, entry in index.items()}
    return {k: v.numpy() for k, v in expected.items()}, got


def test_every_output_is_compared(runs):
    expected, _ = runs
    assert sorted(expected) == sorted(OUTPUTS)


@pytest.mark.parametrize("name", OUTPUTS)
def test_onnxruntime_web_matches_pytorch(runs, name):
    expected, got = runs
    assert name in got, f"{name} missing from onnxruntime-web's outputs"
    assert got[name].shape == expected[name].shape
    diff = float(np.abs(got[name] - expected[name]).max())
    assert diff <= TOL, f"max abs diff {diff:.2e} > {TOL}"
