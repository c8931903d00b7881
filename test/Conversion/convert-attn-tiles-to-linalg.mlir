// convert-attn-tiles-to-linalg: the CPU's lowering of the key tiles that
// attn-tile leaves in its loops (the CPU's tile configuration: transposed
// keys, static tiles) to the online-softmax step on linalg ops. Tiles of
// another configuration (the GPU's: row-major keys, partial border tiles)
// are an error on the tile.
// RUN: mixir-opt %s -split-input-file -mixir-configure-target -attn-tile | mixir-opt -split-input-file -convert-attn-tiles-to-linalg | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mixir-configure-target=target=nvptx -attn-tile | not mixir-opt -split-input-file -convert-attn-tiles-to-linalg -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=GPU

// Softmax, S = T = 64 (no mask anywhere): one tile step, no scf.if.
// CHECK-LABEL: func.func @softmax
// CHECK:         scf.for
// CHECK-NOT:       attn.partial_attention
// CHECK-NOT:       scf.if
// The key tile packed into a tile of its own, times the scale (0.25 for
// D = 16): the scores take no pass for the scale, and without a mask or a
// bias none at all before the row max.
// CHECK:           %[[KT:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]{{.+}} outs(%{{.+}} : tensor<16x64xf32>)
// CHECK:             arith.mulf %{{.+}}, %[[SCALE:.+]] : f32
// s = q . (scale k)^T
// CHECK:           %[[S:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]{{.+}} ins(%{{.+}}, %[[KT]] : tensor<64x16xf32>, tensor<16x64xf32>) outs(%{{.+}} : tensor<64x64xf32>)
// m' = max(m, rowmax s) and the rescale a = exp(m - m')
// CHECK-NEXT:        ^bb0
// CHECK-NOT:       arith.mulf %{{.+}}, %[[SCALE]]
// CHECK:           linalg.generic {{.+}} ins(%[[S]] : tensor<64x64xf32>) outs(%{{.+}} : tensor<64xf32>)
// CHECK:             arith.maximumf
// CHECK:           linalg.generic {{.+}} outs(%{{.+}} : tensor<64xf32>)
// CHECK:             arith.maximumf
// CHECK:             arith.cmpf oeq
// CHECK:             math.exp
// acc' = a acc + p . v
// CHECK:           linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]{{.+}} outs(%{{.+}} : tensor<64x16xf32>)
// CHECK:           scf.yield
// GPU: error: 'attn.partial_attention' op convert-attn-tiles-to-linalg lowers tiles of one batch row and one head with transposed keys only (the CPU's tile configuration)
func.func @softmax(%q: tensor<1x1x64x16xf32>, %init: tensor<1x1x64x16xf32>) -> tensor<1x1x64x16xf32> {
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x1x64x16xf32>) outs(%init : tensor<1x1x64x16xf32>) -> tensor<1x1x64x16xf32>
  return %o : tensor<1x1x64x16xf32>
}

// -----

// Block-sparse: a tile whose layout bit is 0 keeps its state.
// CHECK-LABEL: func.func @block_sparse
// CHECK:         scf.for
// CHECK:           %[[BIT:.+]] = tensor.extract %{{.+}}[%{{.+}}, %{{.+}}, %{{.+}}] : tensor<1x2x2xi1>
// CHECK:           scf.if %[[BIT]]
// CHECK:             linalg.generic
// CHECK:           } else {
// CHECK-NEXT:        scf.yield %{{.+}}, %{{.+}}, %{{.+}} : tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>
func.func @block_sparse(%q: tensor<1x1x32x8xf32>, %layout: tensor<1x2x2xi1>, %init: tensor<1x1x32x8xf32>) -> tensor<1x1x32x8xf32> {
  %o = attn.block_sparse_attention ins(%q, %q, %q, %layout : tensor<1x1x32x8xf32>, tensor<1x1x32x8xf32>, tensor<1x1x32x8xf32>, tensor<1x2x2xi1>) outs(%init : tensor<1x1x32x8xf32>)
    {block = array<i64: 16, 16>} -> tensor<1x1x32x8xf32>
  return %o : tensor<1x1x32x8xf32>
}
