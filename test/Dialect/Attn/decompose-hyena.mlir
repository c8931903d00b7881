// attn-decompose on attn.hyena: the recurrence unrolled over the order, each
// step a gate, a direct causal convolution over the input left-padded with
// L - 1 zeros, and the skip term; then the last gate.
// RUN: mixir-opt %s -attn-decompose -split-input-file | FileCheck %s

// Order 2, L = 4, filters of 6 taps (the last 2 ignored).
// CHECK-DAG: #[[TAPS:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[SHIFTED:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1 - d3 + 3, d2)>
// CHECK-DAG: #[[CHANNEL:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @order2
// CHECK-SAME:    %[[V:[a-z0-9]+]]: tensor<1x4x2xf16>, %[[GATES:[a-z0-9]+]]: tensor<2x1x4x2xf16>, %[[FILTERS:[a-z0-9]+]]: tensor<1x2x6xf16>, %[[SKIP:[a-z0-9]+]]: tensor<1x2xf16>
// v = v * x^1
// CHECK:         %[[X1:.+]] = tensor.extract_slice %[[GATES]][1, 0, 0, 0] [1, 1, 4, 2] [1, 1, 1, 1] : tensor<2x1x4x2xf16> to tensor<1x4x2xf16>
// CHECK:         %[[U:.+]] = linalg.generic {{.+}} ins(%[[V]], %[[X1]] : tensor<1x4x2xf16>, tensor<1x4x2xf16>) outs(%{{.+}} : tensor<1x4x2xf32>)
// h = filters[0, :, 0:L]
// CHECK:         %[[H0:.+]] = tensor.extract_slice %[[FILTERS]][0, 0, 0] [1, 2, 6] [1, 1, 1] : tensor<1x2x6xf16> to tensor<2x6xf16>
// CHECK:         %[[H:.+]] = tensor.extract_slice %[[H0]][0, 0] [2, 4] [1, 1] : tensor<2x6xf16> to tensor<2x4xf16>
// [0 (L - 1 rows); u]
// CHECK:         %[[PAD:.+]] = tensor.insert_slice %[[U]] into %{{.+}}[0, 3, 0] [1, 4, 2] [1, 1, 1] : tensor<1x4x2xf32> into tensor<1x7x2xf32>
// conv[b, t, c] = sum_s h[c, s] * u[b, t - s, c]
// CHECK:         %[[CONV:.+]] = linalg.generic {indexing_maps = [#[[TAPS]], #[[SHIFTED]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[H]], %[[PAD]] : tensor<2x4xf16>, tensor<1x7x2xf32>)
// v = conv + skip[0] * u
// CHECK:         %[[SKIP0:.+]] = tensor.extract_slice %[[SKIP]][0, 0] [1, 2] [1, 1] : tensor<1x2xf16> to tensor<2xf16>
// CHECK:         %[[NEXT:.+]] = linalg.generic {indexing_maps = [{{.+}}, #[[CHANNEL]], {{.+}}, {{.+}}], {{.+}} ins(%[[CONV]], %[[SKIP0]], %[[U]] :
// y = v * x^0, in f16
// CHECK:         %[[X0:.+]] = tensor.extract_slice %[[GATES]][0, 0, 0, 0]
// CHECK:         %[[Y:.+]] = linalg.generic {{.+}} ins(%[[NEXT]], %[[X0]] : tensor<1x4x2xf32>, tensor<1x4x2xf16>) outs(%{{.+}} : tensor<1x4x2xf16>)
// CHECK:           arith.truncf
// CHECK:         return %[[Y]]
func.func @order2(%v: tensor<1x4x2xf16>, %g: tensor<2x1x4x2xf16>, %f: tensor<1x2x6xf16>, %s: tensor<1x2xf16>, %init: tensor<1x4x2xf16>) -> tensor<1x4x2xf16> {
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<1x4x2xf16>, tensor<2x1x4x2xf16>, tensor<1x2x6xf16>, tensor<1x2xf16>) outs(%init : tensor<1x4x2xf16>) -> tensor<1x4x2xf16>
  return %y : tensor<1x4x2xf16>
}

// -----

// Order 3: two recurrence steps (gates x^2 then x^1, filters 0 then 1), then
// x^0.
// CHECK-LABEL: func.func @order3
// CHECK-SAME:    %{{.+}}: tensor<1x3x1xf32>, %[[G:[a-z0-9]+]]: tensor<3x1x3x1xf32>, %[[F:[a-z0-9]+]]: tensor<2x1x3xf32>
// CHECK:         tensor.extract_slice %[[G]][2, 0, 0, 0]
// CHECK:         tensor.extract_slice %[[F]][0, 0, 0]
// CHECK:         tensor.extract_slice %[[G]][1, 0, 0, 0]
// CHECK:         tensor.extract_slice %[[F]][1, 0, 0]
// CHECK:         tensor.extract_slice %[[G]][0, 0, 0, 0]
// CHECK-NOT:     tensor.extract_slice %[[G]]
func.func @order3(%v: tensor<1x3x1xf32>, %g: tensor<3x1x3x1xf32>, %f: tensor<2x1x3xf32>, %s: tensor<2x1xf32>, %init: tensor<1x3x1xf32>) -> tensor<1x3x1xf32> {
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<1x3x1xf32>, tensor<3x1x3x1xf32>, tensor<2x1x3xf32>, tensor<2x1xf32>) outs(%init : tensor<1x3x1xf32>) -> tensor<1x3x1xf32>
  return %y : tensor<1x3x1xf32>
}
