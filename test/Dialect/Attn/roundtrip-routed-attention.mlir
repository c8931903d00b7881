// Round trip of attn.routed_attention: 1-D and 2-D regions, topk and scale;
// once more through the generic form.
// RUN: mixir-opt %s -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file > %t.custom
// RUN: mixir-opt %t.custom -split-input-file > %t.again
// RUN: diff %t.custom %t.again
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file > %t.generic
// RUN: diff %t.custom %t.generic

// CHECK-LABEL: func.func @regions_1d
// CHECK:         attn.routed_attention ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x4x512x32xf32>, tensor<1x4x512x32xf32>, tensor<1x4x512x32xf32>)
// CHECK-SAME:      outs(%{{.+}} : tensor<1x4x512x32xf32>) {region_size = 64 : i64, topk = 4 : i64} -> tensor<1x4x512x32xf32>
func.func @regions_1d(%q: tensor<1x4x512x32xf32>, %k: tensor<1x4x512x32xf32>, %v: tensor<1x4x512x32xf32>,
                      %init: tensor<1x4x512x32xf32>) -> tensor<1x4x512x32xf32> {
  %o = attn.routed_attention ins(%q, %k, %v : tensor<1x4x512x32xf32>, tensor<1x4x512x32xf32>, tensor<1x4x512x32xf32>)
         outs(%init : tensor<1x4x512x32xf32>) {topk = 4 : i64, region_size = 64 : i64} -> tensor<1x4x512x32xf32>
  return %o : tensor<1x4x512x32xf32>
}

// -----

// The spec's 2-D example: a 28x28 map in 7x7 regions, with BiFormer's scale.
// CHECK-LABEL: func.func @regions_2d
// CHECK:         attn.routed_attention
// CHECK-SAME:      {grid = array<i64: 28, 28>, regions = array<i64: 7, 7>, scale = 1.250000e-01 : f32, topk = 49 : i64}
func.func @regions_2d(%q: tensor<2x2x784x32xbf16>, %init: tensor<2x2x784x32xbf16>) -> tensor<2x2x784x32xbf16> {
  %o = attn.routed_attention ins(%q, %q, %q : tensor<2x2x784x32xbf16>, tensor<2x2x784x32xbf16>, tensor<2x2x784x32xbf16>)
         outs(%init : tensor<2x2x784x32xbf16>)
         {topk = 49 : i64, grid = array<i64: 28, 28>, regions = array<i64: 7, 7>, scale = 0.125 : f32} -> tensor<2x2x784x32xbf16>
  return %o : tensor<2x2x784x32xbf16>
}

// -----

// A dynamic sequence length defers the divisibility and topk checks.
// CHECK-LABEL: func.func @dynamic_length
// CHECK:         attn.routed_attention ins({{.+}} : tensor<1x2x?x16xf16>, tensor<1x2x?x16xf16>, tensor<1x2x?x16xf16>)
// CHECK-SAME:      {region_size = 7 : i64, topk = 3 : i64}
func.func @dynamic_length(%q: tensor<1x2x?x16xf16>, %init: tensor<1x2x?x16xf16>) -> tensor<1x2x?x16xf16> {
  %o = attn.routed_attention ins(%q, %q, %q : tensor<1x2x?x16xf16>, tensor<1x2x?x16xf16>, tensor<1x2x?x16xf16>)
         outs(%init : tensor<1x2x?x16xf16>) {topk = 3 : i64, region_size = 7 : i64} -> tensor<1x2x?x16xf16>
  return %o : tensor<1x2x?x16xf16>
}
