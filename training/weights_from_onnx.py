"""The shipped model's weights back as a training checkpoint (onnx_graphs.weights_from_onnx: every
parameter is a named float16 initializer of scan.onnx or query.onnx), with card.json's config.

    .venv/bin/python training/weights_from_onnx.py --out training/runs/shipped/model.safetensors

train.py --resume on the folder then continues from exactly what ships (fresh optimizer)."""

import argparse
import json
import sys
from pathlib import Path

from safetensors.torch import save_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from onnx_graphs import weights_from_onnx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(ROOT / "media/model"))
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    d = Path(args.model_dir)
    card = json.loads((d / "card.json").read_text())
    state = {k: v.half() for k, v in weights_from_onnx(d / "scan.onnx", d / "query.onnx").items()}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tokens = str(card.get("evals", {}).get("train_tokens", 0))
    save_file(state, str(out), metadata={"config": json.dumps(card["config"]), "step": "0", "tokens": tokens})
    print(f"{len(state)} tensors, {sum(v.numel() for v in state.values()):,} values -> {out}")


if __name__ == "__main__":
    main()
