#!/usr/bin/env bash
# Prepares the GPU benchmark here, where LLVM is (the device machine has
# none): writes the benchmark's attention functions (bench/gpu/cases.sh),
# compiles them with mixir-compile for the device's chip into PTX, cubins,
# Triton-AOT launchers and model.h/model.c, and builds the loader
# libmixir-bench.so from those C files against CUDA's stub libcuda.so (the
# device's driver libcuda.so.1 resolves it there). The same functions are
# compiled a second time for the baseline chip into DIR/baseline (sm_90:
# mma.sync, against sm_90a's warpgroup MMA; run.sh times the dense and
# causal cases of both on the same card). Everything lands in one directory
# to carry to the device (under 64 MiB); bench/gpu/run.sh runs it.
#
#   bench/gpu/prepare.sh [--chip sm_90a] [--baseline-chip sm_90|none]
#                        [--dir build/bench-gpu]
#                        [--lengths "1024 4096 16384"] [--dims "64 128"]
#
# Needs a built tree (scripts/setup.sh), a C compiler and cuda.h with the
# stub libcuda.so (the CUDA toolkit of TOOLCHAIN.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
dir=$build/bench-gpu
chip=sm_90a
baseline_chip=sm_90
lengths="1024 4096 16384"
dims="64 128"
while [ $# -gt 0 ]; do
  case $1 in
  --chip) chip=$2; shift 2 ;;
  --baseline-chip) baseline_chip=$2; shift 2 ;;
  --dir) dir=$2; shift 2 ;;
  --lengths) lengths=$2; shift 2 ;;
  --dims) dims=$2; shift 2 ;;
  *) echo "bench/gpu/prepare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

cuda_include=""
for candidate in "${CUDA_HOME:-/usr/local/cuda}/include" /usr/include; do
  [ -f "$candidate/cuda.h" ] && { cuda_include=$candidate; break; }
done
stubs=""
for candidate in "${CUDA_HOME:-/usr/local/cuda}/lib64/stubs" /usr/lib/x86_64-linux-gnu/stubs; do
  [ -f "$candidate/libcuda.so" ] && { stubs=$candidate; break; }
done
if [ -z "$cuda_include" ] || [ -z "$stubs" ]; then
  echo "bench/gpu/prepare.sh: needs cuda.h and the stub libcuda.so (CUDA toolkit; set CUDA_HOME)" >&2
  exit 1
fi

rm -rf "$dir"
mkdir -p "$dir/kernels"
"$root/bench/gpu/cases.sh" "$lengths" "$dims" "$dir/cases.mlir" "$dir/cases.tsv"
# compile DIR CHIP: the kernels, their loader and the chip's name in DIR.
compile() {
  local target=$1 target_chip=$2 start
  mkdir -p "$target/kernels"
  start=$(date +%s)
  "$build/bin/mixir-compile" "$dir/cases.mlir" --target=nvptx --chip="$target_chip" \
    -o "$target/kernels" --emit-header "$target/kernels/model.h"
  echo "prepare: compiled $(($(wc -l <"$dir/cases.tsv") - 1)) functions ($(ls "$target"/kernels/*.cubin | wc -l) kernels) for $target_chip in $(($(date +%s) - start)) s"
  cc -O2 -std=c99 -shared -fPIC -I"$target/kernels" -I"$cuda_include" \
    "$target"/kernels/*.c -L"$stubs" -lcuda -o "$target/libmixir-bench.so"
  echo "$target_chip" >"$target/chip"
}
compile "$dir" "$chip"
if [ "$baseline_chip" != none ]; then
  compile "$dir/baseline" "$baseline_chip"
  cp "$dir/cases.tsv" "$dir/baseline/cases.tsv"
fi
# The device copy needs only the loader, the headers (for the C program of
# run.sh) and the case table; the launchers' .c files embed the cubins.
size=$(du -sm "$dir" | cut -f1)
echo "prepare: $dir is $size MiB (the device takes 64 MiB with the tree)"
[ "$size" -lt 60 ] || { echo "bench/gpu/prepare.sh: $dir is too large to carry" >&2; exit 1; }
