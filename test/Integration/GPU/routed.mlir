// attn.routed_attention on the GPU target, run on the CPU by the kernel
// interpreter (mixir-run --target=nvptx): the routing as kernels (region
// means of q and k, then each query region's affinity row and its topk, in
// f64), 2-D regions permuted region-major and back by copy kernels, and the
// attention kernel visiting only the routed regions' 64 x 64 key tiles.
// Regions of 64 and 128 tokens (1-D) and of 8 x 8, 4 x 32 and 16 x 8 (2-D),
// whose 64 x 64 tiles lie in one region each; and regions that do not hold
// whole tiles, as BiFormer's later stages have (16 tokens; 7 x 7 and 4 x 4
// windows), whose tiles check each element's region pair;
// f16 and bf16 on tensor cores, f32 on FMAs; D 16 to 128; topk 1 to R.
// Each is checked against the float64 reference on fresh random inputs
// (output poisoned first).

// RUN: mixir-run %s --target=nvptx --entry f16_region64 --random-inputs --seed 300 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry bf16_region128_d128 --random-inputs --seed 301 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f32_region64_dense --random-inputs --seed 302 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry bf16_grid_8x8 --random-inputs --seed 303 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f32_grid_4x32 --random-inputs --seed 304 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f16_grid_16x8_scaled --random-inputs --seed 305 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f32_region16 --random-inputs --seed 310 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry bf16_grid_7x7 --random-inputs --seed 311 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f16_grid_4x4_d128 --random-inputs --seed 312 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f32_region16 --random-inputs --random-scale 0,0,1 --seed 313 --check | FileCheck %s
// q = k = v one tensor: one region-major copy serves all three.
// RUN: mixir-run %s --target=nvptx --entry bf16_grid_7x7_self --random-inputs --seed 314 --check | FileCheck %s
// The same kernels on sm_90a and sm_90, on a clock seed.
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_grid_8x8 --random-inputs --seed clock --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --chip=sm_90 --entry f32_region64_dense --random-inputs --seed clock --check | FileCheck %s
// On sm_90a at D = 64 and 128 the attention kernels run on warpgroup MMA.
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_region64 --random-inputs --seed clock --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_grid_4x4_d128 --random-inputs --seed clock --check | FileCheck %s

// Ties: q = k = 0 makes every affinity equal, so each query region routes
// to the topk lowest regions (the reference's rule); a kernel that broke
// ties the other way fails this check.
// RUN: mixir-run %s --target=nvptx --entry f32_region64_ties --random-inputs --random-scale 0,0,1 --seed 306 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry bf16_grid_8x8 --random-inputs --random-scale 0,0,1 --seed 307 --check | FileCheck %s

// The tiles computed, as the interpreter counts them: f16_region64 has 2
// heads x 4 query tiles, each visiting its topk = 2 regions of one tile
// (16 of the 32 a dense loop computes); bf16_region128_d128 2 x 2 x 8 query
// tiles, each 2 regions of 2 tiles (128 of 256). The CTAs include the
// routing's: 2 x 4 for the means and 4 for the topk (f16_region64), 2 x 16
// and 8 (bf16_region128_d128).
// RUN: mixir-run %s --target=nvptx --entry f16_region64 --random-inputs --seed 308 --check --gpu-statistics | FileCheck %s --check-prefix=TILES64
// RUN: mixir-run %s --target=nvptx --entry bf16_region128_d128 --random-inputs --seed 309 --check --gpu-statistics | FileCheck %s --check-prefix=TILES128
// TILES64: interpreter: 20 CTAs, 16 key tiles computed
// TILES64: result #0: {{.*}} ok
// TILES128: interpreter: 72 CTAs, 128 key tiles computed
// TILES128: result #0: {{.*}} ok

// CHECK-NOT: FAILED
// CHECK: result #0: {{.*}} ok
// CHECK-NOT: FAILED

// 1-D regions of 64 (R = 4), topk 2.
func.func @f16_region64(%q: tensor<1x2x256x64xf16>, %k: tensor<1x2x256x64xf16>, %v: tensor<1x2x256x64xf16>) -> tensor<1x2x256x64xf16> {
  %init = tensor.empty() : tensor<1x2x256x64xf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x2x256x64xf16>, tensor<1x2x256x64xf16>, tensor<1x2x256x64xf16>)
         outs(%init : tensor<1x2x256x64xf16>) {topk = 2 : i64, region_size = 64 : i64} -> tensor<1x2x256x64xf16>
  return %y : tensor<1x2x256x64xf16>
}

// 1-D regions of 128 (two tiles each way, R = 4), topk 2, two batch rows
// routed apart, D = 128.
func.func @bf16_region128_d128(%q: tensor<2x2x512x128xbf16>, %k: tensor<2x2x512x128xbf16>, %v: tensor<2x2x512x128xbf16>) -> tensor<2x2x512x128xbf16> {
  %init = tensor.empty() : tensor<2x2x512x128xbf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<2x2x512x128xbf16>, tensor<2x2x512x128xbf16>, tensor<2x2x512x128xbf16>)
         outs(%init : tensor<2x2x512x128xbf16>) {topk = 2 : i64, region_size = 128 : i64} -> tensor<2x2x512x128xbf16>
  return %y : tensor<2x2x512x128xbf16>
}

// topk = R = 3: every region routed (dense attention), 3 heads.
func.func @f32_region64_dense(%q: tensor<1x3x192x32xf32>, %k: tensor<1x3x192x32xf32>, %v: tensor<1x3x192x32xf32>) -> tensor<1x3x192x32xf32> {
  %init = tensor.empty() : tensor<1x3x192x32xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x3x192x32xf32>, tensor<1x3x192x32xf32>, tensor<1x3x192x32xf32>)
         outs(%init : tensor<1x3x192x32xf32>) {topk = 3 : i64, region_size = 64 : i64} -> tensor<1x3x192x32xf32>
  return %y : tensor<1x3x192x32xf32>
}

// R = 6, topk 3 (the ties case).
func.func @f32_region64_ties(%q: tensor<1x2x384x16xf32>, %k: tensor<1x2x384x16xf32>, %v: tensor<1x2x384x16xf32>) -> tensor<1x2x384x16xf32> {
  %init = tensor.empty() : tensor<1x2x384x16xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x2x384x16xf32>, tensor<1x2x384x16xf32>, tensor<1x2x384x16xf32>)
         outs(%init : tensor<1x2x384x16xf32>) {topk = 3 : i64, region_size = 64 : i64} -> tensor<1x2x384x16xf32>
  return %y : tensor<1x2x384x16xf32>
}

// A 16 x 16 grid in 2 x 2 regions of 8 x 8 (R = 4), topk 2.
func.func @bf16_grid_8x8(%q: tensor<1x2x256x32xbf16>, %k: tensor<1x2x256x32xbf16>, %v: tensor<1x2x256x32xbf16>) -> tensor<1x2x256x32xbf16> {
  %init = tensor.empty() : tensor<1x2x256x32xbf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x2x256x32xbf16>, tensor<1x2x256x32xbf16>, tensor<1x2x256x32xbf16>)
         outs(%init : tensor<1x2x256x32xbf16>) {topk = 2 : i64, grid = array<i64: 16, 16>, regions = array<i64: 2, 2>} -> tensor<1x2x256x32xbf16>
  return %y : tensor<1x2x256x32xbf16>
}

// An 8 x 64 grid in 2 x 2 regions of 4 x 32 (128 tokens, two tiles), topk
// 1, two batch rows.
func.func @f32_grid_4x32(%q: tensor<2x1x512x16xf32>, %k: tensor<2x1x512x16xf32>, %v: tensor<2x1x512x16xf32>) -> tensor<2x1x512x16xf32> {
  %init = tensor.empty() : tensor<2x1x512x16xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<2x1x512x16xf32>, tensor<2x1x512x16xf32>, tensor<2x1x512x16xf32>)
         outs(%init : tensor<2x1x512x16xf32>) {topk = 1 : i64, grid = array<i64: 8, 64>, regions = array<i64: 2, 2>} -> tensor<2x1x512x16xf32>
  return %y : tensor<2x1x512x16xf32>
}

// A 32 x 24 grid in 2 x 3 regions of 16 x 8 (128 tokens, R = 6), topk 4,
// BiFormer's scale (H * D)^-0.5.
func.func @f16_grid_16x8_scaled(%q: tensor<1x2x768x48xf16>, %k: tensor<1x2x768x48xf16>, %v: tensor<1x2x768x48xf16>) -> tensor<1x2x768x48xf16> {
  %init = tensor.empty() : tensor<1x2x768x48xf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x2x768x48xf16>, tensor<1x2x768x48xf16>, tensor<1x2x768x48xf16>)
         outs(%init : tensor<1x2x768x48xf16>) {topk = 4 : i64, grid = array<i64: 32, 24>, regions = array<i64: 2, 3>, scale = 0.1020620726 : f32} -> tensor<1x2x768x48xf16>
  return %y : tensor<1x2x768x48xf16>
}

// 1-D regions of 16 (R = 5; four regions a tile), topk 2, two batch rows.
func.func @f32_region16(%q: tensor<2x1x80x16xf32>, %k: tensor<2x1x80x16xf32>, %v: tensor<2x1x80x16xf32>) -> tensor<2x1x80x16xf32> {
  %init = tensor.empty() : tensor<2x1x80x16xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<2x1x80x16xf32>, tensor<2x1x80x16xf32>, tensor<2x1x80x16xf32>)
         outs(%init : tensor<2x1x80x16xf32>) {topk = 2 : i64, region_size = 16 : i64} -> tensor<2x1x80x16xf32>
  return %y : tensor<2x1x80x16xf32>
}

// A 14 x 14 grid in 2 x 2 regions of 7 x 7 (49 tokens), topk 2.
func.func @bf16_grid_7x7(%q: tensor<1x2x196x32xbf16>, %k: tensor<1x2x196x32xbf16>, %v: tensor<1x2x196x32xbf16>) -> tensor<1x2x196x32xbf16> {
  %init = tensor.empty() : tensor<1x2x196x32xbf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x2x196x32xbf16>, tensor<1x2x196x32xbf16>, tensor<1x2x196x32xbf16>)
         outs(%init : tensor<1x2x196x32xbf16>) {topk = 2 : i64, grid = array<i64: 14, 14>, regions = array<i64: 2, 2>} -> tensor<1x2x196x32xbf16>
  return %y : tensor<1x2x196x32xbf16>
}

// A 28 x 28 grid in 7 x 7 regions of 4 x 4 (R = 49), topk 4, D = 128.
func.func @f16_grid_4x4_d128(%q: tensor<1x1x784x128xf16>, %k: tensor<1x1x784x128xf16>, %v: tensor<1x1x784x128xf16>) -> tensor<1x1x784x128xf16> {
  %init = tensor.empty() : tensor<1x1x784x128xf16>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x1x784x128xf16>, tensor<1x1x784x128xf16>, tensor<1x1x784x128xf16>)
         outs(%init : tensor<1x1x784x128xf16>) {topk = 4 : i64, grid = array<i64: 28, 28>, regions = array<i64: 7, 7>} -> tensor<1x1x784x128xf16>
  return %y : tensor<1x1x784x128xf16>
}

// Self-attention on one tensor (q = k = v), 7 x 7 windows.
func.func @bf16_grid_7x7_self(%x: tensor<1x2x196x32xbf16>) -> tensor<1x2x196x32xbf16> {
  %init = tensor.empty() : tensor<1x2x196x32xbf16>
  %y = attn.routed_attention ins(%x, %x, %x : tensor<1x2x196x32xbf16>, tensor<1x2x196x32xbf16>, tensor<1x2x196x32xbf16>)
         outs(%init : tensor<1x2x196x32xbf16>) {topk = 2 : i64, grid = array<i64: 14, 14>, regions = array<i64: 2, 2>} -> tensor<1x2x196x32xbf16>
  return %y : tensor<1x2x196x32xbf16>
}
