#!/usr/bin/env bash
# Runs the libFuzzer targets of the sanitizer build (scripts/sanitize.sh
# --build-only: clang-22, address and undefined, libFuzzer coverage), each
# for SECONDS (default 60):
#   mlir  mixir-mlir-fuzzer: parse, verify and both CPU pipelines on any
#         text or bytecode; seeds: every .mlir under test/ and examples/,
#         split at `// -----`, and the op round trips as bytecode;
#         dictionary test/fuzz/mlir.dict
#   npy   mixir-npy-fuzzer: the .npy reader of mixir-run; seeds: the suite's
#         .npy files, whole and cut short; dictionary test/fuzz/npy.dict
# A crash, a hang (10 s per input), a sanitizer report or running out of
# memory (4 GB) stops a target with its reproducer saved under
# <build>/fuzz/<target>/ and a non-zero exit. Prints each target's count of
# executions.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_SANITIZE_BUILD_DIR:-$root/build-sanitize}
seconds=${1:-60}
case $seconds in
'' | *[!0-9]*) echo "scripts/fuzz.sh: SECONDS must be a number" >&2; exit 2 ;;
esac
shift || true
targets=("$@")
[ ${#targets[@]} = 0 ] && targets=(mlir npy)

MIXIR_SANITIZE_BUILD_DIR=$build "$root/scripts/sanitize.sh" --build-only

# seed_mlir DIR: the suite's modules, one seed per split-input-file part.
seed_mlir() {
  local corpus=$1 file part
  while IFS= read -r -d '' file; do
    part=0
    awk -v out="$corpus/$(basename "$file" .mlir)" '
      /^\/\/ -----/ { ++part; next }
      /^ *\/\/ *(RUN|CHECK|COM|expected-)/ { next }
      { print > (out "-" part ".mlir") }' "$file"
  done < <(find "$root/test" "$root/examples" -name '*.mlir' -print0)
  # Bytecode of the op round trips, which the tools read too.
  for file in "$corpus"/roundtrip-*.mlir "$corpus"/mixers-*.mlir; do
    "$build/bin/mixir-opt" --emit-bytecode "$file" -o "${file%.mlir}.mlirbc" \
      2>/dev/null || rm -f "${file%.mlir}.mlirbc"
  done
}

# seed_npy DIR: the suite's arrays, whole and cut short.
seed_npy() {
  local corpus=$1 file
  while IFS= read -r -d '' file; do
    cp "$file" "$corpus/$(basename "$file")"
    head -c 200 "$file" >"$corpus/short-$(basename "$file")"
  done < <(find "$root/test" -name '*.npy' -print0)
}

status=0
for target in "${targets[@]}"; do
  case $target in
  # The mlir target leaks the context of an input whose crash the tools
  # contain (it may not survive destruction), so leaks are not checked.
  mlir) max_len=8192 leaks=0 ;;
  npy) max_len=4096 leaks=1 ;;
  *) echo "scripts/fuzz.sh: unknown target '$target' (mlir, npy)" >&2; exit 2 ;;
  esac
  work="$build/fuzz/$target"
  corpus="$work/corpus"
  mkdir -p "$corpus"
  rm -f "$work"/contained-crash-*
  "seed_$target" "$corpus"
  log="$work/log.txt"
  # -close_fd_mask=3 silences the inputs' diagnostics; libFuzzer and the
  # sanitizers still report on their own descriptor.
  if (cd "$work" && "$build/bin/mixir-$target-fuzzer" -max_total_time="$seconds" \
    -max_len="$max_len" -timeout=10 -rss_limit_mb=4096 -close_fd_mask=3 -detect_leaks="$leaks" \
    -dict="$root/test/fuzz/$target.dict" -print_final_stats=1 "$corpus") >"$log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    contained=$(find "$work" -maxdepth 1 -name 'contained-crash-*' | wc -l)
    echo "fuzz: $target: $runs executions in $seconds s, no crash, hang or sanitizer report" \
      "($contained inputs on which MLIR crashed and the tools contained it, kept in $work/)"
  else
    tail -40 "$log"
    echo "fuzz: $target found a failure; the reproducer is in $work/"
    status=1
  fi
done
exit $status
