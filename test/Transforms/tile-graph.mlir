// mixir-tile-graph: graph ops outside loops become scf.forall tiles over
// their parallel dims (graph_rows x graph_cols of the tile configuration,
// of the two innermost), a matmul's zero fill fused into its tiles; row
// reductions and ops already inside loops are left alone. A reduction over
// a long dim whose outputs fit in one graph tile (a masked sum over the
// sequence) becomes partial sums of graph_reduction_tile steps in an
// scf.forall, then their merge. Each op takes the configuration of its
// nearest enclosing op that has one.
// RUN: mixir-opt %s -split-input-file -mixir-configure-target -mixir-tile-graph | FileCheck %s

// CHECK-LABEL: func.func @projection
// CHECK:         scf.forall (%[[I:.+]], %[[J:.+]]) = (0, 0) to (64, 384) step (32, 128)
// CHECK:           %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<32x128xf32>)
// CHECK:           linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<32x256xf32>, tensor<256x128xf32>) outs(%[[ACC]] : tensor<32x128xf32>)
// CHECK:         scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (64, 384) step (32, 128)
// CHECK:           math.tanh
func.func @projection(%x: tensor<64x256xf32>, %w: tensor<256x384xf32>) -> tensor<64x384xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<64x384xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<64x384xf32>) -> tensor<64x384xf32>
  %y = linalg.matmul ins(%x, %w : tensor<64x256xf32>, tensor<256x384xf32>) outs(%acc : tensor<64x384xf32>) -> tensor<64x384xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<64x384xf32>) outs(%init : tensor<64x384xf32>) {
  ^bb0(%a: f32, %out: f32):
    %b = math.tanh %a : f32
    linalg.yield %b : f32
  } -> tensor<64x384xf32>
  return %t : tensor<64x384xf32>
}

// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     scf.forall
// CHECK:         linalg.reduce
// CHECK:         scf.for
// CHECK:           linalg.generic
// CHECK-NOT:     scf.forall
// CHECK:         return
func.func @left_alone(%x: tensor<64x256xf32>, %n: index) -> (tensor<64xf32>, tensor<64x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rinit = tensor.empty() : tensor<64xf32>
  %racc = linalg.fill ins(%zero : f32) outs(%rinit : tensor<64xf32>) -> tensor<64xf32>
  %sum = linalg.reduce ins(%x : tensor<64x256xf32>) outs(%racc : tensor<64xf32>) dimensions = [1]
    (%a: f32, %b: f32) {
      %c = arith.addf %a, %b : f32
      linalg.yield %c : f32
    }
  %init = tensor.empty() : tensor<64x256xf32>
  %loop = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<64x256xf32> {
    %d = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
        ins(%acc : tensor<64x256xf32>) outs(%init : tensor<64x256xf32>) {
    ^bb0(%a: f32, %out: f32):
      %b = arith.mulf %a, %a : f32
      linalg.yield %b : f32
    } -> tensor<64x256xf32>
    scf.yield %d : tensor<64x256xf32>
  }
  return %sum, %loop : tensor<64xf32>, tensor<64x256xf32>
}

// The sum over 4096 steps of 64 outputs: 4 partial sums of 1024 steps in
// parallel, then a merge; the step index of the mask is the global one (the
// chunk's start added to the local index).
// CHECK-LABEL: func.func @long_masked_sum
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<4096x64xf32>, %[[N:[a-z0-9]+]]: index
// CHECK:         %[[PARTS:.+]] = scf.forall (%[[START:.+]]) = (0) to (4096) step (1024) shared_outs(%{{.+}}) -> (tensor<64x4xf32>)
// CHECK:           tensor.extract_slice %[[X]][%[[START]], 0] [1024, 64] [1, 1]
// CHECK:           linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]
// CHECK:             %[[LOCAL:.+]] = linalg.index 0 : index
// CHECK:             %[[STEP:.+]] = affine.apply #{{.+}}(%[[START]])[%[[LOCAL]]]
// CHECK:             arith.cmpi slt, %[[STEP]], %[[N]] : index
// CHECK:         linalg.reduce ins(%[[PARTS]] : tensor<64x4xf32>) {{.+}} dimensions = [1]
func.func @long_masked_sum(%x: tensor<4096x64xf32>, %n: index) -> tensor<64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(t, c) -> (t, c)>, affine_map<(t, c) -> (c)>], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<4096x64xf32>) outs(%init : tensor<64xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = linalg.index 0 : index
    %valid = arith.cmpi slt, %t, %n : index
    %v = arith.select %valid, %a, %zero : f32
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// -----

// A nested module's own configuration (here 16 x 64 graph tiles) wins over
// the outer one.
// CHECK-LABEL: func.func @configured
// CHECK:         scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (64, 384) step (16, 64)
module {
  module attributes {attn.tile_config = #attn.tile_config<query_tile = 64, key_tile = 64, key_layout = transposed, pad_to_tiles = true, register_rows = 8, register_cols = 32, graph_rows = 16, graph_cols = 64, graph_reduction_tile = 1024, hyena_fft_min_length = 64, hyena_channel_block = 4, hyena_long_channel_block = 2, hyena_long_transform = 16384, hyena_chunks = 8>} {
    func.func @configured(%x: tensor<64x384xf32>) -> tensor<64x384xf32> {
      %init = tensor.empty() : tensor<64x384xf32>
      %t = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
          ins(%x : tensor<64x384xf32>) outs(%init : tensor<64x384xf32>) {
      ^bb0(%a: f32, %out: f32):
        %b = math.tanh %a : f32
        linalg.yield %b : f32
      } -> tensor<64x384xf32>
      return %t : tensor<64x384xf32>
    }
  }
}
