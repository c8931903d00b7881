// attn-tile says which ops stay on the reference path (they are decomposed
// later in mixir-cpu), never silently.
// RUN: mixir-opt %s -mixir-configure-target -attn-tile -split-input-file -verify-diagnostics

func.func @combiner(%q: tensor<1x1x?x4xf32>, %init: tensor<1x1x?x4xf32>) -> tensor<1x1x?x4xf32> {
  // expected-remark @+1 {{attn-tile: not tiled (dynamic shapes); it falls back to the reference decomposition}}
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x?x4xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?x4xf32>) outs(%init : tensor<1x1x?x4xf32>)
    {variant = #attn.variant<axial>, block = 4 : i64} -> tensor<1x1x?x4xf32>
  return %o : tensor<1x1x?x4xf32>
}

// -----

func.func @pool_mix(%x: tensor<1x?x2xf32>, %seg: tensor<1x?xi32>, %init: tensor<1x?x2xf32>) -> tensor<1x?x2xf32> {
  // expected-remark @+1 {{attn-tile: not tiled (dynamic shapes); it falls back to the reference decomposition}}
  %y = attn.pool_mix ins(%x, %x, %x, %x, %x, %seg : tensor<1x?x2xf32>, tensor<1x?x2xf32>, tensor<1x?x2xf32>, tensor<1x?x2xf32>, tensor<1x?x2xf32>, tensor<1x?xi32>)
         outs(%init : tensor<1x?x2xf32>) {heads = 1 : i64} -> tensor<1x?x2xf32>
  return %y : tensor<1x?x2xf32>
}

// -----

func.func @dynamic(%q: tensor<1x1x?x4xf32>, %init: tensor<1x1x?x4xf32>) -> tensor<1x1x?x4xf32> {
  // expected-remark @+1 {{attn-tile: not tiled (dynamic shapes); it falls back to the reference decomposition}}
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x?x4xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?x4xf32>) outs(%init : tensor<1x1x?x4xf32>) -> tensor<1x1x?x4xf32>
  return %o : tensor<1x1x?x4xf32>
}

// -----

func.func @routed_dynamic(%q: tensor<1x1x?x4xf32>, %init: tensor<1x1x?x4xf32>) -> tensor<1x1x?x4xf32> {
  // expected-remark @+1 {{attn-tile: not tiled (dynamic shapes); it falls back to the reference decomposition}}
  %o = attn.routed_attention ins(%q, %q, %q : tensor<1x1x?x4xf32>, tensor<1x1x?x4xf32>, tensor<1x1x?x4xf32>) outs(%init : tensor<1x1x?x4xf32>)
    {topk = 1 : i64, region_size = 4 : i64} -> tensor<1x1x?x4xf32>
  return %o : tensor<1x1x?x4xf32>
}

// -----

func.func @short_hyena(%v: tensor<1x63x2xf32>, %g: tensor<2x1x63x2xf32>, %f: tensor<1x2x63xf32>, %s: tensor<1x2xf32>, %init: tensor<1x63x2xf32>) -> tensor<1x63x2xf32> {
  // expected-remark @+1 {{attn-tile: L = 63 is below the tile configuration's hyena_fft_min_length (64): the direct convolution of the reference decomposition is used}}
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<1x63x2xf32>, tensor<2x1x63x2xf32>, tensor<1x2x63xf32>, tensor<1x2xf32>) outs(%init : tensor<1x63x2xf32>) -> tensor<1x63x2xf32>
  return %y : tensor<1x63x2xf32>
}

// -----

// attn.partial_attention is attn-tile's own: one written by hand is left
// alone with a remark (attn-decompose then rejects it with an error).
func.func @hand_written_partial(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32> {
  // expected-remark @+1 {{attn-tile: attn.partial_attention is internal: only the tiles attn-tile itself creates are lowered}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      outs(%acc : tensor<1x1x4x8xf32>) mask {
    ^bb0(%i: i64):
      %c0 = arith.constant 0 : i64
      %c1 = arith.constant 1 : i64
      %end = arith.addi %i, %c1 : i64
      attn.yield %c0, %end
  } {score = #attn.score<sigmoid>, sigmoid_bias = 0.0 : f32, lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x4x8xf32>
  return %r : tensor<1x1x4x8xf32>
}
