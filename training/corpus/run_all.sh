#!/usr/bin/env bash
# The whole corpus pipeline, in order, from a fresh checkout (corpus v3: see training/README.md "Corpus"
# for the time it takes on 2 cores). Outputs go to LONGVIEW_DATA (default training/data/), the fetched
# inputs (several GB) to LONGVIEW_DOWNLOADS (default training/corpus/downloads/).
# The committed tokenizer is kept (it was trained on corpus v1, see training/README.md "Tokenizer"):
# pass --retrain-tokenizer to train one from the current train split; a new tokenizer needs a new model.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
DATA=${LONGVIEW_DATA:-training/data}
started=$SECONDS
$PY training/corpus/fetch.py
$PY training/corpus/build_corpus.py --workers 2
# pairs and tokens read the corpus independently: the train pairs in two shards and the token
# packing run side by side, then val/eval pairs (they drop regions whose code is a train pair's)
node --import tsx training/corpus/extract-pairs.mts train --shard=0/2 &
shard0=$!
node --import tsx training/corpus/extract-pairs.mts train --shard=1/2 &
shard1=$!
if [[ "${1:-}" == "--retrain-tokenizer" ]]; then
  $PY training/tokenizer/train_tokenizer.py
  $PY training/tokenizer/make_fixtures.py
fi
$PY training/tokenizer/pack_tokens.py
wait $shard0 $shard1
cat "$DATA/pairs-train.shard-0.jsonl.xz" "$DATA/pairs-train.shard-1.jsonl.xz" > "$DATA/pairs-train.jsonl.xz.tmp"
mv "$DATA/pairs-train.jsonl.xz.tmp" "$DATA/pairs-train.jsonl.xz"
rm "$DATA/pairs-train.shard-0.jsonl.xz" "$DATA/pairs-train.shard-1.jsonl.xz"
node --import tsx training/corpus/extract-pairs.mts val eval
$PY training/tokenizer/verify_outputs.py
$PY training/corpus/write_ready.py $((SECONDS - started))
du -sh "$DATA"
