// Round trip of attn.block_sparse_attention: the layout, block sizes and every
// attention attribute and optional operand; once more through the generic form.
// RUN: mixir-opt %s -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file > %t.custom
// RUN: mixir-opt %t.custom -split-input-file > %t.again
// RUN: diff %t.custom %t.again
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file > %t.generic
// RUN: diff %t.custom %t.generic

// The spec's example: one 4x4 layout shared by all heads, top-left causal.
// CHECK-LABEL: func.func @spec_example
// CHECK:         attn.block_sparse_attention ins(%{{.+}}, %{{.+}}, %{{.+}}, %[[L:.+]] : tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x4xi1>)
// CHECK-SAME:      outs(%{{.+}} : tensor<1x4x128x64xf32>)
// CHECK-SAME:      {block = array<i64: 32, 32>, causal = #attn.causal<top_left>} -> tensor<1x4x128x64xf32>
func.func @spec_example(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>,
                        %layout: tensor<1x4x4xi1>, %init: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x4xi1>)
         outs(%init : tensor<1x4x128x64xf32>)
         {block = array<i64: 32, 32>, causal = #attn.causal<top_left>} -> tensor<1x4x128x64xf32>
  return %o : tensor<1x4x128x64xf32>
}

// -----

// A per-head layout over lengths that are not multiples of the blocks
// (ceil(100/32) = 4, ceil(130/64) = 3), GQA, every optional operand, lse.
// CHECK-LABEL: func.func @everything
// CHECK:         %{{.+}}:2 = attn.block_sparse_attention ins({{.+}} : tensor<2x8x100x64xf32>, tensor<2x2x130x64xf32>, tensor<2x2x130x32xf32>, tensor<8x4x3xi1>)
// CHECK-SAME:      bias(%{{.+}} : tensor<2x1x1x130xf32>) kv_len(%{{.+}} : tensor<2xi32>) q_len(%{{.+}} : tensor<2xi32>)
// CHECK-SAME:      outs(%{{.+}}, %{{.+}} : tensor<2x8x100x32xf32>, tensor<2x8x100xf32>)
// CHECK-SAME:      {block = array<i64: 32, 64>, causal = #attn.causal<bottom_right>, scale = 5.000000e-01 : f32, window = array<i64: 128, -1>}
// CHECK-SAME:      -> tensor<2x8x100x32xf32>, tensor<2x8x100xf32>
func.func @everything(%q: tensor<2x8x100x64xf32>, %k: tensor<2x2x130x64xf32>, %v: tensor<2x2x130x32xf32>,
                      %layout: tensor<8x4x3xi1>, %b: tensor<2x1x1x130xf32>, %kl: tensor<2xi32>, %ql: tensor<2xi32>,
                      %init: tensor<2x8x100x32xf32>, %lse_init: tensor<2x8x100xf32>) -> (tensor<2x8x100x32xf32>, tensor<2x8x100xf32>) {
  %o, %lse = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x8x100x64xf32>, tensor<2x2x130x64xf32>, tensor<2x2x130x32xf32>, tensor<8x4x3xi1>)
               bias(%b : tensor<2x1x1x130xf32>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
               outs(%init, %lse_init : tensor<2x8x100x32xf32>, tensor<2x8x100xf32>)
               {block = array<i64: 32, 64>, causal = #attn.causal<bottom_right>, window = array<i64: 128, -1>, scale = 0.5 : f32}
               -> tensor<2x8x100x32xf32>, tensor<2x8x100xf32>
  return %o, %lse : tensor<2x8x100x32xf32>, tensor<2x8x100xf32>
}

// -----

// Sigmoid score on f16, and dynamic lengths with a dynamic layout.
// CHECK-LABEL: func.func @sigmoid_dynamic
// CHECK:         attn.block_sparse_attention ins({{.+}} : tensor<1x2x?x16xf16>, tensor<1x2x?x16xf16>, tensor<1x2x?x16xf16>, tensor<1x?x?xi1>)
// CHECK-SAME:      {block = array<i64: 16, 16>, score = #attn.score<sigmoid>, sigmoid_bias = -2.500000e+00 : f32}
func.func @sigmoid_dynamic(%q: tensor<1x2x?x16xf16>, %layout: tensor<1x?x?xi1>, %init: tensor<1x2x?x16xf16>) -> tensor<1x2x?x16xf16> {
  %o = attn.block_sparse_attention ins(%q, %q, %q, %layout : tensor<1x2x?x16xf16>, tensor<1x2x?x16xf16>, tensor<1x2x?x16xf16>, tensor<1x?x?xi1>)
         outs(%init : tensor<1x2x?x16xf16>)
         {block = array<i64: 16, 16>, score = #attn.score<sigmoid>, sigmoid_bias = -2.5 : f32} -> tensor<1x2x?x16xf16>
  return %o : tensor<1x2x?x16xf16>
}
