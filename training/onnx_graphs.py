"""Export the two graphs the engine runs (docs/model-contract.md): scan.onnx and query.onnx.

Uses the TorchScript exporter (dynamo=False): it keeps T dynamic with a plain dynamic_axes map
and emits only standard ops. Constant folding is left to onnxruntime (it folds at session start)
so every weight keeps its PyTorch name: `weights_from_onnx` rebuilds the exact PyTorch model from
the shipped graphs, which is how the parity test and the CPU evals get the LM head and reference. Also counts FLOPs per token of the scan from the model's shapes.
"""

import numpy as np
import onnx
import torch
import torch.nn as nn
from model import Longview
from onnx import helper, numpy_helper

OPSET = 17


class ScanGraph(nn.Module):
    def __init__(self, model: Longview):
        super().__init__()
        self.model = model

    def forward(self, tokens, ssm_state, kv_state, kv_len):
        return self.model.scan(tokens, ssm_state, kv_state, kv_len)


class QueryGraph(nn.Module):
    def __init__(self, model: Longview):
        super().__init__()
        self.model = model

    def forward(self, tokens):
        return self.model.encode_query_chunk(tokens)


def round_weights_to_fp16(model: Longview):
    """The graphs store weights as float16 (both graphs hold the trunk, and fp32 copies would not fit
    the 25 MB budget). Rounding the PyTorch weights the same way keeps it the exact reference."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    return model


def store_initializers_fp16(path, min_elements=1024):
    """Rewrite large fp32 initializers as fp16 followed by a Cast to fp32. Computation stays fp32;
    onnxruntime folds the Casts once when the session is created."""
    m = onnx.load(str(path))
    g = m.graph
    casts, keep = [], []
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype == np.float32 and arr.size >= min_elements:
            half = numpy_helper.from_array(arr.astype(np.float16), init.name + "__fp16")
            keep.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=onnx.TensorProto.FLOAT))
        else:
            keep.append(init)
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


QUANTIZED_SUFFIX = "__int8"  # a projection weight quantised by quantize_projections: NAME__int8_{quantized,scale}
WEIGHT_LEVELS = 63  # 7-bit weights: see quantize_projections
ACTIVATION_ZERO = 128  # uint8 activations, symmetric about this zero point


def quantize_projections(path):
    """Rewrite the projections of a graph written by export_scan (then store_initializers_fp16) with
    int8 weights and per-token int8 activations. A projection is every MatMul whose weight is a 2-D
    `*.weight` initializer (the exporter's Transpose of an nn.Linear weight, stored as fp16 + Cast).

    Weights: transposed once and quantised per output channel to symmetric 7-bit values in int8 (on x86
    CPUs with AVX2 but no VNNI, onnxruntime's u8×s8 kernel sums pairs of products in 16 bits, which
    full-range weights can saturate; 7 bits cannot). Activations: each row (token) of the projection's
    input gets its own scale, its largest magnitude: x -> round(127 x / max|x_row|) + 128 in uint8
    (Abs, ReduceMax, Div, QuantizeLinear), MatMulInteger with the scalar zero point 128 (u8×s8, the
    kernel both onnxruntime-node and onnxruntime-web run fastest; s8×s8 has no fast kernel in either),
    then Cast and the two scales multiplied in: the row's max|x| and the column's weight scale / 127.
    A token's outputs therefore depend only on that token's own activations: the graph stays exactly
    causal, which one scale per call (onnxruntime's dynamic quantisation) is not. The two scales are
    multiplied together first (Mul(row max, column scales)) so that onnxruntime fuses MatMulInteger,
    Cast and the Mul by their product into MatMulIntegerToFloat; multiplied in one after the other they
    measured slower in both runtimes (docs/model.md).
    The rest of the graph, the SSD and attention products included, stays fp32. The quantised weights
    are named NAME__int8_quantized/_scale, so weights_from_onnx leaves them out (query.onnx, not
    quantised, holds the same weights). docs/model.md, "int8 projections", has the speed and quality."""
    m = onnx.load(str(path))
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    uses = {}
    for n in g.node:
        for i in n.input:
            uses[i] = uses.get(i, 0) + 1
    f32 = onnx.TensorProto.FLOAT
    shared = [
        numpy_helper.from_array(np.array(1 / 127, np.float32), "int8_rows.step"),
        numpy_helper.from_array(np.array(ACTIVATION_ZERO, np.uint8), "int8_rows.zero"),
    ]
    rewritten, dropped, weights, row_scales, projections = {}, set(), [], {}, []
    for n in g.node:
        t = producer.get(n.input[1]) if n.op_type == "MatMul" else None
        if t is None or t.op_type != "Transpose" or uses[t.output[0]] != 1:
            continue
        cast = producer.get(t.input[0])  # fp16 storage: Transpose(Cast(NAME__fp16))
        source = cast.input[0] if cast is not None and cast.op_type == "Cast" else t.input[0]
        name = source.removesuffix("__fp16")
        if source not in inits or not name.endswith(".weight") or numpy_helper.to_array(inits[source]).ndim != 2:
            continue
        w = numpy_helper.to_array(inits[source]).astype(np.float32).T  # (K, N): x @ w
        step = np.abs(w).max(0) / WEIGHT_LEVELS
        step[step == 0] = 1.0
        q = np.clip(np.round(w / step), -WEIGHT_LEVELS, WEIGHT_LEVELS).astype(np.int8)
        qname, sname = name + QUANTIZED_SUFFIX + "_quantized", name + QUANTIZED_SUFFIX + "_scale"
        weights += [
            numpy_helper.from_array(np.ascontiguousarray(q), qname),
            numpy_helper.from_array((step / 127).astype(np.float32), sname),
        ]
        x, y, p = n.input[0], n.output[0], name.removesuffix(".weight") + ".int8"
        nodes = []
        if x not in row_scales:  # an input read by several projections is quantised once
            r = x.replace("/", "_").strip("_") + ".rows"
            nodes += [
                helper.make_node("Abs", [x], [r + ".abs"], name=r + ".Abs"),
                helper.make_node("ReduceMax", [r + ".abs"], [r + ".max"], name=r + ".ReduceMax", axes=[-1], keepdims=1),
                helper.make_node("Div", [x, r + ".max"], [r + ".unit"], name=r + ".Div"),
                helper.make_node(
                    "QuantizeLinear",
                    [r + ".unit", "int8_rows.step", "int8_rows.zero"],
                    [r + ".q"],
                    name=r + ".Quantize",
                ),
            ]
            row_scales[x] = r
        r = row_scales[x]
        nodes += [
            helper.make_node(
                "MatMulInteger", [r + ".q", qname, "int8_rows.zero"], [p + ".acc"], name=p + ".MatMulInteger"
            ),
            helper.make_node("Cast", [p + ".acc"], [p + ".accf"], name=p + ".Cast", to=f32),
        ]
        nodes += [
            helper.make_node("Mul", [r + ".max", sname], [p + ".scale"], name=p + ".Scale"),
            helper.make_node("Mul", [p + ".accf", p + ".scale"], [y], name=p + ".Mul"),
        ]
        rewritten[id(n)] = nodes
        projections.append(name)
        dropped.add(id(t))
        if cast is not None and uses[cast.output[0]] == 1:
            dropped.add(id(cast))
    if not rewritten:
        raise ValueError(
            f"{path}: no projection MatMul with a Transpose of a *.weight initializer (already quantised?)"
        )
    nodes = []
    for n in g.node:
        if id(n) in rewritten:
            nodes += rewritten[id(n)]
        elif id(n) not in dropped:
            nodes.append(n)
    del g.node[:]
    g.node.extend(nodes)
    g.initializer.extend(shared + weights)
    used = {i for n in g.node for i in n.input}
    keep = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
    return projections


def weights_from_onnx(*paths):
    """{parameter name: fp32 tensor} from the named initializers of the exported graphs (int8 weights of
    quantize_projections left out: give query.onnx too, which holds them unquantised)."""
    state = {}
    for path in paths:
        for init in onnx.load(str(path)).graph.initializer:
            name = init.name.removesuffix("__fp16")
            if QUANTIZED_SUFFIX in name:
                continue
            if name.startswith("model."):
                state[name[len("model.") :]] = torch.from_numpy(numpy_helper.to_array(init).astype(np.float32))
    return state


def export_scan(model: Longview, path, int8=False):
    """scan.onnx; int8: its projections quantised (quantize_projections)."""
    model = model.eval().float()
    ssm, kv, kv_len = model.empty_states()
    tokens = torch.ones(1, model.cfg.chunk, dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            ScanGraph(model),
            (tokens, ssm, kv, kv_len),
            str(path),
            dynamo=False,
            opset_version=OPSET,
            do_constant_folding=False,
            input_names=["tokens", "ssm_state", "kv_state", "kv_len"],
            output_names=["ssm_state_out", "kv_state_out", "kv_len_out", "log_decay", "readout", "hidden"],
            dynamic_axes={"tokens": {1: "T"}, "log_decay": {0: "T"}, "readout": {0: "T"}, "hidden": {0: "T"}},
        )
    store_initializers_fp16(path)
    if int8:
        quantize_projections(path)


def export_query(model: Longview, path):
    model = model.eval().float()
    tokens = torch.tensor([[2, 10, 11, 12, 13]], dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            QueryGraph(model),
            (tokens,),
            str(path),
            dynamo=False,
            opset_version=OPSET,
            do_constant_folding=False,
            input_names=["tokens"],
            output_names=["embedding"],
            dynamic_axes={"tokens": {1: "Tq"}},
        )
    store_initializers_fp16(path)


WTE_INITIALIZER = "model.wte.weight__fp16"  # scan.onnx's fp16 token embedding (= the tied LM head)


def export_token_nll(cfg, path):
    """token_nll.onnx: next-token NLL from scan.onnx's `hidden`, for the recall probe. It holds no
    weights: the engine passes scan.onnx's own fp16 embedding (initializer WTE_INITIALIZER, the tied
    LM head) as the `wte` input, so shipping it costs a few hundred bytes instead of a 4 MB copy.
    Inputs hidden float32 [N, d_model], wte float16 [V, d_model], targets int64 [N];
    output nll float32 [N] = -log softmax(hidden @ wte^T)[n, targets[n]]."""
    f32, i64 = onnx.TensorProto.FLOAT, onnx.TensorProto.INT64
    nodes = [
        helper.make_node("Cast", ["wte"], ["wte32"], to=f32),
        helper.make_node("Gemm", ["hidden", "wte32"], ["logits"], transB=1),
        helper.make_node("LogSoftmax", ["logits"], ["logp"], axis=-1),
        helper.make_node("Unsqueeze", ["targets", "axis1"], ["targets2"]),
        helper.make_node("GatherElements", ["logp", "targets2"], ["picked"], axis=1),
        helper.make_node("Neg", ["picked"], ["neg"]),
        helper.make_node("Squeeze", ["neg", "axis1"], ["nll"]),
    ]
    graph = helper.make_graph(
        nodes,
        "token_nll",
        [
            helper.make_tensor_value_info("hidden", f32, ["N", cfg.d_model]),
            helper.make_tensor_value_info("wte", onnx.TensorProto.FLOAT16, [cfg.vocab_size, cfg.d_model]),
            helper.make_tensor_value_info("targets", i64, ["N"]),
        ],
        [helper.make_tensor_value_info("nll", f32, ["N"])],
        initializer=[helper.make_tensor("axis1", i64, [1], [1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="longview")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def flops_per_token(cfg, T=None):
    """Multiply-adds x2 per token of one scan chunk of T tokens (default card.chunk), LM head excluded."""
    T = T or cfg.chunk
    d, H, N, P = cfg.d_model, cfg.n_head, cfg.d_key, cfg.d_value
    HA, HD, W = cfg.n_head_attn, cfg.d_head_attn, cfg.window
    ssd_proj = d * (2 * H * P + 2 * N + H) + H * P * d
    # per token: scores q.k over T (shared by heads), decay-weighted sum over T values per head,
    # carried-state read q.S and state update k^T v, per head
    ssd_scan = T * N + H * T * P + 2 * H * N * P
    attn_proj = d * 3 * HA * HD + HA * HD * d + 3 * d * cfg.attn_mlp_hidden
    attn_mix = 2 * HA * (W + T) * HD  # scores + weighted values
    readout = min(cfg.readout_layers, cfg.n_ssd) * (H * N + H * P * cfg.readout_dim)  # per readout layer
    macs = cfg.n_ssd * (ssd_proj + ssd_scan) + cfg.n_attn * (attn_proj + attn_mix) + readout
    return 2 * macs
