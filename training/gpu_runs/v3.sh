#!/usr/bin/env bash
# Corpus v3 on the GPU machine over back-to-back calls of one warm hold (the machine is given back
# after ~30 s idle; ignored outputs under the repository stay between calls of one hold). The whole
# working tree travels each call (64 MiB with the carry, the repository ~27 MiB), hence four carries.
# Here first: LONGVIEW_DATA=/work/data-v3 .venv/bin/python training/gpu_runs/stage_v3.py
#   call a (carry .carry/v3a .carry/baseline): bash training/gpu_runs/v3.sh a   # + the training-speed bench
#   call b (carry .carry/v3b):                 bash training/gpu_runs/v3.sh b
#   call c (carry .carry/v3c):                 bash training/gpu_runs/v3.sh c
#   call d (carry .carry/v3d):                 bash training/gpu_runs/v3.sh d   # shipped evals beside a training run, then its evals
#   call e (no carry):                         bash training/gpu_runs/v3.sh e   # a second run from d's weights, then its evals
# Regions read in place (issue 18), one call on a fresh machine from v3b's weights (not yet run):
#   here: LONGVIEW_DATA=/work/data-v3 .venv/bin/python training/gpu_runs/stage_in_place.py   # .carry/inplace, ~24 MiB
#   call f (carry .carry/inplace, timeout_s 280): bash training/gpu_runs/v3.sh f
#     v3b's evals (bits/byte, code search alone and in place) beside MINUTES (2.5) of training with half of
#     each pair batch read in place, then its evals; back under $OUT: v3b-evals.json, v3f/{model.safetensors,evals.json,log.jsonl}
# State size (issue 19), one call, carry .carry/state (made from .carry/inplace with training/runs/v3f's
# weights), timeout_s 600: bash training/gpu_runs/v3.sh g
# The val-split rule between shipped, v3f and v3g-n64, one call, carry .carry/val: bash training/gpu_runs/v3.sh v
# Training speed (issue 18), one call, no carry: bash training/gpu_runs/v3.sh s   (RECIPES=... to choose)
# As run on 2026-12-07 (docs/model.md "Eighth session"); everything worth keeping comes back under $OUT.
set -uo pipefail
D=training/data-v3
mkdir -p $D/parts
export LONGVIEW_DATA=$PWD/$D
RECIPE=(--lr 1e-3 --warmup 30 --same-package-frac 0.5 --memory-weight 0.5 --query-kinds doc,question,name,keywords --steps 100000)
case "$1" in
a)
  cp .carry/v3a/corpus-eval.jsonl.xz .carry/v3a/pairs-eval.jsonl.xz $D/
  cp .carry/v3a/train-1.xz $D/parts/
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
  if [[ -d .carry/baseline ]]; then
    timeout 270 python3 training/bench_train.py --out "$OUT/bench-train.json" --baseline .carry/baseline --steps 15 2>&1 | tail -25
  fi
  ;;
b) cp .carry/v3b/train-2.xz $D/parts/ ;;
c) cp .carry/v3c/train-3.xz $D/parts/ ;;
d)
  cp .carry/v3d/pairs-train.jsonl.xz $D/
  cat $D/parts/train-1.xz $D/parts/train-2.xz $D/parts/train-3.xz > $D/corpus-train.jsonl.xz
  python3 training/weights_from_onnx.py --out training/runs/shipped/model.safetensors || exit 1
  # tokenize once (16 cores, ~70 s), then the shipped model's evals beside the training run on the same GPU
  python3 training/train.py --prepare-only --query-kinds doc,question,name,keywords 2>&1 | tail -3
  (timeout 480 python3 training/train.py --resume training/runs/shipped --steps 0 --out training/runs/shipped-evals \
    > "$OUT/shipped.log" 2>&1; cp training/runs/shipped-evals/evals.json "$OUT/shipped-evals.json") &
  # --compile fails in this machine's torch 2.11 inductor (docs/model.md "Eighth session"); batch 16 fits 80 GB
  timeout 560 python3 training/train.py --resume training/runs/shipped "${RECIPE[@]}" --max-minutes "${MINUTES:-3.5}" \
    --out training/runs/v3 2>&1 | tee "$OUT/train.log" | grep -v '^{"step"' | tail -15
  cp training/runs/v3/model.safetensors training/runs/v3/evals.json training/runs/v3/log.jsonl "$OUT/" 2>/dev/null
  wait
  ;;
e)
  timeout 500 python3 training/train.py --resume training/runs/v3 "${RECIPE[@]}" --lr 7e-4 --warmup 10 --max-minutes "${MINUTES:-4.2}" \
    --out training/runs/v3b 2>&1 | tee "$OUT/train2.log" | grep -v '^{"step"' | tail -6
  cp training/runs/v3b/model.safetensors training/runs/v3b/evals.json "$OUT/" 2>/dev/null
  ;;
f)
  for f in corpus-train corpus-eval pairs-train pairs-eval; do cp .carry/inplace/$f.jsonl.xz $D/; done
  mkdir -p training/runs/v3b-start && cp .carry/inplace/model.safetensors training/runs/v3b-start/
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
  python3 training/train.py --prepare-only 2>&1 | tail -2 # both streams tokenized once (cached for the two processes)
  EVALS=(--evals bpb,search --eval-tokens 1000000)        # no memory or needle evals: time
  (timeout 200 python3 training/train.py --resume training/runs/v3b-start --steps 0 "${EVALS[@]}" --out training/runs/v3b-evals \
    > "$OUT/v3b.log" 2>&1; cp training/runs/v3b-evals/evals.json "$OUT/v3b-evals.json") &
  # --in-place-context 1280: rows of up to 1,536 tokens (3 windows: the trunk pads to the window anyway);
  # half of 128 pair rows so adds ~66k tokens a step to eager b16 (37 GB on an H100 without them).
  # Out of memory at the first steps: once more with shorter rows (the 9th session's H100 run did not need it).
  export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
  inplace() { # $1 seconds at most, $2 context tokens, $3 minutes of training
    timeout "$1" python3 training/train.py --resume training/runs/v3b-start "${RECIPE[@]}" --lr 7e-4 --warmup 20 \
      --in-place-frac 0.5 --in-place-context "$2" --in-place-nodoc 0.5 --max-minutes "$3" "${EVALS[@]}" \
      --out "$OUT/v3f" 2>&1 | tee -a "$OUT/train.log" | grep -v '^{"step"' | tail -12
  }
  inplace "${LIMIT:-245}" 1280 "${MINUTES:-2.5}"
  if [[ ! -f "$OUT/v3f/model.safetensors" ]] && grep -q "out of memory" "$OUT/train.log"; then
    inplace 170 768 1.5
  fi
  wait
  python3 training/gpu_runs/summary.py "$OUT/v3b-evals.json" "$OUT/v3f/evals.json"
  ;;
g)
  # issue 19, state size: v3f continued twice with the same recipe, batches and steps (regions read in place
  # + the memory objective), once as it is (N = 64 state rows per SSD head) and once with the state widened
  # to N = 128 (train.py --d-key, widen_state: starts computing exactly what v3f did); each trained alone on
  # the GPU, then its evals (bits/byte, code search alone and in place, memory by distance); v3f's evals
  # beside the first run. Carry .carry/state (.carry/inplace's data with v3f's weights), timeout_s 600.
  for f in corpus-train corpus-eval pairs-train pairs-eval; do cp .carry/state/$f.jsonl.xz $D/; done
  mkdir -p training/runs/v3f-start && cp .carry/state/model.safetensors training/runs/v3f-start/
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
  # for the next attempt at torch.compile here: the inductor code that fails (get_block_shape, no_x_dim)
  python3 -c "import inspect, torch._inductor.codegen.triton as t
print(inspect.getsource(t.TritonSymbols.get_block_shape))
for i, line in enumerate(inspect.getsource(t).splitlines()):
    print(i, line) if 'no_x_dim' in line or 'tensor_dim' in line else None" > "$OUT/inductor-src.txt" 2>&1
  python3 training/train.py --prepare-only 2>&1 | tail -2
  EVALS=(--evals bpb,search,memory --eval-tokens 1000000)
  (timeout 300 python3 training/train.py --resume training/runs/v3f-start --steps 0 "${EVALS[@]}" --out training/runs/v3f-evals \
    > "$OUT/v3f.log" 2>&1; cp training/runs/v3f-evals/evals.json "$OUT/v3f-evals.json") &
  export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
  state_run() { # $1 name, $2 seconds at most, then train.py arguments
    local name=$1 limit=$2
    shift 2
    timeout "$limit" python3 training/train.py --resume training/runs/v3f-start "${RECIPE[@]}" --lr 5e-4 --warmup 20 \
      --in-place-frac 0.5 --in-place-context 1280 --in-place-nodoc 0.5 --max-minutes "${MINUTES:-2.2}" "${EVALS[@]}" \
      --out "$OUT/$name" "$@" 2>&1 | tee -a "$OUT/$name.log" | grep -v '^{"step"' | tail -8
  }
  state_run v3g-n64 "${LIMIT:-250}"
  wait
  state_run v3g-n128 "${LIMIT:-250}" --d-key 128
  python3 training/gpu_runs/summary.py "$OUT/v3f-evals.json" "$OUT/v3g-n64/evals.json" "$OUT/v3g-n128/evals.json"
  ;;
v)
  # the val-split rule (issue 18): the shipped model, v3f and v3g-n64 judged on 1,000 val pairs and their
  # files (stage_in_place.py --no-train --eval-split val --out .carry/val, v3f as model-v3f.safetensors);
  # train.py --steps 0 only loads a train split, so val stands in for it (nothing is trained)
  cp .carry/val/corpus-eval.jsonl.xz .carry/val/pairs-eval.jsonl.xz $D/
  cp $D/corpus-eval.jsonl.xz $D/corpus-train.jsonl.xz && cp $D/pairs-eval.jsonl.xz $D/pairs-train.jsonl.xz
  mkdir -p training/runs/{shipped,v3f,v3g-n64}
  python3 training/weights_from_onnx.py --out training/runs/shipped/model.safetensors || exit 1
  cp .carry/val/model-v3f.safetensors training/runs/v3f/model.safetensors
  cp .carry/val/model.safetensors training/runs/v3g-n64/model.safetensors
  python3 training/train.py --prepare-only 2>&1 | tail -1
  for m in v3g-n64 v3f shipped; do
    timeout 200 python3 training/train.py --resume training/runs/$m --steps 0 --evals "${VAL_EVALS:-bpb,search,memory}" \
      --eval-tokens "${VAL_TOKENS:-1000000}" --out "$OUT/val-$m" > "$OUT/val-$m.log" 2>&1
    python3 training/gpu_runs/summary.py "$OUT/val-$m/evals.json"
  done
  ;;
s)
  # training speed (issue 18): eager recipes (chunks 128, 64, 32) and, with RECIPES=, torch.compile ones,
  # (PROFILE=1: each recipe's top kernels too); no data needed (bench_train.py makes a synthetic corpus)
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
  python3 -c "import torch, triton; print('torch', torch.__version__, 'triton', triton.__version__)"
  # PROFILE=1: torch.profiler tables (the profiler slows the step many times: its timings are not speeds)
  timeout "${LIMIT:-420}" python3 training/bench_train.py --out "$OUT/bench-train.json" ${PROFILE:+--profile "$OUT/profile"} \
    --steps 12 --recipes "${RECIPES:-eager b16,eager b16 chunk 64,eager b16 chunk 32}" 2>&1 | tail -12
  ;;
esac
