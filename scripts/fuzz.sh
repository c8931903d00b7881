#!/usr/bin/env bash
# Runs the libFuzzer targets of the sanitizer build (scripts/sanitize.sh
# --build-only: clang-22, address and undefined, libFuzzer coverage), each
# for SECONDS (default 60):
#   mlir  mixir-mlir-fuzzer: parse, verify and both CPU pipelines on any
#         input; seeds: every .mlir under test/ and examples/, split at
#         `// -----`; dictionary test/fuzz/mlir.dict
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
}

# seed_npy DIR: the suite's arrays, whole and cut short.
seed_npy() {
  local corpus=$1 file
  while IFS= read -r -d '' file; do
    cp "$file" "$corpus/$(basename "$file")"
    head -c 200 "$file" >"$corpus/short-$(basename "$file")"
  done < <(find "$root/test" -name '*.npy' -print0)
}

# answered FILE KIND: whether the tools answer FILE, an input the mlir
# fuzzer stopped on (KIND crash, oom or timeout), cleanly in both pipelines:
# a result or an error (exit 0 or 1), no sanitizer report, within 60 s. A
# crash must come back as the error of a crash inside MLIR they contained.
answered() {
  local file=$1 kind=$2 pipeline rc err="$build/fuzz/replay.err" explained=0
  for pipeline in mixir-cpu mixir-cpu-reference; do
    rc=0
    ASAN_OPTIONS=exitcode=86:detect_leaks=0 UBSAN_OPTIONS=exitcode=86:halt_on_error=1 \
      timeout 60 "$build/bin/mixir-compile" "$file" --pipeline "$pipeline" \
      --dump-stage llvm >/dev/null 2>"$err" || rc=$?
    case $rc in 0 | 1) ;; *) return 1 ;; esac
    [ "$rc" = 1 ] && grep -q 'contained' "$err" && explained=1
  done
  [ "$kind" != crash ] || [ "$explained" = 1 ]
}

status=0
for target in "${targets[@]}"; do
  case $target in
  # The mlir target runs in fork mode: an input on which MLIR itself
  # crashes ends a child, not the run, and is sorted out afterwards.
  mlir) max_len=8192 mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=0 -ignore_ooms=0) ;;
  npy) max_len=4096 mode=() ;;
  *) echo "scripts/fuzz.sh: unknown target '$target' (mlir, npy)" >&2; exit 2 ;;
  esac
  work="$build/fuzz/$target"
  corpus="$work/corpus"
  mkdir -p "$corpus"
  rm -f "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-* "$work"/slow-unit-*
  "seed_$target" "$corpus"
  log="$work/log.txt"
  # -close_fd_mask=3 silences the inputs' diagnostics; libFuzzer and the
  # sanitizers still report on their own descriptor.
  rc=0
  (cd "$work" && "$build/bin/mixir-$target-fuzzer" -max_total_time="$seconds" \
    -max_len="$max_len" -timeout=10 -rss_limit_mb=4096 -close_fd_mask=3 "${mode[@]}" \
    -dict="$root/test/fuzz/$target.dict" -print_final_stats=1 "$corpus") >"$log" 2>&1 || rc=$?
  failures=() contained=0 bounded=0
  for artifact in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*; do
    [ -e "$artifact" ] || continue
    kind=$(basename "$artifact"); kind=${kind%%-*}
    if [ "$target" = mlir ] && [ "$kind" != leak ] && answered "$artifact" "$kind"; then
      if [ "$kind" = crash ]; then contained=$((contained + 1)); else bounded=$((bounded + 1)); fi
      continue
    fi
    failures+=("$artifact")
  done
  # Executions: the last "#N:" line of fork mode, or the final stats.
  runs=$({ grep -aoE '^#[0-9]+:' "$log" || true; } | tail -1 | tr -dc '0-9')
  [ -n "$runs" ] || runs=$({ grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" ||
    true; } | grep -oE '[0-9]+$' || echo 0)
  # Fork mode (mlir) exits non-zero after the crashes it ignored; a run
  # with no execution at all failed to start.
  if [ ${#failures[@]} = 0 ] && [ "$runs" -gt 0 ] && { [ "$rc" = 0 ] || [ "$target" = mlir ]; }; then
    note=""
    if [ "$target" = mlir ]; then
      note=" ($contained inputs crashed MLIR itself and $bounded ran past the fuzzer's 4 GB"
      note="$note or 10 s; the tools answer each with an error; kept in $work/)"
    fi
    echo "fuzz: $target: $runs executions in $seconds s, no crash, hang or sanitizer report$note"
  else
    tail -40 "$log"
    echo "fuzz: $target found a failure: ${failures[*]:-see $log}"
    status=1
  fi
done
exit $status
