// attn-decompose on attn.attention and attn.block_sparse_attention: the
// masked-softmax chain on materialised [B, Hq, S, T] scores.
// RUN: mixir-opt %s -attn-decompose -split-input-file | FileCheck %s

// GQA (4 query heads on 1 key/value head), f16 inputs, bottom-right causal
// with kv_len, and the lse result.
// CHECK-DAG: #[[QMAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[KMAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 4, d3, d4)>
// CHECK-DAG: #[[VMAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 4, d4, d3)>
// CHECK-DAG: #[[BATCH:.+]] = affine_map<(d0, d1, d2, d3) -> (d0)>
// CHECK-LABEL: func.func @gqa_bottom_right_lse
// CHECK-SAME:    %[[Q:[a-z0-9]+]]: tensor<1x4x3x8xf16>, %[[K:[a-z0-9]+]]: tensor<1x1x5x8xf16>, %[[V:[a-z0-9]+]]: tensor<1x1x5x8xf16>, %[[KL:[a-z0-9]+]]: tensor<1xi32>
// CHECK-DAG:     %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG:     %[[SCALE:.+]] = arith.constant 0.353553385 : f32
// CHECK-DAG:     %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// z[b,h,i,j] = sum_d q[b,h,i,d] * k[b,h/4,j,d], accumulated in f32
// CHECK:         %[[Z:.+]] = linalg.generic {indexing_maps = [#[[QMAP]], #[[KMAP]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[Q]], %[[K]] : tensor<1x4x3x8xf16>, tensor<1x1x5x8xf16>) outs(%{{.+}} : tensor<1x4x3x5xf32>)
// CHECK-DAG:       arith.extf %{{.+}} : f16 to f32
// CHECK:           arith.mulf
// CHECK:           arith.addf
// x = scale * z where allowed(b,i,j) = j < kv_len[b] and i < S and
// j <= i + kv_len[b] - S, -inf elsewhere: query i sees the keys [0, end),
// end = min(kv_len[b], i + kv_len[b] - S + 1), or none past S
// CHECK:         %[[X:.+]] = linalg.generic {indexing_maps = [{{.+}}, #[[BATCH]], {{.+}}]
// CHECK-SAME:      ins(%[[Z]], %[[KL]] : tensor<1x4x3x5xf32>, tensor<1xi32>)
// CHECK:           %[[SCALED:.+]] = arith.mulf %{{.+}}, %[[SCALE]] : f32
// CHECK:           %[[TB:.+]] = arith.extsi %{{.+}} : i32 to i64
// CHECK:           %[[OFFSET:.+]] = arith.subi %[[TB]], %c3_i64 : i64
// CHECK:           %[[DIAGONAL:.+]] = arith.addi %[[I:[a-z0-9_]+]], %[[OFFSET]] : i64
// CHECK:           %[[AFTER:.+]] = arith.addi %[[DIAGONAL]], %c1_i64 : i64
// CHECK:           %[[END:.+]] = arith.minsi %[[TB]], %[[AFTER]] : i64
// CHECK:           %[[ROW:.+]] = arith.cmpi slt, %[[I]], %c3_i64 : i64
// CHECK:           %[[ROWEND:.+]] = arith.select %[[ROW]], %[[END]], %c0_i64 : i64
// CHECK:           %[[ALLOWED:.+]] = arith.cmpi slt, %{{.+}}, %[[ROWEND]] : i64
// CHECK:           arith.select %[[ALLOWED]], %[[SCALED]], %[[NEGINF]] : f32
// m = max_j x
// CHECK:         %[[M:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[X]] : tensor<1x4x3x5xf32>)
// CHECK:           arith.maximumf
// p = exp(x - m'), m' = 0 for a fully masked row (m = -inf)
// CHECK:         %[[P:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[M]] :
// CHECK:           arith.cmpf oeq, %{{.+}}, %[[NEGINF]] : f32
// CHECK:           math.exp
// l = sum_j p
// CHECK:         %[[L:.+]] = linalg.generic {{.+}} ins(%[[P]] : tensor<1x4x3x5xf32>)
// CHECK:           arith.addf
// acc[b,h,i,e] = sum_j p[b,h,i,j] * v[b,h/4,j,e]
// CHECK:         %[[ACC:.+]] = linalg.generic {indexing_maps = [#[[QMAP]], #[[VMAP]], {{.+}}]
// CHECK-SAME:      ins(%[[P]], %[[V]] : tensor<1x4x3x5xf32>, tensor<1x1x5x8xf16>) outs(%{{.+}} : tensor<1x4x3x8xf32>)
// o = acc / l (0 where l = 0), back to f16
// CHECK:         %[[O:.+]] = linalg.generic {{.+}} ins(%[[ACC]], %[[L]] :
// CHECK:           arith.divf
// CHECK:           arith.select
// CHECK:           arith.truncf %{{.+}} : f32 to f16
// lse = m' + log l (-inf for a fully masked row)
// CHECK:         %[[LSE:.+]] = linalg.generic {{.+}} ins(%[[M]], %[[L]] :
// CHECK:           math.log
// CHECK:         return %[[O]], %[[LSE]]
// CHECK-NOT:     attn.
func.func @gqa_bottom_right_lse(%q: tensor<1x4x3x8xf16>, %k: tensor<1x1x5x8xf16>, %v: tensor<1x1x5x8xf16>, %kl: tensor<1xi32>,
                                %init: tensor<1x4x3x8xf16>, %linit: tensor<1x4x3xf32>) -> (tensor<1x4x3x8xf16>, tensor<1x4x3xf32>) {
  %o, %l = attn.attention ins(%q, %k, %v : tensor<1x4x3x8xf16>, tensor<1x1x5x8xf16>, tensor<1x1x5x8xf16>) kv_len(%kl : tensor<1xi32>)
    outs(%init, %linit : tensor<1x4x3x8xf16>, tensor<1x4x3xf32>) {causal = #attn.causal<bottom_right>} -> tensor<1x4x3x8xf16>, tensor<1x4x3xf32>
  return %o, %l : tensor<1x4x3x8xf16>, tensor<1x4x3xf32>
}

// -----

// Without any mask the scores are only scaled (no select); a bias is added
// with the broadcast dims read at 0.
// CHECK-DAG: #[[BIASMAP:.+]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d2, d3)>
// CHECK-LABEL: func.func @unmasked_bias
// CHECK:         linalg.generic
// CHECK:         linalg.generic {indexing_maps = [{{.+}}, #[[BIASMAP]], {{.+}}]
// CHECK:           %[[S:.+]] = arith.mulf
// CHECK-NEXT:      %[[B:.+]] = arith.addf %[[S]], %{{.+}} : f32
// CHECK-NEXT:      linalg.yield %[[B]] : f32
func.func @unmasked_bias(%q: tensor<2x2x3x4xf32>, %b: tensor<1x2x3x3xf32>, %init: tensor<2x2x3x4xf32>) -> tensor<2x2x3x4xf32> {
  %o = attn.attention ins(%q, %q, %q : tensor<2x2x3x4xf32>, tensor<2x2x3x4xf32>, tensor<2x2x3x4xf32>) bias(%b : tensor<1x2x3x3xf32>)
    outs(%init : tensor<2x2x3x4xf32>) {scale = 2.0 : f32} -> tensor<2x2x3x4xf32>
  return %o : tensor<2x2x3x4xf32>
}

// -----

// Sigmoid: p = 1 / (1 + exp(-(x + sigmoid_bias))) where allowed, 0 elsewhere;
// no row max, no row sum, no normalisation. The window [2, 1] without causal
// is the band i - 2 <= j <= i + 1.
// CHECK-LABEL: func.func @sigmoid_window
// CHECK-DAG:     %[[BIAS:.+]] = arith.constant -1.500000e+00 : f32
// CHECK-DAG:     %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG:     %[[CAP:.+]] = arith.constant 8.800000e+01 : f32
// CHECK:         linalg.generic
// CHECK:         linalg.generic
// CHECK:           %[[SHIFTED:.+]] = arith.addf %{{.+}}, %[[BIAS]] : f32
// CHECK:           %[[NEG:.+]] = arith.negf %[[SHIFTED]] : f32
// CHECK:           %[[ABOVE:.+]] = arith.cmpf ogt, %[[NEG]], %[[CAP]] : f32
// CHECK:           %[[CAPPED:.+]] = arith.select %[[ABOVE]], %[[CAP]], %[[NEG]] : f32
// CHECK:           %[[E:.+]] = math.exp %[[CAPPED]] : f32
// CHECK:           %[[DEN:.+]] = arith.addf %[[E]], %[[ONE]] : f32
// CHECK:           %[[SIG:.+]] = arith.divf %[[ONE]], %[[DEN]] fastmath<ninf,arcp,contract> : f32
// the band as the keys [i - 2, min(i + 2, T)) (none past S)
// CHECK:           %[[FIRST:.+]] = arith.subi %[[I:[a-z0-9_]+]], %c2_i64 : i64
// CHECK:           %[[AFTER:.+]] = arith.addi %[[I]], %c2_i64 : i64
// CHECK:           %[[END:.+]] = arith.minsi %[[AFTER]], %c6_i64 : i64
// CHECK:           %[[ROW:.+]] = arith.cmpi slt, %[[I]], %c6_i64 : i64
// CHECK:           %[[ROWEND:.+]] = arith.select %[[ROW]], %[[END]], %[[FIRST]] : i64
// CHECK:           %[[BELOW:.+]] = arith.cmpi slt, %[[J:[a-z0-9_]+]], %[[ROWEND]] : i64
// CHECK:           %[[ABOVE:.+]] = arith.cmpi sge, %[[J]], %[[FIRST]] : i64
// CHECK:           %[[ALLOWED:.+]] = arith.andi %[[ABOVE]], %[[BELOW]] : i1
// CHECK:           arith.select %[[ALLOWED]], %[[SIG]], %{{.+}} : f32
// CHECK-NOT:     arith.maximumf
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @sigmoid_window(%q: tensor<1x1x6x4xf32>, %init: tensor<1x1x6x4xf32>) -> tensor<1x1x6x4xf32> {
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x6x4xf32>, tensor<1x1x6x4xf32>, tensor<1x1x6x4xf32>) outs(%init : tensor<1x1x6x4xf32>)
    {score = #attn.score<sigmoid>, sigmoid_bias = -1.5 : f32, window = array<i64: 2, 1>} -> tensor<1x1x6x4xf32>
  return %o : tensor<1x1x6x4xf32>
}

// -----

// Block-sparse: the layout bit of (h, i / bq, j / bk) joins the mask; a
// per-head layout is read at the query head.
// CHECK-DAG: #[[LAYOUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2 floordiv 2, d3 floordiv 4)>
// CHECK-LABEL: func.func @block_sparse
// CHECK-SAME:    %[[LAY:[a-z0-9]+]]: tensor<2x3x2xi1>
// CHECK:         linalg.generic {indexing_maps = [{{.+}}, #[[LAYOUT]], {{.+}}], {{.+}} ins(%{{.+}}, %[[LAY]] : tensor<1x2x5x7xf32>, tensor<2x3x2xi1>)
// CHECK:           ^bb0(%{{.+}}: f32, %[[BIT:.+]]: i1, %{{.+}}: f32):
// CHECK:           arith.andi %{{.+}}, %[[BIT]] : i1
func.func @block_sparse(%q: tensor<1x2x5x4xf32>, %k: tensor<1x2x7x4xf32>, %layout: tensor<2x3x2xi1>, %init: tensor<1x2x5x4xf32>) -> tensor<1x2x5x4xf32> {
  %o = attn.block_sparse_attention ins(%q, %k, %k, %layout : tensor<1x2x5x4xf32>, tensor<1x2x7x4xf32>, tensor<1x2x7x4xf32>, tensor<2x3x2xi1>)
    outs(%init : tensor<1x2x5x4xf32>) {block = array<i64: 2, 4>} -> tensor<1x2x5x4xf32>
  return %o : tensor<1x2x5x4xf32>
}

// -----

// Top-left causal with q_len: the diagonal of query i is key i (no offset);
// rows i >= q_len[b] are masked.
// CHECK-LABEL: func.func @top_left_q_len
// CHECK-SAME:    %[[QL:[a-z0-9]+]]: tensor<2xi32>
// CHECK:         linalg.generic {{.+}} ins(%{{.+}}, %[[QL]] : tensor<2x1x3x4xf32>, tensor<2xi32>)
// CHECK-DAG:       %[[I:.+]] = arith.index_cast %{{.+}} : index to i64
// CHECK-DAG:       %[[J:.+]] = arith.index_cast %{{.+}} : index to i64
// CHECK-DAG:       %[[SB:.+]] = arith.extsi %{{.+}} : i32 to i64
// CHECK:           %[[AFTER:.+]] = arith.addi %[[I]], %c1_i64 : i64
// CHECK:           %[[END:.+]] = arith.minsi %[[AFTER]], %c4_i64 : i64
// CHECK:           %[[ROW:.+]] = arith.cmpi slt, %[[I]], %[[SB]] : i64
// CHECK:           %[[ROWEND:.+]] = arith.select %[[ROW]], %[[END]], %c0_i64 : i64
// CHECK:           arith.cmpi slt, %[[J]], %[[ROWEND]] : i64
// CHECK-NOT:       arith.subi
func.func @top_left_q_len(%q: tensor<2x1x3x8xf32>, %k: tensor<2x1x4x8xf32>, %ql: tensor<2xi32>, %init: tensor<2x1x3x8xf32>) -> tensor<2x1x3x8xf32> {
  %o = attn.attention ins(%q, %k, %k : tensor<2x1x3x8xf32>, tensor<2x1x4x8xf32>, tensor<2x1x4x8xf32>) q_len(%ql : tensor<2xi32>)
    outs(%init : tensor<2x1x3x8xf32>) {causal = #attn.causal<top_left>} -> tensor<2x1x3x8xf32>
  return %o : tensor<2x1x3x8xf32>
}

// -----

// Sigmoid with the default bias -ln(T) = -ln(8); a causal window [3, 0]
// keeps i - 3 <= j <= i.
// CHECK-LABEL: func.func @sigmoid_default_bias_window
// CHECK-DAG:     %[[LN:.+]] = arith.constant -2.07944155 : f32
// CHECK-DAG:     %[[WL:.+]] = arith.constant 3 : i64
// CHECK:         arith.addf %{{.+}}, %[[LN]] : f32
// CHECK:         arith.subi %{{.+}}, %[[WL]] : i64
// CHECK:         arith.cmpi sge
func.func @sigmoid_default_bias_window(%q: tensor<1x1x8x4xf32>, %init: tensor<1x1x8x4xf32>) -> tensor<1x1x8x4xf32> {
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) outs(%init : tensor<1x1x8x4xf32>)
    {score = #attn.score<sigmoid>, causal = #attn.causal<top_left>, window = array<i64: 3, 0>} -> tensor<1x1x8x4xf32>
  return %o : tensor<1x1x8x4xf32>
}

// -----

// A block layout shared by all heads is read at head 0.
// CHECK-DAG: #[[SHARED:.+]] = affine_map<(d0, d1, d2, d3) -> (0, d2 floordiv 4, d3 floordiv 4)>
// CHECK-LABEL: func.func @shared_layout
// CHECK:         linalg.generic {indexing_maps = [{{.+}}, #[[SHARED]], {{.+}}]
func.func @shared_layout(%q: tensor<1x3x8x4xf32>, %layout: tensor<1x2x2xi1>, %init: tensor<1x3x8x4xf32>) -> tensor<1x3x8x4xf32> {
  %o = attn.block_sparse_attention ins(%q, %q, %q, %layout : tensor<1x3x8x4xf32>, tensor<1x3x8x4xf32>, tensor<1x3x8x4xf32>, tensor<1x2x2xi1>)
    outs(%init : tensor<1x3x8x4xf32>) {block = array<i64: 4, 4>} -> tensor<1x3x8x4xf32>
  return %o : tensor<1x3x8x4xf32>
}
