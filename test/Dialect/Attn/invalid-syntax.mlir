// Malformed programs that fail before or at verification: wrong operand and
// type counts, missing or misplaced keywords, unknown enum values, attribute
// kinds and ops, and generic forms that break the op's structure. Each gives a
// located diagnostic (and mixir-opt exits 1, see test/Tools/exit-codes.test).
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

// ins takes q, k and v
func.func @missing_value(%q: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected ','}}
  %r = attn.attention ins(%q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// one type per ins operand
func.func @type_count(%q: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected ','}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// the destination is not optional
func.func @missing_outs(%q: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{custom op 'attn.attention' expected 'outs'}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// optional keyword operands come in the spec's order: bias, kv_len, q_len
func.func @keyword_order(%q: tensor<1x1x4x8xf32>, %b: tensor<1x1x4x4xf32>, %n: tensor<1xi32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{custom op 'attn.attention' expected 'outs'}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) kv_len(%n : tensor<1xi32>) bias(%b : tensor<1x1x4x4xf32>) outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// causal is none, top_left or bottom_right
func.func @bad_causal(%q: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+2 {{expected ::mixir::attn::CausalMode to be one of: none, top_left, bottom_right}}
  // expected-error @+1 {{failed to parse Attn_CausalAttr parameter 'value'}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) outs(%init : tensor<1x1x4x8xf32>) {causal = #attn.causal<diagonal>} -> tensor<1x1x4x8xf32>
  return
}

// -----

// score is softmax or sigmoid
func.func @bad_score(%q: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+2 {{expected ::mixir::attn::ScoreKind to be one of: softmax, sigmoid}}
  // expected-error @+1 {{failed to parse Attn_ScoreAttr parameter 'value'}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) outs(%init : tensor<1x1x4x8xf32>) {score = #attn.score<relu>} -> tensor<1x1x4x8xf32>
  return
}

// -----

// the dialect has #attn.score, #attn.causal and #attn.variant only
func.func @unknown_attr_mnemonic(%q: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{unknown attribute `mask` in dialect `attn`}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) outs(%init : tensor<1x1x4x8xf32>) {causal = #attn.mask<top_left>} -> tensor<1x1x4x8xf32>
  return
}

// -----

// an unknown op of the dialect
func.func @unknown_op(%q: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{custom op 'attn.flash' is unknown}}
  %r = attn.flash ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// one result per init
func.func @result_count(%q: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{'attn.attention' op expected the number of tensor results (2) to be equal to the number of output tensors (1)}}
  %r:2 = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>, tensor<1x1x4xf32>
  return
}

// -----

// the generic form cannot drop the output
func.func @generic_no_outputs(%q: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{expected 1 or 2 outputs (o, then lse), got 0}}
  "attn.attention"(%q, %q, %q) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0>}> : (tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) -> ()
  return
}

// -----

// operand segments must cover every operand group
func.func @generic_bad_segments(%q: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{size mismatch in attribute conversion: 6 vs 7}}
  %r = "attn.attention"(%q, %q, %q, %q) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}> : (tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// the generic form checks the operand count
func.func @generic_missing_operand(%q: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{'attn.hyena' op expected 5 operands, but found 3}}
  %r = "attn.hyena"(%q, %q, %q) : (tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// the ops work on tensors
func.func @memref_operand(%q: memref<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of any type values, but got 'memref<1x1x4x8xf32>'}}
  %r = "attn.attention"(%q, %q, %q, %init) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 1>}> : (memref<1x1x4x8xf32>, memref<1x1x4x8xf32>, memref<1x1x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// unranked tensors are rejected
func.func @unranked(%q: tensor<*xf32>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of any type values, but got 'tensor<*xf32>'}}
  %r = "attn.attention"(%q, %q, %q, %init) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 1>}> : (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}

// -----

// block is an array of two sizes, not an integer
func.func @block_sparse_bad_prop(%q: tensor<1x1x4x8xf32>, %l: tensor<1x1x1xi1>, %init: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{Invalid attribute `block` in property conversion: 3 : i64}}
  %r = "attn.block_sparse_attention"(%q, %q, %q, %l, %init) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 0, 1>, block = 3 : i64}> : (tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x1xi1>, tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return
}
