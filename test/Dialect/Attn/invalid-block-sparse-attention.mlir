// Every verifier rule that attn.block_sparse_attention adds to those of
// attn.attention, one case each. q is [1, 4, 100, 16], k and v
// [1, 2, 130, 16], block [32, 32] unless a case says otherwise.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

// block is required
func.func @missing_block(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x4x5xi1>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{requires attribute 'block'}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x4x5xi1>)
      outs(%init0 : tensor<1x4x100x16xf32>) -> tensor<1x4x100x16xf32>
  return
}

// -----

// block is [bq, bk]
func.func @block_arity(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x4x5xi1>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{expected block to hold two sizes [bq, bk], got 1}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x4x5xi1>)
      outs(%init0 : tensor<1x4x100x16xf32>) {block = array<i64: 32>} -> tensor<1x4x100x16xf32>
  return
}

// -----

// block sizes are positive
func.func @block_positive(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x4x5xi1>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{expected block sizes to be positive, got [32, 0]}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x4x5xi1>)
      outs(%init0 : tensor<1x4x100x16xf32>) {block = array<i64: 32, 0>} -> tensor<1x4x100x16xf32>
  return
}

// -----

// the layout is i1
func.func @layout_element_type(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x4x5xi8>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{expected layout element type to be 'i1', got 'i8'}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x4x5xi8>)
      outs(%init0 : tensor<1x4x100x16xf32>) {block = array<i64: 32, 32>} -> tensor<1x4x100x16xf32>
  return
}

// -----

// the layout is [Hl, ceil(S/bq), ceil(T/bk)]
func.func @layout_rank(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<4x5xi1>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{expected layout to have rank 3 ([Hl, ceil(S / bq), ceil(T / bk)]), got rank 2}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<4x5xi1>)
      outs(%init0 : tensor<1x4x100x16xf32>) {block = array<i64: 32, 32>} -> tensor<1x4x100x16xf32>
  return
}

// -----

// the layout has 1 or Hq heads
func.func @layout_heads(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<2x4x5xi1>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{expected layout dim 0 (2) to be 1 or the query heads Hq (4)}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<2x4x5xi1>)
      outs(%init0 : tensor<1x4x100x16xf32>) {block = array<i64: 32, 32>} -> tensor<1x4x100x16xf32>
  return
}

// -----

// ceil(100 / 32) = 4 query blocks
func.func @layout_query_blocks(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x3x5xi1>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{expected layout dim 1 (3) to equal ceil(S / bq) = ceil(100 / 32) (4)}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x3x5xi1>)
      outs(%init0 : tensor<1x4x100x16xf32>) {block = array<i64: 32, 32>} -> tensor<1x4x100x16xf32>
  return
}

// -----

// ceil(130 / 32) = 5 key blocks
func.func @layout_key_blocks(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x4x4xi1>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{expected layout dim 2 (4) to equal ceil(T / bk) = ceil(130 / 32) (5)}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x4x4xi1>)
      outs(%init0 : tensor<1x4x100x16xf32>) {block = array<i64: 32, 32>} -> tensor<1x4x100x16xf32>
  return
}

// -----

// every attn.attention rule applies too
func.func @attention_rules_apply(%q: tensor<1x3x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x4x5xi1>, %init0: tensor<1x3x100x16xf32>) {
  // expected-error @+1 {{expected query heads Hq (3) to be a multiple of key/value heads Hkv (2)}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x3x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x4x5xi1>)
      outs(%init0 : tensor<1x3x100x16xf32>) {block = array<i64: 32, 32>} -> tensor<1x3x100x16xf32>
  return
}

// -----

// lse exists only for softmax
func.func @lse_with_sigmoid(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x4x5xi1>, %init0: tensor<1x4x100x16xf32>, %init1: tensor<1x4x100xf32>) {
  // expected-error @+1 {{expected no lse output with score sigmoid (lse exists only for softmax)}}
  %r0, %r1 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x4x5xi1>)
      outs(%init0, %init1 : tensor<1x4x100x16xf32>, tensor<1x4x100xf32>) {block = array<i64: 32, 32>, score = #attn.score<sigmoid>} -> tensor<1x4x100x16xf32>, tensor<1x4x100xf32>
  return
}

// -----

// a misspelt attribute is not silently ignored
func.func @unknown_attribute(%q: tensor<1x4x100x16xf32>, %k: tensor<1x2x130x16xf32>, %v: tensor<1x2x130x16xf32>, %layout: tensor<1x4x5xi1>, %init0: tensor<1x4x100x16xf32>) {
  // expected-error @+1 {{has unknown attribute 'blocks'}}
  %r0 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x100x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x4x5xi1>)
      outs(%init0 : tensor<1x4x100x16xf32>) {block = array<i64: 32, 32>, blocks = array<i64: 32, 32>} -> tensor<1x4x100x16xf32>
  return
}
