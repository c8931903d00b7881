#!/usr/bin/env bash
# The README's second command: installs what is missing, builds Mixir, and
# runs every test (the lit suite and the GoogleTest unit tests) through ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
cmake --build "$build" --target check-mixir
