"""The shipped graphs (media/model/scan.onnx, query.onnx) in onnxruntime-web under Node agree with
the PyTorch reference on CPU (max abs diff <= 1e-4). The reference model is rebuilt from the graphs'
own named weights, so this checks exactly what ships. Inputs and expected outputs go through a temp
folder as raw little-endian arrays plus a JSON index; test/parity/run_ort_web.mjs runs them.
Run: .venv/bin/python test/parity/check_onnx.py [--model-dir media/model]"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
from model import Config, Longview  # noqa: E402
from onnx_graphs import weights_from_onnx  # noqa: E402

TOL = 1e-4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(ROOT / "media/model"))
    args = ap.parse_args()
    mdir = Path(args.model_dir)
    card = json.loads((mdir / "card.json").read_text())
    model = Longview(Config(**card["config"])).eval()
    model.load_state_dict(weights_from_onnx(mdir / "scan.onnx", mdir / "query.onnx"))
    torch.manual_seed(0)
    V, C = card["vocab_size"], card["chunk"]
    tokens = torch.randint(4, V, (1, 2 * C + 37))
    tokens[0, 0] = 1
    pieces = [(0, C), (C, 2 * C), (2 * C, 2 * C + 37)]  # the last chunk is short, like a file's end
    queries = [[2] + torch.randint(4, V, (n,)).tolist() for n in (5, 17, card["max_query"] - 1)]

    expected = {}
    with torch.no_grad():
        ssm, kv, kv_len = model.empty_states()
        for i, (s, e) in enumerate(pieces):
            ssm, kv, kv_len, ld, ro, h = model.scan(tokens[:, s:e], ssm, kv, kv_len)
            expected.update({f"chunk{i}.log_decay": ld, f"chunk{i}.readout": ro, f"chunk{i}.hidden": h})
        expected.update({"final.ssm_state_out": ssm, "final.kv_state_out": kv})
        for i, q in enumerate(queries):
            expected[f"query{i}.embedding"] = model.encode_query_chunk(torch.tensor([q]))

    with tempfile.TemporaryDirectory() as tmp:
        spec = {"model_dir": str(mdir), "tokens": tokens[0].tolist(), "pieces": pieces, "queries": queries,
                "card": card, "out_dir": tmp}
        (Path(tmp) / "spec.json").write_text(json.dumps(spec))
        node = subprocess.run(["node", str(ROOT / "test/parity/run_ort_web.mjs"), str(Path(tmp) / "spec.json")],
                              cwd=ROOT, capture_output=True, text=True)
        if node.returncode != 0:
            sys.exit(f"onnxruntime-web run failed:\n{node.stdout}\n{node.stderr}")
        index = json.loads((Path(tmp) / "outputs.json").read_text())
        worst, failed = 0.0, []
        for name, want in expected.items():
            if name not in index:
                failed.append(f"{name}: missing from onnxruntime-web outputs")
                continue
            got = np.fromfile(Path(tmp) / index[name]["file"], dtype="<f4").reshape(index[name]["dims"])
            want = want.numpy()
            if got.shape != want.shape:
                failed.append(f"{name}: shape {got.shape} != {want.shape}")
                continue
            diff = float(np.abs(got - want).max())
            worst = max(worst, diff)
            print(f"{'ok  ' if diff <= TOL else 'FAIL'} {name} {list(got.shape)}: max abs diff {diff:.2e}")
            if diff > TOL:
                failed.append(f"{name}: {diff:.2e} > {TOL}")
    if failed:
        sys.exit("onnx parity failed:\n  " + "\n  ".join(failed))
    print(f"onnxruntime-web vs PyTorch: {len(expected)} outputs, worst max abs diff {worst:.2e} <= {TOL}")


if __name__ == "__main__":
    main()
