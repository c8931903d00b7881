#!/usr/bin/env bash
# The README's first command: installs what is missing, builds Mixir, then
#  1. compiles a transformer encoder block exported as TOSA
#     (examples/encoder/encoder_softmax.mlir, no attn op in it: attn-raise
#     finds the attention) ahead of time with mixir-compile, links it with
#     the C++ driver examples/encoder/run_encoder.cpp, runs it, checks its
#     output against mixir-run on the reference pipeline (which evaluates the
#     TOSA graph as written) and prints the time per forward pass;
#  2. runs each function of examples/mixers.mlir (one per mixer op and form)
#     on random inputs and compares it with the float64 reference, then
#     compiles that file ahead of time too;
#  3. the GPU target: checks the attention kernels of
#     examples/gpu/attention.mlir on the kernel interpreter (no GPU needed),
#     compiles them for sm_90 (PTX, cubin, Triton-AOT launchers, model.h) and
#     links examples/gpu/run_attention_gpu.c with them (it runs where a GPU
#     is).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

# The example with its weights appended by the build (see examples/CMakeLists.txt).
model="$build/examples/encoder/encoder_softmax.mlir"
echo
echo "== examples/encoder/encoder_softmax.mlir: encoder block (d_model 256, 4 heads, 512 tokens) in TOSA"
echo "-- attn-raise finds the attention written out in TOSA ops:"
"$build/bin/mixir-opt" "$model" --attn-raise | grep -o 'attn.attention ins.*' | cut -c1-150 | sed 's/^/   /'
echo "-- mixir-compile encoder_softmax.mlir -o encoder.o --emit-header encoder.h"
start=$(date +%s.%N)
"$build/bin/mixir-compile" "$model" -o "$out/encoder.o" --emit-header "$out/encoder.h"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "   compiled in %.2f s\n", e - s }'
echo "-- c++ run_encoder.cpp encoder.o -lomp -lm -o run_encoder"
c++ -O2 -std=c++17 -I"$out" "$root/examples/encoder/run_encoder.cpp" "$out/encoder.o" \
  -L/usr/lib/llvm-22/lib -lomp -Wl,-rpath,/usr/lib/llvm-22/lib -lm -o "$out/run_encoder"
"$out/run_encoder" --write-input "$out/x.npy"
echo "-- mixir-run encoder_softmax.mlir --pipeline mixir-cpu-reference (the reference output)"
"$build/bin/mixir-run" "$model" --entry encoder --pipeline mixir-cpu-reference \
  --input "$out/x.npy" --output "$out/reference.npy"
echo "-- run_encoder --expect reference.npy"
"$out/run_encoder" --expect "$out/reference.npy" --runs 20 | sed 's/^/   /' || status=1

example="$root/examples/mixers.mlir"
echo
echo "== $example: each op against the float64 reference (mixir-run --check)"
seed=1
for entry in $(grep -oE '^func\.func @[a-z_0-9]+' "$example" | cut -d@ -f2); do
  echo "-- $entry"
  "$build/bin/mixir-run" "$example" --entry "$entry" --random-inputs \
    --random-lengths --seed "$seed" --check | sed 's/^/   /' || status=1
  seed=$((seed + 1))
done

echo
echo "== mixir-compile $example -o mixers.o --emit-header mixers.h"
"$build/bin/mixir-compile" "$example" -o "$out/mixers.o" \
  --emit-header "$out/mixers.h"
echo "   exported: $(nm "$out/mixers.o" | awk '$2 == "T" {print $3}' | tr '\n' ' ')"
echo "   needs:    $(nm "$out/mixers.o" | awk '$1 == "U" {print $2}' | tr '\n' ' ')"
grep -A4 '^/\* attention_masked' "$out/mixers.h" | sed 's/^/   /'

gpu_example="$root/examples/gpu/attention.mlir"
echo
echo "== $gpu_example: GPU kernels on the interpreter (mixir-run --target=nvptx --check)"
for entry in prefill window; do
  echo "-- $entry"
  "$build/bin/mixir-run" "$gpu_example" --target=nvptx --entry "$entry" \
    --random-inputs --random-lengths --seed 1 --check | sed 's/^/   /' || status=1
done
echo "-- mixir-compile attention.mlir --target=nvptx --chip=sm_90 -o gpu --emit-header gpu/model.h"
"$build/bin/mixir-compile" "$gpu_example" --target=nvptx --chip=sm_90 \
  -o "$out/gpu" --emit-header "$out/gpu/model.h"
(cd "$out/gpu" && ls | sed 's/^/   /')
cuda=${CUDA_HOME:-/usr/local/cuda}
stub=$(find "$cuda/" -path '*stubs/libcuda.so' 2>/dev/null | head -1)
if [ -f "$cuda/include/cuda.h" ] && [ -n "$stub" ]; then
  echo "-- cc run_attention_gpu.c gpu/*.c -lcuda (CUDA's stub libcuda here: it links; it runs on a GPU)"
  cc -std=c99 -O2 -I"$out/gpu" -I"$cuda/include" "$root/examples/gpu/run_attention_gpu.c" \
    "$out"/gpu/*.c -L"$(dirname "$stub")" -lcuda -o "$out/run_attention_gpu" &&
    echo "   linked: run_attention_gpu" || status=1
else
  echo "-- (no cuda.h or libcuda stub under $cuda: the C driver is not linked)"
fi
exit $status
