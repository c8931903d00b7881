#!/usr/bin/env bash
# The encoder examples: each compiled by mixir-compile (the time it takes is
# measured), then timed in one process against the same block hand-written
# in C++ with OpenBLAS GEMMs and a straightforward softmax attention
# (bench/encoder-bench.cpp, -O3 -march=native -ffast-math), on the same
# input and weights, with 1 and 2 threads; the OpenBLAS SGEMM rate of the
# same run is the ceiling. Each variant is also timed with glibc's malloc
# told to keep freed memory (MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_),
# since the compiled code mallocs its temporaries on every call.
#
#   bench/encoder.sh [--runs 20]
#
# Writes bench/out/encoder.csv and prints a table. Needs a built tree
# (scripts/setup.sh); installs libopenblas-dev when it is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
runs=20
while [ $# -gt 0 ]; do
  case $1 in
  --runs) runs=$2; shift 2 ;;
  *) echo "bench/encoder.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
"$root/scripts/install-missing.sh" libopenblas-dev

out="$root/bench/out"
work="$build/bench"
mkdir -p "$out" "$work"
driver="$work/encoder-bench"
c++ -O3 -march=native -ffast-math -std=c++17 "$root/bench/encoder-bench.cpp" \
  -o "$driver" -lopenblas -ldl -lpthread

csv="$out/encoder.csv"
echo "variant,impl,threads,malloc,median_ms,min_ms,gflops,rel_l2_vs_openblas,compile_s" >"$csv"
for variant in softmax sigmoid block_sparse routed combiner_fixed poolmix hyena; do
  model="$build/examples/encoder/encoder_$variant.mlir"
  lib="$work/encoder_$variant.so"
  start=$(date +%s.%N)
  "$build/bin/mixir-compile" "$model" --shared -o "$lib"
  end=$(date +%s.%N)
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
  for threads in 1 2; do
    for malloc in default keep; do
      env=(OMP_NUM_THREADS=$threads)
      [ "$malloc" = keep ] && env+=(MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=268435456)
      env "${env[@]}" "$driver" --lib "$lib" --threads "$threads" --runs "$runs" |
        awk -F, -v v="$variant" -v m="$malloc" -v c="$seconds" '
          $1 == "mixir" { print v "," $1 "," $2 "," m "," $3 "," $4 "," $5 "," $6 "," c }
          $1 != "mixir" && v == "softmax" && m == "default" { print v "," $1 "," $2 ",-," $3 "," $4 "," $5 ",," }' |
        tee -a "$csv"
    done
  done
done

echo
printf "%-15s %3s %12s %12s %12s %11s %9s %10s\n" variant thr "mixir ms" "mixir keep" "openblas ms" "blas/mixir" "% sgemm" "compile s" |
  tee "$out/encoder-summary.txt"
awk -F, '
  NR == 1 { next }
  $2 == "openblas" { blas[$3] = $5; next }
  $2 == "sgemm" { ceiling[$3] = $7; next }
  { key = $1 "," $3; ms[key "," $4] = $5; gf[key "," $4] = $7; compile[$1] = $9; order[key] = 1 }
  END {
    for (key in order) {
      split(key, f, ",")
      share = f[1] == "softmax" ? sprintf("%8.1f%%", 100 * gf[key ",keep"] / ceiling[f[2]]) : "        -"
      printf "%-15s %3s %12.2f %12.2f %12.2f %10.2fx %s %10.2f\n", f[1], f[2], ms[key ",default"], ms[key ",keep"], blas[f[2]], blas[f[2]] / ms[key ",default"], share, compile[f[1]]
    }
  }' "$csv" | sort | tee -a "$out/encoder-summary.txt"
echo "blas/mixir: the hand-written softmax block over each variant (default malloc);"
echo "% sgemm: the softmax block's GFLOP/s (malloc keeping memory) over OpenBLAS SGEMM's."
