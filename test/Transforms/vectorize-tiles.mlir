// mixir-vectorize-tiles: linalg ops inside scf.forall are cut into register
// tiles (8 rows x 32 columns on AVX-512, 4 x 16 on AVX2) by upstream's tiling driver and vectorized;
// ops outside the parallel tile loops are left alone, and so are ops whose
// floordiv maps the tiles would misalign.
// RUN: mixir-opt %s -mixir-configure-target=cpu=x86-64-v4 -mixir-vectorize-tiles | FileCheck %s
// RUN: mixir-opt %s -mixir-configure-target=cpu=x86-64-v3 -mixir-vectorize-tiles | FileCheck %s --check-prefix=AVX2

// With AVX2's 16 vector registers the register tiles are 4 x 16.
// AVX2-LABEL: func.func @inside
// AVX2:         scf.forall
// AVX2:           scf.for %{{.+}} = %c0 to %c16 step %c4
// AVX2:             scf.for %{{.+}} = %c0 to %c64 step %c16
// AVX2:               vector.transfer_read {{.+}} : tensor<4x16xf32>, vector<4x16xf32>

// CHECK-LABEL: func.func @inside
// CHECK:         scf.forall
// An elementwise op: 8 x 32 register tiles, each one vector.
// CHECK:           scf.for %[[R:.+]] = %c0 to %c16 step %c8
// CHECK:             scf.for %[[C:.+]] = %c0 to %c64 step %c32
// CHECK:               %[[V:.+]] = vector.transfer_read {{.+}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK:               arith.mulf %[[V]], %[[V]] : vector<8x32xf32>
// CHECK:               vector.transfer_write
// A floordiv-2 lookup tiled by 8 rows: each tile reads rows r floordiv 2 to
// (r + 7) floordiv 2 of its source (the map stays valid inside the tile).
// CHECK:           scf.for %[[R2:.+]] = %c0 to %c16 step %c8
// CHECK:             scf.for
// CHECK:               %[[HALF:.+]] = affine.apply #{{.+}}(%[[R2]])
// CHECK:               tensor.extract_slice %{{.+}}[%[[HALF]], %{{.+}}] [4, 32] [1, 1] : tensor<8x64xf32> to tensor<4x32xf32>
// 21 rows tile by 7, which floordiv 2 would misalign: not tiled.
// CHECK:           linalg.generic {{.+}} ins(%{{.+}} : tensor<11x64xf32>) outs(%{{.+}} : tensor<21x64xf32>)
// CHECK:           scf.forall.in_parallel

// CHECK-LABEL: func.func @outside
// CHECK-NOT:     vector.
// CHECK:         linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
#half = affine_map<(d0, d1) -> (d0 floordiv 2, d1)>
func.func @inside(%a: tensor<16x64xf32>, %t: tensor<8x64xf32>, %u: tensor<11x64xf32>, %w: tensor<21x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>, tensor<21x64xf32>) {
  %e = tensor.empty() : tensor<16x64xf32>
  %e2 = tensor.empty() : tensor<21x64xf32>
  %r:3 = scf.forall (%i) in (1) shared_outs(%o1 = %e, %o2 = %e, %o3 = %e2) -> (tensor<16x64xf32>, tensor<16x64xf32>, tensor<21x64xf32>) {
    %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%e : tensor<16x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.mulf %in, %in : f32
      linalg.yield %m : f32
    } -> tensor<16x64xf32>
    %y = linalg.generic {indexing_maps = [#half, #id], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<8x64xf32>) outs(%e : tensor<16x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<16x64xf32>
    %z = linalg.generic {indexing_maps = [#half, #id], iterator_types = ["parallel", "parallel"]} ins(%u : tensor<11x64xf32>) outs(%e2 : tensor<21x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<21x64xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %x into %o1[0, 0] [16, 64] [1, 1] : tensor<16x64xf32> into tensor<16x64xf32>
      tensor.parallel_insert_slice %y into %o2[0, 0] [16, 64] [1, 1] : tensor<16x64xf32> into tensor<16x64xf32>
      tensor.parallel_insert_slice %z into %o3[0, 0] [21, 64] [1, 1] : tensor<21x64xf32> into tensor<21x64xf32>
    }
  }
  return %r#0, %r#1, %r#2 : tensor<16x64xf32>, tensor<16x64xf32>, tensor<21x64xf32>
}

func.func @outside(%a: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<16x64xf32>
  return %x : tensor<16x64xf32>
}

// A matmul written as a generic becomes linalg.matmul, so its register tiles
// are vector.contract ops (one reduction step each, lowered to outer
// products later), not a broadcast product reduced over a unit dim. With
// mixed element types (f16 values, f32 accumulator) it stays a generic.
// CHECK-LABEL: func.func @contractions
// CHECK:         scf.forall
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:                 vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK-NOT:             vector<8x32x1xf32>
// CHECK:           scf.for
// CHECK:                 arith.extf %{{.+}} : vector<8x32x1xf16> to vector<8x32x1xf32>
// CHECK:           scf.forall.in_parallel
#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#acc = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @contractions(%a: tensor<16x8xf32>, %b: tensor<8x64xf32>, %h: tensor<8x64xf16>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %e = tensor.empty() : tensor<16x64xf32>
  %r:2 = scf.forall (%i) in (1) shared_outs(%o1 = %e, %o2 = %e) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
    %x = linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %b : tensor<16x8xf32>, tensor<8x64xf32>) outs(%e : tensor<16x64xf32>) {
    ^bb0(%l: f32, %r: f32, %o: f32):
      %m = arith.mulf %l, %r : f32
      %s = arith.addf %o, %m : f32
      linalg.yield %s : f32
    } -> tensor<16x64xf32>
    %y = linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %h : tensor<16x8xf32>, tensor<8x64xf16>) outs(%e : tensor<16x64xf32>) {
    ^bb0(%l: f32, %r: f16, %o: f32):
      %re = arith.extf %r : f16 to f32
      %m = arith.mulf %l, %re : f32
      %s = arith.addf %o, %m : f32
      linalg.yield %s : f32
    } -> tensor<16x64xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %x into %o1[0, 0] [16, 64] [1, 1] : tensor<16x64xf32> into tensor<16x64xf32>
      tensor.parallel_insert_slice %y into %o2[0, 0] [16, 64] [1, 1] : tensor<16x64xf32> into tensor<16x64xf32>
    }
  }
  return %r#0, %r#1 : tensor<16x64xf32>, tensor<16x64xf32>
}

// Inside the tile loops, a row reduction (the reduced dim innermost) is
// vectorized; a column sum (the reduced dim outer, the partial sums of a
// split mean) is left to LLVM's loop vectorizer, which keeps its running
// sums in registers where a register tile would step the reduction with the
// accumulator in memory.
// CHECK-LABEL: func.func @reductions
// CHECK:         scf.forall
// CHECK:             vector.reduction <add>
// CHECK:           linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]
// CHECK-NOT:       vector.
// CHECK:           scf.forall.in_parallel
func.func @reductions(%a: tensor<16x64xf32>) -> (tensor<16xf32>, tensor<64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e16 = tensor.empty() : tensor<16xf32>
  %e64 = tensor.empty() : tensor<64xf32>
  %r:2 = scf.forall (%i) in (1) shared_outs(%o1 = %e16, %o2 = %e64) -> (tensor<16xf32>, tensor<64xf32>) {
    %z16 = linalg.fill ins(%zero : f32) outs(%e16 : tensor<16xf32>) -> tensor<16xf32>
    %rows = linalg.generic {indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (r)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<16x64xf32>) outs(%z16 : tensor<16xf32>) {
    ^bb0(%in: f32, %acc: f32):
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    } -> tensor<16xf32>
    %z64 = linalg.fill ins(%zero : f32) outs(%e64 : tensor<64xf32>) -> tensor<64xf32>
    %cols = linalg.generic {indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (c)>], iterator_types = ["reduction", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%z64 : tensor<64xf32>) {
    ^bb0(%in: f32, %acc: f32):
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    } -> tensor<64xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %rows into %o1[0] [16] [1] : tensor<16xf32> into tensor<16xf32>
      tensor.parallel_insert_slice %cols into %o2[0] [64] [1] : tensor<64xf32> into tensor<64xf32>
    }
  }
  return %r#0, %r#1 : tensor<16xf32>, tensor<64xf32>
}

// The producer of a contraction's accumulator (the zero fill of the scores,
// the online softmax's rescale of acc) is computed in the contraction's
// register tiles, just before their reduction, instead of in a pass of its
// own over the whole tile (the CPU pipeline's hoisting then keeps it in the
// accumulator registers): two register-tile loop nests, not four.
// CHECK-LABEL: func.func @accumulators
// CHECK-DAG:     %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// CHECK:         scf.forall
// CHECK-NOT:       linalg.
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               %[[Z:.+]] = vector.transfer_write %[[ZERO]], %{{.+}} : vector<8x32xf32>, tensor<8x32xf32>
// CHECK-NEXT:          scf.for {{.+}} iter_args(%{{.+}} = %[[Z]]) -> (tensor<8x32xf32>)
// CHECK:                 vector.contract
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               %[[RESCALED:.+]] = arith.mulf %{{.+}}, %{{.+}} : vector<8x32xf32>
// CHECK-NEXT:          %[[W:.+]] = vector.transfer_write %[[RESCALED]]
// CHECK-NEXT:          scf.for {{.+}} iter_args(%{{.+}} = %[[W]]) -> (tensor<8x32xf32>)
// CHECK:                 vector.contract
// CHECK-NOT:       scf.for
// CHECK-NOT:       linalg.
// CHECK:           scf.forall.in_parallel
#row = affine_map<(d0, d1) -> (d0)>
#tile = affine_map<(d0, d1) -> (d0, d1)>
func.func @accumulators(%a: tensor<16x8xf32>, %b: tensor<8x64xf32>, %alpha: tensor<16xf32>, %acc: tensor<16x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %e = tensor.empty() : tensor<16x64xf32>
  %zero = arith.constant 0.0 : f32
  %r:2 = scf.forall (%i) in (1) shared_outs(%o1 = %e, %o2 = %e) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
    %s = linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %b : tensor<16x8xf32>, tensor<8x64xf32>) outs(%z : tensor<16x64xf32>) {
    ^bb0(%l: f32, %r: f32, %o: f32):
      %m = arith.mulf %l, %r : f32
      %sum = arith.addf %o, %m : f32
      linalg.yield %sum : f32
    } -> tensor<16x64xf32>
    %scaled = linalg.generic {indexing_maps = [#row, #tile], iterator_types = ["parallel", "parallel"]}
        ins(%alpha : tensor<16xf32>) outs(%acc : tensor<16x64xf32>) {
    ^bb0(%x: f32, %o: f32):
      %m = arith.mulf %x, %o : f32
      linalg.yield %m : f32
    } -> tensor<16x64xf32>
    %y = linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %b : tensor<16x8xf32>, tensor<8x64xf32>) outs(%scaled : tensor<16x64xf32>) {
    ^bb0(%l: f32, %r: f32, %o: f32):
      %m = arith.mulf %l, %r : f32
      %sum = arith.addf %o, %m : f32
      linalg.yield %sum : f32
    } -> tensor<16x64xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %s into %o1[0, 0] [16, 64] [1, 1] : tensor<16x64xf32> into tensor<16x64xf32>
      tensor.parallel_insert_slice %y into %o2[0, 0] [16, 64] [1, 1] : tensor<16x64xf32> into tensor<16x64xf32>
    }
  }
  return %r#0, %r#1 : tensor<16x64xf32>, tensor<16x64xf32>
}
