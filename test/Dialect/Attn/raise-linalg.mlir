// attn-raise on attention written by hand in linalg on tensors: named ops,
// generics (contractions read K transposed through their maps, scales with
// a constant in the body), linalg.softmax, masks computed from positions,
// heads repeated by linalg.broadcast. Near misses come out unchanged.
// RUN: mixir-opt %s --split-input-file --attn-raise -verify-diagnostics | FileCheck %s

// One head at rank 2: linalg.transpose for K^T, a division by a constant,
// linalg.softmax.
// CHECK-LABEL: func.func @rank2_softmax
// CHECK-SAME: (%[[Q:.*]]: tensor<10x8xf32>, %[[K:.*]]: tensor<12x8xf32>, %[[V:.*]]: tensor<12x4xf32>)
// CHECK-DAG: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[}}[0, 1, 2], [3]] output_shape [1, 1, 10, 8]
// CHECK-DAG: %[[K4:.*]] = tensor.expand_shape %[[K]] {{\[}}[0, 1, 2], [3]] output_shape [1, 1, 12, 8]
// CHECK-DAG: %[[V4:.*]] = tensor.expand_shape %[[V]] {{\[}}[0, 1, 2], [3]] output_shape [1, 1, 12, 4]
// CHECK: %[[O:.*]] = attn.attention ins(%[[Q4]], %[[K4]], %[[V4]] :
// CHECK-SAME: {scale = 5.000000e-01 : f32}
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[O]] {{\[}}[0, 1, 2], [3]]
// CHECK-NOT: linalg.softmax
// CHECK: return %[[R]]
func.func @rank2_softmax(%q: tensor<10x8xf32>, %k: tensor<12x8xf32>, %v: tensor<12x4xf32>) -> tensor<10x4xf32> {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %kt_init = tensor.empty() : tensor<8x12xf32>
  %kt = linalg.transpose ins(%k : tensor<12x8xf32>) outs(%kt_init : tensor<8x12xf32>) permutation = [1, 0]
  %s_init = tensor.empty() : tensor<10x12xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<10x12xf32>) -> tensor<10x12xf32>
  %s = linalg.matmul ins(%q, %kt : tensor<10x8xf32>, tensor<8x12xf32>) outs(%s_zero : tensor<10x12xf32>) -> tensor<10x12xf32>
  %z = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<10x12xf32>) outs(%s_init : tensor<10x12xf32>) {
  ^bb0(%x: f32, %out: f32):
    %y = arith.divf %x, %two : f32
    linalg.yield %y : f32
  } -> tensor<10x12xf32>
  %p = linalg.softmax dimension(1) ins(%z : tensor<10x12xf32>) outs(%s_init : tensor<10x12xf32>) -> tensor<10x12xf32>
  %o_init = tensor.empty() : tensor<10x4xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<10x4xf32>) -> tensor<10x4xf32>
  %o = linalg.matmul ins(%p, %v : tensor<10x12xf32>, tensor<12x4xf32>) outs(%o_zero : tensor<10x4xf32>) -> tensor<10x4xf32>
  return %o : tensor<10x4xf32>
}

// -----

// Rank 4 with generics: Q . K^T reads K transposed through its map, a
// causal mask from positions (iota, compare, select), the softmax spelled
// out (max, subtract, exp, sum, divide), K and V heads repeated by
// linalg.broadcast (GQA).
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
#row = affine_map<(b, h, i, j) -> (b, h, i)>
// CHECK-LABEL: func.func @rank4_generics_gqa_causal
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x9x8xf32>, %[[K:.*]]: tensor<2x2x9x8xf32>, %[[V:.*]]: tensor<2x2x9x8xf32>)
// CHECK: attn.attention ins(%[[Q]], %[[K]], %[[V]] : tensor<2x4x9x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x8xf32>)
// CHECK-SAME: {causal = #attn.causal<top_left>, scale = 0.353553385 : f32}
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @rank4_generics_gqa_causal(%q: tensor<2x4x9x8xf32>, %k: tensor<2x2x9x8xf32>, %v: tensor<2x2x9x8xf32>) -> tensor<2x4x9x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %scale = arith.constant 0.353553385 : f32
  %rep_init = tensor.empty() : tensor<2x2x2x9x8xf32>
  %k5 = linalg.broadcast ins(%k : tensor<2x2x9x8xf32>) outs(%rep_init : tensor<2x2x2x9x8xf32>) dimensions = [2]
  %kr = tensor.collapse_shape %k5 [[0], [1, 2], [3], [4]] : tensor<2x2x2x9x8xf32> into tensor<2x4x9x8xf32>
  %v5 = linalg.broadcast ins(%v : tensor<2x2x9x8xf32>) outs(%rep_init : tensor<2x2x2x9x8xf32>) dimensions = [2]
  %vr = tensor.collapse_shape %v5 [[0], [1, 2], [3], [4]] : tensor<2x2x2x9x8xf32> into tensor<2x4x9x8xf32>
  %s_init = tensor.empty() : tensor<2x4x9x9xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x4x9x9xf32>) -> tensor<2x4x9x9xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %kr : tensor<2x4x9x8xf32>, tensor<2x4x9x8xf32>) outs(%s_zero : tensor<2x4x9x9xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %m = arith.mulf %a, %c : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<2x4x9x9xf32>
  %mask_init = tensor.empty() : tensor<9x9xf32>
  %mask = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%mask_init : tensor<9x9xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %future = arith.cmpi ugt, %j, %i : index
    %m = arith.select %future, %ninf, %zero : f32
    linalg.yield %m : f32
  } -> tensor<9x9xf32>
  %scaled = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x4x9x9xf32>) outs(%s_init : tensor<2x4x9x9xf32>) {
  ^bb0(%x: f32, %out: f32):
    %y = arith.mulf %x, %scale : f32
    linalg.yield %y : f32
  } -> tensor<2x4x9x9xf32>
  %z = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (i, j)>, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%scaled, %mask : tensor<2x4x9x9xf32>, tensor<9x9xf32>) outs(%s_init : tensor<2x4x9x9xf32>) {
  ^bb0(%x: f32, %m: f32, %out: f32):
    %w = arith.addf %x, %m : f32
    linalg.yield %w : f32
  } -> tensor<2x4x9x9xf32>
  %row_init = tensor.empty() : tensor<2x4x9xf32>
  %max_init = linalg.fill ins(%ninf : f32) outs(%row_init : tensor<2x4x9xf32>) -> tensor<2x4x9xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%z : tensor<2x4x9x9xf32>) outs(%max_init : tensor<2x4x9xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %y = arith.maximumf %x, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x4x9xf32>
  %e = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%z, %max : tensor<2x4x9x9xf32>, tensor<2x4x9xf32>) outs(%s_init : tensor<2x4x9x9xf32>) {
  ^bb0(%x: f32, %m: f32, %out: f32):
    %y = arith.subf %x, %m : f32
    linalg.yield %y : f32
  } -> tensor<2x4x9x9xf32>
  %ex = linalg.exp ins(%e : tensor<2x4x9x9xf32>) outs(%s_init : tensor<2x4x9x9xf32>) -> tensor<2x4x9x9xf32>
  %sum_init = linalg.fill ins(%zero : f32) outs(%row_init : tensor<2x4x9xf32>) -> tensor<2x4x9xf32>
  %sum = linalg.reduce ins(%ex : tensor<2x4x9x9xf32>) outs(%sum_init : tensor<2x4x9xf32>) dimensions = [3]
    (%x: f32, %acc: f32) {
      %y = arith.addf %x, %acc : f32
      linalg.yield %y : f32
    }
  %p = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ex, %sum : tensor<2x4x9x9xf32>, tensor<2x4x9xf32>) outs(%s_init : tensor<2x4x9x9xf32>) {
  ^bb0(%x: f32, %l: f32, %out: f32):
    %y = arith.divf %x, %l : f32
    linalg.yield %y : f32
  } -> tensor<2x4x9x9xf32>
  %o_init = tensor.empty() : tensor<2x4x9x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x4x9x8xf32>) -> tensor<2x4x9x8xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, d, j) -> (b, h, i, j)>, affine_map<(b, h, i, d, j) -> (b, h, j, d)>, affine_map<(b, h, i, d, j) -> (b, h, i, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %vr : tensor<2x4x9x9xf32>, tensor<2x4x9x8xf32>) outs(%o_zero : tensor<2x4x9x8xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %m = arith.mulf %a, %c : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<2x4x9x8xf32>
  return %o : tensor<2x4x9x8xf32>
}

// -----

// Sigmoid written as 1 / (1 + exp(-x)) in a generic; no constant added, so
// sigmoid_bias is 0 (not the op's default -ln T).
#id3 = affine_map<(n, i, j) -> (n, i, j)>
// CHECK-LABEL: func.func @sigmoid_generic
// CHECK: attn.attention
// CHECK-SAME: score = #attn.score<sigmoid>, sigmoid_bias = 0.000000e+00 : f32
func.func @sigmoid_generic(%q: tensor<3x5x8xf32>, %kt: tensor<3x8x7xf32>, %v: tensor<3x7x8xf32>) -> tensor<3x5x8xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %ktt_init = tensor.empty() : tensor<3x7x8xf32>
  %k = linalg.transpose ins(%kt : tensor<3x8x7xf32>) outs(%ktt_init : tensor<3x7x8xf32>) permutation = [0, 2, 1]
  %kt2_init = tensor.empty() : tensor<3x8x7xf32>
  %kt2 = linalg.transpose ins(%k : tensor<3x7x8xf32>) outs(%kt2_init : tensor<3x8x7xf32>) permutation = [0, 2, 1]
  %s_init = tensor.empty() : tensor<3x5x7xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<3x5x7xf32>) -> tensor<3x5x7xf32>
  %s = linalg.batch_matmul ins(%q, %kt2 : tensor<3x5x8xf32>, tensor<3x8x7xf32>) outs(%s_zero : tensor<3x5x7xf32>) -> tensor<3x5x7xf32>
  %p = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<3x5x7xf32>) outs(%s_init : tensor<3x5x7xf32>) {
  ^bb0(%x: f32, %out: f32):
    %n = arith.negf %x : f32
    %e = math.exp %n : f32
    %d = arith.addf %e, %one : f32
    %y = arith.divf %one, %d : f32
    linalg.yield %y : f32
  } -> tensor<3x5x7xf32>
  %o_init = tensor.empty() : tensor<3x5x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<3x5x8xf32>) -> tensor<3x5x8xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<3x5x7xf32>, tensor<3x7x8xf32>) outs(%o_zero : tensor<3x5x8xf32>) -> tensor<3x5x8xf32>
  return %o : tensor<3x5x8xf32>
}

// -----

// Near miss: the softmax normalises over the queries.
// CHECK-LABEL: func.func @near_miss_softmax_axis
// CHECK: linalg.softmax dimension(1)
// CHECK-NOT: attn.attention
// CHECK: return
func.func @near_miss_softmax_axis(%q: tensor<2x6x8xf32>, %kt: tensor<2x8x6xf32>, %v: tensor<2x6x8xf32>) -> tensor<2x6x8xf32> {
  %zero = arith.constant 0.0 : f32
  %s_init = tensor.empty() : tensor<2x6x6xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x6x6xf32>) -> tensor<2x6x6xf32>
  %kt_init = tensor.empty() : tensor<2x8x6xf32>
  %k_init = tensor.empty() : tensor<2x6x8xf32>
  %k = linalg.transpose ins(%kt : tensor<2x8x6xf32>) outs(%k_init : tensor<2x6x8xf32>) permutation = [0, 2, 1]
  %ktt = linalg.transpose ins(%k : tensor<2x6x8xf32>) outs(%kt_init : tensor<2x8x6xf32>) permutation = [0, 2, 1]
  %s = linalg.batch_matmul ins(%q, %ktt : tensor<2x6x8xf32>, tensor<2x8x6xf32>) outs(%s_zero : tensor<2x6x6xf32>) -> tensor<2x6x6xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<2x6x6xf32>) outs(%s_init : tensor<2x6x6xf32>) -> tensor<2x6x6xf32>
  %o_init = tensor.empty() : tensor<2x6x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x6x8xf32>) -> tensor<2x6x8xf32>
  // expected-remark @+1 {{attention-like product not raised: the softmax is not one over the last (key) axis that attn-raise knows}}
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x6x6xf32>, tensor<2x6x8xf32>) outs(%o_zero : tensor<2x6x8xf32>) -> tensor<2x6x8xf32>
  return %o : tensor<2x6x8xf32>
}

// -----

// Near miss: the mask depends on the scores themselves (a select whose
// condition is computed from them).
#id2 = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func.func @near_miss_score_dependent_mask
// CHECK-NOT: attn.attention
// CHECK: return
func.func @near_miss_score_dependent_mask(%q: tensor<6x8xf32>, %kt: tensor<8x6xf32>, %v: tensor<6x8xf32>) -> tensor<6x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<6x6xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<6x6xf32>) -> tensor<6x6xf32>
  %k_init = tensor.empty() : tensor<6x8xf32>
  %k = linalg.transpose ins(%kt : tensor<8x6xf32>) outs(%k_init : tensor<6x8xf32>) permutation = [1, 0]
  %kt_init = tensor.empty() : tensor<8x6xf32>
  %ktt = linalg.transpose ins(%k : tensor<6x8xf32>) outs(%kt_init : tensor<8x6xf32>) permutation = [1, 0]
  %s = linalg.matmul ins(%q, %ktt : tensor<6x8xf32>, tensor<8x6xf32>) outs(%s_zero : tensor<6x6xf32>) -> tensor<6x6xf32>
  %b_init = tensor.empty() : tensor<6x6xi1>
  %positive = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<6x6xf32>) outs(%b_init : tensor<6x6xi1>) {
  ^bb0(%x: f32, %out: i1):
    %c = arith.cmpf ogt, %x, %zero : f32
    linalg.yield %c : i1
  } -> tensor<6x6xi1>
  %z = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%positive, %s : tensor<6x6xi1>, tensor<6x6xf32>) outs(%s_init : tensor<6x6xf32>) {
  ^bb0(%c: i1, %x: f32, %out: f32):
    %y = arith.select %c, %x, %ninf : f32
    linalg.yield %y : f32
  } -> tensor<6x6xf32>
  %p = linalg.softmax dimension(1) ins(%z : tensor<6x6xf32>) outs(%s_init : tensor<6x6xf32>) -> tensor<6x6xf32>
  %o_init = tensor.empty() : tensor<6x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<6x8xf32>) -> tensor<6x8xf32>
  // expected-remark @+1 {{attention-like product not raised: between the softmax and Q.K^T there is more than constant scales, a mask of constants or positions, and a bias added after the scale}}
  %o = linalg.matmul ins(%p, %v : tensor<6x6xf32>, tensor<6x8xf32>) outs(%o_zero : tensor<6x8xf32>) -> tensor<6x8xf32>
  return %o : tensor<6x8xf32>
}
