#!/usr/bin/env bash
# The other mixers on the CPU fast path: routed attention (1-D and 2-D
# regions), the Combiner (fixed, axial, logsparse), PoNet pooling and Hyena,
# each at L = 1024, 4096, 16384, 65536, D = 64 and 128, 1 and 2 threads
# (mixir-cpu), and the reference pipeline at L = 1024 beside it. Times are
# `mixir-run --bench` medians (the JIT code is the code mixir-compile emits);
# peak memory is the process's maximum resident set (/usr/bin/time), which
# includes the compiler's own (about 100-200 MiB) and the random inputs.
# Writes bench/out/mixers.csv, prints the growth from L = 4096 to 65536 per
# op against the issue's goals, and plots time against L (gnuplot).
#
#   bench/mixers.sh [--lengths "1024 4096 16384 65536"] [--dims "64 128"]
#                   [--threads "1 2"] [--runs 5] [--ops "fixed axial ..."]
#
# Needs a built tree (scripts/setup.sh); installs gnuplot-nox when missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
lengths="1024 4096 16384 65536"
dims="64 128"
thread_counts="1 2"
runs=5
ops="routed routed2d fixed axial logsparse poolmix hyena"
while [ $# -gt 0 ]; do
  case $1 in
  --lengths) lengths=$2; shift 2 ;;
  --dims) dims=$2; shift 2 ;;
  --threads) thread_counts=$2; shift 2 ;;
  --runs) runs=$2; shift 2 ;;
  --ops) ops=$2; shift 2 ;;
  *) echo "bench/mixers.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
"$root/scripts/install-missing.sh" gnuplot-nox

out="$root/bench/out"
work="$build/bench/mixers"
mkdir -p "$out" "$work"
heads=4

# module OP L D [TYPE]: bench/modules.sh.
source "$root/bench/modules.sh"

csv="$out/mixers.csv"
echo "op,length,dim,threads,median_ms,min_ms,peak_mib,pipeline" >"$csv"
first_length=${lengths%% *}
for op in $ops; do
  for L in $lengths; do
    for D in $dims; do
      file="$work/$op-$L-$D.mlir"
      module "$op" "$L" "$D" >"$file"
      pipelines=(mixir-cpu)
      [ "$L" = "$first_length" ] && pipelines+=(mixir-cpu-reference)
      for pipeline in "${pipelines[@]}"; do
        for threads in $thread_counts; do
          [ "$pipeline" = mixir-cpu-reference ] && [ "$threads" != 1 ] && continue
          # --random-lengths: several segments for PoNet (ids in [0, L)).
          line=$(OMP_NUM_THREADS=$threads /usr/bin/time -f "peak %M" \
            "$build/bin/mixir-run" "$file" --pipeline "$pipeline" --random-inputs \
            --random-lengths --seed 1 --bench "$runs" 2>&1)
          median=$(sed -n 's/.*"median_ms":\([0-9.]*\).*/\1/p' <<<"$line")
          minimum=$(sed -n 's/.*"min_ms":\([0-9.]*\).*/\1/p' <<<"$line")
          peak=$(awk '/^peak/ { printf "%.1f", $2 / 1024 }' <<<"$line")
          if [ -z "$median" ]; then
            echo "bench/mixers.sh: $op L=$L D=$D $pipeline failed:" >&2
            echo "$line" >&2
            exit 1
          fi
          echo "$op,$L,$D,$threads,$median,$minimum,$peak,$pipeline" | tee -a "$csv"
        done
      done
    done
  done
done

# Growth from L = 4096 to 65536 (16x) at D = 64, 2 threads, against the
# issue's goals; and the fast path against the reference at the first length.
awk -F, '
  BEGIN { goal["fixed"] = "~80x"; goal["logsparse"] = "~30x"; goal["hyena"] = "~30x"; goal["poolmix"] = "~20x" }
  NR == 1 { next }
  $8 == "mixir-cpu" && $3 == 64 && $4 == 2 { t[$1 "," $2] = $5; seen[$1] = 1 }
  $8 == "mixir-cpu" && $4 == 1 { fast[$1 "," $2 "," $3] = $5 }
  $8 == "mixir-cpu-reference" { ref[$1 "," $2 "," $3] = $5 }
  END {
    printf "%-10s %10s %10s %8s %6s   %s\n", "op", "4096 ms", "65536 ms", "growth", "goal", "reference / mixir-cpu (1 thread, first L)"
    for (op in seen) {
      a = t[op ",4096"]; b = t[op ",65536"]
      speed = ""
      for (key in ref) { split(key, f, ","); if (f[1] == op && fast[key] > 0) speed = speed sprintf(" D=%s: %.1fx", f[3], ref[key] / fast[key]) }
      printf "%-10s %10s %10s %8s %6s  %s\n", op, a, b, (a > 0 && b > 0) ? sprintf("%.1fx", b / a) : "-", (op in goal) ? goal[op] : "-", speed
    }
  }' "$csv" | tee "$out/mixers-summary.txt"

if command -v gnuplot >/dev/null; then
  gnuplot -e "csv='$csv'; out='$out'; ops='$ops'" "$root/bench/mixers.gp" && echo "plot: $out/mixers-time-vs-length.png"
fi
