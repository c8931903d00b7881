// attn-fuse: the neighbours of the flash-style loop nests of attn-tile are
// computed tile by tile inside them (upstream tile-and-fuse).
// RUN: mixir-opt %s -mixir-configure-target -attn-tile -convert-attn-tiles-to-linalg -attn-fuse -split-input-file | FileCheck %s

// Projections in [B, S, H, D] (S = 128, two query tiles): Q is transposed
// into [B, H, S, D] and scaled, the output transposed back and added to the
// residual. The Q-side producers and the output-side consumers move into the
// parallel loop; K and V, read by every query tile, are transposed once
// outside it.
// CHECK-LABEL: func.func @encoder_layout
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<1x128x2x16xf32>
// CHECK:         %[[KT:.+]] = linalg.transpose ins(%{{.+}} : tensor<1x128x2x16xf32>) outs(%{{.+}} : tensor<1x2x128x16xf32>)
// CHECK:         scf.forall (%[[B:.+]], %[[H:.+]], %[[I:.+]]) = (0, 0, 0) to (1, 2, 128) step (1, 1, 64)
// the query tile: a [1, 64, 1, 16] slice of x, transposed, then scaled
// CHECK:           %[[XT:.+]] = tensor.extract_slice %[[X]][%[[B]], %[[I]], %[[H]], 0] [1, 64, 1, 16]
// CHECK:           %[[QT:.+]] = linalg.transpose ins(%[[XT]] : tensor<1x64x1x16xf32>) outs(%{{.+}} : tensor<1x1x64x16xf32>)
// CHECK:           %[[QS:.+]] = linalg.generic {{.+}} ins(%[[QT]] : tensor<1x1x64x16xf32>)
// CHECK:             arith.mulf
// CHECK:           scf.for
// CHECK:           %[[O:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x64x16xf32>)
// CHECK:             arith.divf
// the output tile transposed back and added to the residual, in the loop
// CHECK:           %[[OT:.+]] = linalg.transpose ins(%[[O]] : tensor<1x1x64x16xf32>) outs(%{{.+}} : tensor<1x64x1x16xf32>)
// CHECK:           %[[SUM:.+]] = linalg.generic {{.+}} ins(%[[OT]], %{{.+}} : tensor<1x64x1x16xf32>, tensor<1x64x1x16xf32>)
// CHECK:             arith.addf
// CHECK:           scf.forall.in_parallel
// CHECK:             tensor.parallel_insert_slice %[[SUM]] into %{{.+}}[%[[B]], %[[I]], %[[H]], 0] [1, 64, 1, 16]
// CHECK-NOT:     linalg.transpose
// CHECK-NOT:     linalg.generic
// CHECK:         return
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @encoder_layout(%x: tensor<1x128x2x16xf32>, %kx: tensor<1x128x2x16xf32>) -> tensor<1x128x2x16xf32> {
  %e = tensor.empty() : tensor<1x2x128x16xf32>
  %qt = linalg.transpose ins(%x : tensor<1x128x2x16xf32>) outs(%e : tensor<1x2x128x16xf32>) permutation = [0, 2, 1, 3]
  %q = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qt : tensor<1x2x128x16xf32>) outs(%e : tensor<1x2x128x16xf32>) {
    ^bb0(%a: f32, %o: f32):
      %c = arith.constant 0.25 : f32
      %s = arith.mulf %a, %c : f32
      linalg.yield %s : f32
  } -> tensor<1x2x128x16xf32>
  %k = linalg.transpose ins(%kx : tensor<1x128x2x16xf32>) outs(%e : tensor<1x2x128x16xf32>) permutation = [0, 2, 1, 3]
  %init = tensor.empty() : tensor<1x2x128x16xf32>
  %o = attn.attention ins(%q, %k, %k : tensor<1x2x128x16xf32>, tensor<1x2x128x16xf32>, tensor<1x2x128x16xf32>)
      outs(%init : tensor<1x2x128x16xf32>) {scale = 1.0 : f32} -> tensor<1x2x128x16xf32>
  %e2 = tensor.empty() : tensor<1x128x2x16xf32>
  %ot = linalg.transpose ins(%o : tensor<1x2x128x16xf32>) outs(%e2 : tensor<1x128x2x16xf32>) permutation = [0, 2, 1, 3]
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ot, %x : tensor<1x128x2x16xf32>, tensor<1x128x2x16xf32>) outs(%e2 : tensor<1x128x2x16xf32>) {
    ^bb0(%a: f32, %b: f32, %o2: f32):
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
  } -> tensor<1x128x2x16xf32>
  return %r : tensor<1x128x2x16xf32>
}

// -----

// A bias built from positions (ALiBi, slope 0.5 per key of distance) and a
// gating multiply of the output. The bias is never materialised: its rows
// for the query tile are fused into the parallel loop, and from there each
// [64 x 64] tile into the key loop; the gate is fused as a consumer.
// CHECK-LABEL: func.func @alibi_and_gate
// CHECK-NOT:     outs(%{{.+}} : tensor<1x2x128x128xf32>)
// CHECK:         scf.forall
// CHECK:           scf.for
// CHECK:             %[[BIAS:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x64x64xf32>)
// CHECK:               linalg.index 2
// CHECK:               linalg.index 3
// CHECK:             tensor.extract_slice %[[BIAS]][0, 0, 0, 0] [1, 1, 64, 64] [1, 1, 1, 1] : tensor<1x1x64x64xf32> to tensor<64x64xf32>
// CHECK:           %[[O:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x64x16xf32>)
// CHECK:             arith.divf
// CHECK:           %[[GATED:.+]] = linalg.generic {{.+}} ins(%[[O]], %{{.+}} : tensor<1x1x64x16xf32>, tensor<1x1x64x16xf32>)
// CHECK:             arith.mulf
// CHECK:           scf.forall.in_parallel
// CHECK:             tensor.parallel_insert_slice %[[GATED]]
// CHECK-NOT:     linalg.generic
// CHECK:         return
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @alibi_and_gate(%q: tensor<1x2x128x16xf32>, %k: tensor<1x2x128x16xf32>, %g: tensor<1x2x128x16xf32>) -> tensor<1x2x128x16xf32> {
  %eb = tensor.empty() : tensor<1x2x128x128xf32>
  %bias = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%eb : tensor<1x2x128x128xf32>) {
    ^bb0(%o: f32):
      %i = linalg.index 2 : index
      %j = linalg.index 3 : index
      %d = arith.subi %j, %i : index
      %di = arith.index_cast %d : index to i64
      %df = arith.sitofp %di : i64 to f32
      %slope = arith.constant 0.5 : f32
      %b = arith.mulf %df, %slope : f32
      linalg.yield %b : f32
  } -> tensor<1x2x128x128xf32>
  %init = tensor.empty() : tensor<1x2x128x16xf32>
  %o = attn.attention ins(%q, %k, %k : tensor<1x2x128x16xf32>, tensor<1x2x128x16xf32>, tensor<1x2x128x16xf32>)
      bias(%bias : tensor<1x2x128x128xf32>) outs(%init : tensor<1x2x128x16xf32>) -> tensor<1x2x128x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%o, %g : tensor<1x2x128x16xf32>, tensor<1x2x128x16xf32>) outs(%init : tensor<1x2x128x16xf32>) {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %s = arith.mulf %a, %b : f32
      linalg.yield %s : f32
  } -> tensor<1x2x128x16xf32>
  return %r : tensor<1x2x128x16xf32>
}

// -----

// A projection in [B, S, H * D] is reshaped to [B, S, H, D] (a view, no
// copy) and transposed: the transpose is fused and reads its tile of the
// reshaped view. K and V producers stay outside; nothing is fused into a
// loop nest that attn-tile did not build.
// CHECK-LABEL: func.func @reshaped_projection
// CHECK:         %[[VIEW:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2, 3]] output_shape [1, 64, 2, 8] : tensor<1x64x16xf32> into tensor<1x64x2x8xf32>
// CHECK:         %[[KT:.+]] = linalg.transpose ins(%{{.+}} : tensor<1x64x2x8xf32>)
// CHECK:         scf.forall
// CHECK:           %[[TILE:.+]] = tensor.extract_slice %[[VIEW]][%{{.+}}, %{{.+}}, %{{.+}}, 0] [1, 64, 1, 8]
// CHECK:           linalg.transpose ins(%[[TILE]] : tensor<1x64x1x8xf32>) outs(%{{.+}} : tensor<1x1x64x8xf32>)
// CHECK:           scf.for
// CHECK:         %[[OTHER:.+]] = scf.forall (%{{.+}}) in (4) shared_outs
// CHECK-NOT:       linalg.transpose
// CHECK:         scf.forall.in_parallel
func.func @reshaped_projection(%x: tensor<1x64x16xf32>, %k: tensor<1x64x2x8xf32>, %w: tensor<4xf32>) -> (tensor<1x2x64x8xf32>, tensor<4xf32>) {
  %view = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [1, 64, 2, 8] : tensor<1x64x16xf32> into tensor<1x64x2x8xf32>
  %e = tensor.empty() : tensor<1x2x64x8xf32>
  %q = linalg.transpose ins(%view : tensor<1x64x2x8xf32>) outs(%e : tensor<1x2x64x8xf32>) permutation = [0, 2, 1, 3]
  %kt = linalg.transpose ins(%k : tensor<1x64x2x8xf32>) outs(%e : tensor<1x2x64x8xf32>) permutation = [0, 2, 1, 3]
  %o = attn.attention ins(%q, %kt, %kt : tensor<1x2x64x8xf32>, tensor<1x2x64x8xf32>, tensor<1x2x64x8xf32>)
      outs(%e : tensor<1x2x64x8xf32>) -> tensor<1x2x64x8xf32>
  // A loop of the user's: attn-fuse leaves it alone.
  %ew = tensor.empty() : tensor<4xf32>
  %other = scf.forall (%i) in (4) shared_outs(%out = %ew) -> (tensor<4xf32>) {
    %s = tensor.extract_slice %w[%i] [1] [1] : tensor<4xf32> to tensor<1xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %s into %out[%i] [1] [1] : tensor<1xf32> into tensor<4xf32>
    }
  }
  return %o, %other : tensor<1x2x64x8xf32>, tensor<4xf32>
}

// -----

// Near miss: a consumer that reduces over the sequence (a sum over S) is not
// fused, since every query tile would write its partial sum to one place.
// CHECK-LABEL: func.func @sequence_sum
// CHECK:         %[[LOOP:.+]]:4 = scf.forall
// CHECK-NOT:       linalg.reduce
// CHECK:         scf.forall.in_parallel
// CHECK:         linalg.reduce { arith.addf } ins(%[[LOOP]]#3 : tensor<1x2x128x16xf32>)
func.func @sequence_sum(%q: tensor<1x2x128x16xf32>, %k: tensor<1x2x128x16xf32>) -> tensor<1x2x16xf32> {
  %init = tensor.empty() : tensor<1x2x128x16xf32>
  %o = attn.attention ins(%q, %k, %k : tensor<1x2x128x16xf32>, tensor<1x2x128x16xf32>, tensor<1x2x128x16xf32>) outs(%init : tensor<1x2x128x16xf32>) -> tensor<1x2x128x16xf32>
  %e = tensor.empty() : tensor<1x2x16xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x16xf32>) -> tensor<1x2x16xf32>
  %r = linalg.reduce { arith.addf } ins(%o : tensor<1x2x128x16xf32>) outs(%f : tensor<1x2x16xf32>) dimensions = [2]
  return %r : tensor<1x2x16xf32>
}
