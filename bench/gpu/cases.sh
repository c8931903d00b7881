#!/usr/bin/env bash
# Writes the GPU benchmark's functions: for each head dim D and length S,
# bf16 attention [B, H, S, D] with H = 16 and B * S = 16384 (about 2^18
# query rows, enough 64-row CTAs to fill an H100's 132 SMs at every S):
#   dense_D_S    softmax, no mask
#   causal_D_S   softmax, causal (S = T)
#   sigmoid_D_S  sigmoid score (its default bias -log T), no mask
#   sparse_D_S   block-sparse, 128 x 128 blocks, a layout per head (an
#                input: the run draws it at 10, 25 and 50% density)
# and a table of them (name, op, score, causal, B, H, S, D, block).
#
#   bench/gpu/cases.sh "LENGTHS" "DIMS" OUT.mlir OUT.tsv
set -euo pipefail
lengths=$1 dims=$2 mlir=$3 tsv=$4
heads=16 block=128
echo "name op score causal batch heads length dim block" | tr ' ' '\t' >"$tsv"
: >"$mlir"
for d in $dims; do
  for s in $lengths; do
    b=$((16384 / s)); [ "$b" -ge 1 ] || b=1
    x="tensor<${b}x${heads}x${s}x${d}xbf16>"
    for kind in dense causal sigmoid sparse; do
      name=${kind}_${d}_${s}
      op=attention score=softmax causal=0 blk=0 attrs="" layout_arg="" layout_in=""
      case $kind in
      causal) causal=1 attrs=" {causal = #attn.causal<top_left>}" ;;
      sigmoid) score=sigmoid attrs=" {score = #attn.score<sigmoid>}" ;;
      sparse)
        op=block_sparse_attention blk=$block
        layout_type="tensor<${heads}x$((s / block))x$((s / block))xi1>"
        layout_arg=", %layout: $layout_type" layout_in=", %layout"
        attrs=" {block = array<i64: $block, $block>}" ;;
      esac
      types="$x, $x, $x${layout_arg:+, $layout_type}"
      cat >>"$mlir" <<MLIR
func.func @$name(%q: $x, %k: $x, %v: $x$layout_arg) -> $x {
  %init = tensor.empty() : $x
  %o = attn.$op ins(%q, %k, %v$layout_in : $types) outs(%init : $x)$attrs -> $x
  return %o : $x
}

MLIR
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$op" "$score" \
        "$causal" "$b" "$heads" "$s" "$d" "$blk" >>"$tsv"
    done
  done
done
