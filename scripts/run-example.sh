#!/usr/bin/env bash
# The README's first command: installs what is missing, builds Mixir, and runs
# the bundled example: mixir-opt parses and verifies examples/mixers.mlir (a
# function per mixer op) and prints it back.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"

example="$root/examples/mixers.mlir"
echo "== mixir-opt $example (parse, verify, print)"
"$build/bin/mixir-opt" "$example"
echo "== every attn op verified:"
"$build/bin/mixir-opt" "$example" | grep -oE 'attn\.[a-z_]+ ' | sort | uniq -c
