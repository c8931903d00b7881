// attn.block_sparse_attention through both CPU pipelines against the float64
// reference, on random block layouts (shared or per head):
//   0: [B,Hq,Hkv,S,T,D] = [1,1,1,1,1,16], blocks 1x1
//   1: [2,4,2,37,29,64], blocks 8x16, a layout per head
//   2: [1,2,1,64,64,16], blocks 16x16
//   3: [1,4,4,23,41,80], blocks 5x7 (neither divides)
//   4: [2,2,1,50,50,32], blocks 32x32, a layout per head
// RUN: mixir-run %s --entry softmax_0 --pipeline mixir-cpu --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_0 --pipeline mixir-cpu-reference --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_1 --pipeline mixir-cpu --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_1 --pipeline mixir-cpu-reference --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_2 --pipeline mixir-cpu --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_2 --pipeline mixir-cpu-reference --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_3 --pipeline mixir-cpu --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_3 --pipeline mixir-cpu-reference --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_4 --pipeline mixir-cpu --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_4 --pipeline mixir-cpu-reference --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry top_left_lse_0 --pipeline mixir-cpu --random-inputs --seed 6 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_0 --pipeline mixir-cpu-reference --random-inputs --seed 6 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_1 --pipeline mixir-cpu --random-inputs --seed 7 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_1 --pipeline mixir-cpu-reference --random-inputs --seed 7 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_2 --pipeline mixir-cpu --random-inputs --seed 8 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_2 --pipeline mixir-cpu-reference --random-inputs --seed 8 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_3 --pipeline mixir-cpu --random-inputs --seed 9 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_3 --pipeline mixir-cpu-reference --random-inputs --seed 9 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_4 --pipeline mixir-cpu --random-inputs --seed 10 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry top_left_lse_4 --pipeline mixir-cpu-reference --random-inputs --seed 10 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry bottom_right_window_lengths_0 --pipeline mixir-cpu --random-inputs --seed 11 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_0 --pipeline mixir-cpu-reference --random-inputs --seed 11 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_1 --pipeline mixir-cpu --random-inputs --seed 12 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_1 --pipeline mixir-cpu-reference --random-inputs --seed 12 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_2 --pipeline mixir-cpu --random-inputs --seed 13 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_2 --pipeline mixir-cpu-reference --random-inputs --seed 13 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_3 --pipeline mixir-cpu --random-inputs --seed 14 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_3 --pipeline mixir-cpu-reference --random-inputs --seed 14 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_4 --pipeline mixir-cpu --random-inputs --seed 15 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bottom_right_window_lengths_4 --pipeline mixir-cpu-reference --random-inputs --seed 15 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_0 --pipeline mixir-cpu --random-inputs --seed 16 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_0 --pipeline mixir-cpu-reference --random-inputs --seed 16 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_1 --pipeline mixir-cpu --random-inputs --seed 17 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_1 --pipeline mixir-cpu-reference --random-inputs --seed 17 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_2 --pipeline mixir-cpu --random-inputs --seed 18 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_2 --pipeline mixir-cpu-reference --random-inputs --seed 18 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_3 --pipeline mixir-cpu --random-inputs --seed 19 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_3 --pipeline mixir-cpu-reference --random-inputs --seed 19 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_4 --pipeline mixir-cpu --random-inputs --seed 20 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_4 --pipeline mixir-cpu-reference --random-inputs --seed 20 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_0 --pipeline mixir-cpu --random-inputs --seed 21 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_0 --pipeline mixir-cpu-reference --random-inputs --seed 21 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_1 --pipeline mixir-cpu --random-inputs --seed 22 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_1 --pipeline mixir-cpu-reference --random-inputs --seed 22 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_2 --pipeline mixir-cpu --random-inputs --seed 23 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_2 --pipeline mixir-cpu-reference --random-inputs --seed 23 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_3 --pipeline mixir-cpu --random-inputs --seed 24 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_3 --pipeline mixir-cpu-reference --random-inputs --seed 24 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_4 --pipeline mixir-cpu --random-inputs --seed 25 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_4 --pipeline mixir-cpu-reference --random-inputs --seed 25 --check | FileCheck %s --check-prefix=ONE
// Regression (random-shapes seed 103180987, case 392): one-key blocks with a
// bias broadcast over the queries made a [1 x 1] bias tile indexed by
// constants only, a 0-d vector read that no lowering took.
// RUN: mixir-run %s --entry one_key_blocks_bias --pipeline mixir-cpu --random-inputs --seed 26 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry one_key_blocks_bias --pipeline mixir-cpu --random-inputs --random-lengths --seed 27 --check | FileCheck %s --check-prefix=TWO
// Regression (random-shapes seed 711047990, case 53): a query tile past
// q_len with a left window got an empty key range [lo, hi) with lo past the
// last key, and rounding hi up to a whole key tile still gave one tile, read
// outside the padded K and V (NaN in the sigmoid output where that memory
// held NaN bits). The key loop is now empty when hi <= lo.
// RUN: mixir-run %s --entry window_past_q_len --pipeline mixir-cpu --random-inputs --random-lengths --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry window_past_q_len --pipeline mixir-cpu --random-inputs --random-lengths --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry window_past_q_len --pipeline mixir-cpu-reference --random-inputs --random-lengths --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-opt %s --mixir-configure-target --attn-tile | FileCheck %s --check-prefix=BOUNDS
// BOUNDS-LABEL: func.func @window_past_q_len
// BOUNDS: %[[EMPTY:.+]] = arith.cmpi sle, %[[HI:.+]], %[[LO:.+]] : i64
// BOUNDS: %[[END:.+]] = arith.select %[[EMPTY]], %[[FIRST:.+]], %{{.+}} : i64
// BOUNDS: %[[UB:.+]] = arith.index_cast %[[END]] : i64 to index
// BOUNDS: scf.for %{{.+}} = %{{.+}} to %[[UB]]

// Blocks that are multiples of the target's 64 x 64 tiles are tiled by the
// target's tiles, each inside one block (the bit of its block skips it):
// 128 x 64 and 64 x 192 blocks, S and T no multiple of either, causal, GQA,
// a layout per head, lengths.
// RUN: mixir-run %s --entry large_blocks_causal --pipeline mixir-cpu --random-inputs --seed 28 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry large_blocks_lengths --pipeline mixir-cpu --random-inputs --random-lengths --seed 29 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-opt %s --mixir-configure-target --attn-tile | FileCheck %s --check-prefix=LARGE
// LARGE-LABEL: func.func @large_blocks_causal
// LARGE: scf.forall {{.+}} step (1, 1, 64)
// LARGE: scf.for {{.+}} step %c64
// LARGE: attn.partial_attention {{.+}}block = array<i64: 128, 64>

// ONE: result #0: {{.*}} ok
// ONE-NOT: result #1
// TWO: result #0: {{.*}} ok
// TWO-NEXT: result #1: {{.*}} ok

func.func @softmax_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>, %layout: tensor<1x1x1xi1>) -> (tensor<1x1x1x16xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1xi1>)
         outs(%init : tensor<1x1x1x16xf32>) {block = array<i64: 1, 1>}
         -> tensor<1x1x1x16xf32>
  return %o : tensor<1x1x1x16xf32>
}

func.func @softmax_1(%q: tensor<2x4x37x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>, %layout: tensor<4x5x2xi1>) -> (tensor<2x4x37x64xf32>) {
  %init = tensor.empty() : tensor<2x4x37x64xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x4x37x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>, tensor<4x5x2xi1>)
         outs(%init : tensor<2x4x37x64xf32>) {block = array<i64: 8, 16>}
         -> tensor<2x4x37x64xf32>
  return %o : tensor<2x4x37x64xf32>
}

func.func @softmax_2(%q: tensor<1x2x64x16xf32>, %k: tensor<1x1x64x16xf32>, %v: tensor<1x1x64x16xf32>, %layout: tensor<1x4x4xi1>) -> (tensor<1x2x64x16xf32>) {
  %init = tensor.empty() : tensor<1x2x64x16xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x4x4xi1>)
         outs(%init : tensor<1x2x64x16xf32>) {block = array<i64: 16, 16>}
         -> tensor<1x2x64x16xf32>
  return %o : tensor<1x2x64x16xf32>
}

func.func @softmax_3(%q: tensor<1x4x23x80xf32>, %k: tensor<1x4x41x80xf32>, %v: tensor<1x4x41x80xf32>, %layout: tensor<1x5x6xi1>) -> (tensor<1x4x23x80xf32>) {
  %init = tensor.empty() : tensor<1x4x23x80xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x23x80xf32>, tensor<1x4x41x80xf32>, tensor<1x4x41x80xf32>, tensor<1x5x6xi1>)
         outs(%init : tensor<1x4x23x80xf32>) {block = array<i64: 5, 7>}
         -> tensor<1x4x23x80xf32>
  return %o : tensor<1x4x23x80xf32>
}

func.func @softmax_4(%q: tensor<2x2x50x32xf32>, %k: tensor<2x1x50x32xf32>, %v: tensor<2x1x50x32xf32>, %layout: tensor<2x2x2xi1>) -> (tensor<2x2x50x32xf32>) {
  %init = tensor.empty() : tensor<2x2x50x32xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x2x50x32xf32>, tensor<2x1x50x32xf32>, tensor<2x1x50x32xf32>, tensor<2x2x2xi1>)
         outs(%init : tensor<2x2x50x32xf32>) {block = array<i64: 32, 32>}
         -> tensor<2x2x50x32xf32>
  return %o : tensor<2x2x50x32xf32>
}

func.func @top_left_lse_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>, %layout: tensor<1x1x1xi1>) -> (tensor<1x1x1x16xf32>, tensor<1x1x1xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %linit = tensor.empty() : tensor<1x1x1xf32>
  %o, %lse = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1xi1>)
         outs(%init, %linit : tensor<1x1x1x16xf32>, tensor<1x1x1xf32>) {block = array<i64: 1, 1>, causal = #attn.causal<top_left>}
         -> tensor<1x1x1x16xf32>, tensor<1x1x1xf32>
  return %o, %lse : tensor<1x1x1x16xf32>, tensor<1x1x1xf32>
}

func.func @top_left_lse_1(%q: tensor<2x4x37x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>, %layout: tensor<4x5x2xi1>) -> (tensor<2x4x37x64xf32>, tensor<2x4x37xf32>) {
  %init = tensor.empty() : tensor<2x4x37x64xf32>
  %linit = tensor.empty() : tensor<2x4x37xf32>
  %o, %lse = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x4x37x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>, tensor<4x5x2xi1>)
         outs(%init, %linit : tensor<2x4x37x64xf32>, tensor<2x4x37xf32>) {block = array<i64: 8, 16>, causal = #attn.causal<top_left>}
         -> tensor<2x4x37x64xf32>, tensor<2x4x37xf32>
  return %o, %lse : tensor<2x4x37x64xf32>, tensor<2x4x37xf32>
}

func.func @top_left_lse_2(%q: tensor<1x2x64x16xf32>, %k: tensor<1x1x64x16xf32>, %v: tensor<1x1x64x16xf32>, %layout: tensor<1x4x4xi1>) -> (tensor<1x2x64x16xf32>, tensor<1x2x64xf32>) {
  %init = tensor.empty() : tensor<1x2x64x16xf32>
  %linit = tensor.empty() : tensor<1x2x64xf32>
  %o, %lse = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x4x4xi1>)
         outs(%init, %linit : tensor<1x2x64x16xf32>, tensor<1x2x64xf32>) {block = array<i64: 16, 16>, causal = #attn.causal<top_left>}
         -> tensor<1x2x64x16xf32>, tensor<1x2x64xf32>
  return %o, %lse : tensor<1x2x64x16xf32>, tensor<1x2x64xf32>
}

func.func @top_left_lse_3(%q: tensor<1x4x23x80xf32>, %k: tensor<1x4x41x80xf32>, %v: tensor<1x4x41x80xf32>, %layout: tensor<1x5x6xi1>) -> (tensor<1x4x23x80xf32>, tensor<1x4x23xf32>) {
  %init = tensor.empty() : tensor<1x4x23x80xf32>
  %linit = tensor.empty() : tensor<1x4x23xf32>
  %o, %lse = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x23x80xf32>, tensor<1x4x41x80xf32>, tensor<1x4x41x80xf32>, tensor<1x5x6xi1>)
         outs(%init, %linit : tensor<1x4x23x80xf32>, tensor<1x4x23xf32>) {block = array<i64: 5, 7>, causal = #attn.causal<top_left>}
         -> tensor<1x4x23x80xf32>, tensor<1x4x23xf32>
  return %o, %lse : tensor<1x4x23x80xf32>, tensor<1x4x23xf32>
}

func.func @top_left_lse_4(%q: tensor<2x2x50x32xf32>, %k: tensor<2x1x50x32xf32>, %v: tensor<2x1x50x32xf32>, %layout: tensor<2x2x2xi1>) -> (tensor<2x2x50x32xf32>, tensor<2x2x50xf32>) {
  %init = tensor.empty() : tensor<2x2x50x32xf32>
  %linit = tensor.empty() : tensor<2x2x50xf32>
  %o, %lse = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x2x50x32xf32>, tensor<2x1x50x32xf32>, tensor<2x1x50x32xf32>, tensor<2x2x2xi1>)
         outs(%init, %linit : tensor<2x2x50x32xf32>, tensor<2x2x50xf32>) {block = array<i64: 32, 32>, causal = #attn.causal<top_left>}
         -> tensor<2x2x50x32xf32>, tensor<2x2x50xf32>
  return %o, %lse : tensor<2x2x50x32xf32>, tensor<2x2x50xf32>
}

func.func @bottom_right_window_lengths_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>, %layout: tensor<1x1x1xi1>, %kl: tensor<1xi32>, %ql: tensor<1xi32>) -> (tensor<1x1x1x16xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1xi1>) kv_len(%kl : tensor<1xi32>) q_len(%ql : tensor<1xi32>)
         outs(%init : tensor<1x1x1x16xf32>) {block = array<i64: 1, 1>, causal = #attn.causal<bottom_right>, window = array<i64: 9, 3>}
         -> tensor<1x1x1x16xf32>
  return %o : tensor<1x1x1x16xf32>
}

func.func @bottom_right_window_lengths_1(%q: tensor<2x4x37x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>, %layout: tensor<4x5x2xi1>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x4x37x64xf32>) {
  %init = tensor.empty() : tensor<2x4x37x64xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x4x37x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>, tensor<4x5x2xi1>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
         outs(%init : tensor<2x4x37x64xf32>) {block = array<i64: 8, 16>, causal = #attn.causal<bottom_right>, window = array<i64: 9, 3>}
         -> tensor<2x4x37x64xf32>
  return %o : tensor<2x4x37x64xf32>
}

func.func @bottom_right_window_lengths_2(%q: tensor<1x2x64x16xf32>, %k: tensor<1x1x64x16xf32>, %v: tensor<1x1x64x16xf32>, %layout: tensor<1x4x4xi1>, %kl: tensor<1xi32>, %ql: tensor<1xi32>) -> (tensor<1x2x64x16xf32>) {
  %init = tensor.empty() : tensor<1x2x64x16xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x4x4xi1>) kv_len(%kl : tensor<1xi32>) q_len(%ql : tensor<1xi32>)
         outs(%init : tensor<1x2x64x16xf32>) {block = array<i64: 16, 16>, causal = #attn.causal<bottom_right>, window = array<i64: 9, 3>}
         -> tensor<1x2x64x16xf32>
  return %o : tensor<1x2x64x16xf32>
}

func.func @bottom_right_window_lengths_3(%q: tensor<1x4x23x80xf32>, %k: tensor<1x4x41x80xf32>, %v: tensor<1x4x41x80xf32>, %layout: tensor<1x5x6xi1>, %kl: tensor<1xi32>, %ql: tensor<1xi32>) -> (tensor<1x4x23x80xf32>) {
  %init = tensor.empty() : tensor<1x4x23x80xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x23x80xf32>, tensor<1x4x41x80xf32>, tensor<1x4x41x80xf32>, tensor<1x5x6xi1>) kv_len(%kl : tensor<1xi32>) q_len(%ql : tensor<1xi32>)
         outs(%init : tensor<1x4x23x80xf32>) {block = array<i64: 5, 7>, causal = #attn.causal<bottom_right>, window = array<i64: 9, 3>}
         -> tensor<1x4x23x80xf32>
  return %o : tensor<1x4x23x80xf32>
}

func.func @bottom_right_window_lengths_4(%q: tensor<2x2x50x32xf32>, %k: tensor<2x1x50x32xf32>, %v: tensor<2x1x50x32xf32>, %layout: tensor<2x2x2xi1>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x2x50x32xf32>) {
  %init = tensor.empty() : tensor<2x2x50x32xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x2x50x32xf32>, tensor<2x1x50x32xf32>, tensor<2x1x50x32xf32>, tensor<2x2x2xi1>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
         outs(%init : tensor<2x2x50x32xf32>) {block = array<i64: 32, 32>, causal = #attn.causal<bottom_right>, window = array<i64: 9, 3>}
         -> tensor<2x2x50x32xf32>
  return %o : tensor<2x2x50x32xf32>
}

func.func @sigmoid_bias_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>, %layout: tensor<1x1x1xi1>, %b: tensor<1x1x1x1xf32>) -> (tensor<1x1x1x16xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1xi1>) bias(%b : tensor<1x1x1x1xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {block = array<i64: 1, 1>, score = #attn.score<sigmoid>}
         -> tensor<1x1x1x16xf32>
  return %o : tensor<1x1x1x16xf32>
}

func.func @sigmoid_bias_1(%q: tensor<2x4x37x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>, %layout: tensor<4x5x2xi1>, %b: tensor<1x1x37x29xf32>) -> (tensor<2x4x37x64xf32>) {
  %init = tensor.empty() : tensor<2x4x37x64xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x4x37x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>, tensor<4x5x2xi1>) bias(%b : tensor<1x1x37x29xf32>)
         outs(%init : tensor<2x4x37x64xf32>) {block = array<i64: 8, 16>, score = #attn.score<sigmoid>}
         -> tensor<2x4x37x64xf32>
  return %o : tensor<2x4x37x64xf32>
}

func.func @sigmoid_bias_2(%q: tensor<1x2x64x16xf32>, %k: tensor<1x1x64x16xf32>, %v: tensor<1x1x64x16xf32>, %layout: tensor<1x4x4xi1>, %b: tensor<1x1x64x64xf32>) -> (tensor<1x2x64x16xf32>) {
  %init = tensor.empty() : tensor<1x2x64x16xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x1x64x16xf32>, tensor<1x4x4xi1>) bias(%b : tensor<1x1x64x64xf32>)
         outs(%init : tensor<1x2x64x16xf32>) {block = array<i64: 16, 16>, score = #attn.score<sigmoid>}
         -> tensor<1x2x64x16xf32>
  return %o : tensor<1x2x64x16xf32>
}

func.func @sigmoid_bias_3(%q: tensor<1x4x23x80xf32>, %k: tensor<1x4x41x80xf32>, %v: tensor<1x4x41x80xf32>, %layout: tensor<1x5x6xi1>, %b: tensor<1x1x23x41xf32>) -> (tensor<1x4x23x80xf32>) {
  %init = tensor.empty() : tensor<1x4x23x80xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x23x80xf32>, tensor<1x4x41x80xf32>, tensor<1x4x41x80xf32>, tensor<1x5x6xi1>) bias(%b : tensor<1x1x23x41xf32>)
         outs(%init : tensor<1x4x23x80xf32>) {block = array<i64: 5, 7>, score = #attn.score<sigmoid>}
         -> tensor<1x4x23x80xf32>
  return %o : tensor<1x4x23x80xf32>
}

func.func @sigmoid_bias_4(%q: tensor<2x2x50x32xf32>, %k: tensor<2x1x50x32xf32>, %v: tensor<2x1x50x32xf32>, %layout: tensor<2x2x2xi1>, %b: tensor<1x1x50x50xf32>) -> (tensor<2x2x50x32xf32>) {
  %init = tensor.empty() : tensor<2x2x50x32xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x2x50x32xf32>, tensor<2x1x50x32xf32>, tensor<2x1x50x32xf32>, tensor<2x2x2xi1>) bias(%b : tensor<1x1x50x50xf32>)
         outs(%init : tensor<2x2x50x32xf32>) {block = array<i64: 32, 32>, score = #attn.score<sigmoid>}
         -> tensor<2x2x50x32xf32>
  return %o : tensor<2x2x50x32xf32>
}

func.func @f16_0(%q: tensor<1x1x1x16xf16>, %k: tensor<1x1x1x16xf16>, %v: tensor<1x1x1x16xf16>, %layout: tensor<1x1x1xi1>) -> (tensor<1x1x1x16xf16>) {
  %init = tensor.empty() : tensor<1x1x1x16xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>, tensor<1x1x1xi1>)
         outs(%init : tensor<1x1x1x16xf16>) {block = array<i64: 1, 1>, causal = #attn.causal<top_left>}
         -> tensor<1x1x1x16xf16>
  return %o : tensor<1x1x1x16xf16>
}

func.func @f16_1(%q: tensor<2x4x37x64xf16>, %k: tensor<2x2x29x64xf16>, %v: tensor<2x2x29x64xf16>, %layout: tensor<4x5x2xi1>) -> (tensor<2x4x37x64xf16>) {
  %init = tensor.empty() : tensor<2x4x37x64xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x4x37x64xf16>, tensor<2x2x29x64xf16>, tensor<2x2x29x64xf16>, tensor<4x5x2xi1>)
         outs(%init : tensor<2x4x37x64xf16>) {block = array<i64: 8, 16>, causal = #attn.causal<top_left>}
         -> tensor<2x4x37x64xf16>
  return %o : tensor<2x4x37x64xf16>
}

func.func @f16_2(%q: tensor<1x2x64x16xf16>, %k: tensor<1x1x64x16xf16>, %v: tensor<1x1x64x16xf16>, %layout: tensor<1x4x4xi1>) -> (tensor<1x2x64x16xf16>) {
  %init = tensor.empty() : tensor<1x2x64x16xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x64x16xf16>, tensor<1x1x64x16xf16>, tensor<1x1x64x16xf16>, tensor<1x4x4xi1>)
         outs(%init : tensor<1x2x64x16xf16>) {block = array<i64: 16, 16>, causal = #attn.causal<top_left>}
         -> tensor<1x2x64x16xf16>
  return %o : tensor<1x2x64x16xf16>
}

func.func @f16_3(%q: tensor<1x4x23x80xf16>, %k: tensor<1x4x41x80xf16>, %v: tensor<1x4x41x80xf16>, %layout: tensor<1x5x6xi1>) -> (tensor<1x4x23x80xf16>) {
  %init = tensor.empty() : tensor<1x4x23x80xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x23x80xf16>, tensor<1x4x41x80xf16>, tensor<1x4x41x80xf16>, tensor<1x5x6xi1>)
         outs(%init : tensor<1x4x23x80xf16>) {block = array<i64: 5, 7>, causal = #attn.causal<top_left>}
         -> tensor<1x4x23x80xf16>
  return %o : tensor<1x4x23x80xf16>
}

func.func @f16_4(%q: tensor<2x2x50x32xf16>, %k: tensor<2x1x50x32xf16>, %v: tensor<2x1x50x32xf16>, %layout: tensor<2x2x2xi1>) -> (tensor<2x2x50x32xf16>) {
  %init = tensor.empty() : tensor<2x2x50x32xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x2x50x32xf16>, tensor<2x1x50x32xf16>, tensor<2x1x50x32xf16>, tensor<2x2x2xi1>)
         outs(%init : tensor<2x2x50x32xf16>) {block = array<i64: 32, 32>, causal = #attn.causal<top_left>}
         -> tensor<2x2x50x32xf16>
  return %o : tensor<2x2x50x32xf16>
}

func.func @one_key_blocks_bias(%q: tensor<1x4x5x24xf16>, %k: tensor<1x1x13x24xf16>, %v: tensor<1x1x13x32xf16>, %layout: tensor<4x1x13xi1>, %b: tensor<1x4x1x13xf16>, %kl: tensor<1xi32>, %ql: tensor<1xi32>) -> (tensor<1x4x5x32xf16>, tensor<1x4x5xf32>) {
  %init = tensor.empty() : tensor<1x4x5x32xf16>
  %linit = tensor.empty() : tensor<1x4x5xf32>
  %o, %l = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x5x24xf16>, tensor<1x1x13x24xf16>, tensor<1x1x13x32xf16>, tensor<4x1x13xi1>) bias(%b : tensor<1x4x1x13xf16>) kv_len(%kl : tensor<1xi32>) q_len(%ql : tensor<1xi32>) outs(%init, %linit : tensor<1x4x5x32xf16>, tensor<1x4x5xf32>) {block = array<i64: 15, 1>, window = array<i64: 2, 4>} -> tensor<1x4x5x32xf16>, tensor<1x4x5xf32>
  return %o, %l : tensor<1x4x5x32xf16>, tensor<1x4x5xf32>
}

func.func @window_past_q_len(%q: tensor<3x4x31x8xf32>, %k: tensor<3x1x1x8xf32>, %v: tensor<3x1x1x16xf32>, %layout: tensor<4x2x1xi1>, %b: tensor<3x4x31x1xf32>, %kl: tensor<3xi32>, %ql: tensor<3xi32>) -> (tensor<3x4x31x16xf32>) {
  %init = tensor.empty() : tensor<3x4x31x16xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<3x4x31x8xf32>, tensor<3x1x1x8xf32>, tensor<3x1x1x16xf32>, tensor<4x2x1xi1>) bias(%b : tensor<3x4x31x1xf32>) kv_len(%kl : tensor<3xi32>) q_len(%ql : tensor<3xi32>) outs(%init : tensor<3x4x31x16xf32>) {block = array<i64: 17, 4>, score = #attn.score<sigmoid>, window = array<i64: 2, 6>} -> tensor<3x4x31x16xf32>
  return %o : tensor<3x4x31x16xf32>
}

func.func @large_blocks_causal(%q: tensor<1x4x201x32xf32>, %k: tensor<1x2x263x32xf32>, %v: tensor<1x2x263x32xf32>, %layout: tensor<4x2x5xi1>) -> (tensor<1x4x201x32xf32>, tensor<1x4x201xf32>) {
  %init = tensor.empty() : tensor<1x4x201x32xf32>
  %lse_init = tensor.empty() : tensor<1x4x201xf32>
  %o:2 = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x201x32xf32>, tensor<1x2x263x32xf32>, tensor<1x2x263x32xf32>, tensor<4x2x5xi1>) outs(%init, %lse_init : tensor<1x4x201x32xf32>, tensor<1x4x201xf32>)
    {block = array<i64: 128, 64>, causal = #attn.causal<bottom_right>} -> tensor<1x4x201x32xf32>, tensor<1x4x201xf32>
  return %o#0, %o#1 : tensor<1x4x201x32xf32>, tensor<1x4x201xf32>
}

func.func @large_blocks_lengths(%q: tensor<2x2x130x16xf16>, %k: tensor<2x1x390x16xf16>, %v: tensor<2x1x390x24xf16>, %layout: tensor<1x3x3xi1>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x2x130x24xf16>) {
  %init = tensor.empty() : tensor<2x2x130x24xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x2x130x16xf16>, tensor<2x1x390x16xf16>, tensor<2x1x390x24xf16>, tensor<1x3x3xi1>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>) outs(%init : tensor<2x2x130x24xf16>)
    {block = array<i64: 64, 192>} -> tensor<2x2x130x24xf16>
  return %o : tensor<2x2x130x24xf16>
}
