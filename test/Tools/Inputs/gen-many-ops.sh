#!/usr/bin/env bash
# Writes a function of COUNT chained ops of one KIND:
#   tosa       tosa.add on tensor<4x8xf32> (one fused elementwise chain)
#   attention  attn.attention ops, each output the next one's query
# Usage: gen-many-ops.sh KIND COUNT
set -euo pipefail
kind=$1 count=$2
case $kind in
tosa)
  t='tensor<4x8xf32>'
  echo "func.func @f(%x: $t) -> $t {"
  echo "  %v0 = tosa.add %x, %x : ($t, $t) -> $t"
  for ((i = 1; i < count; ++i)); do
    echo "  %v$i = tosa.add %v$((i - 1)), %x : ($t, $t) -> $t"
  done
  echo "  return %v$((count - 1)) : $t"
  echo "}" ;;
attention)
  t='tensor<1x2x5x8xf32>'
  echo "func.func @f(%q: $t, %k: $t, %v: $t) -> $t {"
  echo "  %init = tensor.empty() : $t"
  previous=%q
  for ((i = 0; i < count; ++i)); do
    echo "  %o$i = attn.attention ins($previous, %k, %v : $t, $t, $t) outs(%init : $t) {causal = #attn.causal<top_left>} -> $t"
    previous=%o$i
  done
  echo "  return $previous : $t"
  echo "}" ;;
*) echo "gen-many-ops.sh: unknown kind '$kind'" >&2; exit 2 ;;
esac
