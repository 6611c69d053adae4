#!/usr/bin/env bash
# Corpus v3 on the GPU machine over three back-to-back calls of one warm hold (the machine is given
# back after ~30 s idle; ignored outputs under the repository stay between calls of one hold).
# Here first: LONGVIEW_DATA=/work/data-v3 .venv/bin/python training/gpu_runs/stage_v3.py
#   call a (carry .carry/v3a .carry/baseline): bash training/gpu_runs/v3.sh a   # + the training-speed bench
#   call b (carry .carry/v3b):                 bash training/gpu_runs/v3.sh b
#   call c (carry .carry/v3c):                 bash training/gpu_runs/v3.sh c   # shipped evals + training + evals
# MINUTES (default 5) bounds the training; everything the run writes comes back under $OUT.
set -uo pipefail
D=training/data-v3
mkdir -p $D/parts
export LONGVIEW_DATA=$PWD/$D
case "$1" in
a)
  cp .carry/v3a/corpus-eval.jsonl.xz .carry/v3a/pairs-eval.jsonl.xz $D/
  cp .carry/v3a/train-1.xz $D/parts/
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
  if [[ -d .carry/baseline ]]; then
    timeout 270 python3 training/bench_train.py --out "$OUT/bench-train.json" --baseline .carry/baseline --steps 15 2>&1 | tail -25
  fi
  ;;
b)
  cp .carry/v3b/train-2.xz $D/parts/
  ls -la $D $D/parts
  ;;
c)
  cp .carry/v3c/train-3.xz $D/parts/ && cp .carry/v3c/pairs-train.jsonl.xz $D/
  cat $D/parts/train-1.xz $D/parts/train-2.xz $D/parts/train-3.xz > $D/corpus-train.jsonl.xz
  python3 training/weights_from_onnx.py --out training/runs/shipped/model.safetensors || exit 1
  # tokenize once (16 cores), then the shipped model's evals beside the training run on the same GPU
  python3 training/train.py --prepare-only --query-kinds doc,question,name,keywords 2>&1 | tail -3
  (python3 training/train.py --resume training/runs/shipped --steps 0 --out training/runs/shipped-evals \
    > "$OUT/shipped.log" 2>&1; cp training/runs/shipped-evals/evals.json "$OUT/shipped-evals.json") &
  python3 training/train.py --resume training/runs/shipped --compile --batch 64 --pair-batch 512 --lr 1e-3 \
    --warmup 30 --same-package-frac 0.5 --memory-weight 0.5 --query-kinds doc,question,name,keywords \
    --max-minutes "${MINUTES:-5}" --steps 100000 --out training/runs/v3 2>&1 | tee "$OUT/train.log" | grep -v '^{"step"' | tail -20
  cp training/runs/v3/model.safetensors training/runs/v3/evals.json training/runs/v3/log.jsonl "$OUT/" 2>/dev/null
  wait
  ;;
esac
