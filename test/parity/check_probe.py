"""The recall probe as the engine computes it (test/parity/run_probe.ts: onnxInitializer + RecallProbe
on onnxruntime-web) agrees with training/onnx_model.py ShippedModel.probe_gain (max abs diff <= 1e-4).
Real code, tokenized as the evals do (files that stay put: the region fixtures and a pinned npm
package): a prefix of 700 tokens (several files, so the attention window has moved) scanned from zero
is the state; regions of 1, 2, 5, 17, 40 and 200 tokens of another file are probed against it, with
the card's k (16) and a smaller one (so k' = min(k, n - 1) takes both sides).
Run: .venv/bin/python test/parity/check_probe.py [--model-dir media/model]"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
import data  # noqa: E402
from onnx_model import PROBE_TOKENS, ShippedModel, probe_from_token_nll  # noqa: E402

TOL = 1e-4
PREFIX_TOKENS = 700
LENGTHS = (1, 2, 5, 17, 40, 200)


def stream(tok, rel):
    """A file as the model reads it: <|file|> path "\\n" text."""
    text = (ROOT / rel).read_text(encoding="utf-8")
    return data.file_header(tok, rel) + tok.encode(text, add_special_tokens=False).ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(ROOT / "media/model"))
    args = ap.parse_args()
    mdir = Path(args.model_dir)
    tok = data.load_tokenizer(mdir / "tokenizer.json")
    model = ShippedModel(mdir)
    prefix = []
    for path in sorted((ROOT / "test/fixtures/regions").glob("*.fixture")):
        prefix += stream(tok, str(path.relative_to(ROOT)))
    prefix = prefix[:PREFIX_TOKENS]
    assert len(prefix) == PREFIX_TOKENS and PREFIX_TOKENS > model.card["W"]
    source = stream(tok, "node_modules/semver/classes/semver.js")
    regions, at = [], 40
    for n in LENGTHS:
        regions.append(source[at:at + n])
        at += n + 7
    assert [len(r) for r in regions] == list(LENGTHS)
    state = model.scan(prefix)[0]

    worst, failed = 0.0, []
    # eval_recall.py computes the probe from NLLs over the whole region (probe_from_token_nll); the
    # model is causal, so that must equal probe_gain, which reads only the head.
    for r in regions:
        if len(r) < 2:
            continue
        tgt = np.asarray(r[1:])
        full = [model.token_nll(model.scan(r, s)[3][:-1], tgt) for s in (None, state)]
        k = model.card.get("recall_probe_tokens", PROBE_TOKENS)
        if abs(probe_from_token_nll(full[0], full[1], k) - model.probe_gain(r, state, k)) > 1e-5:   # same tokens, chunked differently
            failed.append(f"n={len(r)}: probe_from_token_nll {probe_from_token_nll(full[0], full[1], k)} "
                          f"!= probe_gain {model.probe_gain(r, state, k)}")
    for k in (model.card.get("recall_probe_tokens", PROBE_TOKENS), 4):
        want = [model.probe_gain(r, state, k) for r in regions]
        with tempfile.TemporaryDirectory() as tmp:
            spec = Path(tmp) / "spec.json"
            spec.write_text(json.dumps({"model_dir": str(mdir), "prefix": prefix, "regions": regions, "k": k}))
            node = subprocess.run(["node", "--import", "tsx", str(ROOT / "test/parity/run_probe.ts"), str(spec)],
                                  cwd=ROOT, capture_output=True, text=True)
        if node.returncode != 0:
            sys.exit(f"run_probe.ts failed:\n{node.stdout}\n{node.stderr}")
        got = json.loads(node.stdout)
        for n, w, g in zip(LENGTHS, want, got["probes"]):
            diff = abs(w - g)
            worst = max(worst, diff)
            print(f"{'ok  ' if diff <= TOL else 'FAIL'} k={k:<2} n={n:<3} python {w:+.6f}  engine {g:+.6f}  diff {diff:.2e}")
            if diff > TOL or (n < 2 and g != 0.0):
                failed.append(f"k={k} n={n}: {g} vs {w}")
        print(f"  engine (onnxruntime-web, 1 thread): {got['ms_per_region']:.1f} ms per region, calls {got['calls']}")
    if failed:
        sys.exit("recall probe parity failed:\n  " + "\n  ".join(failed))
    print(f"recall probe, engine vs python: {2 * len(LENGTHS)} probes, max abs diff {worst:.2e} <= {TOL}")


if __name__ == "__main__":
    main()
