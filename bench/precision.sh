#!/usr/bin/env bash
# f32 against f16 and bf16 inputs, for every op, in one run: each op's
# module in the three element types compiled by mixir-compile (AOT, the code
# a user links) and timed by bench/precision-bench.c on standard-normal
# inputs, the types interleaved round by round. Prints and writes
# bench/out/precision.csv: op, type, median and minimum ms (the median over
# rounds of each round's median), and the type's time over f32's. With
# --baseline, each module is also compiled by that mixir-compile (an older
# build) and timed in the same rounds: the "before" columns. Every round also
# times the ceilings at N = 2048 with the same threads: OpenBLAS SGEMM and
# oneDNN's f32 and bf16 matmul (bf16 only where oneDNN has it: avx512_core
# and up). For the unmasked op `dense` the table gives GFLOP/s (4 H L^2 D)
# and its share of each ceiling of its type (f32 and f16 rows against the
# f32 ceilings, bf16 rows against oneDNN's bf16 matmul).
#
#   bench/precision.sh [--ops "attention sigmoid blocksparse ..."]
#                      [--length 4096] [--dim 64] [--threads 2]
#                      [--rounds 3] [--runs 5] [--cpu native]
#                      [--types "f32 bf16 f16"] [--baseline PATH]
#
# Needs a built tree (scripts/setup.sh); installs libopenblas-dev and
# libdnnl-dev when they are missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
ops="attention sigmoid blocksparse routed fixed axial logsparse poolmix hyena"
L=4096 D=64 threads=2 rounds=3 runs=5 cpu=native
types="f32 bf16 f16"
baseline=
while [ $# -gt 0 ]; do
  case $1 in
  --ops) ops=$2; shift 2 ;;
  --length) L=$2; shift 2 ;;
  --dim) D=$2; shift 2 ;;
  --threads) threads=$2; shift 2 ;;
  --rounds) rounds=$2; shift 2 ;;
  --runs) runs=$2; shift 2 ;;
  --cpu) cpu=$2; shift 2 ;;
  --types) types=$2; shift 2 ;;
  --baseline) baseline=$2; shift 2 ;;
  *) echo "bench/precision.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
source "$root/bench/modules.sh"
out="$root/bench/out"
work="$build/bench/precision"
mkdir -p "$out" "$work"

llvm_lib=/usr/lib/llvm-22/lib
"$root/scripts/install-missing.sh" libopenblas-dev libdnnl-dev
ceiling_driver="$work/attention-bench"
c++ -O3 -march=native -std=c++17 "$root/bench/attention-bench.cpp" \
  -o "$ceiling_driver" -lopenblas -ldnnl -ldl
ceilings="sgemm onednn-f32"
if OMP_NUM_THREADS=$threads "$ceiling_driver" onednn --type bf16 --length 64 --runs 1 >/dev/null; then
  ceilings="$ceilings onednn-bf16"
fi
compilers=("new:$build/bin/mixir-compile")
[ -n "$baseline" ] && compilers+=("before:$baseline")
for op in $ops; do
  for type in $types; do
    module "$op" "$L" "$D" "$type" >"$work/$op-$type.mlir"
    for entry in "${compilers[@]}"; do
      side=${entry%%:*} compiler=${entry#*:} name="$op-$type-${entry%%:*}"
      "$compiler" "$work/$op-$type.mlir" --cpu "$cpu" -o "$work/$name.o" \
        --emit-header "$work/$name.h"
      # Builds from before mixir-expand-bf16 call compiler-rt's
      # __truncsfbf2 on CPUs without native bf16 conversions.
      builtins=()
      [ "$side" = before ] && builtins=("$llvm_lib/clang/22/lib/linux/libclang_rt.builtins-x86_64.a")
      cc -O2 -include "$work/$name.h" "$root/bench/precision-bench.c" \
        "$work/$name.o" -o "$work/$name" -L"$llvm_lib" -lomp \
        -Wl,-rpath,"$llvm_lib" -lm "${builtins[@]}"
    done
  done
done

# Rounds: every type (and side) of an op once per round, so that the
# machine's drift falls on all of them alike.
raw="$work/raw.txt"
: >"$raw"
for round in $(seq "$rounds"); do
  for ceiling in $ceilings; do
    case $ceiling in
    sgemm) args=(sgemm) ;;
    onednn-*) args=(onednn --type "${ceiling#onednn-}") ;;
    esac
    line=$(OMP_NUM_THREADS=$threads "$ceiling_driver" "${args[@]}" --length 2048 --runs "$runs" --threads "$threads")
    echo "$ceiling - ceiling $(echo "$line" | cut -d, -f10)" >>"$raw"
  done
  for op in $ops; do
    for type in $types; do
      for entry in "${compilers[@]}"; do
        side=${entry%%:*}
        read -r median minimum < <(OMP_NUM_THREADS=$threads "$work/$op-$type-$side" "$runs")
        echo "$op $type $side $median $minimum" >>"$raw"
      done
    done
  done
done

# The median over rounds of the round medians, and the least time seen.
summary() {
  awk -v op="$1" -v type="$2" -v side="$3" '$1 == op && $2 == type && $3 == side { print $4, $5 }' "$raw" |
    sort -n | awk '{ m[NR] = $1; if (NR == 1 || $2 < lo) lo = $2 }
      END { if (NR) printf "%s %s\n", (NR % 2 ? m[(NR + 1) / 2] : (m[NR / 2] + m[NR / 2 + 1]) / 2), lo; else print "- -" }'
}
# Ceilings: the median over rounds of their GFLOP/s.
declare -A ceiling_gflops
for ceiling in $ceilings; do
  ceiling_gflops[$ceiling]=$(awk -v c="$ceiling" '$1 == c && $3 == "ceiling" { print $4 }' "$raw" |
    sort -n | awk '{ m[NR] = $1 } END { print (NR % 2 ? m[(NR + 1) / 2] : (m[NR / 2] + m[NR / 2 + 1]) / 2) }')
  echo "ceiling $ceiling: ${ceiling_gflops[$ceiling]} GFLOP/s (N = 2048, $threads threads, median of $rounds rounds)"
done
csv="$out/precision.csv"
echo "op,type,length,dim,threads,median_ms,min_ms,over_f32,before_median_ms,before_over_f32,before_over_new,gflops,of_sgemm,of_onednn" >"$csv"
for op in $ops; do
  read -r base _ < <(summary "$op" f32 new)
  read -r base_before _ < <(summary "$op" f32 before)
  for type in $types; do
    read -r median minimum < <(summary "$op" "$type" new)
    read -r before _ < <(summary "$op" "$type" before)
    sgemm=${ceiling_gflops[sgemm]} onednn=${ceiling_gflops[onednn-f32]}
    [ "$type" = bf16 ] && sgemm="" onednn=${ceiling_gflops[onednn-bf16]:-}
    awk -v op="$op" -v type="$type" -v L="$L" -v D="$D" -v threads="$threads" \
      -v median="$median" -v minimum="$minimum" -v base="$base" \
      -v before="$before" -v base_before="$base_before" -v heads="$heads" \
      -v sgemm="$sgemm" -v onednn="$onednn" 'BEGIN {
        ratio = (base > 0) ? sprintf("%.2f", median / base) : "-"
        ratio_before = (before != "-" && base_before > 0) ? sprintf("%.2f", before / base_before) : "-"
        gain = (before != "-" && median > 0) ? sprintf("%.2f", before / median) : "-"
        gflops = of_sgemm = of_onednn = "-"
        if (op == "dense" && median > 0) {
          g = 4 * heads * L * L * D / median * 1e-6
          gflops = sprintf("%.1f", g)
          if (sgemm > 0) of_sgemm = sprintf("%.2f", g / sgemm)
          if (onednn > 0) of_onednn = sprintf("%.2f", g / onednn)
        }
        printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", op, type, L, D, threads, median, minimum, ratio, before, ratio_before, gain, gflops, of_sgemm, of_onednn
      }' >>"$csv"
  done
done
column -s, -t "$csv"
