"""The shipped graphs (media/model/scan.onnx, query.onnx) in onnxruntime-web under Node agree with
the PyTorch reference on CPU, one counted test per output. The reference model is rebuilt from the
graphs' own named weights (query.onnx holds every trunk weight unquantised), so this checks exactly
what ships. Inputs and expected outputs go through a temp folder as raw little-endian arrays plus a
JSON index; test/parity/run_ort_web.mjs runs them. LONGVIEW_PARITY_MODEL_DIR checks another model folder.

Tolerances: a graph with fp32 projections, max abs diff <= 1e-4. A scan.onnx with int8 projections
(onnx_graphs.quantize_projections) differs from the fp32 reference by the quantisation itself, so its
outputs are held to a relative RMS error (RMS of the difference / RMS of the reference) <= 0.1 on these
random tokens, and on real code (the fixture workspace, scanned as the engine streams files, in Python
onnxruntime: the same kernels as onnxruntime-node) to what the engine reads from them: every 64-token
region embedding within cosine 0.995 of the reference's, and the mean next-token NLL within 0.01 nats.
"""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from data import file_header, load_tokenizer
from model import Config, Longview
from onnx_graphs import QUANTIZED_SUFFIX, weights_from_onnx
from onnx_model import ShippedModel

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = Path(os.environ.get("LONGVIEW_PARITY_MODEL_DIR", ROOT / "media/model"))
CARD = json.loads((MODEL_DIR / "card.json").read_text())
TOL = 1e-4
INT8_RMS_REL = 0.1  # relative RMS error of a scan output with int8 projections (random tokens)
INT8_REGION_COSINE = 0.995  # each region embedding on real code, against the fp32 reference
INT8_NLL_NATS = 0.01  # mean next-token NLL on real code, against the fp32 reference
SCAN_INT8 = any(
    i.name.endswith(QUANTIZED_SUFFIX + "_quantized") for i in onnx.load(str(MODEL_DIR / "scan.onnx")).graph.initializer
)
FIXTURE = ROOT / "test/fixtures/workspace"
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
    diff = got[name] - expected[name]
    if SCAN_INT8 and not name.startswith("query"):
        rel = float(np.sqrt((diff**2).mean() / max((expected[name] ** 2).mean(), 1e-30)))
        assert rel <= INT8_RMS_REL, f"int8 scan: relative RMS error {rel:.3f} > {INT8_RMS_REL}"
    else:
        worst = float(np.abs(diff).max())
        assert worst <= TOL, f"max abs diff {worst:.2e} > {TOL}"


def fixture_stream():
    """The fixture workspace's files as the engine streams them: <|file|> path \\n text, one after another."""
    tok = load_tokenizer()
    ids = []
    for path in sorted(p for p in FIXTURE.rglob("*") if p.is_file()):
        rel = path.relative_to(FIXTURE).as_posix()
        ids += file_header(tok, rel) + tok.encode(path.read_text(), add_special_tokens=False).ids
    return np.array(ids, dtype=np.int64)


@pytest.fixture(scope="module")
def real_code():
    """(reference outputs, shipped graph's outputs, ids) over the fixture workspace, from zero state."""
    model = Longview(Config(**CARD["config"])).eval()
    model.load_state_dict(weights_from_onnx(MODEL_DIR / "scan.onnx", MODEL_DIR / "query.onnx"))
    ids = fixture_stream()
    ref = {"log_decay": [], "readout": [], "hidden": []}
    with torch.no_grad():
        ssm, kv, kv_len = model.empty_states()
        for s in range(0, len(ids), C):
            ssm, kv, kv_len, ld, ro, h = model.scan(torch.from_numpy(ids[None, s : s + C]), ssm, kv, kv_len)
            for k, v in zip(ref, (ld, ro, h)):
                ref[k].append(v.numpy())
    ref = {k: np.concatenate(v) for k, v in ref.items()}
    _, ld, ro, h = ShippedModel(MODEL_DIR).scan(ids)
    return ref, {"log_decay": ld, "readout": ro, "hidden": h}, ids


@pytest.mark.skipif(not SCAN_INT8, reason="scan.onnx has fp32 projections: the max-abs-diff tests above cover it")
def test_int8_region_embeddings_on_real_code(real_code):
    ref, got, ids = real_code
    assert len(ids) >= 1000, f"the fixture workspace gives {len(ids)} tokens"
    cosines = []
    for a in range(0, len(ids) - 63, 64):
        e = ShippedModel.region_embedding(ref["log_decay"][:, -1], ref["readout"], a, a + 63)
        f = ShippedModel.region_embedding(got["log_decay"][:, -1], got["readout"], a, a + 63)
        cosines.append(float(e @ f))
    print(f"int8 region embeddings: {len(cosines)} regions, cosine min {min(cosines):.5f}, mean {np.mean(cosines):.5f}")
    assert min(cosines) >= INT8_REGION_COSINE


@pytest.mark.skipif(not SCAN_INT8, reason="scan.onnx has fp32 projections: the max-abs-diff tests above cover it")
def test_int8_next_token_nll_on_real_code(real_code):
    ref, got, ids = real_code
    shipped = ShippedModel(MODEL_DIR)
    nll_ref = shipped.nll(ref["hidden"][:-1], ids[1:])
    nll_got = shipped.nll(got["hidden"][:-1], ids[1:])
    print(f"next-token NLL over {len(ids)} tokens: fp32 reference {nll_ref:.4f}, int8 {nll_got:.4f} nats")
    assert abs(nll_got - nll_ref) <= INT8_NLL_NATS
