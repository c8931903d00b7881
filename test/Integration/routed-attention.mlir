// attn.routed_attention through both CPU pipelines against the float64
// reference:
//   0: [B,H,L,D] = [1,1,1,16], 1-D regions of 1, topk 1
//   1: [2,2,30,16], 1-D regions of 5 (R = 6), topk 2
//   2: [1,3,49,80], 7x7 grid in 7x1 regions of 1x7 (R = 7), topk 3
//   3: [1,2,36,64], 6x6 grid in 3x2 regions (R = 6), topk = R (dense)
//   4: [2,1,26,32], 1-D regions of 13 (R = 2), topk 1
//   grid_0: [2,2,96,16], 8x12 grid in 4x3 regions of 2x4 (R = 12), topk 3
//   grid_long: [1,2,4096,32], 64x64 grid in 8x8 regions of 8x8, topk 4
// mixir-cpu tiles all of them (tiles = regions here; 2-D regions permuted
// region-major first); mixir-cpu-reference decomposes all.
// RUN: mixir-run %s --entry f32_0 --pipeline mixir-cpu --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_0 --pipeline mixir-cpu-reference --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_1 --pipeline mixir-cpu --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_1 --pipeline mixir-cpu-reference --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_2 --pipeline mixir-cpu --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_2 --pipeline mixir-cpu-reference --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_3 --pipeline mixir-cpu --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_3 --pipeline mixir-cpu-reference --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_4 --pipeline mixir-cpu --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_4 --pipeline mixir-cpu-reference --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_0 --pipeline mixir-cpu --random-inputs --seed 6 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_0 --pipeline mixir-cpu-reference --random-inputs --seed 6 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_1 --pipeline mixir-cpu --random-inputs --seed 7 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_1 --pipeline mixir-cpu-reference --random-inputs --seed 7 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_2 --pipeline mixir-cpu --random-inputs --seed 8 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_2 --pipeline mixir-cpu-reference --random-inputs --seed 8 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_3 --pipeline mixir-cpu --random-inputs --seed 9 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_3 --pipeline mixir-cpu-reference --random-inputs --seed 9 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_4 --pipeline mixir-cpu --random-inputs --seed 10 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_scaled_4 --pipeline mixir-cpu-reference --random-inputs --seed 10 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry grid_0 --pipeline mixir-cpu --random-inputs --seed 40 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry grid_0 --pipeline mixir-cpu-reference --random-inputs --seed 40 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry grid_long --pipeline mixir-cpu --random-inputs --seed 41 --check | FileCheck %s --check-prefix=ONE

// ONE: result #0: {{.*}} ok
// ONE-NOT: result #1
// TWO: result #0: {{.*}} ok
// TWO-NEXT: result #1: {{.*}} ok

func.func @f32_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32> {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {topk = 1 : i64, region_size = 1 : i64} -> tensor<1x1x1x16xf32>
  return %y : tensor<1x1x1x16xf32>
}

func.func @f32_1(%q: tensor<2x2x30x16xf32>, %k: tensor<2x2x30x16xf32>, %v: tensor<2x2x30x16xf32>) -> tensor<2x2x30x16xf32> {
  %init = tensor.empty() : tensor<2x2x30x16xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>)
         outs(%init : tensor<2x2x30x16xf32>) {topk = 2 : i64, region_size = 5 : i64} -> tensor<2x2x30x16xf32>
  return %y : tensor<2x2x30x16xf32>
}

func.func @f32_2(%q: tensor<1x3x49x80xf32>, %k: tensor<1x3x49x80xf32>, %v: tensor<1x3x49x80xf32>) -> tensor<1x3x49x80xf32> {
  %init = tensor.empty() : tensor<1x3x49x80xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>)
         outs(%init : tensor<1x3x49x80xf32>) {topk = 3 : i64, grid = array<i64: 7, 7>, regions = array<i64: 7, 1>} -> tensor<1x3x49x80xf32>
  return %y : tensor<1x3x49x80xf32>
}

func.func @f32_3(%q: tensor<1x2x36x64xf32>, %k: tensor<1x2x36x64xf32>, %v: tensor<1x2x36x64xf32>) -> tensor<1x2x36x64xf32> {
  %init = tensor.empty() : tensor<1x2x36x64xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x2x36x64xf32>, tensor<1x2x36x64xf32>, tensor<1x2x36x64xf32>)
         outs(%init : tensor<1x2x36x64xf32>) {topk = 6 : i64, grid = array<i64: 6, 6>, regions = array<i64: 3, 2>} -> tensor<1x2x36x64xf32>
  return %y : tensor<1x2x36x64xf32>
}

func.func @f32_4(%q: tensor<2x1x26x32xf32>, %k: tensor<2x1x26x32xf32>, %v: tensor<2x1x26x32xf32>) -> tensor<2x1x26x32xf32> {
  %init = tensor.empty() : tensor<2x1x26x32xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<2x1x26x32xf32>, tensor<2x1x26x32xf32>, tensor<2x1x26x32xf32>)
         outs(%init : tensor<2x1x26x32xf32>) {topk = 1 : i64, region_size = 13 : i64} -> tensor<2x1x26x32xf32>
  return %y : tensor<2x1x26x32xf32>
}

func.func @f16_scaled_0(%q: tensor<1x1x1x16xf16>, %k: tensor<1x1x1x16xf16>, %v: tensor<1x1x1x16xf16>) -> tensor<1x1x1x16xf16> {
  %init = tensor.empty() : tensor<1x1x1x16xf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>)
         outs(%init : tensor<1x1x1x16xf16>) {topk = 1 : i64, region_size = 1 : i64, scale = 0.2 : f32} -> tensor<1x1x1x16xf16>
  return %y : tensor<1x1x1x16xf16>
}

func.func @f16_scaled_1(%q: tensor<2x2x30x16xf16>, %k: tensor<2x2x30x16xf16>, %v: tensor<2x2x30x16xf16>) -> tensor<2x2x30x16xf16> {
  %init = tensor.empty() : tensor<2x2x30x16xf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<2x2x30x16xf16>, tensor<2x2x30x16xf16>, tensor<2x2x30x16xf16>)
         outs(%init : tensor<2x2x30x16xf16>) {topk = 2 : i64, region_size = 5 : i64, scale = 0.2 : f32} -> tensor<2x2x30x16xf16>
  return %y : tensor<2x2x30x16xf16>
}

func.func @f16_scaled_2(%q: tensor<1x3x49x80xf16>, %k: tensor<1x3x49x80xf16>, %v: tensor<1x3x49x80xf16>) -> tensor<1x3x49x80xf16> {
  %init = tensor.empty() : tensor<1x3x49x80xf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x3x49x80xf16>, tensor<1x3x49x80xf16>, tensor<1x3x49x80xf16>)
         outs(%init : tensor<1x3x49x80xf16>) {topk = 3 : i64, grid = array<i64: 7, 7>, regions = array<i64: 7, 1>, scale = 0.2 : f32} -> tensor<1x3x49x80xf16>
  return %y : tensor<1x3x49x80xf16>
}

func.func @f16_scaled_3(%q: tensor<1x2x36x64xf16>, %k: tensor<1x2x36x64xf16>, %v: tensor<1x2x36x64xf16>) -> tensor<1x2x36x64xf16> {
  %init = tensor.empty() : tensor<1x2x36x64xf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x2x36x64xf16>, tensor<1x2x36x64xf16>, tensor<1x2x36x64xf16>)
         outs(%init : tensor<1x2x36x64xf16>) {topk = 6 : i64, grid = array<i64: 6, 6>, regions = array<i64: 3, 2>, scale = 0.2 : f32} -> tensor<1x2x36x64xf16>
  return %y : tensor<1x2x36x64xf16>
}

func.func @f16_scaled_4(%q: tensor<2x1x26x32xf16>, %k: tensor<2x1x26x32xf16>, %v: tensor<2x1x26x32xf16>) -> tensor<2x1x26x32xf16> {
  %init = tensor.empty() : tensor<2x1x26x32xf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<2x1x26x32xf16>, tensor<2x1x26x32xf16>, tensor<2x1x26x32xf16>)
         outs(%init : tensor<2x1x26x32xf16>) {topk = 1 : i64, region_size = 13 : i64, scale = 0.2 : f32} -> tensor<2x1x26x32xf16>
  return %y : tensor<2x1x26x32xf16>
}

func.func @grid_0(%q: tensor<2x2x96x16xf32>, %k: tensor<2x2x96x16xf32>, %v: tensor<2x2x96x16xf32>) -> tensor<2x2x96x16xf32> {
  %init = tensor.empty() : tensor<2x2x96x16xf32>
  %o = attn.routed_attention ins(%q, %k, %v : tensor<2x2x96x16xf32>, tensor<2x2x96x16xf32>, tensor<2x2x96x16xf32>) outs(%init : tensor<2x2x96x16xf32>) {topk = 3 : i64, grid = array<i64: 8, 12>, regions = array<i64: 4, 3>} -> tensor<2x2x96x16xf32>
  return %o : tensor<2x2x96x16xf32>
}

func.func @grid_long(%q: tensor<1x2x4096x32xf32>, %k: tensor<1x2x4096x32xf32>, %v: tensor<1x2x4096x32xf32>) -> tensor<1x2x4096x32xf32> {
  %init = tensor.empty() : tensor<1x2x4096x32xf32>
  %o = attn.routed_attention ins(%q, %k, %v : tensor<1x2x4096x32xf32>, tensor<1x2x4096x32xf32>, tensor<1x2x4096x32xf32>) outs(%init : tensor<1x2x4096x32xf32>) {topk = 4 : i64, grid = array<i64: 64, 64>, regions = array<i64: 8, 8>} -> tensor<1x2x4096x32xf32>
  return %o : tensor<1x2x4096x32xf32>
}

// Ties: q = k = 1 everywhere, so every pair of regions has the same affinity
// and each query region routes to regions 0 and 1 (ties go to the lower
// index); the fast path selects them by passes, the reference by ranks.
// RUN: mixir-run %s --entry ties --pipeline mixir-cpu --input %S/Inputs/routed-ties-qk.npy --input %S/Inputs/routed-ties-qk.npy --input %S/Inputs/routed-ties-v.npy --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry ties --pipeline mixir-cpu-reference --input %S/Inputs/routed-ties-qk.npy --input %S/Inputs/routed-ties-qk.npy --input %S/Inputs/routed-ties-v.npy --check | FileCheck %s --check-prefix=ONE
func.func @ties(%q: tensor<1x2x12x4xf32>, %k: tensor<1x2x12x4xf32>, %v: tensor<1x2x12x4xf32>) -> tensor<1x2x12x4xf32> {
  %init = tensor.empty() : tensor<1x2x12x4xf32>
  %o = attn.routed_attention ins(%q, %k, %v : tensor<1x2x12x4xf32>, tensor<1x2x12x4xf32>, tensor<1x2x12x4xf32>) outs(%init : tensor<1x2x12x4xf32>) {topk = 2 : i64, region_size = 3 : i64} -> tensor<1x2x12x4xf32>
  return %o : tensor<1x2x12x4xf32>
}
