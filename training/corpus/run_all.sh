#!/usr/bin/env bash
# The whole corpus pipeline, in order, from a fresh checkout (about 25 minutes on 2 cores).
# The committed tokenizer is kept (it was trained on corpus v1, see training/README.md "Tokenizer"):
# pass --retrain-tokenizer to train one from the current train split; a new tokenizer needs a new model.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
$PY training/corpus/fetch.py
$PY training/corpus/build_corpus.py
node --import tsx training/corpus/extract-pairs.mts
if [[ "${1:-}" == "--retrain-tokenizer" ]]; then
  $PY training/tokenizer/train_tokenizer.py
  $PY training/tokenizer/make_fixtures.py
fi
$PY training/tokenizer/pack_tokens.py
$PY training/tokenizer/verify_outputs.py
du -sh training/data
