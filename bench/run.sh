#!/usr/bin/env bash
# Attention benchmarks: Mixir's compiled attention (mixir-cpu, and the
# reference pipeline at the smallest length) against OpenBLAS, with OpenBLAS
# SGEMM and oneDNN's f32 matmul as the ceilings, in one run, on
# the same inputs, with 1 and 2 threads. Writes bench/out/results.csv, prints
# a table with the ratios, and plots with gnuplot when it is installed.
#
#   bench/run.sh [--lengths "1024 4096"] [--dims "64 128"] [--runs 5]
#                [--baseline PATH]  also time each case compiled by another
#                           mixir-compile (an earlier build: before/after a
#                           change, in the same run, interleaved)
#   bench/run.sh --long     only mixir-cpu, dense and causal, D = 64,
#                           L = 16384 and 65536, 2 threads, 1 run each:
#                           growth and peak memory (the unfused baseline
#                           would need L^2 floats per head)
#
# Needs a built tree (scripts/setup.sh) and installs libopenblas-dev,
# libdnnl-dev and gnuplot-nox when they are missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
lengths="1024 4096"
dims="64 128"
runs=5
long=false
baseline=""
while [ $# -gt 0 ]; do
  case $1 in
  --baseline) baseline=$2; shift 2 ;;
  --long) long=true; shift ;;
  --lengths) lengths=$2; shift 2 ;;
  --dims) dims=$2; shift 2 ;;
  --runs) runs=$2; shift 2 ;;
  *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/install-missing.sh" libopenblas-dev libdnnl-dev gnuplot-nox

out="$root/bench/out"
work="$build/bench"
mkdir -p "$out" "$work"
driver="$work/attention-bench"
c++ -O3 -march=native -std=c++17 "$root/bench/attention-bench.cpp" \
  -o "$driver" -lopenblas -ldnnl -ldl

heads=4
block=64
header="case,impl,batch,heads,length,dim,threads,median_ms,min_ms,gflops,peak_mib,pipeline"
csv="$out/results.csv"

# module KIND L D: an attention function of one kind.
module() {
  local kind=$1 L=$2 D=$3 t="tensor<1x${heads}x$2x$3xf32>" nb=$((($2 + block - 1) / block))
  echo "func.func @attention(%q: $t, %k: $t, %v: $t$([ "$kind" = sparse ] && echo ", %layout: tensor<1x${nb}x${nb}xi1>")) -> $t {"
  echo "  %init = tensor.empty() : $t"
  case $kind in
  dense) echo "  %o = attn.attention ins(%q, %k, %v : $t, $t, $t) outs(%init : $t) -> $t" ;;
  causal) echo "  %o = attn.attention ins(%q, %k, %v : $t, $t, $t) outs(%init : $t) {causal = #attn.causal<top_left>} -> $t" ;;
  sparse) echo "  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : $t, $t, $t, tensor<1x${nb}x${nb}xi1>) outs(%init : $t) {block = array<i64: $block, $block>} -> $t" ;;
  esac
  echo "  return %o : $t"
  echo "}"
}

record() { # PIPELINE ARGS...: run the driver, append its line to the CSV.
  local pipeline=$1; shift
  local line
  line=$(OMP_NUM_THREADS=$threads "$driver" "$@" --runs "$runs" --threads "$threads")
  echo "$line,$pipeline" | tee -a "$csv"
}

if $long; then
  csv="$out/results-long.csv"
  echo "$header" >"$csv"
  threads=2 runs=1
  for L in 16384 65536; do
    for kind in dense causal; do
      module "$kind" "$L" 64 >"$work/$kind-$L-64.mlir"
      lib="$work/$kind-$L-64-mixir-cpu.so"
      "$build/bin/mixir-compile" "$work/$kind-$L-64.mlir" --shared -o "$lib"
      record mixir-cpu mixir --lib "$lib" --kind "$kind" --heads "$heads" --length "$L" --dim 64
    done
  done
  exit 0
fi

echo "$header" >"$csv"
first_length=${lengths%% *}
for threads in 1 2; do
  record - sgemm --length 2048
  record - onednn --type f32 --length 2048
  for L in $lengths; do
    for D in $dims; do
      for kind in dense causal sparse; do
        module "$kind" "$L" "$D" >"$work/$kind-$L-$D.mlir"
        common=(--kind "$kind" --heads "$heads" --length "$L" --dim "$D" --block "$block" --density 0.1)
        record - unfused "${common[@]}"
        pipelines=(mixir-cpu)
        [ -n "$baseline" ] && pipelines+=(baseline)
        [ "$L" = "$first_length" ] && pipelines+=(mixir-cpu-reference)
        for pipeline in "${pipelines[@]}"; do
          lib="$work/$kind-$L-$D-$pipeline.so"
          compiler="$build/bin/mixir-compile" flags=(--pipeline "$pipeline")
          [ "$pipeline" = baseline ] && compiler=$baseline flags=(--pipeline mixir-cpu)
          # Always compiled: a library left by an earlier build would be
          # timed as this one's.
          "$compiler" "$work/$kind-$L-$D.mlir" "${flags[@]}" --shared -o "$lib"
          record "$pipeline" mixir --lib "$lib" "${common[@]}"
        done
      done
    done
  done
done

# Ratios: Mixir against the SGEMM ceiling and the unfused baseline of the
# same run; causal and 10%-sparse against dense.
awk -F, '
  NR == 1 { next }
  $1 == "sgemm" { ceiling[$7] = $10; next }
  $1 == "onednn-f32" { onednn[$7] = $10; next }
  { key = $1 "," $5 "," $6 "," $7
    if ($2 == "unfused") unfused[key] = $8
    else if ($12 == "mixir-cpu") { mixir[key] = $8; gflops[key] = $10; peak[key] = $11 }
    else if ($12 == "baseline") base[key] = $8
    else reference[key] = $8 }
  END {
    for (key in mixir) {
      split(key, f, ",")
      dense = mixir["dense," f[2] "," f[3] "," f[4]]
      share = f[1] == "dense" ? sprintf("%8.1f%%", 100 * gflops[key] / ceiling[f[4]]) : "        -"
      share_onednn = f[1] == "dense" ? sprintf("%8.1f%%", 100 * gflops[key] / onednn[f[4]]) : "        -"
      vsbase = (key in base) ? sprintf("%9.2fx", base[key] / mixir[key]) : "        -"
      printf "%-7s %6s %4s %3s %11.1f %11.1f %11.2fx %s %s %9.2fx %9.1f %s\n", f[1], f[2], f[3], f[4], mixir[key], unfused[key], unfused[key] / mixir[key], share, share_onednn, mixir[key] / dense, peak[key], vsbase
    }
  }' "$csv" | sort -k1,1 -k2,2n -k3,3n -k4,4n >"$out/summary.body"
{
  printf "%-7s %6s %4s %3s %11s %11s %12s %9s %9s %10s %9s %10s\n" case L D thr "mixir ms" \
    "unfused ms" "vs unfused" "% sgemm" "% onednn" "vs dense" "peak MiB" "baseline/x"
  cat "$out/summary.body"
} | tee "$out/summary.txt"
rm -f "$out/summary.body"

if command -v gnuplot >/dev/null; then
  gnuplot -e "csv='$csv'; out='$out'" "$root/bench/plot.gp" && echo "plots: $out/*.png"
fi
