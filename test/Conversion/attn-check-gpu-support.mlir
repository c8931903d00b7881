// attn-check-gpu-support: mixir-gpu's first check, before attn-tile: an attn
// op the GPU target does not lower yet is an error at its location naming
// the op and the target; attn.attention with static shapes passes, and so
// do attn.block_sparse_attention (blocks of any size),
// attn.routed_attention (1-D or 2-D regions of any size) and attn.combiner
// (every variant).
// RUN: mixir-opt %s -split-input-file -mixir-configure-target=target=nvptx -attn-check-gpu-support -verify-diagnostics

func.func @attention(%q: tensor<1x1x8x16xf16>, %init: tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> {
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>) outs(%init : tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16>
  return %o : tensor<1x1x8x16xf16>
}

// -----

func.func @block_sparse(%q: tensor<1x1x200x16xf16>, %layout: tensor<1x2x4xi1>, %init: tensor<1x1x200x16xf16>) -> tensor<1x1x200x16xf16> {
  %o = attn.block_sparse_attention ins(%q, %q, %q, %layout : tensor<1x1x200x16xf16>, tensor<1x1x200x16xf16>, tensor<1x1x200x16xf16>, tensor<1x2x4xi1>) outs(%init : tensor<1x1x200x16xf16>)
    {block = array<i64: 128, 64>} -> tensor<1x1x200x16xf16>
  return %o : tensor<1x1x200x16xf16>
}

// -----

func.func @block_sparse_small_blocks(%q: tensor<1x1x32x16xf16>, %layout: tensor<1x2x1xi1>, %init: tensor<1x1x32x16xf16>) -> tensor<1x1x32x16xf16> {
  %o = attn.block_sparse_attention ins(%q, %q, %q, %layout : tensor<1x1x32x16xf16>, tensor<1x1x32x16xf16>, tensor<1x1x32x16xf16>, tensor<1x2x1xi1>) outs(%init : tensor<1x1x32x16xf16>)
    {block = array<i64: 16, 32>} -> tensor<1x1x32x16xf16>
  return %o : tensor<1x1x32x16xf16>
}

// -----

func.func @routed(%q: tensor<1x1x256x16xf16>, %init: tensor<1x1x256x16xf16>) -> tensor<1x1x256x16xf16> {
  %o = attn.routed_attention ins(%q, %q, %q : tensor<1x1x256x16xf16>, tensor<1x1x256x16xf16>, tensor<1x1x256x16xf16>) outs(%init : tensor<1x1x256x16xf16>)
    {topk = 2 : i64, region_size = 128 : i64} -> tensor<1x1x256x16xf16>
  %g = attn.routed_attention ins(%q, %q, %q : tensor<1x1x256x16xf16>, tensor<1x1x256x16xf16>, tensor<1x1x256x16xf16>) outs(%o : tensor<1x1x256x16xf16>)
    {topk = 2 : i64, grid = array<i64: 16, 16>, regions = array<i64: 2, 2>} -> tensor<1x1x256x16xf16>
  return %g : tensor<1x1x256x16xf16>
}

// -----

func.func @routed_small_regions(%q: tensor<1x1x36x16xf16>, %init: tensor<1x1x36x16xf16>) -> tensor<1x1x36x16xf16> {
  %o = attn.routed_attention ins(%q, %q, %q : tensor<1x1x36x16xf16>, tensor<1x1x36x16xf16>, tensor<1x1x36x16xf16>) outs(%init : tensor<1x1x36x16xf16>)
    {topk = 2 : i64, grid = array<i64: 6, 6>, regions = array<i64: 2, 2>} -> tensor<1x1x36x16xf16>
  return %o : tensor<1x1x36x16xf16>
}

// -----

func.func @combiner(%q: tensor<1x1x8x16xf16>, %init: tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>) outs(%init : tensor<1x1x8x16xf16>)
    {variant = #attn.variant<fixed>, block = 4 : i64} -> tensor<1x1x8x16xf16>
  return %o : tensor<1x1x8x16xf16>
}

// -----

func.func @combiner_axial(%q: tensor<1x1x8x16xf16>, %init: tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>) outs(%init : tensor<1x1x8x16xf16>)
    {variant = #attn.variant<axial>, block = 4 : i64} -> tensor<1x1x8x16xf16>
  return %o : tensor<1x1x8x16xf16>
}

// -----

func.func @combiner_logsparse(%q: tensor<1x1x8x16xf16>, %init: tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>) outs(%init : tensor<1x1x8x16xf16>)
    {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x1x8x16xf16>
  return %o : tensor<1x1x8x16xf16>
}

// -----

func.func @pool_mix(%x: tensor<1x8x4xf16>, %seg: tensor<1x8xi32>, %init: tensor<1x8x4xf16>) -> tensor<1x8x4xf16> {
  // expected-error @+1 {{'attn.pool_mix' has no GPU lowering yet (the GPU target lowers attn.attention, attn.block_sparse_attention, attn.routed_attention and attn.combiner) (--target=nvptx)}}
  %y = attn.pool_mix ins(%x, %x, %x, %x, %x, %seg : tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8xi32>) outs(%init : tensor<1x8x4xf16>) {heads = 1 : i64} -> tensor<1x8x4xf16>
  return %y : tensor<1x8x4xf16>
}

// -----

func.func @dynamic(%q: tensor<1x1x?x16xf16>, %init: tensor<1x1x?x16xf16>) -> tensor<1x1x?x16xf16> {
  // expected-error @+1 {{'attn.attention' has dynamic shapes, which the GPU kernels do not take yet (--target=nvptx)}}
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x?x16xf16>, tensor<1x1x?x16xf16>, tensor<1x1x?x16xf16>) outs(%init : tensor<1x1x?x16xf16>) -> tensor<1x1x?x16xf16>
  return %o : tensor<1x1x?x16xf16>
}

// -----

func.func @no_keys(%q: tensor<1x1x8x16xf16>, %k: tensor<1x1x0x16xf16>, %init: tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> {
  // expected-error @+1 {{'attn.attention' has no keys (T = 0), which the GPU kernels do not take (--target=nvptx)}}
  %o = attn.attention ins(%q, %k, %k : tensor<1x1x8x16xf16>, tensor<1x1x0x16xf16>, tensor<1x1x0x16xf16>) outs(%init : tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16>
  return %o : tensor<1x1x8x16xf16>
}
