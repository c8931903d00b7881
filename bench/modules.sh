# Sourced by the bench scripts. module OP L D [TYPE]: one function `mixer`
# with the op at that size, its floats in TYPE (f32, f16 or bf16; default
# f32). Attention ops are [1, heads, L, D] (heads from the caller, 4 if
# unset); PoNet and Hyena are [1, L, C] with C = heads * D. OP: dense
# (softmax attention without a mask), attention, sigmoid (both causal),
# blocksparse (64 x 64 blocks), routed, routed2d,
# fixed, axial, logsparse, poolmix, hyena.
heads=${heads:-4}

module() {
  local op=$1 L=$2 D=$3 e=${4:-f32}
  local t="tensor<1x${heads}x${L}x${D}x$e>" C=$((heads * D)) side
  side=$(awk -v l="$L" 'BEGIN { printf "%d", sqrt(l) }')
  case $op in
  dense | attention | sigmoid)
    local attrs="causal = #attn.causal<top_left>"
    [ "$op" = sigmoid ] && attrs="score = #attn.score<sigmoid>, causal = #attn.causal<top_left>"
    [ "$op" = dense ] && attrs=""
    echo "func.func @mixer(%q: $t, %k: $t, %v: $t) -> $t {"
    echo "  %init = tensor.empty() : $t"
    echo "  %o = attn.attention ins(%q, %k, %v : $t, $t, $t) outs(%init : $t) {$attrs} -> $t"
    echo "  return %o : $t"
    echo "}"
    ;;
  blocksparse)
    local blocks=$((L / 64)) layout
    layout="tensor<${heads}x${blocks}x${blocks}xi1>"
    echo "func.func @mixer(%q: $t, %k: $t, %v: $t, %layout: $layout) -> $t {"
    echo "  %init = tensor.empty() : $t"
    echo "  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : $t, $t, $t, $layout) outs(%init : $t) {block = array<i64: 64, 64>} -> $t"
    echo "  return %o : $t"
    echo "}"
    ;;
  routed | routed2d | fixed | axial | logsparse)
    local attrs
    case $op in
    routed) attrs="topk = 4 : i64, region_size = 64 : i64" ;;
    routed2d) attrs="topk = 4 : i64, grid = array<i64: $side, $side>, regions = array<i64: $((side / 8)), $((side / 8))>" ;;
    fixed) attrs="variant = #attn.variant<fixed>, block = 64 : i64, causal = true" ;;
    axial) attrs="variant = #attn.variant<axial>, block = $side : i64, causal = true" ;;
    logsparse) attrs="variant = #attn.variant<logsparse>, causal = true" ;;
    esac
    local name=combiner
    case $op in routed | routed2d) name=routed_attention ;; esac
    echo "func.func @mixer(%q: $t, %k: $t, %v: $t) -> $t {"
    echo "  %init = tensor.empty() : $t"
    echo "  %o = attn.$name ins(%q, %k, %v : $t, $t, $t) outs(%init : $t) {$attrs} -> $t"
    echo "  return %o : $t"
    echo "}"
    ;;
  poolmix)
    local s="tensor<1x${L}x${C}x$e>"
    echo "func.func @mixer(%q: $s, %k: $s, %o: $s, %s: $s, %l: $s, %seg: tensor<1x${L}xi32>) -> $s {"
    echo "  %init = tensor.empty() : $s"
    echo "  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : $s, $s, $s, $s, $s, tensor<1x${L}xi32>) outs(%init : $s) {heads = $heads : i64} -> $s"
    echo "  return %y : $s"
    echo "}"
    ;;
  hyena)
    local s="tensor<1x${L}x${C}x$e>"
    echo "func.func @mixer(%v: $s, %g: tensor<3x1x${L}x${C}x$e>, %f: tensor<2x${C}x${L}x$e>, %skip: tensor<2x${C}x$e>) -> $s {"
    echo "  %init = tensor.empty() : $s"
    echo "  %y = attn.hyena ins(%v, %g, %f, %skip : $s, tensor<3x1x${L}x${C}x$e>, tensor<2x${C}x${L}x$e>, tensor<2x${C}x$e>) outs(%init : $s) -> $s"
    echo "  return %y : $s"
    echo "}"
    ;;
  esac
}
