#!/usr/bin/env bash
# The GPU kernels' register budget across mask combinations: writes one
# attn.attention function per combination of bias, kv_len, q_len, lse,
# causal (none, top-left, bottom-right), window and score (softmax,
# sigmoid) at D = 128 with GQA 2, S = 131 and T = 139 (every third
# combination, for time), and block-sparse ones with blocks that do not hold
# whole tiles; compiles them for sm_80, sm_90 and sm_90a and prints each
# kernel's registers and spill bytes from `ptxas -v`, then a summary. Exits
# 1 when any kernel spills. (ptx.test checks a fixed subset in CI; this is
# the wider check to run after changing the kernels.)
#
#   scripts/gpu-spill-sweep.sh [TYPES] [BUILD_DIR]
#
# TYPES: "f16 bf16" (default) or "f32". Needs ptxas (CUDA) and a built tree.
set -euo pipefail
types=${1:-"f16 bf16"}
build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
compile="$root/$build/bin/mixir-compile"
ptxas=${PTXAS:-$(command -v ptxas || echo /usr/local/cuda/bin/ptxas)}
[ -x "$ptxas" ] || { echo "gpu-spill-sweep: no ptxas (set PTXAS)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

B=2 HQ=4 HK=2 S=131 T=139 D=128
# One function: NAME TYPE BIAS KVLEN QLEN LSE CAUSAL WINDOW SIGMOID [BQ BK]
emit() {
  local name=$1 et=$2 bias=$3 kl=$4 ql=$5 lse=$6 causal=$7 window=$8 sigmoid=$9
  local bq=${10:-} bk=${11:-}
  local q="tensor<${B}x${HQ}x${S}x${D}x${et}>" k="tensor<${B}x${HK}x${T}x${D}x${et}>"
  local o=$q l="tensor<${B}x${HQ}x${S}xf32>" op=attention
  local args="%q: $q, %k: $k, %v: $k" ins="%q, %k, %v" types="$q, $k, $k"
  local operands="" attrs=()
  if [ -n "$bq" ]; then
    local lay="tensor<${HQ}x$(((S + bq - 1) / bq))x$(((T + bk - 1) / bk))xi1>"
    args+=", %layout: $lay" ins+=", %layout" types+=", $lay"
    op=block_sparse_attention attrs+=("block = array<i64: $bq, $bk>")
  fi
  if [ "$bias" = 1 ]; then
    local bt="tensor<${B}x${HQ}x${S}x${T}x${et}>"
    args+=", %b: $bt" operands+=" bias(%b : $bt)"
  fi
  [ "$kl" = 1 ] && args+=", %kl: tensor<${B}xi32>" operands+=" kv_len(%kl : tensor<${B}xi32>)"
  [ "$ql" = 1 ] && args+=", %ql: tensor<${B}xi32>" operands+=" q_len(%ql : tensor<${B}xi32>)"
  [ "$causal" != none ] && attrs+=("causal = #attn.causal<$causal>")
  [ "$window" = 1 ] && attrs+=("window = array<i64: 17, 3>")
  [ "$sigmoid" = 1 ] && attrs+=("score = #attn.score<sigmoid>")
  local attr=""
  if [ ${#attrs[@]} -gt 0 ]; then
    attr=" {$(IFS=,; echo "${attrs[*]}" | sed 's/,/, /g')}"
  fi
  if [ "$lse" = 1 ]; then
    cat <<MLIR
func.func @$name($args) -> ($o, $l) {
  %init = tensor.empty() : $o
  %li = tensor.empty() : $l
  %o, %l = attn.$op ins($ins : $types)$operands outs(%init, %li : $o, $l)$attr -> $o, $l
  return %o, %l : $o, $l
}

MLIR
  else
    cat <<MLIR
func.func @$name($args) -> $o {
  %init = tensor.empty() : $o
  %o = attn.$op ins($ins : $types)$operands outs(%init : $o)$attr -> $o
  return %o : $o
}

MLIR
  fi
}

mlir="$work/sweep.mlir"
: >"$mlir"
index=0
for et in $types; do
  for bias in 0 1; do for kl in 0 1; do for ql in 0 1; do for lse in 0 1; do
    for causal in none top_left bottom_right; do for window in 0 1; do
      for sigmoid in 0 1; do
        [ "$sigmoid" = 1 ] && [ "$lse" = 1 ] && continue
        index=$((index + 1))
        [ $((index % 3)) = 0 ] || continue
        emit "k${index}_$et" "$et" "$bias" "$kl" "$ql" "$lse" "$causal" \
          "$window" "$sigmoid" >>"$mlir"
      done
    done; done
  done; done; done; done
  for blocks in "48 80" "16 32" "64 64" "32 96"; do
    set -- $blocks
    for form in "0 0 none" "1 1 top_left" "1 0 bottom_right" "0 1 top_left"; do
      read -r bias lse causal <<<"$form"
      window=0; [ "$causal" = bottom_right ] && window=1
      index=$((index + 1))
      emit "bs${index}_$et" "$et" "$bias" 1 1 "$lse" "$causal" "$window" 0 \
        "$1" "$2" >>"$mlir"
    done
  done
done

spills=0 kernels=0 most=0
for chip in sm_80 sm_90 sm_90a; do
  rm -rf "$work/out"
  "$compile" "$mlir" --target=nvptx --chip="$chip" -o "$work/out"
  for ptx in "$work"/out/*_kernel_*.ptx; do
    report=$("$ptxas" -arch="$chip" -O3 -v "$ptx" -o /dev/null 2>&1)
    registers=$(echo "$report" | sed -n 's/.*Used \([0-9]*\) registers.*/\1/p')
    spilled=$(echo "$report" | sed -n 's/.* \([0-9]*\) bytes spill stores.*/\1/p')
    echo "$(basename "$ptx" .ptx) $chip registers $registers spill_stores $spilled"
    kernels=$((kernels + 1))
    [ "$registers" -gt "$most" ] && most=$registers
    [ "$spilled" = 0 ] || spills=$((spills + 1))
  done
done
echo "gpu-spill-sweep: $kernels kernels ($types; sm_80, sm_90, sm_90a), at most $most registers, $spills with spills"
[ "$spills" = 0 ]
