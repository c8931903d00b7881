// Every verifier rule of attn.hyena, one case each, with its located
// diagnostic. v is [B, L, C] = [2, 16, 8], the order N = 3 unless a case says
// otherwise.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

// N >= 2
func.func @order_at_least_two(%v: tensor<2x16x8xf32>, %gates: tensor<1x2x16x8xf32>, %filters: tensor<0x8x16xf32>, %skip: tensor<0x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected order N (1), the leading dim of gates, to be at least 2}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<0x8x16xf32>, tensor<0x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// one filter per recurrence step: N - 1
func.func @filter_count(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<3x8x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected filters dim 0 (3) to equal the number of filters N-1 (2) given by gates}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<3x8x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// one skip per recurrence step: N - 1
func.func @skip_count(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<1x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected skip dim 0 (1) to equal the number of filters N-1 (2) given by gates}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x8x16xf32>, tensor<1x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// Lf >= L
func.func @filter_length(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x15xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected filter length Lf (15) to be at least the sequence length L (16)}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x8x15xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// one filter per channel
func.func @filter_channels(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x4x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected filters dim 1 (4) to equal the channels C (8) given by v}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x4x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// one skip per channel
func.func @skip_channels(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<2x9xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected skip dim 1 (9) to equal the channels C (8) given by v}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x9xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// gates are [N, B, L, C]
func.func @gates_shape(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x15x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected gates dim 2 (15) to equal the sequence length L (16) given by v}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x15x8xf32>, tensor<2x8x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// gates are [N, B, L, C]
func.func @gates_rank(%v: tensor<2x16x8xf32>, %gates: tensor<2x16x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected gates to have rank 4 ([N, B, L, C]), got rank 3}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// v is [B, L, C]
func.func @input_rank(%v: tensor<16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected v to have rank 3 ([B, L, C]), got rank 2}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// one element type
func.func @element_type(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x16xf16>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected filters element type ('f16') to equal v element type ('f32')}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x8x16xf16>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// only float data
func.func @float_only(%v: tensor<2x16x8xi8>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected v element type to be f32, f16 or bf16, got 'i8'}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xi8>, tensor<3x2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

// the output is [B, L, C]
func.func @output_shape(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x32x8xf32>) {
  // expected-error @+1 {{expected output dim 1 (32) to equal the sequence length L (16) given by v}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x32x8xf32>) -> tensor<2x32x8xf32>
  return
}

// -----

// the non-causal form is not supported yet
func.func @non_causal(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expected causal = true: the non-causal Hyena convolution is not supported yet}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) {causal = false} -> tensor<2x16x8xf32>
  return
}

// -----

// a misspelt attribute is not silently ignored
func.func @unknown_attribute(%v: tensor<2x16x8xf32>, %gates: tensor<3x2x16x8xf32>, %filters: tensor<2x8x16xf32>, %skip: tensor<2x8xf32>, %init: tensor<2x16x8xf32>) {
  // expected-error @+1 {{has unknown attribute 'casual' (known: causal)}}
  %r = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x16x8xf32>, tensor<3x2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x8xf32>)
      outs(%init : tensor<2x16x8xf32>) {casual = true} -> tensor<2x16x8xf32>
  return
}
