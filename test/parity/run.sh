#!/bin/sh
# Parity tests (CPU, pytest, one counted test per check; a failed check never stops the others): the
# training data helpers and the shown recall's fitting (test_data.py), the model's chunked, step and
# chunk-scan forms agree (test_model.py), the shipped ONNX graphs in onnxruntime-web under Node match
# the PyTorch reference (test_onnx.py, max abs diff <= 1e-4), the engine's recall probe matches
# training/onnx_model.py's (test_probe.py, <= 1e-4), scan.onnx is causal in every runtime (test_causal.py),
# and the int8 projections quantise each token on its own (test_quantize.py).
# Needs .venv with training/requirements.txt (npm test sets it up: scripts/lib/setup.sh).
set -eu
cd "$(dirname "$0")/../.."
if [ ! -x .venv/bin/python ]; then
  echo "parity: no .venv; run 'npm test' once (it sets up .venv from training/requirements.txt)" >&2
  exit 1
fi
exec .venv/bin/python -m pytest -p no:cacheprovider -q -rfE test/parity "$@"
