#!/usr/bin/env bash
# The GPU benchmark: one prepared command for the lent device (an H100 or
# H200; no LLVM there, torch and triton are). Prepare here first:
#
#   bench/gpu/prepare.sh                   # kernels, loader, case table
#   bench/gpu/run.sh --dry-run             # here: everything that needs no GPU
#   (device tool) command: bench/gpu/run.sh, carry: build/bench-gpu
#
# On the device it checks every prepared function against a float64 torch
# reference (outputs poisoned first) and times it against torch SDPA (flash),
# FlexAttention and a Triton fused-attention kernel, with cuBLAS's GEMM as
# the ceiling, then builds and runs a C program linking a Mixir kernel and a
# Triton-AOT kernel through link.py (bench/gpu/bench.py says how). The table
# goes to stdout and, with results.csv and env.txt, to $OUT (or
# build/bench-gpu/out). It is sized to finish in under 5 minutes on an H100.
# Extra options go to bench.py (--runs, --cases REGEX, --skip-flex, ...).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${MIXIR_BENCH_GPU_DIR:-$root/build/bench-gpu}
if [ ! -f "$dir/libmixir-bench.so" ]; then
  echo "bench/gpu/run.sh: no $dir/libmixir-bench.so: run bench/gpu/prepare.sh here first (and carry build/bench-gpu)" >&2
  exit 1
fi
if [ "${1:-}" = --dry-run ]; then
  shift
  build=${MIXIR_BUILD_DIR:-$root/build}
  cuda=${CUDA_HOME:-/usr/local/cuda}
  python3 "$root/bench/gpu/bench.py" --dir "$dir" --out "$dir/out" --dry-run \
    --stub-libcuda "$cuda/lib64/stubs/libcuda.so" --cuda-include "$cuda/include" \
    --tt-link "$build/bin/mixir-tt-link" "$@"
  if [ -f "$dir/baseline/libmixir-bench.so" ]; then
    echo "== baseline: the same functions compiled for $(cat "$dir/baseline/chip")"
    python3 "$root/bench/gpu/bench.py" --dir "$dir/baseline" --out "$dir/out/baseline" --dry-run \
      --stub-libcuda "$cuda/lib64/stubs/libcuda.so" --cuda-include "$cuda/include" \
      --cases '^(dense|causal)_' --skip-link "$@"
  fi
  exit 0
fi
out=${OUT:-$dir/out}
mkdir -p "$out"
start=$(date +%s)
{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "chip compiled for: $(cat "$dir/chip")"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>&1 || true
  python3 -c 'import torch, triton; print("torch", torch.__version__, "cuda", torch.version.cuda, "triton", triton.__version__)' 2>&1 || true
} | tee "$out/env.txt"
status=0
python3 "$root/bench/gpu/bench.py" --dir "$dir" --out "$out" "$@" || status=$?
# The baseline chip's kernels (mma.sync on sm_90 against sm_90a's warpgroup
# MMA), dense and causal only, Mixir alone, on the same card
# (MIXIR_BENCH_SKIP_BASELINE=1 skips them).
if [ -f "$dir/baseline/libmixir-bench.so" ] && [ "${MIXIR_BENCH_SKIP_BASELINE:-0}" != 1 ]; then
  echo "== baseline: the same functions compiled for $(cat "$dir/baseline/chip")"
  python3 "$root/bench/gpu/bench.py" --dir "$dir/baseline" --out "$out/baseline" \
    --cases '^(dense|causal)_' --skip-peers --skip-link || status=$?
fi
echo "bench/gpu/run.sh: $(($(date +%s) - start)) s, exit $status" | tee -a "$out/env.txt"
exit $status
