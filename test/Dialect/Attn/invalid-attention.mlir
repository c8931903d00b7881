// Every verifier rule of attn.attention, one case each, with its located
// diagnostic. q is [B, Hq, S, D] = [2, 8, 10, 16], k [2, 2, 12, 16],
// v [2, 2, 12, 8] unless a case says otherwise.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

// query must be rank 4
func.func @query_rank(%q: tensor<8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected query to have rank 4 ([B, Hq, S, D]), got rank 3}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// key must be rank 4
func.func @key_rank(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16x1xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected key to have rank 4 ([B, Hkv, T, D]), got rank 5}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16x1xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// only f32, f16 and bf16 data
func.func @query_element_type(%q: tensor<2x8x10x16xi32>, %k: tensor<2x2x12x16xi32>, %v: tensor<2x2x12x8xi32>, %init0: tensor<2x8x10x8xi32>) {
  // expected-error @+1 {{expected query element type to be f32, f16 or bf16, got 'i32'}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xi32>, tensor<2x2x12x16xi32>, tensor<2x2x12x8xi32>)
      outs(%init0 : tensor<2x8x10x8xi32>) -> tensor<2x8x10x8xi32>
  return
}

// -----

// q, k and v share one element type
func.func @key_element_type(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf16>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected key element type ('f16') to equal query element type ('f32')}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf16>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// q, k and v share one element type
func.func @value_element_type(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xbf16>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected value element type ('bf16') to equal query element type ('f32')}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xbf16>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// batch sizes agree
func.func @key_batch(%q: tensor<2x8x10x16xf32>, %k: tensor<3x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected key dim 0 (3) to equal the batch size B (2) given by query}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<3x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// batch sizes agree
func.func @value_batch(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<1x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected value dim 0 (1) to equal the batch size B (2) given by query}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<1x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// k and v have the same heads
func.func @value_heads(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x4x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected value dim 1 (4) to equal the key/value heads Hkv (2) given by key}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x4x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// Hq % Hkv == 0
func.func @gqa_divisibility(%q: tensor<2x6x10x16xf32>, %k: tensor<2x4x12x16xf32>, %v: tensor<2x4x12x8xf32>, %init0: tensor<2x6x10x8xf32>) {
  // expected-error @+1 {{expected query heads Hq (6) to be a multiple of key/value heads Hkv (4)}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x6x10x16xf32>, tensor<2x4x12x16xf32>, tensor<2x4x12x8xf32>)
      outs(%init0 : tensor<2x6x10x8xf32>) -> tensor<2x6x10x8xf32>
  return
}

// -----

// at least one key/value head
func.func @zero_kv_heads(%q: tensor<2x0x10x16xf32>, %k: tensor<2x0x12x16xf32>, %v: tensor<2x0x12x8xf32>, %init0: tensor<2x0x10x8xf32>) {
  // expected-error @+1 {{expected key/value heads Hkv to be positive}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x0x10x16xf32>, tensor<2x0x12x16xf32>, tensor<2x0x12x8xf32>)
      outs(%init0 : tensor<2x0x10x8xf32>) -> tensor<2x0x10x8xf32>
  return
}

// -----

// D of q and k agree
func.func @head_dim(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x12xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected key dim 3 (12) to equal the head dim D (16) given by query}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x12xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// T of k and v agree
func.func @key_length(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x13x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected value dim 2 (13) to equal the key length T (12) given by key}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x13x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// the output's head dim is Dv of v
func.func @output_value_dim(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x16xf32>) {
  // expected-error @+1 {{expected output dim 3 (16) to equal the value head dim Dv (8) given by value}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x16xf32>) -> tensor<2x8x10x16xf32>
  return
}

// -----

// the output has S rows
func.func @output_query_length(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x12x8xf32>) {
  // expected-error @+1 {{expected output dim 2 (12) to equal the query length S (10) given by query}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x12x8xf32>) -> tensor<2x8x12x8xf32>
  return
}

// -----

// the output has Hq heads
func.func @output_heads(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{expected output dim 1 (2) to equal the query heads Hq (8) given by query}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x2x10x8xf32>) -> tensor<2x2x10x8xf32>
  return
}

// -----

// the output has the input element type
func.func @output_element_type(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf16>) {
  // expected-error @+1 {{expected output element type ('f16') to equal query element type ('f32')}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf16>) -> tensor<2x8x10x8xf16>
  return
}

// -----

// at most o and lse
func.func @three_outputs(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>, %init1: tensor<2x8x10xf32>, %init2: tensor<2x8x10xf32>) {
  // expected-error @+1 {{expected 1 or 2 outputs (o, then lse), got 3}}
  %r0, %r1, %r2 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0, %init1, %init2 : tensor<2x8x10x8xf32>, tensor<2x8x10xf32>, tensor<2x8x10xf32>) -> tensor<2x8x10x8xf32>, tensor<2x8x10xf32>, tensor<2x8x10xf32>
  return
}

// -----

// lse exists only for softmax
func.func @lse_with_sigmoid(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>, %init1: tensor<2x8x10xf32>) {
  // expected-error @+1 {{expected no lse output with score sigmoid (lse exists only for softmax)}}
  %r0, %r1 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0, %init1 : tensor<2x8x10x8xf32>, tensor<2x8x10xf32>) {score = #attn.score<sigmoid>} -> tensor<2x8x10x8xf32>, tensor<2x8x10xf32>
  return
}

// -----

// lse is f32 whatever the input type
func.func @lse_element_type(%q: tensor<2x8x10x16xf16>, %k: tensor<2x2x12x16xf16>, %v: tensor<2x2x12x8xf16>, %init0: tensor<2x8x10x8xf16>, %init1: tensor<2x8x10xf16>) {
  // expected-error @+1 {{expected lse element type to be 'f32', got 'f16'}}
  %r0, %r1 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf16>, tensor<2x2x12x16xf16>, tensor<2x2x12x8xf16>)
      outs(%init0, %init1 : tensor<2x8x10x8xf16>, tensor<2x8x10xf16>) -> tensor<2x8x10x8xf16>, tensor<2x8x10xf16>
  return
}

// -----

// lse is [B, Hq, S]
func.func @lse_rank(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>, %init1: tensor<2x8x10x1xf32>) {
  // expected-error @+1 {{expected lse to have rank 3 ([B, Hq, S]), got rank 4}}
  %r0, %r1 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0, %init1 : tensor<2x8x10x8xf32>, tensor<2x8x10x1xf32>) -> tensor<2x8x10x8xf32>, tensor<2x8x10x1xf32>
  return
}

// -----

// lse is [B, Hq, S]
func.func @lse_length(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>, %init1: tensor<2x8x11xf32>) {
  // expected-error @+1 {{expected lse dim 2 (11) to equal the query length S (10) given by query}}
  %r0, %r1 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0, %init1 : tensor<2x8x10x8xf32>, tensor<2x8x11xf32>) -> tensor<2x8x10x8xf32>, tensor<2x8x11xf32>
  return
}

// -----

// bias is broadcastable to [B, Hq, S, T]
func.func @bias_rank(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %b: tensor<10x12xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected bias to have rank 4 (broadcastable to [B, Hq, S, T]), got rank 2}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>) bias(%b : tensor<10x12xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// each bias dim is 1 or full
func.func @bias_broadcast(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %b: tensor<1x8x7x12xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected bias dim 2 (7) to be 1 or the query length S (10)}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>) bias(%b : tensor<1x8x7x12xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// bias heads are query heads, not key/value heads
func.func @bias_heads_are_query_heads(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %b: tensor<1x2x10x12xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected bias dim 1 (2) to be 1 or the query heads Hq (8)}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>) bias(%b : tensor<1x2x10x12xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// bias has q's element type
func.func @bias_element_type(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %b: tensor<1x1x10x12xf16>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected bias element type ('f16') to equal query element type ('f32')}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>) bias(%b : tensor<1x1x10x12xf16>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// lengths are i32
func.func @kv_len_element_type(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %kl: tensor<2xi64>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected kv_len element type to be 'i32', got 'i64'}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>) kv_len(%kl : tensor<2xi64>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// lengths are [B]
func.func @kv_len_batch(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %kl: tensor<3xi32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected kv_len dim 0 (3) to equal the batch size B (2) given by query}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>) kv_len(%kl : tensor<3xi32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// lengths are [B]
func.func @q_len_rank(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %ql: tensor<2x1xi32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected q_len to have rank 1 ([B]), got rank 2}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>) q_len(%ql : tensor<2x1xi32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x8xf32>
  return
}

// -----

// sigmoid_bias only with sigmoid
func.func @sigmoid_bias_with_softmax(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected sigmoid_bias only with score sigmoid}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) {sigmoid_bias = -1.0 : f32} -> tensor<2x8x10x8xf32>
  return
}

// -----

// window is [wl, wr]
func.func @window_arity(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected window to hold two values [wl, wr], got 1}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) {window = array<i64: 4>} -> tensor<2x8x10x8xf32>
  return
}

// -----

// window bounds are -1 (unbounded) or >= 0
func.func @window_value(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected window values to be >= -1 (-1 is unbounded), got -2}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) {window = array<i64: 4, -2>} -> tensor<2x8x10x8xf32>
  return
}

// -----

// scale is finite
func.func @scale_not_finite(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected scale to be finite, got +Inf}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) {scale = 0x7F800000 : f32} -> tensor<2x8x10x8xf32>
  return
}

// -----

// sigmoid_bias is finite
func.func @sigmoid_bias_nan(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected sigmoid_bias to be finite, got NaN}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = 0x7FC00000 : f32} -> tensor<2x8x10x8xf32>
  return
}

// -----

// scale is an f32 attribute
func.func @scale_type(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+2 {{attribute 'scale' failed to satisfy constraint: 32-bit float attribute}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) {scale = 0.125} -> tensor<2x8x10x8xf32>
  return
}

// -----

// causal takes a #attn.causal value
func.func @causal_attribute_kind(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+2 {{attribute 'causal' failed to satisfy constraint}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) {causal = #attn.score<softmax>} -> tensor<2x8x10x8xf32>
  return
}

// -----

// a misspelt attribute is not silently ignored
func.func @unknown_attribute(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{has unknown attribute 'casual' (known: causal, scale, score, sigmoid_bias, window)}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) {casual = #attn.causal<top_left>} -> tensor<2x8x10x8xf32>
  return
}

// -----

// results are the types of the inits
func.func @result_type(%q: tensor<2x8x10x16xf32>, %k: tensor<2x2x12x16xf32>, %v: tensor<2x2x12x8xf32>, %init0: tensor<2x8x10x8xf32>) {
  // expected-error @+1 {{expected type of operand #3 ('tensor<2x8x10x8xf32>') to match type of corresponding result ('tensor<2x8x10x16xf32>')}}
  %r0 = attn.attention ins(%q, %k, %v : tensor<2x8x10x16xf32>, tensor<2x2x12x16xf32>, tensor<2x2x12x8xf32>)
      outs(%init0 : tensor<2x8x10x8xf32>) -> tensor<2x8x10x16xf32>
  return
}

// -----

// D = 0 needs an explicit scale: the default 1/sqrt(D) is not finite
func.func @zero_head_dim_default_scale(%q: tensor<1x1x4x0xf32>, %v: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected an explicit scale when the head dim D is 0 (the default 1/sqrt(D) is not finite)}}
  %o = attn.attention ins(%q, %q, %v : tensor<1x1x4x0xf32>, tensor<1x1x4x0xf32>, tensor<1x1x4x8xf32>)
      outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}
