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


def weights_from_onnx(*paths):
    """{parameter name: fp32 tensor} from the named initializers of the exported graphs."""
    state = {}
    for path in paths:
        for init in onnx.load(str(path)).graph.initializer:
            name = init.name.removesuffix("__fp16")
            if name.startswith("model."):
                state[name[len("model.") :]] = torch.from_numpy(numpy_helper.to_array(init).astype(np.float32))
    return state


def export_scan(model: Longview, path):
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
