// attn.partial_attention implements TilingInterface: upstream's transform
// ops tile it like any linalg op. Query tiles go to an scf.forall (the
// batch, head and query dims are parallel); the keys are a reduction that
// an scf.for tiles exactly, carrying the state (acc, m, l) as iter_args.
// Each tile carries its global position as offsets, so masks stay global.
// RUN: mixir-opt %s -transform-interpreter -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @queries_in_parallel
// CHECK-SAME:    %[[Q:[a-z0-9]+]]: tensor<1x4x16x8xf32>, %[[K:[a-z0-9]+]]: tensor<1x2x16x8xf32>
// CHECK:         scf.forall (%[[B:.+]], %[[H:.+]], %[[T:.+]]) in (1, 4, 2) shared_outs(%[[ACC:.+]] = %{{.+}}, %[[M:.+]] = %{{.+}}, %[[L:.+]] = %{{.+}})
// CHECK:           %[[I:.+]] = affine.apply #{{.+}}(%[[T]])
// GQA: query head h reads key/value head h / 2
// CHECK:           %[[KVH:.+]] = arith.divui %[[H]], %c2 : index
// CHECK:           tensor.extract_slice %[[Q]][%[[B]], %[[H]], %[[I]], 0] [1, 1, 8, 8]
// CHECK:           tensor.extract_slice %[[K]][%[[B]], %[[KVH]], 0, 0] [1, 1, 16, 8]
// CHECK:           tensor.extract_slice %[[ACC]][%[[B]], %[[H]], %[[I]], 0] [1, 1, 8, 4]
// CHECK:           tensor.extract_slice %[[M]][%[[B]], %[[H]], %[[I]]] [1, 1, 8]
// CHECK:           attn.partial_attention {{.+}} offsets(%[[B]], %[[H]], %[[I]], %{{.+}}) outs({{.+}} : tensor<1x1x8x4xf32>, tensor<1x1x8xf32>, tensor<1x1x8xf32>)
// CHECK-SAME:        causal = #attn.causal<top_left>{{.+}}lengths = array<i64: 16, 16>
// CHECK:           scf.forall.in_parallel
func.func @queries_in_parallel(%q: tensor<1x4x16x8xf32>, %k: tensor<1x2x16x8xf32>, %v: tensor<1x2x16x4xf32>, %acc: tensor<1x4x16x4xf32>, %m: tensor<1x4x16xf32>, %l: tensor<1x4x16xf32>) -> (tensor<1x4x16x4xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>) {
  %r:3 = attn.partial_attention ins(%q, %k, %v : tensor<1x4x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      outs(%acc, %m, %l : tensor<1x4x16x4xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>)
      {causal = #attn.causal<top_left>, lengths = array<i64: 16, 16>, scale = 0.125 : f32}
      -> tensor<1x4x16x4xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>
  return %r#0, %r#1, %r#2 : tensor<1x4x16x4xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["attn.partial_attention"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loop = transform.structured.tile_using_forall %op tile_sizes [1, 1, 8, 0] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// CHECK-LABEL: func.func @keys_as_reduction
// CHECK-SAME:    %[[K:[a-z0-9]+]]: tensor<1x1x10x8xf32>
// CHECK:         %{{.+}}:3 = scf.for %[[J:.+]] = %c0 to %c10 step %c4 iter_args(%[[ACC:.+]] = %{{.+}}, %[[M:.+]] = %{{.+}}, %[[L:.+]] = %{{.+}})
// the last key tile is partial: 10 = 4 + 4 + 2
// CHECK:           %[[SIZE:.+]] = affine.min #{{.+}}(%[[J]])
// CHECK:           tensor.extract_slice %[[K]][0, 0, %[[J]], 0] [1, 1, %[[SIZE]], 8]
// the state is the whole iter_arg: the reduction folds into it
// CHECK:           %[[ACCT:.+]] = tensor.extract_slice %[[ACC]][0, 0, 0, 0] [1, 1, 6, 4]
// CHECK:           %[[R:.+]]:3 = attn.partial_attention {{.+}} offsets(%{{.+}}, %{{.+}}, %{{.+}}, %[[J]]) outs(%[[ACCT]], %{{.+}}, %{{.+}} : tensor<1x1x6x4xf32>, tensor<1x1x6xf32>, tensor<1x1x6xf32>)
// CHECK:           tensor.insert_slice %[[R]]#0 into %[[ACC]]
// CHECK:           scf.yield
func.func @keys_as_reduction(%q: tensor<1x1x6x8xf32>, %k: tensor<1x1x10x8xf32>, %v: tensor<1x1x10x4xf32>, %acc: tensor<1x1x6x4xf32>, %m: tensor<1x1x6xf32>, %l: tensor<1x1x6xf32>) -> (tensor<1x1x6x4xf32>, tensor<1x1x6xf32>, tensor<1x1x6xf32>) {
  %r:3 = attn.partial_attention ins(%q, %k, %v : tensor<1x1x6x8xf32>, tensor<1x1x10x8xf32>, tensor<1x1x10x4xf32>)
      outs(%acc, %m, %l : tensor<1x1x6x4xf32>, tensor<1x1x6xf32>, tensor<1x1x6xf32>)
      {lengths = array<i64: 6, 10>, scale = 0.125 : f32}
      -> tensor<1x1x6x4xf32>, tensor<1x1x6xf32>, tensor<1x1x6xf32>
  return %r#0, %r#1, %r#2 : tensor<1x1x6x4xf32>, tensor<1x1x6xf32>, tensor<1x1x6xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["attn.partial_attention"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loop = transform.structured.tile_using_for %op tile_sizes [0, 0, 0, 4] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
