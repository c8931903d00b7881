// attn-decompose on attn.routing_layout (what attn-tile separates from routed
// attention for the CPU): region means and affinities in f64, then topk = 2
// selection passes, each taking the first region after the last one taken
// (larger affinity, then lower index), and the layout: the regions taken.
// RUN: mixir-opt %s -attn-decompose | FileCheck %s

// CHECK-LABEL: func.func @routing_1d
// CHECK-NOT:     attn.routing_layout
// CHECK:         %[[AFFINITY:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<2x3x3xf64>)
// CHECK:         %[[FIRST:.+]]:2 = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[AFFINITY]], %{{.+}}, %{{.+}} : tensor<2x3x3xf64>, tensor<2x3xf64>, tensor<2x3xi64>)
// CHECK:         %[[SECOND:.+]]:2 = linalg.generic {{.+}} ins(%[[AFFINITY]], %[[FIRST]]#0, %[[FIRST]]#1 :
// CHECK:         %[[ROUTED:.+]] = linalg.generic {{.+}} ins(%[[AFFINITY]], %[[SECOND]]#0, %[[SECOND]]#1 : {{.+}}) outs(%{{.+}} : tensor<2x3x3xi1>)
// CHECK:         return %[[ROUTED]]
func.func @routing_1d(%q: tensor<2x1x12x8xf32>, %k: tensor<2x1x12x8xf32>) -> tensor<2x3x3xi1> {
  %l = attn.routing_layout ins(%q, %k : tensor<2x1x12x8xf32>, tensor<2x1x12x8xf32>) {region_size = 4 : i64, topk = 2 : i64} -> tensor<2x3x3xi1>
  return %l : tensor<2x3x3xi1>
}
