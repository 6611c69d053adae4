"""Writes the reference graphs the benchmark times beside the Longview model, in OUT_DIR:

  matmul.onnx   one MatMul [M, K] x [K, N] (fp32): the runtime's own MatMul rate, i.e. its roofline
  projections.onnx  the scan's projections at its own shapes (a chunk of 128 tokens through 6 SSD
                blocks' in_proj 256→1160 and out_proj 512→256, 2 attention blocks' qkv 256→768, out
                256→256, mlp up 256→448 and down 224→256), chained, its output one float per token:
                the MatMul rate at the model's shapes without a large output crossing into JavaScript
  state_roundtrip.onnx  Identity of scan.onnx's two states (SSM 6×8×64×64, K/V 2×2×4×512×64): what
                carrying them through JavaScript costs per call
  minilm.onnx   an encoder shaped like all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads, FFN 1536,
                vocabulary 30522, post-LN BERT blocks, GELU), random weights: what Continue ships for
                local embeddings. Timing needs the shape, not the weights.

Usage: .venv/bin/python bench/make_bench_models.py OUT_DIR
"""
import json, os, sys
import torch
import onnx
from onnx import TensorProto, helper, numpy_helper
import numpy as np

M, K, N = 512, 256, 1024


def matmul(path):
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.standard_normal((K, N)).astype(np.float32), "w")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [M, K])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [M, N])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)


T_CHUNK = 128
PROJECTIONS = [(256, 1160, 512), (512, 256, 256)] * 6 + [(256, 768, 256), (256, 256, 256), (256, 448, 224), (224, 256, 256)] * 2


def projections(path):
    """(K, N, kept): a MatMul [T, K] x [K, N], then its first `kept` columns feed the next one."""
    rng = np.random.default_rng(1)
    nodes, inits, x, flops = [], [], "x", 0
    for i, (k, n, kept) in enumerate(PROJECTIONS):
        inits.append(numpy_helper.from_array((rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32), f"w{i}"))
        nodes.append(helper.make_node("MatMul", [x, f"w{i}"], [f"y{i}"]))
        flops += 2 * T_CHUNK * k * n
        if kept < n:
            inits.append(numpy_helper.from_array(np.array([0], np.int64), f"s{i}"))
            inits.append(numpy_helper.from_array(np.array([kept], np.int64), f"e{i}"))
            inits.append(numpy_helper.from_array(np.array([1], np.int64), f"a{i}"))
            nodes.append(helper.make_node("Slice", [f"y{i}", f"s{i}", f"e{i}", f"a{i}"], [f"z{i}"]))
            x = f"z{i}"
        else:
            x = f"y{i}"
    inits.append(numpy_helper.from_array(np.array([1], np.int64), "axis1"))
    nodes.append(helper.make_node("ReduceSum", [x, "axis1"], ["y"], keepdims=1))
    graph = helper.make_graph(
        nodes, "projections",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [T_CHUNK, 256])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [T_CHUNK, 1])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)
    return flops


STATES = {"ssm_state": [6, 8, 64, 64], "kv_state": [2, 2, 4, 512, 64]}


def state_roundtrip(path):
    nodes = [helper.make_node("Identity", [name], [name + "_out"]) for name in STATES]
    graph = helper.make_graph(
        nodes, "state_roundtrip",
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, dims) for name, dims in STATES.items()],
        [helper.make_tensor_value_info(name + "_out", TensorProto.FLOAT, dims) for name, dims in STATES.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)


class BertLayer(torch.nn.Module):
    """Post-LN BERT block: self-attention, add & norm, GELU FFN, add & norm (as in MiniLM)."""

    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.qkv = torch.nn.Linear(d, 3 * d)
        self.out = torch.nn.Linear(d, d)
        self.ln1 = torch.nn.LayerNorm(d)
        self.ff1 = torch.nn.Linear(d, ffn)
        self.ff2 = torch.nn.Linear(ffn, d)
        self.ln2 = torch.nn.LayerNorm(d)

    def forward(self, x):  # x: (1, T, d)
        T = x.shape[1]
        q, k, v = self.qkv(x).view(1, T, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4)  # each (1, h, T, dh)
        att = torch.softmax(q @ k.transpose(-1, -2) / self.dh ** 0.5, -1)
        a = (att @ v).transpose(1, 2).reshape(1, T, -1)
        x = self.ln1(x + self.out(a))
        return self.ln2(x + self.ff2(torch.nn.functional.gelu(self.ff1(x))))


class MiniLM(torch.nn.Module):
    def __init__(self, vocab=30522, d=384, heads=12, ffn=1536, layers=6, max_pos=512):
        super().__init__()
        self.tok = torch.nn.Embedding(vocab, d)
        self.pos = torch.nn.Embedding(max_pos, d)
        self.norm = torch.nn.LayerNorm(d)
        self.layers = torch.nn.ModuleList([BertLayer(d, heads, ffn) for _ in range(layers)])

    def forward(self, input_ids):
        T = input_ids.shape[1]
        x = self.norm(self.tok(input_ids) + self.pos(torch.arange(T)[None]))
        for layer in self.layers:
            x = layer(x)
        e = x.mean(1)  # mean pooling, as sentence-transformers does for MiniLM
        return e / e.norm(dim=-1, keepdim=True)


def minilm(path):
    torch.manual_seed(0)
    model = MiniLM().eval()
    with torch.no_grad():
        torch.onnx.export(model, (torch.zeros(1, 16, dtype=torch.long),), path, dynamo=False, opset_version=17,
                          input_names=["input_ids"], output_names=["embedding"],
                          dynamic_axes={"input_ids": {1: "T"}})
    params = sum(p.numel() for p in model.parameters())
    return params


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    matmul(os.path.join(out, "matmul.onnx"))
    params = minilm(os.path.join(out, "minilm.onnx"))
    flops = projections(os.path.join(out, "projections.onnx"))
    state_roundtrip(os.path.join(out, "state_roundtrip.onnx"))
    json.dump({"matmul": {"M": M, "K": K, "N": N, "flops": 2 * M * K * N},
               "projections": {"T": T_CHUNK, "flops": flops},
               "states": STATES,
               "minilm": {"params": params, "layers": 6, "hidden": 384, "heads": 12, "ffn": 1536}},
              open(os.path.join(out, "shapes.json"), "w"), indent=1)
    print(f"wrote matmul.onnx, projections.onnx, state_roundtrip.onnx and minilm.onnx ({params} parameters) to {out}")
