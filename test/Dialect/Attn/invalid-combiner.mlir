// Every verifier rule of attn.combiner, one case each, with its located
// diagnostic. q, k, v are [B, H, L, D] = [1, 2, 60, 16] unless a case says
// otherwise.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

// variant is required
func.func @missing_variant(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{requires attribute 'variant'}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {block = 6 : i64} -> tensor<1x2x60x16xf32>
  return
}

// -----

// variant is fixed, axial or logsparse
func.func @bad_variant(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+3 {{expected ::mixir::attn::CombinerVariant to be one of: fixed, axial, logsparse}}
  // expected-error @+2 {{failed to parse Attn_CombinerVariantAttr parameter 'value'}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<dilated>} -> tensor<1x2x60x16xf32>
  return
}

// -----

// fixed needs its segment size
func.func @fixed_needs_block(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected a block size for the fixed variant}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<fixed>} -> tensor<1x2x60x16xf32>
  return
}

// -----

// axial needs its row length
func.func @axial_needs_block(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected a block size for the axial variant}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<axial>, causal = true} -> tensor<1x2x60x16xf32>
  return
}

// -----

// block is positive
func.func @block_positive(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected block (-4) to be positive}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<fixed>, block = -4 : i64} -> tensor<1x2x60x16xf32>
  return
}

// -----

// block divides L
func.func @block_divides(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected sequence length L (60) to be divisible by block (7)}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<axial>, block = 7 : i64} -> tensor<1x2x60x16xf32>
  return
}

// -----

// logsparse blocks are dyadic, not given
func.func @logsparse_without_block(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected no block for the logsparse variant (its blocks are dyadic)}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<logsparse>, block = 4 : i64, causal = true} -> tensor<1x2x60x16xf32>
  return
}

// -----

// logsparse is defined only causally
func.func @logsparse_causal_only(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected causal = true for the logsparse variant (it is defined only causally)}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<logsparse>} -> tensor<1x2x60x16xf32>
  return
}

// -----

// v is [B, H, L, D] like q
func.func @value_shape(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x30x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected value dim 2 (30) to equal the sequence length L (60) given by query}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x30x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<fixed>, block = 6 : i64} -> tensor<1x2x60x16xf32>
  return
}

// -----

// the output is [B, H, L, D]
func.func @output_shape(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<2x2x60x16xf32>) {
  // expected-error @+1 {{expected output dim 0 (2) to equal the batch size B (1) given by query}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<2x2x60x16xf32>) {variant = #attn.variant<fixed>, block = 6 : i64} -> tensor<2x2x60x16xf32>
  return
}

// -----

// only float data
func.func @element_type(%q: tensor<1x2x60x16xf64>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected query element type to be f32, f16 or bf16, got 'f64'}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf64>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<fixed>, block = 6 : i64} -> tensor<1x2x60x16xf32>
  return
}

// -----

// causal is a bool for the Combiner
func.func @causal_is_bool(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+2 {{attribute 'causal' failed to satisfy constraint: bool attribute}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<fixed>, block = 6 : i64, causal = #attn.causal<top_left>} -> tensor<1x2x60x16xf32>
  return
}

// -----

// scale is finite
func.func @scale_not_finite(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{expected scale to be finite, got NaN}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<fixed>, block = 6 : i64, scale = 0x7FC00000 : f32} -> tensor<1x2x60x16xf32>
  return
}

// -----

// a misspelt attribute is not silently ignored
func.func @unknown_attribute(%q: tensor<1x2x60x16xf32>, %k: tensor<1x2x60x16xf32>, %v: tensor<1x2x60x16xf32>, %init: tensor<1x2x60x16xf32>) {
  // expected-error @+1 {{has unknown attribute 'blocks'}}
  %r = attn.combiner ins(%q, %k, %v : tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>)
      outs(%init : tensor<1x2x60x16xf32>) {variant = #attn.variant<fixed>, blocks = 6 : i64} -> tensor<1x2x60x16xf32>
  return
}
