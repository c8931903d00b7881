// Round trip of attn.routing_layout (internal: routed attention's routing,
// separated by attn-tile): 1-D and 2-D regions; once more through the generic
// form.
// RUN: mixir-opt %s -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @regions_1d
// CHECK: attn.routing_layout ins(%{{.+}}, %{{.+}} : tensor<1x2x128x16xbf16>, tensor<1x2x128x16xbf16>) {region_size = 64 : i64, topk = 1 : i64} -> tensor<1x2x2xi1>
func.func @regions_1d(%q: tensor<1x2x128x16xbf16>, %k: tensor<1x2x128x16xbf16>) -> tensor<1x2x2xi1> {
  %l = attn.routing_layout ins(%q, %k : tensor<1x2x128x16xbf16>, tensor<1x2x128x16xbf16>) {region_size = 64 : i64, topk = 1 : i64} -> tensor<1x2x2xi1>
  return %l : tensor<1x2x2xi1>
}

// -----

// CHECK-LABEL: func.func @regions_2d
// CHECK: attn.routing_layout ins(%{{.+}}, %{{.+}} : tensor<2x1x36x8xf32>, tensor<2x1x36x8xf32>) {grid = array<i64: 6, 6>, regions = array<i64: 3, 2>, topk = 4 : i64} -> tensor<2x6x6xi1>
func.func @regions_2d(%q: tensor<2x1x36x8xf32>, %k: tensor<2x1x36x8xf32>) -> tensor<2x6x6xi1> {
  %l = attn.routing_layout ins(%q, %k : tensor<2x1x36x8xf32>, tensor<2x1x36x8xf32>) {grid = array<i64: 6, 6>, regions = array<i64: 3, 2>, topk = 4 : i64} -> tensor<2x6x6xi1>
  return %l : tensor<2x6x6xi1>
}
