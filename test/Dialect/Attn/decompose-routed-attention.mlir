// attn-decompose on attn.routed_attention: region means (f64), affinity,
// ranks with ties to the lower index, and the masked attention engine with
// "rank of the key's region < topk" as its mask.
// RUN: mixir-opt %s -attn-decompose -split-input-file | FileCheck %s

// A 6x6 token map in 3x2 regions (each 2 rows x 3 columns, R = 6).
// CHECK-DAG: #[[TOKENS:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4, d5, d6)>
// CHECK-DAG: #[[MEANS:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d4, d1, d6)>
// CHECK-DAG: #[[REGIONS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, ((d2 floordiv 6) floordiv 2) * 2 + (d2 mod 6) floordiv 3, ((d3 floordiv 6) floordiv 2) * 2 + (d3 mod 6) floordiv 3)>
// CHECK-LABEL: func.func @regions_2d
// CHECK-DAG:     %[[WEIGHT:.+]] = arith.constant 0.16666666666666666 : f64
// qr[b, region, h, d] = mean over the region's tokens, in f64:
// L = 36 -> [RH, hr, RW, wr] = [3, 2, 2, 3]
// CHECK:         %[[QX:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2, 3, 4, 5], [6]] output_shape [1, 2, 3, 2, 2, 3, 4]
// CHECK:         %[[QS:.+]] = linalg.generic {indexing_maps = [#[[TOKENS]], #[[MEANS]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]} ins(%[[QX]] : tensor<1x2x3x2x2x3x4xf32>) outs(%{{.+}} : tensor<1x3x2x2x4xf64>)
// CHECK:           arith.extf %{{.+}} : f32 to f64
// CHECK:           arith.mulf %{{.+}}, %[[WEIGHT]] : f64
// CHECK:         %[[QR:.+]] = tensor.collapse_shape %[[QS]] {{\[}}[0], [1, 2], [3, 4]] : tensor<1x3x2x2x4xf64> into tensor<1x6x8xf64>
// CHECK:         %[[KR:.+]] = tensor.collapse_shape
// A[b, n, m] = qr[b, n, :] . kr[b, m, :]
// CHECK:         %[[A:.+]] = linalg.generic {{.+}} ins(%[[QR]], %[[KR]] : tensor<1x6x8xf64>, tensor<1x6x8xf64>) outs(%{{.+}} : tensor<1x6x6xf64>)
// rank[b, n, m] = #{m2 : A[n, m2] > A[n, m] or (A[n, m2] == A[n, m] and m2 < m)}
// CHECK:         %[[RANK:.+]] = linalg.generic {{.+}} ins(%[[A]], %[[A]] : tensor<1x6x6xf64>, tensor<1x6x6xf64>) outs(%{{.+}} : tensor<1x6x6xi64>)
// CHECK-DAG:       arith.cmpf ogt
// CHECK-DAG:       arith.cmpf oeq
// CHECK-DAG:       arith.cmpi ult
// CHECK:           arith.extui %{{.+}} : i1 to i64
// token i attends to token j iff rank[b, region(i), region(j)] < topk
// CHECK:         linalg.generic {indexing_maps = [{{.+}}, #[[REGIONS]], {{.+}}]{{.+}} ins(%{{.+}}, %[[RANK]] : tensor<1x2x36x36xf32>, tensor<1x6x6xi64>)
// CHECK:           arith.cmpi slt, %{{.+}}, %c2_i64 : i64
// CHECK-NOT:     attn.
func.func @regions_2d(%q: tensor<1x2x36x4xf32>, %init: tensor<1x2x36x4xf32>) -> tensor<1x2x36x4xf32> {
  %o = attn.routed_attention ins(%q, %q, %q : tensor<1x2x36x4xf32>, tensor<1x2x36x4xf32>, tensor<1x2x36x4xf32>) outs(%init : tensor<1x2x36x4xf32>)
    {topk = 2 : i64, grid = array<i64: 6, 6>, regions = array<i64: 3, 2>} -> tensor<1x2x36x4xf32>
  return %o : tensor<1x2x36x4xf32>
}

// -----

// 1-D regions of 4 tokens: L = 12 -> [R, r] = [3, 4], region(t) = t / 4.
// CHECK-DAG: #[[REGIONS1D:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2 floordiv 4, d3 floordiv 4)>
// CHECK-LABEL: func.func @regions_1d
// CHECK:         tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2, 3], [4]] output_shape [2, 1, 3, 4, 8]
// CHECK:         linalg.generic {indexing_maps = [{{.+}}, #[[REGIONS1D]], {{.+}}]
func.func @regions_1d(%q: tensor<2x1x12x8xf16>, %init: tensor<2x1x12x8xf16>) -> tensor<2x1x12x8xf16> {
  %o = attn.routed_attention ins(%q, %q, %q : tensor<2x1x12x8xf16>, tensor<2x1x12x8xf16>, tensor<2x1x12x8xf16>) outs(%init : tensor<2x1x12x8xf16>)
    {topk = 1 : i64, region_size = 4 : i64} -> tensor<2x1x12x8xf16>
  return %o : tensor<2x1x12x8xf16>
}
