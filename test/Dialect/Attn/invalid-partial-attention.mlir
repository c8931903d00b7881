// The verifier rules of the internal attn.partial_attention, one case each.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

func.func @state_count(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected 3 outputs (acc, m, l) with score softmax}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      outs(%acc : tensor<1x1x4x8xf32>) {lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x4x8xf32>
  return
}

// -----

func.func @state_type(%q: tensor<1x1x4x8xf16>, %acc: tensor<1x1x4x8xf16>) {
  // expected-error @+1 {{expected state element type to be 'f32', got 'f16'}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf16>, tensor<1x1x4x8xf16>, tensor<1x1x4x8xf16>)
      outs(%acc : tensor<1x1x4x8xf16>) {score = #attn.score<sigmoid>, sigmoid_bias = 0.0 : f32, lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x4x8xf16>
  return
}

// -----

func.func @state_shape(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x5x8xf32>) {
  // expected-error @+1 {{expected state 0 to be shaped [B, Hq, S, Dv]}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      outs(%acc : tensor<1x1x5x8xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = 0.0 : f32, lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x5x8xf32>
  return
}

// -----

func.func @transposed_key(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected the head dim D of query (8) and key (4) to agree}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      outs(%acc : tensor<1x1x4x8xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = 0.0 : f32, lengths = array<i64: 4, 4>, scale = 1.0 : f32, key_transposed} -> tensor<1x1x4x8xf32>
  return
}

// -----

func.func @offsets(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x4x8xf32>, %i: index) {
  // expected-error @+1 {{expected 4 offsets (b, h, i, j), got 1}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) offsets(%i)
      outs(%acc : tensor<1x1x4x8xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = 0.0 : f32, lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x4x8xf32>
  return
}

// -----

func.func @layout_without_block(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x4x8xf32>, %layout: tensor<1x1x1xi1>) {
  // expected-error @+1 {{expected block = [bq, bk] of positive sizes with a layout}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) layout(%layout : tensor<1x1x1xi1>)
      outs(%acc : tensor<1x1x4x8xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = 0.0 : f32, lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x4x8xf32>
  return
}

// -----

func.func @sigmoid_bias(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected sigmoid_bias exactly with score sigmoid}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      outs(%acc : tensor<1x1x4x8xf32>) {score = #attn.score<sigmoid>, lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x4x8xf32>
  return
}

// -----

func.func @mask_arguments(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected the mask region to be one block with an argument (i: i64)}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      outs(%acc : tensor<1x1x4x8xf32>) mask {
    ^bb0(%i: i64, %j: i64):
      attn.yield %i, %j
  } {score = #attn.score<sigmoid>, sigmoid_bias = 0.0 : f32, lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x4x8xf32>
  return
}

// -----

func.func @mask_odd_bounds(%q: tensor<1x1x4x8xf32>, %acc: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected the mask region to yield key intervals as (first, end) pairs, got 3 values}}
  %r = attn.partial_attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      outs(%acc : tensor<1x1x4x8xf32>) mask {
    ^bb0(%i: i64):
      attn.yield %i, %i, %i
  } {score = #attn.score<sigmoid>, sigmoid_bias = 0.0 : f32, lengths = array<i64: 4, 4>, scale = 1.0 : f32} -> tensor<1x1x4x8xf32>
  return
}

// -----

func.func @yield_outside(%b: i64) {
  // expected-error @+1 {{expects parent op 'attn.partial_attention'}}
  attn.yield %b, %b
}
