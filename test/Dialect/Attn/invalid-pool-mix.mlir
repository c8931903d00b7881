// Every verifier rule of attn.pool_mix, one case each, with its located
// diagnostic. The streams are [B, L, C] = [2, 17, 12] unless a case says
// otherwise.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

// heads is required
func.func @missing_heads(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{requires attribute 'heads'}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) -> tensor<2x17x12xf32>
  return
}

// -----

// heads is positive
func.func @heads_positive(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected heads (0) to be positive}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 0 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// C % heads == 0
func.func @heads_divide_channels(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected channels C (12) to be divisible by heads (5)}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 5 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// the window is odd
func.func @window_even(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected window (4) to be odd and positive}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64, window = 4 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// the window is positive
func.func @window_negative(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected window (-3) to be odd and positive}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64, window = -3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// streams are [B, L, C]
func.func @stream_rank(%q: tensor<17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected q to have rank 3 ([B, L, C]), got rank 2}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// all streams have one shape
func.func @stream_shape(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x16x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected s dim 1 (16) to equal the sequence length L (17) given by q}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x16x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// all streams share one element type
func.func @stream_element_type(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf16>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected l element type ('f16') to equal q element type ('f32')}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf16>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// v is [B, L, C]
func.func @value_shape(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %v: tensor<2x17x6xf32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected v dim 2 (6) to equal the channels C (12) given by q}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>) v(%v : tensor<2x17x6xf32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// segment ids are i32
func.func @segment_ids_element_type(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi64>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected segment_ids element type to be 'i32', got 'i64'}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi64>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// segment ids are [B, L]
func.func @segment_ids_shape(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x18xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected segment_ids dim 1 (18) to equal the sequence length L (17) given by q}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x18xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// len is [B]
func.func @len_shape(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %n: tensor<1xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected len dim 0 (1) to equal the batch size B (2) given by q}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>) len(%n : tensor<1xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// len is i32
func.func @len_element_type(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %n: tensor<2xf32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{expected len element type to be 'i32', got 'f32'}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>) len(%n : tensor<2xf32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64} -> tensor<2x17x12xf32>
  return
}

// -----

// the output is [B, L, C]
func.func @output_shape(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<1x17x12xf32>) {
  // expected-error @+1 {{expected output dim 0 (1) to equal the batch size B (2) given by q}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<1x17x12xf32>) {heads = 3 : i64} -> tensor<1x17x12xf32>
  return
}

// -----

// a misspelt attribute is not silently ignored
func.func @unknown_attribute(%q: tensor<2x17x12xf32>, %k: tensor<2x17x12xf32>, %o: tensor<2x17x12xf32>, %s: tensor<2x17x12xf32>, %l: tensor<2x17x12xf32>, %seg: tensor<2x17xi32>, %init: tensor<2x17x12xf32>) {
  // expected-error @+1 {{has unknown attribute 'windw'}}
  %r = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17x12xf32>, tensor<2x17xi32>)
      outs(%init : tensor<2x17x12xf32>) {heads = 3 : i64, windw = 5 : i64} -> tensor<2x17x12xf32>
  return
}
