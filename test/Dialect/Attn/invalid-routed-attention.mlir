// Every verifier rule of attn.routed_attention, one case each, with its
// located diagnostic. q, k, v are [B, H, L, D] = [1, 2, 64, 16] unless a case
// says otherwise.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

// topk is required
func.func @missing_topk(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{requires attribute 'topk'}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {region_size = 16 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// regions are 1-D or 2-D
func.func @no_regions(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected region_size (1-D regions) or grid and regions (2-D regions)}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// not both kinds of regions
func.func @both_region_kinds(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected either region_size (1-D regions) or grid and regions (2-D regions), not both}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, region_size = 16 : i64, grid = array<i64: 8, 8>, regions = array<i64: 2, 2>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// grid and regions go together
func.func @grid_without_regions(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected grid and regions together (2-D regions), got only grid}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, grid = array<i64: 8, 8>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// region_size is positive
func.func @region_size_positive(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected region_size (0) to be positive}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, region_size = 0 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// region_size divides L
func.func @region_size_divides(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected sequence length L (64) to be divisible by region_size (10)}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, region_size = 10 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// grid is [GH, GW]
func.func @grid_arity(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected grid to hold two sizes [GH, GW], got 3}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, grid = array<i64: 4, 4, 4>, regions = array<i64: 2, 2>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// regions is [RH, RW]
func.func @regions_arity(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected regions to hold two sizes [RH, RW], got 1}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, grid = array<i64: 8, 8>, regions = array<i64: 2>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// region counts are positive
func.func @regions_positive(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected regions sizes to be positive, got [0, 2]}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, grid = array<i64: 8, 8>, regions = array<i64: 0, 2>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// RH divides GH
func.func @grid_height_divisible(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected grid height (8) to be divisible by regions height (3)}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, grid = array<i64: 8, 8>, regions = array<i64: 3, 2>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// RW divides GW
func.func @grid_width_divisible(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected grid width (8) to be divisible by regions width (3)}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, grid = array<i64: 8, 8>, regions = array<i64: 2, 3>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// GH * GW == L
func.func @grid_holds_sequence(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected grid [4, 8] to hold exactly the sequence length L (64) tokens}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, grid = array<i64: 4, 8>, regions = array<i64: 2, 2>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// topk >= 1
func.func @topk_positive(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected topk (0) to be at least 1}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 0 : i64, region_size = 16 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// topk <= R = 64 / 16
func.func @topk_at_most_regions(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected topk (5) to be at most the number of regions R (4)}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 5 : i64, region_size = 16 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// topk <= R = 2 * 2
func.func @topk_at_most_regions_2d(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected topk (5) to be at most the number of regions R (4)}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 5 : i64, grid = array<i64: 8, 8>, regions = array<i64: 2, 2>} -> tensor<1x2x64x16xf32>
  return
}

// -----

// q, k and v have the same heads
func.func @one_kv_head_per_query_head(%q: tensor<1x2x64x16xf32>, %k: tensor<1x1x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected key dim 1 (1) to equal the heads H (2) given by query}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, region_size = 16 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// v has the head dim of q
func.func @value_head_dim(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x8xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected value dim 3 (8) to equal the head dim D (16) given by query}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x8xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, region_size = 16 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// q, k, v share one element type
func.func @element_type(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf16>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected key element type ('f16') to equal query element type ('f32')}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf16>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, region_size = 16 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// scale is finite
func.func @scale_not_finite(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{expected scale to be finite, got -Inf}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, region_size = 16 : i64, scale = 0xFF800000 : f32} -> tensor<1x2x64x16xf32>
  return
}

// -----

// topk is an i64 attribute
func.func @topk_type(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+2 {{attribute 'topk' failed to satisfy constraint: 64-bit signless integer attribute}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2.0 : f32, region_size = 16 : i64} -> tensor<1x2x64x16xf32>
  return
}

// -----

// a misspelt attribute is not silently ignored
func.func @unknown_attribute(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>, %v: tensor<1x2x64x16xf32>, %init: tensor<1x2x64x16xf32>) {
  // expected-error @+1 {{has unknown attribute 'region'}}
  %r = attn.routed_attention ins(%q, %k, %v : tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      outs(%init : tensor<1x2x64x16xf32>) {topk = 2 : i64, region = 16 : i64} -> tensor<1x2x64x16xf32>
  return
}
