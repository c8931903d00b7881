#!/usr/bin/env bash
# The numerics stress matrix: for each op, CASES random one-op modules, each
# run through `mixir-run --random-inputs --check` (fresh random inputs,
# outputs poisoned, float64 reference) in both pipelines, mixir-cpu and
# mixir-cpu-reference, on the same inputs. Each case draws one profile:
#   shapes   sizes 1, primes and any other, S != T, GQA, every mask and
#            causal alignment, bias, lengths, odd head dims, f32 or f16;
#   masked   a form with query rows that have no allowed key (bottom-right
#            causal with S > T, a [0, 0] window with S > T, padded tokens):
#            those rows must be exactly 0 and their lse -inf;
#   logits   logits scaled up to +-1e4 (scale attribute, or q and k for
#            pool_mix): no overflow and no NaN; the tolerance is widened by
#            the logits' own f32 rounding (see mixir-run --check);
#   f16      f16 inputs near the type's limits: q and k up to 65504 or
#            subnormal (the scale attribute keeps the logits moderate),
#            values large enough that unnormalized sums pass 65504.
#
#   scripts/stress.sh [CASES] [SEED|clock] [BUILD_DIR] [OP,...]
#
# OPs: attention block_sparse_attention routed_attention combiner pool_mix
# hyena gpu_attention gpu_block_sparse_attention gpu_routed_attention
# (default: all).
# gpu_attention draws attn.attention cases within what the GPU kernels
# cover (f16, bf16 and f32; head dims 16 to 128) and runs them once, with
# --target=nvptx (the kernels on the interpreter); gpu_block_sparse_attention
# the same with a block layout (blocks of 64, 128 or 192 each way, and
# blocks that do not hold whole tiles); gpu_routed_attention routed
# attention with regions of 64 or 128 tokens and smaller ones (1-D, or 2-D
# windows). Each op's cases depend only on SEED and the op, so a
# subset reruns the same cases. Prints one line per case, a summary per op,
# and exits 1 if any run failed (its module is kept and named).
set -u
cases=${1:-20}
seed=${2:-clock}
build=${3:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build"}
ops=${4:-attention,block_sparse_attention,routed_attention,combiner,pool_mix,hyena,gpu_attention,gpu_block_sparse_attention,gpu_routed_attention}
run="$build/bin/mixir-run"
[ "$seed" = clock ] && seed=$(date +%s%N | cut -c 10-18)
# Base 10 even with leading zeros (bash reads 0123 as octal).
seed=$((10#$seed))
echo "stress: seed $seed (rerun with: $0 $cases $seed $build $ops)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pick NAME VALUE...: sets NAME to one of the values. Draws happen in this
# shell only: bash reseeds RANDOM in every subshell, so a draw inside $(...)
# would not follow the seed.
pick() {
  local -a pick_values=("${@:2}")
  printf -v "$1" '%s' "${pick_values[RANDOM % ${#pick_values[@]}]}"
}
# size NAME MAX: sets NAME to 1, a small prime or any size up to MAX.
size() { pick "$1" 1 2 3 5 7 11 13 17 19 23 29 31 37 $((RANDOM % $2 + 1)); }
tensor() { local IFS=x; echo "tensor<$*x$ELEM>"; }
# Float arithmetic for attribute values (bash has integers only).
calc() { awk "BEGIN { printf \"%.6e\", $1 }"; }

# scale_attrs PROFILE D [VSCALE]: sets SCALE (", scale = ..." or empty) and
# SCALES (the --random-scale of q, k, v) for the ops with a scale attribute.
# q.k of standard normals is about sqrt(D), at most 4 sqrt(D): the logits
# profile sets max |z| to 1e2..1e4; f16 keeps it near 3 while q and k are
# huge or subnormal and v is VSCALE (default 2e4).
scale_attrs() {
  local profile=$1 D=$2 vs=${3:-2e4}
  SCALE="" SCALES="1,1,1"
  case $profile in
  logits)
    local target; pick target 1e2 1e3 1e4
    SCALE=", scale = $(calc "$target / (4 * sqrt($D))") : f32" ;;
  f16)
    local qk; pick qk 6e4 2e4 1e-5
    SCALE=", scale = $(calc "3 / ($qk * $qk * 4 * sqrt($D))") : f32"
    SCALES="$qk,$qk,$vs" ;;
  esac
}

# Each generator writes a module to stdout and sets EXTRA (mixir-run flags).
attention_case() {
  local op=$1 profile=$2 B Hkv G Hq S T D Dv attrs="" kw="" args="" ins
  pick B 1 1 2 3; pick Hkv 1 1 2; pick G 1 2 4; Hq=$((Hkv * G))
  local gpu=0
  if [ "$op" = gpu_attention ] || [ "$op" = gpu_block_sparse_attention ]; then
    # The GPU kernels: head dims multiples of 16 up to 128, f16/bf16 on
    # tensor cores, f32 on FMAs; lengths across several 64-row tiles.
    size S 150; size T 200; pick D 16 32 48 64 128; pick Dv "$D" 16 64 128
    pick ELEM f16 bf16 f32
    gpu=1
    if [ "$op" = gpu_block_sparse_attention ]; then
      size S 300; size T 400; op=block_sparse_attention
    else
      op=attention
    fi
  else
    size S 48; size T 48; pick D 8 16 24 64 80; pick Dv "$D" 16 32
    pick ELEM f32 f32 f16
  fi
  [ "$profile" = f16 ] && [ "$ELEM" != bf16 ] && ELEM=f16
  local score causal window=""
  pick score softmax softmax sigmoid; pick causal none top_left bottom_right
  [ $((RANDOM % 2)) = 0 ] && window="$((RANDOM % 9 - 1)), $((RANDOM % 9 - 1))"
  if [ "$profile" = masked ]; then
    # Rows with no allowed key: the first S - T rows under bottom-right
    # causal, or the rows past T under a [0, 0] band.
    size T 24; S=$((T + 1 + RANDOM % 8))
    if [ $((RANDOM % 2)) = 0 ]; then causal=bottom_right; else causal=none window="0, 0"; fi
  fi
  local q k v o
  q=$(tensor "$B" "$Hq" "$S" "$D"); k=$(tensor "$B" "$Hkv" "$T" "$D")
  v=$(tensor "$B" "$Hkv" "$T" "$Dv"); o=$(tensor "$B" "$Hq" "$S" "$Dv")
  args="%q: $q, %k: $k, %v: $v"; ins="%q, %k, %v : $q, $k, $v"
  attrs="score = #attn.score<$score>, causal = #attn.causal<$causal>"
  [ -n "$window" ] && attrs="$attrs, window = array<i64: $window>"
  # A sigmoid's output is an unnormalized sum: smaller f16 values keep it
  # below 65504.
  local vs=2e4
  [ "$score" = sigmoid ] && vs=1e3
  scale_attrs "$profile" "$D" "$vs"
  attrs="$attrs$SCALE"
  local scales=$SCALES
  if [ "$op" = block_sparse_attention ]; then
    local bq bk Hl layout
    if [ "$gpu" = 1 ]; then
      # Multiples of the kernels' 64 x 64 tiles (each tile in one block),
      # and blocks that do not hold whole tiles (per-element bits).
      pick bq 64 64 128 192 16 48 $((RANDOM % 100 + 1)); pick bk 64 64 128 192 16 80 $((RANDOM % 100 + 1))
    else
      pick bq 1 4 8 16 $((RANDOM % 20 + 1)); pick bk 1 4 8 16 $((RANDOM % 20 + 1))
    fi
    pick Hl 1 "$Hq"
    layout=$(ELEM=i1 tensor "$Hl" $(((S + bq - 1) / bq)) $(((T + bk - 1) / bk)))
    args="$args, %layout: $layout"; ins="%q, %k, %v, %layout : $q, $k, $v, $layout"
    attrs="block = array<i64: $bq, $bk>, $attrs"; scales="$scales,1"
  fi
  if [ $((RANDOM % 2)) = 0 ]; then
    local bias
    local bB bH bS; pick bB 1 "$B"; pick bH 1 "$Hq"; pick bS 1 "$S"
    bias=$(tensor "$bB" "$bH" "$bS" "$T")
    args="$args, %b: $bias"; kw="$kw bias(%b : $bias)"
  fi
  EXTRA="--random-scale $scales"
  if [ $((RANDOM % 2)) = 0 ]; then
    args="$args, %kl: tensor<${B}xi32>"; kw="$kw kv_len(%kl : tensor<${B}xi32>)"
    EXTRA="$EXTRA --random-lengths"
  fi
  if [ $((RANDOM % 2)) = 0 ]; then
    args="$args, %ql: tensor<${B}xi32>"; kw="$kw q_len(%ql : tensor<${B}xi32>)"
    EXTRA="$EXTRA --random-lengths"
  fi
  local results="$o" outs="%init" lhs="%o" lse=""
  if [ "$score" = softmax ] && [ $((RANDOM % 2)) = 0 ]; then
    lse="tensor<${B}x${Hq}x${S}xf32>"; results="$o, $lse"; outs="%init, %linit"; lhs="%o, %l"
  fi
  cat <<EOF
func.func @f($args) -> ($results) {
  %init = tensor.empty() : $o
  ${lse:+%linit = tensor.empty() : $lse}
  $lhs = attn.$op ins($ins)$kw outs($outs : $results) {$attrs} -> $results
  return $lhs : $results
}
EOF
}

routed_attention_case() {
  local profile=$1 gpu=${2:-0} B H L D x region topk R
  pick B 1 2; pick H 1 2 3; pick D 8 16 80; pick ELEM f32 f16
  # The GPU kernels: head dims multiples of 16 up to 128, regions of
  # multiples of their 64-token tiles (1-D, or 2-D windows of 64 or 128).
  [ "$gpu" = 1 ] && { pick H 1 2; pick D 16 32 48 64 128; pick ELEM f16 bf16 f32; }
  [ "$profile" = f16 ] && [ "$ELEM" != bf16 ] && ELEM=f16
  if [ $((RANDOM % 2)) = 0 ]; then
    local r; pick r 1 2 3 5 7; pick R 1 2 3 5 7
    [ "$gpu" = 1 ] && { pick r 64 64 128 16 49 7; pick R 1 2 3 4 7; }
    L=$((r * R))
    region="region_size = $r : i64"
  else
    local RH RW hr wr; pick RH 1 2 3; pick RW 1 2 3; pick hr 1 2 3; pick wr 1 2 5
    if [ "$gpu" = 1 ]; then
      local window; pick window 8x8 4x16 16x4 8x16 32x2 7x7 4x4 2x3
      hr=${window%x*} wr=${window#*x}
    fi
    L=$((RH * hr * RW * wr)); R=$((RH * RW))
    region="grid = array<i64: $((RH * hr)), $((RW * wr))>, regions = array<i64: $RH, $RW>"
  fi
  topk=$((RANDOM % R + 1)); x=$(tensor "$B" "$H" "$L" "$D")
  scale_attrs "$profile" "$D"; EXTRA="--random-scale $SCALES"
  cat <<EOF
func.func @f(%q: $x, %k: $x, %v: $x) -> $x {
  %init = tensor.empty() : $x
  %o = attn.routed_attention ins(%q, %k, %v : $x, $x, $x) outs(%init : $x) {topk = $topk : i64, $region$SCALE} -> $x
  return %o : $x
}
EOF
}

combiner_case() {
  local profile=$1 B H L D x variant attrs causal block
  pick B 1 2; pick H 1 2; pick D 8 16 80; pick ELEM f32 f16
  [ "$profile" = f16 ] && ELEM=f16
  pick variant fixed axial logsparse; pick causal true false
  local blocks; pick block 1 2 3 5 7; pick blocks 1 2 3 5 7; L=$((block * blocks))
  if [ "$variant" = logsparse ]; then
    size L 40; attrs="variant = #attn.variant<logsparse>, causal = true"
  else
    attrs="variant = #attn.variant<$variant>, block = $block : i64, causal = $causal"
  fi
  x=$(tensor "$B" "$H" "$L" "$D")
  scale_attrs "$profile" "$D"; EXTRA="--random-scale $SCALES"
  cat <<EOF
func.func @f(%q: $x, %k: $x, %v: $x) -> $x {
  %init = tensor.empty() : $x
  %o = attn.combiner ins(%q, %k, %v : $x, $x, $x) outs(%init : $x) {$attrs$SCALE} -> $x
  return %o : $x
}
EOF
}

pool_mix_case() {
  local profile=$1 B L C heads window x kw="" args
  local headDim; pick B 1 2 3; size L 40; pick heads 1 2 3 4; pick headDim 1 2 5 8
  C=$((heads * headDim))
  pick window 1 3 5 7; pick ELEM f32 f16; x=$(tensor "$B" "$L" "$C")
  [ "$profile" = f16 ] && ELEM=f16
  # q, k, o, s, l (then v): pool_mix has no scale attribute, so large GA
  # logits come from large q and k; f16 keeps (G + sp) * o + lp in range.
  local scales=1,1,1,1,1,1 vscale=1
  case $profile in
  logits) local qk; pick qk 10 30 100; scales="$qk,$qk,1,1,1,1" ;;
  f16) local qk; pick qk 1e-5 1 30; scales="$qk,$qk,1,1e3,1e3,1"; vscale=1e3 ;;
  esac
  x=$(tensor "$B" "$L" "$C")
  args="%q: $x, %k: $x, %o: $x, %s: $x, %l: $x, %seg: tensor<${B}x${L}xi32>"
  if [ $((RANDOM % 2)) = 0 ]; then
    args="$args, %v: $x"; kw="$kw v(%v : $x)"; scales="$scales,$vscale"
  fi
  if [ $((RANDOM % 2)) = 0 ] || [ "$profile" = masked ]; then
    args="$args, %n: tensor<${B}xi32>"; kw="$kw len(%n : tensor<${B}xi32>)"
  fi
  EXTRA="--random-lengths --random-scale $scales"
  cat <<EOF
func.func @f($args) -> $x {
  %init = tensor.empty() : $x
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : $x, $x, $x, $x, $x, tensor<${B}x${L}xi32>)$kw outs(%init : $x) {heads = $heads : i64, window = $window : i64} -> $x
  return %y : $x
}
EOF
}

hyena_case() {
  local profile=$1 B L C N Lf x g f s
  pick B 1 2; size L 48; pick C 1 2 5 8; pick N 2 2 3 4; Lf=$((L + RANDOM % 8))
  pick ELEM f32 f16
  # v, gates, filters, skip. Hyena has no logits: the logits profile scales
  # v up (f32 only); f16 takes large v with small or subnormal filters.
  case $profile in
  logits) ELEM=f32; EXTRA="--random-scale 1e4,3,1,1" ;;
  f16) local filters; pick filters 1e-3 1e-6; ELEM=f16; EXTRA="--random-scale 1e2,1,$filters,1" ;;
  *) EXTRA="" ;;
  esac
  x=$(tensor "$B" "$L" "$C"); g=$(tensor "$N" "$B" "$L" "$C")
  f=$(tensor $((N - 1)) "$C" "$Lf"); s=$(tensor $((N - 1)) "$C")
  cat <<EOF
func.func @f(%v: $x, %g: $g, %h: $f, %s: $s) -> $x {
  %init = tensor.empty() : $x
  %y = attn.hyena ins(%v, %g, %h, %s : $x, $g, $f, $s) outs(%init : $x) -> $x
  return %y : $x
}
EOF
}

total_failed=0
op_index=0
for op in ${ops//,/ }; do
  case $op in
  attention | block_sparse_attention | routed_attention | combiner | pool_mix | hyena | gpu_attention | gpu_block_sparse_attention | gpu_routed_attention) ;;
  *) echo "stress: unknown op '$op'" >&2; exit 2 ;;
  esac
  # Each op's cases depend only on the seed and the op's place in the list
  # of all ops, so running a subset reproduces them.
  op_index=0
  for name in attention block_sparse_attention routed_attention combiner pool_mix hyena gpu_attention gpu_block_sparse_attention gpu_routed_attention; do
    [ "$name" = "$op" ] && break
    op_index=$((op_index + 1))
  done
  RANDOM=$((seed + 7919 * op_index))
  passed=0 failed=0 exact_cases=0
  declare -A profile_count=()
  for ((i = 0; i < cases; ++i)); do
    # Only attention, block-sparse attention and PoNet (padded tokens) have
    # masked rows.
    case $op in
    routed_attention | gpu_routed_attention | combiner | hyena) pick profile shapes shapes shapes logits logits f16 f16 ;;
    *) pick profile shapes shapes shapes masked logits logits f16 f16 ;;
    esac
    module="$work/case.mlir"
    EXTRA=""
    case $op in
    attention | block_sparse_attention | gpu_attention | gpu_block_sparse_attention) attention_case "$op" "$profile" >"$module" ;;
    gpu_routed_attention) routed_attention_case "$profile" 1 >"$module" ;;
    *) "${op}_case" "$profile" >"$module" ;;
    esac
    profile_count[$profile]=$((${profile_count[$profile]:-0} + 1))
    case_seed=$((seed + 1000 * op_index + i))
    case_ok=1 saw_exact=0
    pipelines="mixir-cpu mixir-cpu-reference"
    case $op in gpu_*) pipelines=mixir-gpu ;; esac
    for pipeline in $pipelines; do
      target=cpu
      [ "$pipeline" = mixir-gpu ] && target=nvptx
      # shellcheck disable=SC2086
      if output=$("$run" "$module" --target "$target" --pipeline "$pipeline" \
        --random-inputs $EXTRA --seed "$case_seed" --check 2>&1); then
        passed=$((passed + 1))
        case $output in *"exact = "*) saw_exact=1 ;; esac
      else
        failed=$((failed + 1)) case_ok=0
        kept="$build/stress-failures/seed-$seed-$op-$i.mlir"
        mkdir -p "$(dirname "$kept")"
        cp "$module" "$kept"
        echo "$op case $i ($profile, $pipeline, mixir-run flags: $EXTRA --seed $case_seed): FAILED, module kept in $kept"
        sed 's/^/  | /' "$module"
        echo "$output" | sed 's/^/  /'
      fi
    done
    exact_cases=$((exact_cases + saw_exact))
    [ "$case_ok" = 1 ] && echo "$op case $i ($profile): ok"
  done
  summary=""
  for profile in shapes masked logits f16; do
    summary="$summary $profile ${profile_count[$profile]:-0}"
  done
  echo "stress: $op: $cases cases ($summary ), $passed runs passed, $failed failed; $exact_cases cases checked rows the spec fixes exactly"
  total_failed=$((total_failed + failed))
  unset profile_count
done
[ "$total_failed" = 0 ]
