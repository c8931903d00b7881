// mixir-fuse-elementwise: chains of elementwise linalg ops become one op, as
// with upstream's linalg-fuse-elementwise-ops, but an elementwise producer
// of a reduction (a contraction, a row sum) stays an op of its own: fused,
// it would run once per point of the reduced dim, and the contraction would
// no longer be a matmul.
// RUN: mixir-opt %s -mixir-fuse-elementwise -split-input-file | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @chain
// CHECK:         linalg.generic
// CHECK:           arith.addf
// CHECK:           arith.maximumf
// CHECK-NOT:     linalg.generic
func.func @chain(%x: tensor<8x16xf32>, %b: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<8x16xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%sum : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8x16xf32>
  return %relu : tensor<8x16xf32>
}

// -----

// A sigmoid attention tile: the scores' sigmoid feeds P . V. Fused, the
// sigmoid would be evaluated Dv times per score.
#id = affine_map<(d0, d1) -> (d0, d1)>
#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#out = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @into_contraction
// CHECK:         %[[P:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]
// CHECK:           math.exp
// CHECK:           arith.divf
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[P]], %{{.+}} : tensor<64x64xf32>, tensor<64x16xf32>)
// CHECK-NOT:       math.exp
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @into_contraction(%s: tensor<64x64xf32>, %v: tensor<64x16xf32>, %acc: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %x = math.exp %n : f32
    %d = arith.addf %x, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<64x64xf32>
  %o = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<64x64xf32>, tensor<64x16xf32>) outs(%acc : tensor<64x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  } -> tensor<64x16xf32>
  return %o : tensor<64x16xf32>
}
