// convert-attn-tiles-to-gpu: what the GPU does not lower yet is a located
// error (mixir-gpu rejects most of it earlier, attn-check-gpu-support.mlir).
// RUN: mixir-opt %s -split-input-file -mixir-configure-target=target=nvptx -attn-tile -convert-attn-tiles-to-gpu -verify-diagnostics -o /dev/null

func.func @head_dim(%q: tensor<1x1x8x256xf16>, %init: tensor<1x1x8x256xf16>) -> tensor<1x1x8x256xf16> {
  // expected-error @+1 {{convert-attn-tiles-to-gpu: expected head dim D (256) to be a multiple of 16 up to 128 (the tensor-core kernel)}}
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x8x256xf16>, tensor<1x1x8x256xf16>, tensor<1x1x8x256xf16>) outs(%init : tensor<1x1x8x256xf16>) -> tensor<1x1x8x256xf16>
  return %o : tensor<1x1x8x256xf16>
}

// -----

// The topk kernel keeps a query region's affinity row (f64) in shared
// memory: 24576 regions do not fit sm_80's.
func.func @routed_too_many_regions(%q: tensor<1x1x24576x16xf16>, %init: tensor<1x1x24576x16xf16>) -> tensor<1x1x24576x16xf16> {
  // expected-error @+1 {{convert-attn-tiles-to-gpu: expected the routing's affinity row (24576 regions, 196608 bytes) to fit sm_80's}}
  %o = attn.routed_attention ins(%q, %q, %q : tensor<1x1x24576x16xf16>, tensor<1x1x24576x16xf16>, tensor<1x1x24576x16xf16>) outs(%init : tensor<1x1x24576x16xf16>)
    {topk = 1 : i64, region_size = 1 : i64} -> tensor<1x1x24576x16xf16>
  return %o : tensor<1x1x24576x16xf16>
}

// -----

// attn-tile streams PoNet with linalg ops, which the GPU does not run yet.
func.func @pool_mix(%x: tensor<1x8x4xf16>, %seg: tensor<1x8xi32>, %init: tensor<1x8x4xf16>) -> tensor<1x8x4xf16> {
  // expected-error @+1 {{convert-attn-tiles-to-gpu: 'linalg.fill' (from the op at this location) would run on the host: the GPU target lowers functions of attention ops only (the other mixers and whole graphs are not lowered for the GPU yet)}}
  %y = attn.pool_mix ins(%x, %x, %x, %x, %x, %seg : tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8xi32>) outs(%init : tensor<1x8x4xf16>) {heads = 1 : i64} -> tensor<1x8x4xf16>
  return %y : tensor<1x8x4xf16>
}

// -----

func.func @dynamic(%q: tensor<1x1x?x16xf16>, %init: tensor<1x1x?x16xf16>) -> tensor<1x1x?x16xf16> {
  // expected-remark @+2 {{attn-tile: not tiled (dynamic shapes); it falls back to the reference decomposition}}
  // expected-error @+1 {{convert-attn-tiles-to-gpu: no GPU lowering for 'attn.attention' in this form yet (the GPU target lowers attention with static shapes)}}
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x?x16xf16>, tensor<1x1x?x16xf16>, tensor<1x1x?x16xf16>) outs(%init : tensor<1x1x?x16xf16>) -> tensor<1x1x?x16xf16>
  return %o : tensor<1x1x?x16xf16>
}

// -----

// The Combiner's first loop reads its f32 summaries with the f16 keys.
func.func @combiner(%q: tensor<1x1x8x16xf16>, %init: tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> {
  // expected-error @+1 {{convert-attn-tiles-to-gpu: the GPU kernels take static shapes and one element type (f16, bf16 or f32) for q, k and v}}
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>) outs(%init : tensor<1x1x8x16xf16>)
    {variant = #attn.variant<fixed>, block = 4 : i64} -> tensor<1x1x8x16xf16>
  return %o : tensor<1x1x8x16xf16>
}
