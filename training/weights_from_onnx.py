"""The shipped model's weights back as a training checkpoint: media/model/scan.onnx and query.onnx
hold every parameter as a named float16 initializer (export.py), card.json holds the config.

    .venv/bin/python training/weights_from_onnx.py --out training/runs/shipped/model.safetensors

train.py --resume on the folder then continues from exactly what ships (fresh optimizer)."""

import argparse
import json
from pathlib import Path

import onnx
import torch
from onnx import numpy_helper
from safetensors.torch import save_file

ROOT = Path(__file__).resolve().parent.parent


def onnx_state(path):
    """{parameter name: tensor} from a graph exported by export.py (names 'model.<param>[__fp16]')."""
    out = {}
    for init in onnx.load(str(path)).graph.initializer:
        name = init.name.removeprefix("model.").removesuffix("__fp16")
        if name != init.name:
            out[name] = torch.from_numpy(numpy_helper.to_array(init).copy()).half()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(ROOT / "media/model"))
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    d = Path(args.model_dir)
    card = json.loads((d / "card.json").read_text())
    state = onnx_state(d / "scan.onnx")
    state.update({k: v for k, v in onnx_state(d / "query.onnx").items() if k.startswith("query_proj")})
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tokens = str(card.get("evals", {}).get("train_tokens", 0))
    save_file(state, str(out), metadata={"config": json.dumps(card["config"]), "step": "0", "tokens": tokens})
    print(f"{len(state)} tensors, {sum(v.numel() for v in state.values()):,} values -> {out}")


if __name__ == "__main__":
    main()
