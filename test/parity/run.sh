#!/bin/sh
# Parity tests (CPU): the model's chunked, step and chunk-scan forms agree, the shipped ONNX
# graphs in onnxruntime-web under Node match the PyTorch reference (max abs diff <= 1e-4), and the
# engine's recall probe matches training/onnx_model.py's (max abs diff <= 1e-4).
# Creates or reuses .venv (torch CPU and friends come from the local wheel collection).
set -eu
cd "$(dirname "$0")/../.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import torch, onnx, onnxruntime, numpy, tokenizers, safetensors" 2>/dev/null; then
  .venv/bin/pip install -q torch numpy onnx onnxruntime tokenizers safetensors
fi
.venv/bin/python test/parity/check_data.py
.venv/bin/python test/parity/check_model.py
.venv/bin/python test/parity/check_onnx.py
.venv/bin/python test/parity/check_probe.py
