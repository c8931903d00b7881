#!/usr/bin/env bash
# The README's first command: installs what is missing, builds Mixir, and runs
# the bundled example end to end on the CPU: each function of
# examples/mixers.mlir (one per mixer op and form) is compiled through the
# reference pipeline, run by mixir-run on random inputs (random valid
# lengths, outputs poisoned first) and compared with the float64 reference.
# Then the whole file is compiled ahead of time to an object and a C header.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"

example="$root/examples/mixers.mlir"
echo
echo "== $example: each op against the float64 reference (mixir-run --check)"
status=0
seed=1
for entry in $(grep -oE '^func\.func @[a-z_0-9]+' "$example" | cut -d@ -f2); do
  echo "-- $entry"
  "$build/bin/mixir-run" "$example" --entry "$entry" --random-inputs \
    --random-lengths --seed "$seed" --check | sed 's/^/   /' || status=1
  seed=$((seed + 1))
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo
echo "== mixir-compile $example -o mixers.o --emit-header mixers.h"
"$build/bin/mixir-compile" "$example" -o "$out/mixers.o" \
  --emit-header "$out/mixers.h"
echo "   exported: $(nm "$out/mixers.o" | awk '$2 == "T" {print $3}' | tr '\n' ' ')"
echo "   needs:    $(nm "$out/mixers.o" | awk '$1 == "U" {print $2}' | tr '\n' ' ')"
grep -A4 '^/\* attention_masked' "$out/mixers.h" | sed 's/^/   /'
exit $status
