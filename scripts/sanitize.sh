#!/usr/bin/env bash
# The sanitizer build and its test run: Mixir built with clang-22 and
# -DMIXIR_SANITIZE=address,undefined (every report aborts) plus -DMIXIR_FUZZ=ON
# (libFuzzer coverage and the fuzz targets, so that scripts/fuzz.sh shares
# this build), then the lit and unit suites under it.
#
#   scripts/sanitize.sh [--build-only] [LIT_PATH...]
#
# LIT_PATH: test paths relative to test/ to run instead of the whole suite.
#   MIXIR_SANITIZE_BUILD_DIR  build directory (default: <repo>/build-sanitize)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_SANITIZE_BUILD_DIR:-$root/build-sanitize}
build_only=0
if [ "${1:-}" = --build-only ]; then build_only=1; shift; fi

MIXIR_BUILD_DIR=$build MIXIR_EXTRA_PACKAGES="clang-22 libclang-rt-22-dev" \
  CC=clang-22 CXX=clang++-22 "$root/scripts/setup.sh" \
  -DMIXIR_SANITIZE=address,undefined -DMIXIR_FUZZ=ON
[ "$build_only" = 1 ] && exit 0

cmake --build "$build" --target mixir-test-depends
paths=()
for path in "$@"; do paths+=("$build/test/$path"); done
[ ${#paths[@]} = 0 ] && paths=("$build/test")
/usr/lib/llvm-22/bin/lit -sv "${paths[@]}"
"$build/bin/MixirUnitTests"
"$build/bin/MixirGPUInterpreterTests"
"$build/bin/MixirGPUTargetTests"
echo "sanitize: the lit and unit tests passed under address,undefined"
