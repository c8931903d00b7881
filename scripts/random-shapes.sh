#!/usr/bin/env bash
# Checks every op and attribute form on shapes nobody chose in advance: for
# each case it draws random sizes (1, primes, S != T, GQA ratios, odd head
# dims), writes a one-op module, and runs `mixir-run --random-inputs --check`
# on it (fresh random inputs, outputs poisoned, float64 reference).
#
#   scripts/random-shapes.sh [CASES] [SEED|clock] [BUILD_DIR]
#
# Prints the seed, one line per case, and `N passed, N failed`; exits 1 if a
# case failed (its module is kept and named in the output).
set -u
cases=${1:-20}
seed=${2:-clock}
build=${3:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build"}
run="$build/bin/mixir-run"
[ "$seed" = clock ] && seed=$(date +%s%N | cut -c 10-18)
# Base 10 even with leading zeros (bash reads 0123 as octal).
seed=$((10#$seed))
echo "random-shapes: seed $seed (rerun with: $0 $cases $seed)"
RANDOM=$seed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pick VALUE...: one of the arguments.
pick() { local values=("$@"); echo "${values[RANDOM % ${#values[@]}]}"; }
# size MAX: 1, a small prime or any size up to MAX.
size() { pick 1 2 3 5 7 11 13 17 19 23 29 31 37 $((RANDOM % $1 + 1)); }
tensor() { local IFS=x; echo "tensor<$*x$ELEM>"; }

attention_case() {
  local op=$1 B Hkv G Hq S T D Dv attrs="" kw="" args="" ins extra=""
  B=$(pick 1 1 2 3); Hkv=$(pick 1 1 2); G=$(pick 1 2 4); Hq=$((Hkv * G))
  S=$(size 48); T=$(size 48); D=$(pick 8 16 24 64 80); Dv=$(pick "$D" 16 32)
  ELEM=$(pick f32 f32 f16)
  local q k v o
  q=$(tensor "$B" "$Hq" "$S" "$D"); k=$(tensor "$B" "$Hkv" "$T" "$D")
  v=$(tensor "$B" "$Hkv" "$T" "$Dv"); o=$(tensor "$B" "$Hq" "$S" "$Dv")
  args="%q: $q, %k: $k, %v: $v"; ins="%q, %k, %v : $q, $k, $v"
  local score causal
  score=$(pick softmax softmax sigmoid); causal=$(pick none top_left bottom_right)
  attrs="score = #attn.score<$score>, causal = #attn.causal<$causal>"
  [ $((RANDOM % 2)) = 0 ] && attrs="$attrs, window = array<i64: $((RANDOM % 9 - 1)), $((RANDOM % 9 - 1))>"
  if [ "$op" = block_sparse_attention ]; then
    local bq bk Hl layout
    bq=$(pick 1 4 8 16 $((RANDOM % 20 + 1))); bk=$(pick 1 4 8 16 $((RANDOM % 20 + 1)))
    Hl=$(pick 1 "$Hq")
    ELEM=i1 layout=$(tensor "$Hl" $(((S + bq - 1) / bq)) $(((T + bk - 1) / bk)))
    args="$args, %layout: $layout"; ins="%q, %k, %v, %layout : $q, $k, $v, $layout"
    attrs="block = array<i64: $bq, $bk>, $attrs"
  fi
  if [ $((RANDOM % 2)) = 0 ]; then
    local bias
    ELEM=${q##*x}; ELEM=${ELEM%>}
    bias=$(tensor "$(pick 1 "$B")" "$(pick 1 "$Hq")" "$(pick 1 "$S")" "$T")
    args="$args, %b: $bias"; kw="$kw bias(%b : $bias)"
  fi
  if [ $((RANDOM % 2)) = 0 ]; then
    args="$args, %kl: tensor<${B}xi32>"; kw="$kw kv_len(%kl : tensor<${B}xi32>)"; extra=--random-lengths
  fi
  if [ $((RANDOM % 2)) = 0 ]; then
    args="$args, %ql: tensor<${B}xi32>"; kw="$kw q_len(%ql : tensor<${B}xi32>)"; extra=--random-lengths
  fi
  local results="$o" outs="%init" lhs="%o" lse=""
  if [ "$score" = softmax ] && [ $((RANDOM % 2)) = 0 ]; then
    lse="tensor<${B}x${Hq}x${S}xf32>"; results="$o, $lse"; outs="%init, %linit"; lhs="%o, %l"
  fi
  echo "$extra" >"$work/extra"
  cat <<EOF
func.func @f($args) -> ($results) {
  %init = tensor.empty() : $o
  ${lse:+%linit = tensor.empty() : $lse}
  $lhs = attn.$op ins($ins)$kw outs($outs : $results) {$attrs} -> $results
  return $lhs : $results
}
EOF
}

routed_case() {
  local B H L D x region topk R
  B=$(pick 1 2); H=$(pick 1 2 3); D=$(pick 8 16 80); ELEM=$(pick f32 f16)
  if [ $((RANDOM % 2)) = 0 ]; then
    local r; r=$(pick 1 2 3 5 7); R=$(pick 1 2 3 5 7); L=$((r * R))
    region="region_size = $r : i64"
  else
    local RH RW hr wr; RH=$(pick 1 2 3); RW=$(pick 1 2 3); hr=$(pick 1 2 3); wr=$(pick 1 2 5)
    L=$((RH * hr * RW * wr)); R=$((RH * RW))
    region="grid = array<i64: $((RH * hr)), $((RW * wr))>, regions = array<i64: $RH, $RW>"
  fi
  topk=$((RANDOM % R + 1)); x=$(tensor "$B" "$H" "$L" "$D")
  echo "" >"$work/extra"
  cat <<EOF
func.func @f(%q: $x, %k: $x, %v: $x) -> $x {
  %init = tensor.empty() : $x
  %o = attn.routed_attention ins(%q, %k, %v : $x, $x, $x) outs(%init : $x) {topk = $topk : i64, $region} -> $x
  return %o : $x
}
EOF
}

combiner_case() {
  local B H L D x variant attrs causal block
  B=$(pick 1 2); H=$(pick 1 2); D=$(pick 8 16 80); ELEM=$(pick f32 f16)
  variant=$(pick fixed axial logsparse); causal=$(pick true false)
  block=$(pick 1 2 3 5 7); L=$((block * $(pick 1 2 3 5 7)))
  if [ "$variant" = logsparse ]; then
    L=$(size 40); attrs="variant = #attn.variant<logsparse>, causal = true"
  else
    attrs="variant = #attn.variant<$variant>, block = $block : i64, causal = $causal"
  fi
  x=$(tensor "$B" "$H" "$L" "$D")
  echo "" >"$work/extra"
  cat <<EOF
func.func @f(%q: $x, %k: $x, %v: $x) -> $x {
  %init = tensor.empty() : $x
  %o = attn.combiner ins(%q, %k, %v : $x, $x, $x) outs(%init : $x) {$attrs} -> $x
  return %o : $x
}
EOF
}

pool_mix_case() {
  local B L C heads window x kw="" args
  B=$(pick 1 2 3); L=$(size 40); heads=$(pick 1 2 3 4); C=$((heads * $(pick 1 2 5 8)))
  window=$(pick 1 3 5 7); ELEM=$(pick f32 f16); x=$(tensor "$B" "$L" "$C")
  args="%q: $x, %k: $x, %o: $x, %s: $x, %l: $x, %seg: tensor<${B}x${L}xi32>"
  [ $((RANDOM % 2)) = 0 ] && { args="$args, %v: $x"; kw="$kw v(%v : $x)"; }
  [ $((RANDOM % 2)) = 0 ] && { args="$args, %n: tensor<${B}xi32>"; kw="$kw len(%n : tensor<${B}xi32>)"; }
  echo "--random-lengths" >"$work/extra"
  cat <<EOF
func.func @f($args) -> $x {
  %init = tensor.empty() : $x
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : $x, $x, $x, $x, $x, tensor<${B}x${L}xi32>)$kw outs(%init : $x) {heads = $heads : i64, window = $window : i64} -> $x
  return %y : $x
}
EOF
}

hyena_case() {
  local B L C N Lf x g f s
  B=$(pick 1 2); L=$(size 48); C=$(pick 1 2 5 8); N=$(pick 2 2 3 4); Lf=$((L + RANDOM % 8))
  ELEM=$(pick f32 f16)
  x=$(tensor "$B" "$L" "$C"); g=$(tensor "$N" "$B" "$L" "$C")
  f=$(tensor $((N - 1)) "$C" "$Lf"); s=$(tensor $((N - 1)) "$C")
  echo "" >"$work/extra"
  cat <<EOF
func.func @f(%v: $x, %g: $g, %h: $f, %s: $s) -> $x {
  %init = tensor.empty() : $x
  %y = attn.hyena ins(%v, %g, %h, %s : $x, $g, $f, $s) outs(%init : $x) -> $x
  return %y : $x
}
EOF
}

passed=0 failed=0
for ((i = 0; i < cases; ++i)); do
  kind=$(pick attention attention block_sparse_attention routed combiner pool_mix hyena)
  module="$work/case$i.mlir"
  case $kind in
  attention | block_sparse_attention) attention_case "$kind" >"$module" ;;
  routed) routed_case >"$module" ;;
  combiner) combiner_case >"$module" ;;
  pool_mix) pool_mix_case >"$module" ;;
  hyena) hyena_case >"$module" ;;
  esac
  pipeline=$(pick mixir-cpu mixir-cpu-reference)
  # shellcheck disable=SC2046
  if output=$("$run" "$module" --pipeline "$pipeline" --random-inputs \
    $(cat "$work/extra") --seed "$((seed + i))" --check 2>&1); then
    passed=$((passed + 1))
    echo "case $i ($kind, $pipeline): ok"
  else
    failed=$((failed + 1))
    kept="$build/random-shapes-failures/seed-$seed-case-$i.mlir"
    mkdir -p "$(dirname "$kept")"
    cp "$module" "$kept"
    echo "case $i ($kind, $pipeline): FAILED, module kept in $kept"
    sed 's/^/  | /' "$module"
    echo "$output" | sed 's/^/  /'
  fi
done
echo "random-shapes: $passed passed, $failed failed"
[ "$failed" = 0 ]
