// attn-decompose on attn.pool_mix: GA as the masked attention engine with the
// per-head mean of q as the one query, SMP and LMP as masked max reductions,
// and one elementwise op that zeroes the padded tokens.
// RUN: mixir-opt %s -attn-decompose -split-input-file | FileCheck %s

// CHECK-DAG: #[[TOKENS:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[BATCH3:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[OTHER:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[SEGOTHER:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-DAG: #[[SEGSELF:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @pool_mix
// CHECK-SAME:    %[[Q:[a-z0-9]+]]: tensor<2x5x6xf32>, %{{.+}}: tensor<2x5x6xf32>, %{{.+}}: tensor<2x5x6xf32>, %[[S:[a-z0-9]+]]: tensor<2x5x6xf32>, %[[L:[a-z0-9]+]]: tensor<2x5x6xf32>, %[[SEG:[a-z0-9]+]]: tensor<2x5xi32>, %[[N:[a-z0-9]+]]: tensor<2xi32>
// g[b, c] = sum over valid t of q[b, t, c] / clamp(len[b], 0, L)
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[TOKENS]], #[[BATCH3]], {{.+}}], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[Q]], %[[N]] :
// CHECK:         %[[G:.+]] = linalg.generic {{.+}} ins(%[[SUM]], %[[N]] :
// CHECK-DAG:       arith.maxsi
// CHECK-DAG:       arith.minsi
// CHECK:           arith.divf
// GA: softmax over valid t of g . k_t / sqrt(d), heads split: [B, H, 1, d]
// against [B, H, L, d]
// CHECK:         %[[GQ:.+]] = tensor.expand_shape %[[G]] {{\[}}[0], [1, 2, 3]] output_shape [2, 2, 1, 3]
// CHECK:         linalg.transpose ins(%{{.+}} : tensor<2x5x2x3xf32>) outs(%{{.+}} : tensor<2x2x5x3xf32>) permutation = [0, 2, 1, 3]
// CHECK:         linalg.generic {{.+}} ins(%[[GQ]], %{{.+}} : tensor<2x2x1x3xf32>, tensor<2x2x5x3xf32>) outs(%{{.+}} : tensor<2x2x1x5xf32>)
// CHECK:         %[[GA:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<2x2x1x3xf32> into tensor<2x6xf32>
// SMP: max over valid t' of the same segment
// CHECK:         %[[SP:.+]] = linalg.generic {indexing_maps = [#[[OTHER]], #[[SEGOTHER]], #[[SEGSELF]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[S]], %[[SEG]], %[[SEG]], %[[N]] :
// CHECK:           arith.cmpi eq
// CHECK:           arith.maximumf
// LMP: max over valid t' with |t' - t| <= 1 (window 3)
// CHECK:         %[[LP:.+]] = linalg.generic {indexing_maps = [#[[OTHER]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[L]], %[[N]] :
// CHECK:           math.absi
// CHECK:           arith.cmpi sle, %{{.+}}, %c1_i64
// out = (G + sp) * o + lp for valid t, 0 otherwise
// CHECK:         linalg.generic {{.+}} ins(%[[GA]], %[[SP]], %{{.+}}, %[[LP]], %[[N]] :
// CHECK-NOT:     attn.
func.func @pool_mix(%q: tensor<2x5x6xf32>, %k: tensor<2x5x6xf32>, %o: tensor<2x5x6xf32>, %s: tensor<2x5x6xf32>, %l: tensor<2x5x6xf32>,
                    %seg: tensor<2x5xi32>, %n: tensor<2xi32>, %init: tensor<2x5x6xf32>) -> tensor<2x5x6xf32> {
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<2x5xi32>)
         len(%n : tensor<2xi32>) outs(%init : tensor<2x5x6xf32>) {heads = 2 : i64} -> tensor<2x5x6xf32>
  return %y : tensor<2x5x6xf32>
}

// -----

// Without len every token is valid (no length operand anywhere); v replaces
// k as the pooled values.
// CHECK-LABEL: func.func @value_no_len
// CHECK-SAME:    %[[K:[a-z0-9]+]]: tensor<1x4x2xf32>, %{{.+}}: tensor<1x4x2xf32>, %{{.+}}: tensor<1x4xi32>, %[[V:[a-z0-9]+]]: tensor<1x4x2xf32>
// CHECK:         tensor.expand_shape %[[K]]
// CHECK:         tensor.expand_shape %[[V]]
// CHECK-NOT:     tensor<1xi32>
func.func @value_no_len(%k: tensor<1x4x2xf32>, %x: tensor<1x4x2xf32>, %seg: tensor<1x4xi32>, %v: tensor<1x4x2xf32>, %init: tensor<1x4x2xf32>) -> tensor<1x4x2xf32> {
  %y = attn.pool_mix ins(%x, %k, %x, %x, %x, %seg : tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<1x4xi32>)
         v(%v : tensor<1x4x2xf32>) outs(%init : tensor<1x4x2xf32>) {heads = 1 : i64} -> tensor<1x4x2xf32>
  return %y : tensor<1x4x2xf32>
}
