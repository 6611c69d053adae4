"""Regions read in place (issue 18, "pairs read in place"; CPU, no corpus needed): the training rows
and evals that embed a region inside its file (data.in_place_rows, train.contrastive_rows,
evals_torch.in_place_embeddings) compute what the engine's index stores for it. The engine streams
the whole file (<|file|> path \\n text, extension/engine/scan/fileStream.ts) through scan.onnx in
chunks with carried states and pools the region's tokens (those starting inside its span) by the
contract's formula (scan/regionAccumulator.ts); here the same is done with the shipped graphs
(training/onnx_model.py) and with the PyTorch chunk scan, against the training path's parallel trunk
over the loader's row."""

import json
import lzma
import os
from pathlib import Path

import data
import evals_torch
import numpy as np
import pytest
import torch
import train
from model import Config, Longview, region_embedding
from onnx_graphs import QUANTIZED_SUFFIX, weights_from_onnx
from onnx_model import ShippedModel

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = Path(os.environ.get("LONGVIEW_PARITY_MODEL_DIR", ROOT / "media/model"))
CARD = json.loads((MODEL_DIR / "card.json").read_text())

HELPERS = "".join(
    f"function helper{i}(value) {{\n  const twice = value * {i} + {i};\n  return twice > 10 ? twice : -twice;\n}}\n\n"
    for i in range(12)
)
JS_DOC = "/**\n * Adds two numbers and returns the sum.\n */\n"
JS_CODE = "function add(a, b) {\n  return a + b;\n}"
JS = HELPERS + JS_DOC + JS_CODE + "\n"
PY_HEAD = "# 😀 a comment with an astral character\nimport os\n\n\n"
PY_DOC = '    """Reads the file at path and returns its lines."""\n'
PY = PY_HEAD + "def read_lines(path):\n" + PY_DOC + "    with open(path) as f:\n        return f.read().split()\n"


def utf16(text, index):
    """UTF-16 offset of a code point index (what the engine's regions carry)."""
    return len(text[:index].encode("utf-16-le")) // 2


def js_pair():
    start = JS.index(JS_CODE)
    return {
        "package": "p",
        "path": "src/add.js",
        "language": "javascript",
        "query": "Adds two numbers and returns the sum.",
        "code": JS_CODE,
        "start": start,
        "end": start + len(JS_CODE),
        "doc_cut": [JS.index(JS_DOC), start],
    }


def py_pair():
    start, end = PY.index("def read_lines"), len(PY) - 1
    ca = PY.index(PY_DOC)
    code = PY[start:ca] + PY[ca + len(PY_DOC) : end]
    return {
        "package": "p",
        "path": "lib/read.py",
        "language": "python",
        "query": "Reads the file at path and returns its lines.",
        "code": code,
        "start": utf16(PY, start),
        "end": utf16(PY, end),
        "doc_cut": [utf16(PY, ca), utf16(PY, ca + len(PY_DOC))],
    }


@pytest.fixture(scope="module")
def tok():
    return data.load_tokenizer()


@pytest.fixture()
def corpus(tmp_path, monkeypatch):
    """A split 'train' of two files and their two pairs in a temporary LONGVIEW_DATA."""
    with lzma.open(tmp_path / "corpus-train.jsonl.xz", "wt") as f:
        for path, text in (("src/add.js", JS), ("lib/read.py", PY)):
            f.write(json.dumps({"package": "p", "path": path, "language": "x", "text": text}) + "\n")
    with lzma.open(tmp_path / "pairs-train.jsonl.xz", "wt") as f:
        for pair in (js_pair(), py_pair()):
            f.write(json.dumps(pair) + "\n")
    monkeypatch.setattr(data, "DATA", tmp_path)
    return tmp_path


def whole_file(tok, path, text):
    """The engine's file stream: ids of <|file|> path \\n text and each text token's start offset."""
    enc = tok.encode(text, add_special_tokens=False)
    return data.file_header(tok, path) + enc.ids, [o[0] for o in enc.offsets]


def test_region_span_is_the_engines_rule():
    starts = [0, 1, 3, 12, 16, 17]  # 'x', '\n ', ' function', ' add', '(', 'a'
    assert data.region_span(starts, 3, 16) == (2, 4)
    assert data.region_span(starts, 4, 17) == (3, 5)  # a token starting before the region is not its own
    assert data.region_span(starts, 0, 13) == (0, 4)  # one starting inside it is, even if it ends past it
    assert data.region_span(starts, 18, 30) == (6, 6)  # no tokens


def test_in_place_rows_read_the_file_as_the_engine_does(tok, corpus):
    pairs = {p["path"]: p for p in data.load_pairs(tok, "train", 64, 256, in_place={"context": 10_000})}
    for pair, text in ((js_pair(), JS), (py_pair(), PY)):
        ids, a, b = pairs[pair["path"]]["place"]["keep"]
        stream, starts = whole_file(tok, pair["path"], text)
        start, end = data.utf16_to_index(text, pair["start"]), data.utf16_to_index(text, pair["end"])
        first, stop = data.region_span(starts, start, end)
        head = len(stream) - len(starts)
        assert ids.tolist() == stream[: head + stop] and (a, b) == (head + first, head + stop - 1)
        assert tok.decode(ids[a : b + 1].tolist()) == text[start:end]


def test_in_place_rows_forms_and_context(tok, corpus):
    pairs = {p["path"]: p for p in data.load_pairs(tok, "train", 64, 256, in_place={"context": 10_000})}
    for pair, doc in ((js_pair(), JS_DOC), (py_pair(), PY_DOC)):
        place = pairs[pair["path"]]["place"]
        ids, a, b = place["keep"]
        assert doc.strip() in tok.decode(ids.tolist())  # as it is: the doc is read
        ids, a, b = place["nodoc"]
        assert tok.decode(ids[a : b + 1].tolist()) == pair["code"]  # the region as an undocumented one
        assert doc.strip() not in tok.decode(ids.tolist()) and ids[0] == data.FILE
    # a short context: the last 8 tokens before the region, no header; a region cap: its first 5 tokens
    short = {p["path"]: p for p in data.load_pairs(tok, "train", 64, 256, in_place={"context": 8, "region_cap": 5})}
    stream, starts = whole_file(tok, "src/add.js", JS)
    first, _ = data.region_span(starts, js_pair()["start"], js_pair()["end"])
    at = len(stream) - len(starts) + first
    ids, a, b = short["src/add.js"]["place"]["keep"]
    assert ids.tolist() == stream[at - 8 : at + 5] and (a, b) == (8, 12)
    ids, a, b = short["src/add.js"]["place"]["nodoc"]
    assert (a, b) == (8, 12) and tok.decode(ids[a:].tolist()) == tok.decode(stream[at : at + 5])
    assert HELPERS.endswith(tok.decode(ids[:a].tolist()))  # the text before the doc, right before


@pytest.fixture(scope="module")
def shipped():
    model = Longview(Config(**CARD["config"])).eval()
    model.load_state_dict(weights_from_onnx(MODEL_DIR / "scan.onnx", MODEL_DIR / "query.onnx"))
    return model


def test_training_embeds_a_region_in_place_as_the_engine_does(tok, corpus, shipped):
    """The loader's row through the parallel trunk, pooled at its span (what training and the eval
    compute) == the file streamed chunk by chunk from a zero state, pooled over the region's tokens:
    in PyTorch's exported chunk form (1e-4) and in the shipped scan.onnx (int8 projections: cosine
    0.995, test_onnx.py's tolerance on real code; fp32: 1e-4)."""
    import onnx

    pairs = {p["path"]: p for p in data.load_pairs(tok, "train", 64, 256, in_place={"context": 10_000})}
    ids, a, b = pairs["src/add.js"]["place"]["keep"]
    assert len(ids) > 2 * CARD["chunk"]  # several chunks, so carried states matter
    with torch.no_grad():
        _, log_decays, readout = shipped.trunk(torch.from_numpy(ids[None].astype(np.int64)))
        trained = region_embedding(readout, log_decays[-1], torch.tensor([a]), torch.tensor([b]))[0].double().numpy()
        # the engine's way: the whole file stream, chunk by chunk with carried states
        stream, starts = whole_file(tok, "src/add.js", JS)
        first, stop = data.region_span(starts, js_pair()["start"], js_pair()["end"])
        head = len(stream) - len(starts)
        x = torch.tensor([stream])
        ssm, kv, kv_len = shipped.empty_states()
        lds, ros = [], []
        for s in range(0, len(stream), CARD["chunk"]):
            ssm, kv, kv_len, ld, ro, _ = shipped.scan(x[:, s : s + CARD["chunk"]], ssm, kv, kv_len)
            lds.append(ld.numpy()), ros.append(ro.numpy())
    chunked = ShippedModel.region_embedding(
        np.concatenate(lds)[:, -1], np.concatenate(ros), head + first, head + stop - 1
    )
    trained /= np.linalg.norm(trained)
    assert np.abs(trained - chunked).max() <= 1e-4, np.abs(trained - chunked).max()
    _, ld, ro, _ = ShippedModel(MODEL_DIR).scan(stream)
    engine = ShippedModel.region_embedding(ld[:, -1], ro, head + first, head + stop - 1)
    int8 = any(
        i.name.endswith(QUANTIZED_SUFFIX + "_quantized")
        for i in onnx.load(str(MODEL_DIR / "scan.onnx")).graph.initializer
    )
    if int8:
        assert float(trained @ engine) >= 0.995, float(trained @ engine)
    else:
        assert np.abs(trained - engine).max() <= 1e-4


def tiny_model():
    torch.manual_seed(0)
    cfg = Config(
        vocab_size=300,
        d_model=32,
        layout="SA",
        n_head=2,
        d_key=8,
        d_value=8,
        n_head_attn=2,
        d_head_attn=8,
        window=32,
        attn_mlp_hidden=24,
        readout_dim=4,
        chunk=16,
    )
    return Longview(cfg).eval()


def fake_pairs(n, rng):
    out = []
    for i in range(n):
        code = [data.FILE, 5] + rng.integers(4, 300, 20).tolist()
        row = rng.integers(4, 300, int(rng.integers(30, 90)))
        region = (len(row) - 10, len(row) - 1)
        place = {"keep": (row, *region), "nodoc": (row[5:], region[0] - 5, region[1] - 5)}
        out.append(
            {"query_ids": [data.QUERY, i + 4], "code_ids": code, "header_len": 2, "place": place if i % 3 else None}
        )
    return out


def test_contrastive_rows_put_the_in_place_rows_last():
    rng = np.random.default_rng(0)
    pairs = fake_pairs(30, rng)
    stream = data.Stream(rng.integers(4, 300, 5000).astype(np.int32), np.zeros(1), np.zeros(1), ["p"], 1)
    idx = list(range(30))
    b = train.contrastive_rows(pairs, stream, rng, idx, 300, ctx_len=16, row_len=48, in_place=0.25, nodoc=0.5)
    placed = [i for i in idx if pairs[i]["place"]][-8:]  # round(30 * 0.25) rows, the last placeable ones
    alone = [i for i in idx if i not in placed]
    assert b["crow"].shape == (22, 48) and b["prow"].shape[0] == 8 and b["prow"].shape[1] % 128 == 0
    assert [q[1] - 4 for q in b["q"]] == alone + placed  # queries: alone rows, then in-place rows
    forms = set()
    for k, i in enumerate(placed):
        row, span = b["prow"][k].tolist(), (b["ps"][k], b["pe"][k])
        form = [f for f, (ids, *at) in pairs[i]["place"].items() if row == ids.tolist() + [0] * (len(row) - len(ids))]
        assert form and span == tuple(pairs[i]["place"][form[0]][1:]), (k, form, span)
        forms.add(form[0])
    assert forms == {"keep", "nodoc"}  # nodoc=0.5: both forms among 8 rows (this seed)
    none = train.contrastive_rows(pairs, stream, rng, idx, 300, ctx_len=16, row_len=48)
    assert "prow" not in none and none["crow"].shape == (30, 48)


def test_in_place_eval_embeddings_do_not_depend_on_batching():
    model = tiny_model()
    rng = np.random.default_rng(1)
    forms = [p["place"]["keep"] for p in fake_pairs(12, rng) if p["place"]]
    got = evals_torch.in_place_embeddings(model, forms, torch.device("cpu"), batch_tokens=150)
    with torch.no_grad():
        for k, (ids, a, b) in enumerate(forms):
            _, ld, ro = model.trunk(torch.from_numpy(ids[None].astype(np.int64)))
            want = torch.nn.functional.normalize(
                region_embedding(ro, ld[-1], torch.tensor([a]), torch.tensor([b])), dim=-1
            )
            assert (got[k] - want[0]).abs().max() <= 1e-5
