#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-22 (-fsanitize=fuzzer,address,
# undefined) and runs each for SECONDS (default 60), seeded with the test
# suite's inputs. A crash, a hang (10 s per input) or a sanitizer report
# stops the run with the reproducer saved under build/fuzz/<target>/ and a
# non-zero exit. Prints the number of executions of each target.
#
#   scripts/fuzz.sh [SECONDS]
#
# Targets: npy (mixir::npy::parseNpy, the reader of mixir-run's --input and
# --expect files; test/fuzz/npy-fuzzer.cpp).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
seconds=${1:-60}
case $seconds in
'' | *[!0-9]*) echo "scripts/fuzz.sh: SECONDS must be a number" >&2; exit 2 ;;
esac

"$root/scripts/install-missing.sh" clang-22 libclang-rt-22-dev llvm-22-dev

work="$build/fuzz"
mkdir -p "$work"
flags=(-O1 -g -std=c++17 -DNDEBUG -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=all -I"$root/include" -isystem /usr/lib/llvm-22/include)
llvm=(-L/usr/lib/llvm-22/lib -lLLVM -Wl,-rpath,/usr/lib/llvm-22/lib)

# npy: seeds are the suite's .npy files, whole and cut short.
target=npy
clang++-22 "${flags[@]}" "$root/test/fuzz/npy-fuzzer.cpp" "$root/lib/Runtime/Npy.cpp" \
  "${llvm[@]}" -o "$work/$target-fuzzer"
corpus="$work/$target/corpus"
mkdir -p "$corpus"
while IFS= read -r -d '' file; do
  name=$(basename "$file")
  cp "$file" "$corpus/$name"
  head -c 200 "$file" >"$corpus/short-$name"
done < <(find "$root/test" -name '*.npy' -print0)
log="$work/$target/log.txt"
(cd "$work/$target" && "$work/$target-fuzzer" -max_total_time="$seconds" -max_len=4096 \
  -timeout=10 -dict="$root/test/fuzz/npy.dict" -print_final_stats=1 "$corpus") >"$log" 2>&1 || {
  tail -30 "$log"
  echo "fuzz: $target found a failure; the reproducer is in $work/$target/"
  exit 1
}
runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
echo "fuzz: $target: $runs executions in $seconds s, no crash, hang or sanitizer report"
