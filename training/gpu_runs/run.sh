#!/bin/bash
# Several training runs side by side on the GPU machine's GPUs (run i on GPU i mod the GPU count, so
# on a 2-GPU machine two runs each have a GPU to themselves), for equal steps (equal tokens):
# tokenize once, time each run for a few steps, give every run the step count that lets the slowest
# fill TRAIN_S seconds, train, evaluate each on the held-out packages.
# RUNS_FILE has one run per line: `name  train.py arguments...` (lines starting with # are skipped).
# What comes back in $OUT (8 files at most): results.tgz (each run's evals.json, log.jsonl, stdout)
# and name.safetensors (fp16 weights) for each run.
# Usage (on the device, repo root): bash training/gpu_runs/run.sh "$OUT" TRAIN_S RUNS_FILE
set -uo pipefail
OUT=$1
TRAIN_S=$2
RUNS_FILE=$3
export PYTHONUNBUFFERED=1 PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
WORK=/tmp/gpu-runs
rm -rf "$WORK"; mkdir -p "$WORK"   # a warm machine keeps /tmp between calls
nvidia-smi --query-gpu=name,memory.total --format=csv | tee "$WORK/gpu.txt"
python3 training/train.py --prepare-only 2>&1 | tee "$WORK/prepare.log" || exit 1

mapfile -t RUNS < <(grep -v '^\s*#' "$RUNS_FILE" | grep .)
NGPU=$(nvidia-smi -L | wc -l)
i=0
for run in "${RUNS[@]}"; do
  read -r name args <<<"$run"
  CUDA_VISIBLE_DEVICES=$((i % NGPU)) python3 training/train.py $args --steps 10 --probe 1 --no-eval \
    --out "$WORK/probe-$name" >"$WORK/probe-$name.log" 2>&1 &
  i=$((i + 1))
done
wait
STEPS=$(python3 - "$WORK" "$TRAIN_S" <<'EOF'
import json, pathlib, sys
work, budget = pathlib.Path(sys.argv[1]), float(sys.argv[2])
ms = []
for log in work.glob("probe-*.log"):
    lines = [l for l in log.read_text().splitlines() if l.startswith('{"variant"')]
    if not lines:
        sys.exit(f"probe failed: {log}\n{log.read_text()[-2000:]}")
    ms.append(json.loads(lines[-1])["ms_per_step"])
print(max(20, int(budget * 1000 / max(ms))))
EOF
) || { echo "$STEPS"; exit 1; }
echo "steps per run: $STEPS" | tee "$WORK/steps.txt"

i=0
for run in "${RUNS[@]}"; do
  read -r name args <<<"$run"
  CUDA_VISIBLE_DEVICES=$((i % NGPU)) python3 training/train.py $args --steps "$STEPS" --max-minutes "$(python3 -c "print($TRAIN_S / 60 + 0.5)")" \
    --out "$WORK/$name" >"$WORK/$name.log" 2>&1 &
  i=$((i + 1))
done
wait
tail -n 2 "$WORK"/probe-*.log; tail -n 3 "$WORK"/*.log
(cd "$WORK" && tar czf "$OUT/results.tgz" --exclude='*.safetensors' --exclude='*.pt' .)
for run in "${RUNS[@]}"; do
  read -r name _ <<<"$run"
  cp "$WORK/$name/model.safetensors" "$OUT/$name.safetensors" 2>/dev/null
done
ls -la "$OUT"
