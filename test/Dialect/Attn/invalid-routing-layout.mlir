// The verifier of attn.routing_layout: routed attention's region rules (shared
// with attn.routed_attention, invalid-routed-attention.mlir), q and k of one
// shape, the layout [B, R, R] of i1.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

func.func @layout_shape(%q: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected the layout to be [B, R, R] of i1 (R = 4 regions)}}
  %l = attn.routing_layout ins(%q, %q : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>) {region_size = 16 : i64, topk = 1 : i64} -> tensor<1x4x3xi1>
  return
}

// -----

func.func @layout_type(%q: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected the layout to be [B, R, R] of i1 (R = 4 regions)}}
  %l = attn.routing_layout ins(%q, %q : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>) {region_size = 16 : i64, topk = 1 : i64} -> tensor<1x4x4xi8>
  return
}

// -----

func.func @key_shape(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x32x16xf32>) {
  // expected-error @+1 {{expected query and key of the same shape}}
  %l = attn.routing_layout ins(%q, %k : tensor<1x2x64x16xf32>, tensor<1x2x32x16xf32>) {region_size = 16 : i64, topk = 1 : i64} -> tensor<1x4x4xi1>
  return
}

// -----

func.func @regions(%q: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected sequence length L (64) to be divisible by region_size (24)}}
  %l = attn.routing_layout ins(%q, %q : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>) {region_size = 24 : i64, topk = 1 : i64} -> tensor<1x2x2xi1>
  return
}

// -----

func.func @topk(%q: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected topk (5) to be at most the number of regions R (4)}}
  %l = attn.routing_layout ins(%q, %q : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>) {region_size = 16 : i64, topk = 5 : i64} -> tensor<1x4x4xi1>
  return
}
