// attn.attention through both CPU pipelines (mixir-cpu: tiled, threaded;
// mixir-cpu-reference: the decomposition) against the float64 reference:
// every attribute form on five shapes each:
//   0: [B,Hq,Hkv,S,T,D,Dv] = [1,1,1,1,1,16,16]   size 1
//   1: [2,4,2,13,29,64,64]                        GQA 2, primes, S < T
//   2: [1,8,2,37,17,80,80]                        GQA 4, S > T, D = 80
//   3: [3,2,2,31,31,16,8]                         S = T, Dv != D
//   4: [1,4,1,7,61,64,32]                         MQA, S << T
// Inputs are fresh random normals (lengths random where a form has them),
// outputs are poisoned with NaN before the run.
// RUN: mixir-run %s --entry softmax_scaled_0 --pipeline mixir-cpu --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_0 --pipeline mixir-cpu-reference --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_1 --pipeline mixir-cpu --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_1 --pipeline mixir-cpu-reference --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_2 --pipeline mixir-cpu --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_2 --pipeline mixir-cpu-reference --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_3 --pipeline mixir-cpu --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_3 --pipeline mixir-cpu-reference --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_4 --pipeline mixir-cpu --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry softmax_scaled_4 --pipeline mixir-cpu-reference --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
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
// RUN: mixir-run %s --entry band_bias_0 --pipeline mixir-cpu --random-inputs --seed 16 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_0 --pipeline mixir-cpu-reference --random-inputs --seed 16 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_1 --pipeline mixir-cpu --random-inputs --seed 17 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_1 --pipeline mixir-cpu-reference --random-inputs --seed 17 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_2 --pipeline mixir-cpu --random-inputs --seed 18 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_2 --pipeline mixir-cpu-reference --random-inputs --seed 18 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_3 --pipeline mixir-cpu --random-inputs --seed 19 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_3 --pipeline mixir-cpu-reference --random-inputs --seed 19 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_4 --pipeline mixir-cpu --random-inputs --seed 20 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry band_bias_4 --pipeline mixir-cpu-reference --random-inputs --seed 20 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_0 --pipeline mixir-cpu --random-inputs --seed 21 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_0 --pipeline mixir-cpu-reference --random-inputs --seed 21 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_1 --pipeline mixir-cpu --random-inputs --seed 22 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_1 --pipeline mixir-cpu-reference --random-inputs --seed 22 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_2 --pipeline mixir-cpu --random-inputs --seed 23 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_2 --pipeline mixir-cpu-reference --random-inputs --seed 23 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_3 --pipeline mixir-cpu --random-inputs --seed 24 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_3 --pipeline mixir-cpu-reference --random-inputs --seed 24 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_4 --pipeline mixir-cpu --random-inputs --seed 25 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_causal_4 --pipeline mixir-cpu-reference --random-inputs --seed 25 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_0 --pipeline mixir-cpu --random-inputs --seed 26 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_0 --pipeline mixir-cpu-reference --random-inputs --seed 26 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_1 --pipeline mixir-cpu --random-inputs --seed 27 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_1 --pipeline mixir-cpu-reference --random-inputs --seed 27 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_2 --pipeline mixir-cpu --random-inputs --seed 28 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_2 --pipeline mixir-cpu-reference --random-inputs --seed 28 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_3 --pipeline mixir-cpu --random-inputs --seed 29 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_3 --pipeline mixir-cpu-reference --random-inputs --seed 29 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_4 --pipeline mixir-cpu --random-inputs --seed 30 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry sigmoid_bias_lengths_4 --pipeline mixir-cpu-reference --random-inputs --seed 30 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_bottom_right_lse_0 --pipeline mixir-cpu --random-inputs --seed 31 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_0 --pipeline mixir-cpu-reference --random-inputs --seed 31 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_1 --pipeline mixir-cpu --random-inputs --seed 32 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_1 --pipeline mixir-cpu-reference --random-inputs --seed 32 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_2 --pipeline mixir-cpu --random-inputs --seed 33 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_2 --pipeline mixir-cpu-reference --random-inputs --seed 33 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_3 --pipeline mixir-cpu --random-inputs --seed 34 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_3 --pipeline mixir-cpu-reference --random-inputs --seed 34 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_4 --pipeline mixir-cpu --random-inputs --seed 35 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry f16_bottom_right_lse_4 --pipeline mixir-cpu-reference --random-inputs --seed 35 --random-lengths --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry bf16_softmax_0 --pipeline mixir-cpu --random-inputs --seed 36 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_0 --pipeline mixir-cpu-reference --random-inputs --seed 36 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_1 --pipeline mixir-cpu --random-inputs --seed 37 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_1 --pipeline mixir-cpu-reference --random-inputs --seed 37 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_2 --pipeline mixir-cpu --random-inputs --seed 38 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_2 --pipeline mixir-cpu-reference --random-inputs --seed 38 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_3 --pipeline mixir-cpu --random-inputs --seed 39 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_3 --pipeline mixir-cpu-reference --random-inputs --seed 39 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_4 --pipeline mixir-cpu --random-inputs --seed 40 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_softmax_4 --pipeline mixir-cpu-reference --random-inputs --seed 40 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_0 --pipeline mixir-cpu --random-inputs --seed 41 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_0 --pipeline mixir-cpu-reference --random-inputs --seed 41 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_1 --pipeline mixir-cpu --random-inputs --seed 42 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_1 --pipeline mixir-cpu-reference --random-inputs --seed 42 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_2 --pipeline mixir-cpu --random-inputs --seed 43 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_2 --pipeline mixir-cpu-reference --random-inputs --seed 43 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_3 --pipeline mixir-cpu --random-inputs --seed 44 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_3 --pipeline mixir-cpu-reference --random-inputs --seed 44 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_4 --pipeline mixir-cpu --random-inputs --seed 45 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_sigmoid_window_4 --pipeline mixir-cpu-reference --random-inputs --seed 45 --check | FileCheck %s --check-prefix=ONE

// ONE: result #0: {{.*}} ok
// ONE-NOT: result #1
// TWO: result #0: {{.*}} ok
// TWO-NEXT: result #1: {{.*}} ok

func.func @softmax_scaled_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> (tensor<1x1x1x16xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {scale = 0.3 : f32}
         -> tensor<1x1x1x16xf32>
  return %o : tensor<1x1x1x16xf32>
}

func.func @softmax_scaled_1(%q: tensor<2x4x13x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>) -> (tensor<2x4x13x64xf32>) {
  %init = tensor.empty() : tensor<2x4x13x64xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>)
         outs(%init : tensor<2x4x13x64xf32>) {scale = 0.3 : f32}
         -> tensor<2x4x13x64xf32>
  return %o : tensor<2x4x13x64xf32>
}

func.func @softmax_scaled_2(%q: tensor<1x8x37x80xf32>, %k: tensor<1x2x17x80xf32>, %v: tensor<1x2x17x80xf32>) -> (tensor<1x8x37x80xf32>) {
  %init = tensor.empty() : tensor<1x8x37x80xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xf32>, tensor<1x2x17x80xf32>, tensor<1x2x17x80xf32>)
         outs(%init : tensor<1x8x37x80xf32>) {scale = 0.3 : f32}
         -> tensor<1x8x37x80xf32>
  return %o : tensor<1x8x37x80xf32>
}

func.func @softmax_scaled_3(%q: tensor<3x2x31x16xf32>, %k: tensor<3x2x31x16xf32>, %v: tensor<3x2x31x8xf32>) -> (tensor<3x2x31x8xf32>) {
  %init = tensor.empty() : tensor<3x2x31x8xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xf32>, tensor<3x2x31x16xf32>, tensor<3x2x31x8xf32>)
         outs(%init : tensor<3x2x31x8xf32>) {scale = 0.3 : f32}
         -> tensor<3x2x31x8xf32>
  return %o : tensor<3x2x31x8xf32>
}

func.func @softmax_scaled_4(%q: tensor<1x4x7x64xf32>, %k: tensor<1x1x61x64xf32>, %v: tensor<1x1x61x32xf32>) -> (tensor<1x4x7x32xf32>) {
  %init = tensor.empty() : tensor<1x4x7x32xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xf32>, tensor<1x1x61x64xf32>, tensor<1x1x61x32xf32>)
         outs(%init : tensor<1x4x7x32xf32>) {scale = 0.3 : f32}
         -> tensor<1x4x7x32xf32>
  return %o : tensor<1x4x7x32xf32>
}

func.func @top_left_lse_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> (tensor<1x1x1x16xf32>, tensor<1x1x1xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %linit = tensor.empty() : tensor<1x1x1xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init, %linit : tensor<1x1x1x16xf32>, tensor<1x1x1xf32>) {causal = #attn.causal<top_left>}
         -> tensor<1x1x1x16xf32>, tensor<1x1x1xf32>
  return %o, %lse : tensor<1x1x1x16xf32>, tensor<1x1x1xf32>
}

func.func @top_left_lse_1(%q: tensor<2x4x13x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>) -> (tensor<2x4x13x64xf32>, tensor<2x4x13xf32>) {
  %init = tensor.empty() : tensor<2x4x13x64xf32>
  %linit = tensor.empty() : tensor<2x4x13xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>)
         outs(%init, %linit : tensor<2x4x13x64xf32>, tensor<2x4x13xf32>) {causal = #attn.causal<top_left>}
         -> tensor<2x4x13x64xf32>, tensor<2x4x13xf32>
  return %o, %lse : tensor<2x4x13x64xf32>, tensor<2x4x13xf32>
}

func.func @top_left_lse_2(%q: tensor<1x8x37x80xf32>, %k: tensor<1x2x17x80xf32>, %v: tensor<1x2x17x80xf32>) -> (tensor<1x8x37x80xf32>, tensor<1x8x37xf32>) {
  %init = tensor.empty() : tensor<1x8x37x80xf32>
  %linit = tensor.empty() : tensor<1x8x37xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xf32>, tensor<1x2x17x80xf32>, tensor<1x2x17x80xf32>)
         outs(%init, %linit : tensor<1x8x37x80xf32>, tensor<1x8x37xf32>) {causal = #attn.causal<top_left>}
         -> tensor<1x8x37x80xf32>, tensor<1x8x37xf32>
  return %o, %lse : tensor<1x8x37x80xf32>, tensor<1x8x37xf32>
}

func.func @top_left_lse_3(%q: tensor<3x2x31x16xf32>, %k: tensor<3x2x31x16xf32>, %v: tensor<3x2x31x8xf32>) -> (tensor<3x2x31x8xf32>, tensor<3x2x31xf32>) {
  %init = tensor.empty() : tensor<3x2x31x8xf32>
  %linit = tensor.empty() : tensor<3x2x31xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xf32>, tensor<3x2x31x16xf32>, tensor<3x2x31x8xf32>)
         outs(%init, %linit : tensor<3x2x31x8xf32>, tensor<3x2x31xf32>) {causal = #attn.causal<top_left>}
         -> tensor<3x2x31x8xf32>, tensor<3x2x31xf32>
  return %o, %lse : tensor<3x2x31x8xf32>, tensor<3x2x31xf32>
}

func.func @top_left_lse_4(%q: tensor<1x4x7x64xf32>, %k: tensor<1x1x61x64xf32>, %v: tensor<1x1x61x32xf32>) -> (tensor<1x4x7x32xf32>, tensor<1x4x7xf32>) {
  %init = tensor.empty() : tensor<1x4x7x32xf32>
  %linit = tensor.empty() : tensor<1x4x7xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xf32>, tensor<1x1x61x64xf32>, tensor<1x1x61x32xf32>)
         outs(%init, %linit : tensor<1x4x7x32xf32>, tensor<1x4x7xf32>) {causal = #attn.causal<top_left>}
         -> tensor<1x4x7x32xf32>, tensor<1x4x7xf32>
  return %o, %lse : tensor<1x4x7x32xf32>, tensor<1x4x7xf32>
}

func.func @bottom_right_window_lengths_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>, %kl: tensor<1xi32>, %ql: tensor<1xi32>) -> (tensor<1x1x1x16xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) kv_len(%kl : tensor<1xi32>) q_len(%ql : tensor<1xi32>)
         outs(%init : tensor<1x1x1x16xf32>) {causal = #attn.causal<bottom_right>, window = array<i64: 5, 0>}
         -> tensor<1x1x1x16xf32>
  return %o : tensor<1x1x1x16xf32>
}

func.func @bottom_right_window_lengths_1(%q: tensor<2x4x13x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x4x13x64xf32>) {
  %init = tensor.empty() : tensor<2x4x13x64xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
         outs(%init : tensor<2x4x13x64xf32>) {causal = #attn.causal<bottom_right>, window = array<i64: 5, 0>}
         -> tensor<2x4x13x64xf32>
  return %o : tensor<2x4x13x64xf32>
}

func.func @bottom_right_window_lengths_2(%q: tensor<1x8x37x80xf32>, %k: tensor<1x2x17x80xf32>, %v: tensor<1x2x17x80xf32>, %kl: tensor<1xi32>, %ql: tensor<1xi32>) -> (tensor<1x8x37x80xf32>) {
  %init = tensor.empty() : tensor<1x8x37x80xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xf32>, tensor<1x2x17x80xf32>, tensor<1x2x17x80xf32>) kv_len(%kl : tensor<1xi32>) q_len(%ql : tensor<1xi32>)
         outs(%init : tensor<1x8x37x80xf32>) {causal = #attn.causal<bottom_right>, window = array<i64: 5, 0>}
         -> tensor<1x8x37x80xf32>
  return %o : tensor<1x8x37x80xf32>
}

func.func @bottom_right_window_lengths_3(%q: tensor<3x2x31x16xf32>, %k: tensor<3x2x31x16xf32>, %v: tensor<3x2x31x8xf32>, %kl: tensor<3xi32>, %ql: tensor<3xi32>) -> (tensor<3x2x31x8xf32>) {
  %init = tensor.empty() : tensor<3x2x31x8xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xf32>, tensor<3x2x31x16xf32>, tensor<3x2x31x8xf32>) kv_len(%kl : tensor<3xi32>) q_len(%ql : tensor<3xi32>)
         outs(%init : tensor<3x2x31x8xf32>) {causal = #attn.causal<bottom_right>, window = array<i64: 5, 0>}
         -> tensor<3x2x31x8xf32>
  return %o : tensor<3x2x31x8xf32>
}

func.func @bottom_right_window_lengths_4(%q: tensor<1x4x7x64xf32>, %k: tensor<1x1x61x64xf32>, %v: tensor<1x1x61x32xf32>, %kl: tensor<1xi32>, %ql: tensor<1xi32>) -> (tensor<1x4x7x32xf32>) {
  %init = tensor.empty() : tensor<1x4x7x32xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xf32>, tensor<1x1x61x64xf32>, tensor<1x1x61x32xf32>) kv_len(%kl : tensor<1xi32>) q_len(%ql : tensor<1xi32>)
         outs(%init : tensor<1x4x7x32xf32>) {causal = #attn.causal<bottom_right>, window = array<i64: 5, 0>}
         -> tensor<1x4x7x32xf32>
  return %o : tensor<1x4x7x32xf32>
}

func.func @band_bias_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>, %b: tensor<1x1x1x1xf32>) -> (tensor<1x1x1x16xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) bias(%b : tensor<1x1x1x1xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {window = array<i64: 3, 2>}
         -> tensor<1x1x1x16xf32>
  return %o : tensor<1x1x1x16xf32>
}

func.func @band_bias_1(%q: tensor<2x4x13x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>, %b: tensor<1x4x13x29xf32>) -> (tensor<2x4x13x64xf32>) {
  %init = tensor.empty() : tensor<2x4x13x64xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>) bias(%b : tensor<1x4x13x29xf32>)
         outs(%init : tensor<2x4x13x64xf32>) {window = array<i64: 3, 2>}
         -> tensor<2x4x13x64xf32>
  return %o : tensor<2x4x13x64xf32>
}

func.func @band_bias_2(%q: tensor<1x8x37x80xf32>, %k: tensor<1x2x17x80xf32>, %v: tensor<1x2x17x80xf32>, %b: tensor<1x8x37x17xf32>) -> (tensor<1x8x37x80xf32>) {
  %init = tensor.empty() : tensor<1x8x37x80xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xf32>, tensor<1x2x17x80xf32>, tensor<1x2x17x80xf32>) bias(%b : tensor<1x8x37x17xf32>)
         outs(%init : tensor<1x8x37x80xf32>) {window = array<i64: 3, 2>}
         -> tensor<1x8x37x80xf32>
  return %o : tensor<1x8x37x80xf32>
}

func.func @band_bias_3(%q: tensor<3x2x31x16xf32>, %k: tensor<3x2x31x16xf32>, %v: tensor<3x2x31x8xf32>, %b: tensor<1x2x31x31xf32>) -> (tensor<3x2x31x8xf32>) {
  %init = tensor.empty() : tensor<3x2x31x8xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xf32>, tensor<3x2x31x16xf32>, tensor<3x2x31x8xf32>) bias(%b : tensor<1x2x31x31xf32>)
         outs(%init : tensor<3x2x31x8xf32>) {window = array<i64: 3, 2>}
         -> tensor<3x2x31x8xf32>
  return %o : tensor<3x2x31x8xf32>
}

func.func @band_bias_4(%q: tensor<1x4x7x64xf32>, %k: tensor<1x1x61x64xf32>, %v: tensor<1x1x61x32xf32>, %b: tensor<1x4x7x61xf32>) -> (tensor<1x4x7x32xf32>) {
  %init = tensor.empty() : tensor<1x4x7x32xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xf32>, tensor<1x1x61x64xf32>, tensor<1x1x61x32xf32>) bias(%b : tensor<1x4x7x61xf32>)
         outs(%init : tensor<1x4x7x32xf32>) {window = array<i64: 3, 2>}
         -> tensor<1x4x7x32xf32>
  return %o : tensor<1x4x7x32xf32>
}

func.func @sigmoid_causal_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> (tensor<1x1x1x16xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {score = #attn.score<sigmoid>, causal = #attn.causal<top_left>}
         -> tensor<1x1x1x16xf32>
  return %o : tensor<1x1x1x16xf32>
}

func.func @sigmoid_causal_1(%q: tensor<2x4x13x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>) -> (tensor<2x4x13x64xf32>) {
  %init = tensor.empty() : tensor<2x4x13x64xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>)
         outs(%init : tensor<2x4x13x64xf32>) {score = #attn.score<sigmoid>, causal = #attn.causal<top_left>}
         -> tensor<2x4x13x64xf32>
  return %o : tensor<2x4x13x64xf32>
}

func.func @sigmoid_causal_2(%q: tensor<1x8x37x80xf32>, %k: tensor<1x2x17x80xf32>, %v: tensor<1x2x17x80xf32>) -> (tensor<1x8x37x80xf32>) {
  %init = tensor.empty() : tensor<1x8x37x80xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xf32>, tensor<1x2x17x80xf32>, tensor<1x2x17x80xf32>)
         outs(%init : tensor<1x8x37x80xf32>) {score = #attn.score<sigmoid>, causal = #attn.causal<top_left>}
         -> tensor<1x8x37x80xf32>
  return %o : tensor<1x8x37x80xf32>
}

func.func @sigmoid_causal_3(%q: tensor<3x2x31x16xf32>, %k: tensor<3x2x31x16xf32>, %v: tensor<3x2x31x8xf32>) -> (tensor<3x2x31x8xf32>) {
  %init = tensor.empty() : tensor<3x2x31x8xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xf32>, tensor<3x2x31x16xf32>, tensor<3x2x31x8xf32>)
         outs(%init : tensor<3x2x31x8xf32>) {score = #attn.score<sigmoid>, causal = #attn.causal<top_left>}
         -> tensor<3x2x31x8xf32>
  return %o : tensor<3x2x31x8xf32>
}

func.func @sigmoid_causal_4(%q: tensor<1x4x7x64xf32>, %k: tensor<1x1x61x64xf32>, %v: tensor<1x1x61x32xf32>) -> (tensor<1x4x7x32xf32>) {
  %init = tensor.empty() : tensor<1x4x7x32xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xf32>, tensor<1x1x61x64xf32>, tensor<1x1x61x32xf32>)
         outs(%init : tensor<1x4x7x32xf32>) {score = #attn.score<sigmoid>, causal = #attn.causal<top_left>}
         -> tensor<1x4x7x32xf32>
  return %o : tensor<1x4x7x32xf32>
}

func.func @sigmoid_bias_lengths_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>, %b: tensor<1x1x1x1xf32>, %kl: tensor<1xi32>) -> (tensor<1x1x1x16xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) bias(%b : tensor<1x1x1x1xf32>) kv_len(%kl : tensor<1xi32>)
         outs(%init : tensor<1x1x1x16xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = -1.5 : f32}
         -> tensor<1x1x1x16xf32>
  return %o : tensor<1x1x1x16xf32>
}

func.func @sigmoid_bias_lengths_1(%q: tensor<2x4x13x64xf32>, %k: tensor<2x2x29x64xf32>, %v: tensor<2x2x29x64xf32>, %b: tensor<2x1x1x29xf32>, %kl: tensor<2xi32>) -> (tensor<2x4x13x64xf32>) {
  %init = tensor.empty() : tensor<2x4x13x64xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xf32>, tensor<2x2x29x64xf32>, tensor<2x2x29x64xf32>) bias(%b : tensor<2x1x1x29xf32>) kv_len(%kl : tensor<2xi32>)
         outs(%init : tensor<2x4x13x64xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = -1.5 : f32}
         -> tensor<2x4x13x64xf32>
  return %o : tensor<2x4x13x64xf32>
}

func.func @sigmoid_bias_lengths_2(%q: tensor<1x8x37x80xf32>, %k: tensor<1x2x17x80xf32>, %v: tensor<1x2x17x80xf32>, %b: tensor<1x1x1x17xf32>, %kl: tensor<1xi32>) -> (tensor<1x8x37x80xf32>) {
  %init = tensor.empty() : tensor<1x8x37x80xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xf32>, tensor<1x2x17x80xf32>, tensor<1x2x17x80xf32>) bias(%b : tensor<1x1x1x17xf32>) kv_len(%kl : tensor<1xi32>)
         outs(%init : tensor<1x8x37x80xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = -1.5 : f32}
         -> tensor<1x8x37x80xf32>
  return %o : tensor<1x8x37x80xf32>
}

func.func @sigmoid_bias_lengths_3(%q: tensor<3x2x31x16xf32>, %k: tensor<3x2x31x16xf32>, %v: tensor<3x2x31x8xf32>, %b: tensor<3x1x1x31xf32>, %kl: tensor<3xi32>) -> (tensor<3x2x31x8xf32>) {
  %init = tensor.empty() : tensor<3x2x31x8xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xf32>, tensor<3x2x31x16xf32>, tensor<3x2x31x8xf32>) bias(%b : tensor<3x1x1x31xf32>) kv_len(%kl : tensor<3xi32>)
         outs(%init : tensor<3x2x31x8xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = -1.5 : f32}
         -> tensor<3x2x31x8xf32>
  return %o : tensor<3x2x31x8xf32>
}

func.func @sigmoid_bias_lengths_4(%q: tensor<1x4x7x64xf32>, %k: tensor<1x1x61x64xf32>, %v: tensor<1x1x61x32xf32>, %b: tensor<1x1x1x61xf32>, %kl: tensor<1xi32>) -> (tensor<1x4x7x32xf32>) {
  %init = tensor.empty() : tensor<1x4x7x32xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xf32>, tensor<1x1x61x64xf32>, tensor<1x1x61x32xf32>) bias(%b : tensor<1x1x1x61xf32>) kv_len(%kl : tensor<1xi32>)
         outs(%init : tensor<1x4x7x32xf32>) {score = #attn.score<sigmoid>, sigmoid_bias = -1.5 : f32}
         -> tensor<1x4x7x32xf32>
  return %o : tensor<1x4x7x32xf32>
}

func.func @f16_bottom_right_lse_0(%q: tensor<1x1x1x16xf16>, %k: tensor<1x1x1x16xf16>, %v: tensor<1x1x1x16xf16>, %kl: tensor<1xi32>) -> (tensor<1x1x1x16xf16>, tensor<1x1x1xf32>) {
  %init = tensor.empty() : tensor<1x1x1x16xf16>
  %linit = tensor.empty() : tensor<1x1x1xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>) kv_len(%kl : tensor<1xi32>)
         outs(%init, %linit : tensor<1x1x1x16xf16>, tensor<1x1x1xf32>) {causal = #attn.causal<bottom_right>}
         -> tensor<1x1x1x16xf16>, tensor<1x1x1xf32>
  return %o, %lse : tensor<1x1x1x16xf16>, tensor<1x1x1xf32>
}

func.func @f16_bottom_right_lse_1(%q: tensor<2x4x13x64xf16>, %k: tensor<2x2x29x64xf16>, %v: tensor<2x2x29x64xf16>, %kl: tensor<2xi32>) -> (tensor<2x4x13x64xf16>, tensor<2x4x13xf32>) {
  %init = tensor.empty() : tensor<2x4x13x64xf16>
  %linit = tensor.empty() : tensor<2x4x13xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xf16>, tensor<2x2x29x64xf16>, tensor<2x2x29x64xf16>) kv_len(%kl : tensor<2xi32>)
         outs(%init, %linit : tensor<2x4x13x64xf16>, tensor<2x4x13xf32>) {causal = #attn.causal<bottom_right>}
         -> tensor<2x4x13x64xf16>, tensor<2x4x13xf32>
  return %o, %lse : tensor<2x4x13x64xf16>, tensor<2x4x13xf32>
}

func.func @f16_bottom_right_lse_2(%q: tensor<1x8x37x80xf16>, %k: tensor<1x2x17x80xf16>, %v: tensor<1x2x17x80xf16>, %kl: tensor<1xi32>) -> (tensor<1x8x37x80xf16>, tensor<1x8x37xf32>) {
  %init = tensor.empty() : tensor<1x8x37x80xf16>
  %linit = tensor.empty() : tensor<1x8x37xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xf16>, tensor<1x2x17x80xf16>, tensor<1x2x17x80xf16>) kv_len(%kl : tensor<1xi32>)
         outs(%init, %linit : tensor<1x8x37x80xf16>, tensor<1x8x37xf32>) {causal = #attn.causal<bottom_right>}
         -> tensor<1x8x37x80xf16>, tensor<1x8x37xf32>
  return %o, %lse : tensor<1x8x37x80xf16>, tensor<1x8x37xf32>
}

func.func @f16_bottom_right_lse_3(%q: tensor<3x2x31x16xf16>, %k: tensor<3x2x31x16xf16>, %v: tensor<3x2x31x8xf16>, %kl: tensor<3xi32>) -> (tensor<3x2x31x8xf16>, tensor<3x2x31xf32>) {
  %init = tensor.empty() : tensor<3x2x31x8xf16>
  %linit = tensor.empty() : tensor<3x2x31xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xf16>, tensor<3x2x31x16xf16>, tensor<3x2x31x8xf16>) kv_len(%kl : tensor<3xi32>)
         outs(%init, %linit : tensor<3x2x31x8xf16>, tensor<3x2x31xf32>) {causal = #attn.causal<bottom_right>}
         -> tensor<3x2x31x8xf16>, tensor<3x2x31xf32>
  return %o, %lse : tensor<3x2x31x8xf16>, tensor<3x2x31xf32>
}

func.func @f16_bottom_right_lse_4(%q: tensor<1x4x7x64xf16>, %k: tensor<1x1x61x64xf16>, %v: tensor<1x1x61x32xf16>, %kl: tensor<1xi32>) -> (tensor<1x4x7x32xf16>, tensor<1x4x7xf32>) {
  %init = tensor.empty() : tensor<1x4x7x32xf16>
  %linit = tensor.empty() : tensor<1x4x7xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xf16>, tensor<1x1x61x64xf16>, tensor<1x1x61x32xf16>) kv_len(%kl : tensor<1xi32>)
         outs(%init, %linit : tensor<1x4x7x32xf16>, tensor<1x4x7xf32>) {causal = #attn.causal<bottom_right>}
         -> tensor<1x4x7x32xf16>, tensor<1x4x7xf32>
  return %o, %lse : tensor<1x4x7x32xf16>, tensor<1x4x7xf32>
}

func.func @bf16_softmax_0(%q: tensor<1x1x1x16xbf16>, %k: tensor<1x1x1x16xbf16>, %v: tensor<1x1x1x16xbf16>) -> (tensor<1x1x1x16xbf16>) {
  %init = tensor.empty() : tensor<1x1x1x16xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xbf16>, tensor<1x1x1x16xbf16>, tensor<1x1x1x16xbf16>)
         outs(%init : tensor<1x1x1x16xbf16>)
         -> tensor<1x1x1x16xbf16>
  return %o : tensor<1x1x1x16xbf16>
}

func.func @bf16_softmax_1(%q: tensor<2x4x13x64xbf16>, %k: tensor<2x2x29x64xbf16>, %v: tensor<2x2x29x64xbf16>) -> (tensor<2x4x13x64xbf16>) {
  %init = tensor.empty() : tensor<2x4x13x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xbf16>, tensor<2x2x29x64xbf16>, tensor<2x2x29x64xbf16>)
         outs(%init : tensor<2x4x13x64xbf16>)
         -> tensor<2x4x13x64xbf16>
  return %o : tensor<2x4x13x64xbf16>
}

func.func @bf16_softmax_2(%q: tensor<1x8x37x80xbf16>, %k: tensor<1x2x17x80xbf16>, %v: tensor<1x2x17x80xbf16>) -> (tensor<1x8x37x80xbf16>) {
  %init = tensor.empty() : tensor<1x8x37x80xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xbf16>, tensor<1x2x17x80xbf16>, tensor<1x2x17x80xbf16>)
         outs(%init : tensor<1x8x37x80xbf16>)
         -> tensor<1x8x37x80xbf16>
  return %o : tensor<1x8x37x80xbf16>
}

func.func @bf16_softmax_3(%q: tensor<3x2x31x16xbf16>, %k: tensor<3x2x31x16xbf16>, %v: tensor<3x2x31x8xbf16>) -> (tensor<3x2x31x8xbf16>) {
  %init = tensor.empty() : tensor<3x2x31x8xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xbf16>, tensor<3x2x31x16xbf16>, tensor<3x2x31x8xbf16>)
         outs(%init : tensor<3x2x31x8xbf16>)
         -> tensor<3x2x31x8xbf16>
  return %o : tensor<3x2x31x8xbf16>
}

func.func @bf16_softmax_4(%q: tensor<1x4x7x64xbf16>, %k: tensor<1x1x61x64xbf16>, %v: tensor<1x1x61x32xbf16>) -> (tensor<1x4x7x32xbf16>) {
  %init = tensor.empty() : tensor<1x4x7x32xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xbf16>, tensor<1x1x61x64xbf16>, tensor<1x1x61x32xbf16>)
         outs(%init : tensor<1x4x7x32xbf16>)
         -> tensor<1x4x7x32xbf16>
  return %o : tensor<1x4x7x32xbf16>
}

func.func @f16_sigmoid_window_0(%q: tensor<1x1x1x16xf16>, %k: tensor<1x1x1x16xf16>, %v: tensor<1x1x1x16xf16>) -> (tensor<1x1x1x16xf16>) {
  %init = tensor.empty() : tensor<1x1x1x16xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>)
         outs(%init : tensor<1x1x1x16xf16>) {score = #attn.score<sigmoid>, window = array<i64: 2, 6>}
         -> tensor<1x1x1x16xf16>
  return %o : tensor<1x1x1x16xf16>
}

func.func @f16_sigmoid_window_1(%q: tensor<2x4x13x64xf16>, %k: tensor<2x2x29x64xf16>, %v: tensor<2x2x29x64xf16>) -> (tensor<2x4x13x64xf16>) {
  %init = tensor.empty() : tensor<2x4x13x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x13x64xf16>, tensor<2x2x29x64xf16>, tensor<2x2x29x64xf16>)
         outs(%init : tensor<2x4x13x64xf16>) {score = #attn.score<sigmoid>, window = array<i64: 2, 6>}
         -> tensor<2x4x13x64xf16>
  return %o : tensor<2x4x13x64xf16>
}

func.func @f16_sigmoid_window_2(%q: tensor<1x8x37x80xf16>, %k: tensor<1x2x17x80xf16>, %v: tensor<1x2x17x80xf16>) -> (tensor<1x8x37x80xf16>) {
  %init = tensor.empty() : tensor<1x8x37x80xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x8x37x80xf16>, tensor<1x2x17x80xf16>, tensor<1x2x17x80xf16>)
         outs(%init : tensor<1x8x37x80xf16>) {score = #attn.score<sigmoid>, window = array<i64: 2, 6>}
         -> tensor<1x8x37x80xf16>
  return %o : tensor<1x8x37x80xf16>
}

func.func @f16_sigmoid_window_3(%q: tensor<3x2x31x16xf16>, %k: tensor<3x2x31x16xf16>, %v: tensor<3x2x31x8xf16>) -> (tensor<3x2x31x8xf16>) {
  %init = tensor.empty() : tensor<3x2x31x8xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<3x2x31x16xf16>, tensor<3x2x31x16xf16>, tensor<3x2x31x8xf16>)
         outs(%init : tensor<3x2x31x8xf16>) {score = #attn.score<sigmoid>, window = array<i64: 2, 6>}
         -> tensor<3x2x31x8xf16>
  return %o : tensor<3x2x31x8xf16>
}

func.func @f16_sigmoid_window_4(%q: tensor<1x4x7x64xf16>, %k: tensor<1x1x61x64xf16>, %v: tensor<1x1x61x32xf16>) -> (tensor<1x4x7x32xf16>) {
  %init = tensor.empty() : tensor<1x4x7x32xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x7x64xf16>, tensor<1x1x61x64xf16>, tensor<1x1x61x32xf16>)
         outs(%init : tensor<1x4x7x32xf16>) {score = #attn.score<sigmoid>, window = array<i64: 2, 6>}
         -> tensor<1x4x7x32xf16>
  return %o : tensor<1x4x7x32xf16>
}
