// attn-decompose on attn.combiner: abstractions appended to the keys and
// values, then ONE masked attention over direct keys and abstractions.
// RUN: mixir-opt %s -attn-decompose -split-input-file | FileCheck %s

// Logsparse, L = 6: the dyadic blocks a query can use are, at level 0,
// [0,1) [2,3) [4,5); at level 1, [0,2); at level 2, [0,4).
// CHECK-LABEL: func.func @logsparse
// CHECK-DAG:     %[[LEVEL:.+]] = arith.constant dense<[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]> : tensor<11xi64>
// CHECK-DAG:     %[[INDEX:.+]] = arith.constant dense<[0, 0, 0, 0, 0, 0, 0, 2, 4, 0, 0]> : tensor<11xi64>
// CHECK-DAG:     %[[START:.+]] = arith.constant dense<[0, 2, 4, 0, 0]> : tensor<5xi64>
// CHECK-DAG:     %[[END:.+]] = arith.constant dense<[1, 3, 5, 2, 4]> : tensor<5xi64>
// q' = scale * q
// CHECK:         %[[QS:.+]] = linalg.generic
// kbar[n] = max over block n of k, qbar[n] = max over block n of q'
// CHECK:         %[[KBAR:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %[[START]], %[[END]] : tensor<1x1x6x2xf32>, tensor<5xi64>, tensor<5xi64>) outs(%{{.+}} : tensor<1x1x5x2xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[QBAR:.+]] = linalg.generic {{.+}} ins(%[[QS]], %[[START]], %[[END]] :
// vbar[n] = sum over block n of softmax_j(qbar[n] . k_j) v_j (scale 1)
// CHECK:         linalg.generic {{.+}} ins(%[[QBAR]], %{{.+}} : tensor<1x1x5x2xf32>, tensor<1x1x6x2xf32>) outs(%{{.+}} : tensor<1x1x5x6xf32>)
// keys [k; kbar] and values [v; vbar] along the key axis (T = 6 + 5)
// CHECK:         %[[K1:.+]] = tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 0, 0] [1, 1, 6, 2] [1, 1, 1, 1] : tensor<1x1x6x2xf32> into tensor<1x1x11x2xf32>
// CHECK:         %[[KX:.+]] = tensor.insert_slice %[[KBAR]] into %[[K1]][0, 0, 6, 0] [1, 1, 5, 2] [1, 1, 1, 1] : tensor<1x1x5x2xf32> into tensor<1x1x11x2xf32>
// One softmax over {i} and the blocks (l, p) with bit l of i set and
// p = floor(i / 2^l) - 1.
// CHECK:         %[[Z:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %[[KX]] : tensor<1x1x6x2xf32>, tensor<1x1x11x2xf32>) outs(%{{.+}} : tensor<1x1x6x11xf32>)
// CHECK:         linalg.generic {{.+}} ins(%[[Z]], %[[LEVEL]], %[[INDEX]] : tensor<1x1x6x11xf32>, tensor<11xi64>, tensor<11xi64>)
// CHECK:           arith.shrsi
// CHECK-NOT:     attn.
func.func @logsparse(%q: tensor<1x1x6x2xf32>, %init: tensor<1x1x6x2xf32>) -> tensor<1x1x6x2xf32> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x6x2xf32>, tensor<1x1x6x2xf32>, tensor<1x1x6x2xf32>) outs(%init : tensor<1x1x6x2xf32>)
    {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x1x6x2xf32>
  return %o : tensor<1x1x6x2xf32>
}

// -----

// Fixed, segments of 3 over L = 6: two segment abstractions, T = 6 + 2.
// CHECK-LABEL: func.func @fixed
// CHECK-DAG:     arith.constant dense<[0, 3]> : tensor<2xi64>
// CHECK-DAG:     arith.constant dense<[3, 6]> : tensor<2xi64>
// CHECK:         tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 6, 0] [2, 1, 2, 4] [1, 1, 1, 1] : tensor<2x1x2x4xf32> into tensor<2x1x8x4xf32>
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<2x1x6x8xf32>)
// CHECK:         arith.divsi
func.func @fixed(%q: tensor<2x1x6x4xf16>, %init: tensor<2x1x6x4xf16>) -> tensor<2x1x6x4xf16> {
  %o = attn.combiner ins(%q, %q, %q : tensor<2x1x6x4xf16>, tensor<2x1x6x4xf16>, tensor<2x1x6x4xf16>) outs(%init : tensor<2x1x6x4xf16>)
    {variant = #attn.variant<fixed>, block = 3 : i64} -> tensor<2x1x6x4xf16>
  return %o : tensor<2x1x6x4xf16>
}

// -----

// Axial, rows of 2 over L = 4: the row summaries u and kt come from one
// attention over the row with values [v | k] (Dv = 2 D), then keys [k; kt]
// and values [v; u] (T = 2 L).
// CHECK-LABEL: func.func @axial
// CHECK:         tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 0, 3] [1, 1, 4, 3] [1, 1, 1, 1] : tensor<1x1x4x3xf32> into tensor<1x1x4x6xf32>
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x4x6xf32>)
// CHECK-DAG:     tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 1, 4, 3] [1, 1, 1, 1] : tensor<1x1x4x6xf32> to tensor<1x1x4x3xf32>
// CHECK-DAG:     tensor.extract_slice %{{.+}}[0, 0, 0, 3] [1, 1, 4, 3] [1, 1, 1, 1] : tensor<1x1x4x6xf32> to tensor<1x1x4x3xf32>
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x4x8xf32>)
// CHECK:         arith.remsi
func.func @axial(%q: tensor<1x1x4x3xf32>, %init: tensor<1x1x4x3xf32>) -> tensor<1x1x4x3xf32> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x4x3xf32>, tensor<1x1x4x3xf32>, tensor<1x1x4x3xf32>) outs(%init : tensor<1x1x4x3xf32>)
    {variant = #attn.variant<axial>, block = 2 : i64, causal = true} -> tensor<1x1x4x3xf32>
  return %o : tensor<1x1x4x3xf32>
}
