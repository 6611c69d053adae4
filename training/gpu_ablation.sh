#!/bin/bash
# One GPU-machine call for the SSM-versus-attention question (and a small lr sweep of the hybrid):
# tokenize once, time all runs side by side on the one GPU, then train every run for the same
# number of steps (equal tokens) so that the slowest fills TRAIN_S seconds, and evaluate each on
# the held-out packages. Everything that comes back is in $OUT (8 files at most):
#   results.tgz (each run's evals.json, log.jsonl, stdout), hybrid.safetensors (weights, fp16).
# Usage (on the device, repo root): bash training/gpu_ablation.sh "$OUT" [TRAIN_S]
set -uo pipefail
OUT=$1
TRAIN_S=${2:-300}
export PYTHONUNBUFFERED=1
RUNS="hybrid:2e-3 recurrent:2e-3 attention:2e-3 hybrid:4e-3"
ARGS="--batch 8 --pair-batch 96"   # 4 runs share the GPU's memory
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
WORK=/tmp/ablation
mkdir -p "$WORK"
nvidia-smi --query-gpu=name,memory.total --format=csv | tee "$WORK/gpu.txt"

python3 training/train.py --prepare-only 2>&1 | tee "$WORK/prepare.log" || exit 1

for run in $RUNS; do
  v=${run%%:*}; lr=${run##*:}
  python3 training/train.py --variant "$v" --lr "$lr" $ARGS --steps 10 --probe 1 --no-eval \
    --out "$WORK/probe-$v-$lr" >"$WORK/probe-$v-$lr.log" 2>&1 &
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
print(max(50, int(budget * 1000 / max(ms))))
EOF
) || { echo "$STEPS"; exit 1; }
echo "steps per run: $STEPS" | tee "$WORK/steps.txt"

for run in $RUNS; do
  v=${run%%:*}; lr=${run##*:}
  python3 training/train.py --variant "$v" --lr "$lr" $ARGS --steps "$STEPS" --max-minutes $(( TRAIN_S * 13 / 600 )) \
    --out "$WORK/$v-$lr" >"$WORK/$v-$lr.log" 2>&1 &
done
wait
tail -n 2 "$WORK"/probe-*.log; tail -n 3 "$WORK"/*-*.log
(cd "$WORK" && tar czf "$OUT/results.tgz" --exclude='*.safetensors' --exclude='*.pt' .)
cp "$WORK/hybrid-2e-3/model.safetensors" "$OUT/hybrid-2e-3.safetensors" 2>/dev/null
cp "$WORK/hybrid-4e-3/model.safetensors" "$OUT/hybrid-4e-3.safetensors" 2>/dev/null
cp "$WORK/hybrid-1e-3/model.safetensors" "$OUT/hybrid-1e-3.safetensors" 2>/dev/null
ls -la "$OUT"
