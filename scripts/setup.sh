#!/usr/bin/env bash
# Installs the Debian packages Mixir needs that are missing, then configures and
# builds it (Release, Ninja). Sourced by the README's two commands; safe to run
# again (it installs nothing that is present and rebuilds incrementally).
#   scripts/setup.sh [CMAKE_ARG...]     extra arguments for cmake's configure
#   MIXIR_BUILD_DIR       build directory (default: <repo>/build)
#   MIXIR_EXTRA_PACKAGES  more packages to install (e.g. clang-22)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MIXIR_BUILD_DIR:-$root/build}

packages=(
  cmake ninja-build g++ python3
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools libomp-22-dev
  libgtest-dev
)
# shellcheck disable=SC2206
packages+=(${MIXIR_EXTRA_PACKAGES:-})
"$root/scripts/install-missing.sh" "${packages[@]}"

cmake -G Ninja -S "$root" -B "$build" \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
