// Round trip of the internal attn.partial_attention (the op attn-tile tiles):
// the plain form, and every optional operand with a mask region; printed,
// re-parsed and printed again, and once more through the generic form.
// RUN: mixir-opt %s -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file > %t.custom
// RUN: mixir-opt %t.custom -split-input-file > %t.again
// RUN: diff %t.custom %t.again
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file > %t.generic
// RUN: diff %t.custom %t.generic

// CHECK-LABEL: func.func @plain
// CHECK:         %{{.+}}:3 = attn.partial_attention ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x2x16x8xf32>, tensor<1x1x16x8xf32>, tensor<1x1x16x4xf32>) outs(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x2x16x4xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>) {lengths = array<i64: 16, 16>, scale = 1.250000e-01 : f32} -> tensor<1x2x16x4xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>
func.func @plain(%q: tensor<1x2x16x8xf32>, %k: tensor<1x1x16x8xf32>, %v: tensor<1x1x16x4xf32>, %acc: tensor<1x2x16x4xf32>, %m: tensor<1x2x16xf32>, %l: tensor<1x2x16xf32>) -> tensor<1x2x16x4xf32> {
  %r:3 = attn.partial_attention ins(%q, %k, %v : tensor<1x2x16x8xf32>, tensor<1x1x16x8xf32>, tensor<1x1x16x4xf32>)
      outs(%acc, %m, %l : tensor<1x2x16x4xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>)
      {lengths = array<i64: 16, 16>, scale = 0.125 : f32}
      -> tensor<1x2x16x4xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>
  return %r#0 : tensor<1x2x16x4xf32>
}

// -----

// A tile at (b, h, i, j) = (%b, %h, %i, %j) of a larger sigmoid problem
// with transposed keys, every optional operand and a mask region (every
// key but the query's own: [0, i) and [i + 1, 12)).
// CHECK-LABEL: func.func @everything
// CHECK:         attn.partial_attention ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x1x4x8xf16>, tensor<1x1x8x4xf16>, tensor<1x1x4x8xf16>) bias(%{{.+}} : tensor<1x1x4x1xf16>) kv_len(%{{.+}} : tensor<2xi32>) q_len(%{{.+}} : tensor<2xi32>) layout(%{{.+}} : tensor<1x3x3xi1>) offsets(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) outs(%{{.+}} : tensor<1x1x4x8xf32>) mask {
// CHECK-NEXT:    ^bb0(%[[I:.+]]: i64):
// CHECK-NEXT:      %[[C0:.+]] = arith.constant 0 : i64
// CHECK-NEXT:      %[[C1:.+]] = arith.constant 1 : i64
// CHECK-NEXT:      %[[NEXT:.+]] = arith.addi %[[I]], %[[C1]] : i64
// CHECK-NEXT:      %[[C12:.+]] = arith.constant 12 : i64
// CHECK-NEXT:      attn.yield %[[C0]], %[[I]], %[[NEXT]], %[[C12]]
// CHECK-NEXT:    } {block = array<i64: 4, 4>, causal = #attn.causal<bottom_right>, key_transposed, layout_per_batch, lengths = array<i64: 12, 12>, scale = 5.000000e-01 : f32, score = #attn.score<sigmoid>, sigmoid_bias = -1.000000e+00 : f32, window = array<i64: 3, 0>} -> tensor<1x1x4x8xf32>
func.func @everything(%q: tensor<1x1x4x8xf16>, %kt: tensor<1x1x8x4xf16>, %v: tensor<1x1x4x8xf16>, %bias: tensor<1x1x4x1xf16>, %kl: tensor<2xi32>, %ql: tensor<2xi32>, %layout: tensor<1x3x3xi1>, %b: index, %h: index, %i: index, %j: index, %acc: tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32> {
  %r = attn.partial_attention ins(%q, %kt, %v : tensor<1x1x4x8xf16>, tensor<1x1x8x4xf16>, tensor<1x1x4x8xf16>)
      bias(%bias : tensor<1x1x4x1xf16>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
      layout(%layout : tensor<1x3x3xi1>) offsets(%b, %h, %i, %j)
      outs(%acc : tensor<1x1x4x8xf32>) mask {
    ^bb0(%qi: i64):
      %c0 = arith.constant 0 : i64
      %c1 = arith.constant 1 : i64
      %next = arith.addi %qi, %c1 : i64
      %c12 = arith.constant 12 : i64
      attn.yield %c0, %qi, %next, %c12
  } {score = #attn.score<sigmoid>, causal = #attn.causal<bottom_right>, window = array<i64: 3, 0>,
     scale = 0.5 : f32, sigmoid_bias = -1.0 : f32, lengths = array<i64: 12, 12>,
     block = array<i64: 4, 4>, layout_per_batch, key_transposed}
      -> tensor<1x1x4x8xf32>
  return %r : tensor<1x1x4x8xf32>
}
