"""onnx_graphs.quantize_projections on one projection laid out as the exporter writes it (MatMul of x and
Transpose(Cast(NAME.weight__fp16))), in Python onnxruntime: the int8 product is close to the fp32 one
(relative RMS error <= 0.03 on random data; measured 0.016), each row's output is the same whether the
row comes alone or with others (activations are quantised per row: bit for bit), and a row of zeros
gives zeros (its scale is 0, so 0/0 in the Div never reaches the output)."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx_graphs import QUANTIZED_SUFFIX, quantize_projections

K, N, T = 256, 1060, 64


@pytest.fixture(scope="module")
def projection(tmp_path_factory):
    """(session of the quantised graph, fp32 weight (N, K), the projection's names)."""
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((N, K)) / 16).astype(np.float16)
    graph = helper.make_graph(
        [
            helper.make_node("Cast", ["model.proj.weight__fp16"], ["w32"], to=TensorProto.FLOAT),
            helper.make_node("Transpose", ["w32"], ["wt"], perm=[1, 0]),
            helper.make_node("MatMul", ["x", "wt"], ["y"]),
        ],
        "projection",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["T", K])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["T", N])],
        initializer=[numpy_helper.from_array(w, "model.proj.weight__fp16")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path = tmp_path_factory.mktemp("quantize") / "projection.onnx"
    onnx.save(model, str(path))
    names = quantize_projections(path)
    inits = {i.name for i in onnx.load(str(path)).graph.initializer}
    return ort.InferenceSession(str(path)), w.astype(np.float32), names, inits


def inputs():
    x = np.random.default_rng(1).standard_normal((T, K)).astype(np.float32)
    x *= 1 + np.arange(K) % 7  # columns of different magnitudes, as activations have
    x[5] = 0
    return x


def test_the_projection_is_quantised(projection):
    _, _, names, inits = projection
    assert names == ["model.proj.weight"]
    assert "model.proj.weight" + QUANTIZED_SUFFIX + "_quantized" in inits
    assert "model.proj.weight__fp16" not in inits


def test_int8_product_is_close_to_fp32(projection):
    session, w, _, _ = projection
    x = inputs()
    got, want = session.run(None, {"x": x})[0], x @ w.T
    rel = float(np.sqrt(((got - want) ** 2).mean() / (want**2).mean()))
    print(f"relative RMS error {rel:.4f}")
    assert rel <= 0.03


def test_each_row_is_quantised_on_its_own(projection):
    session, _, _, _ = projection
    x = inputs()
    whole = session.run(None, {"x": x})[0]
    for rows in ([0], [7, 8, 9], list(range(17))):
        alone = session.run(None, {"x": x[rows]})[0]
        assert np.array_equal(alone, whole[rows])


def test_a_row_of_zeros_gives_zeros(projection):
    session, _, _, _ = projection
    y = session.run(None, {"x": inputs()})[0]
    assert not np.isnan(y).any()
    assert np.array_equal(y[5], np.zeros(N, np.float32))
