// attn.combiner on the GPU target, every variant, run on the CPU by the
// kernel interpreter (mixir-run --target=nvptx); each is checked against
// the float64 reference on fresh random inputs (output poisoned first).
// f16 and bf16 on tensor cores (D 16 to 128), f32 on FMAs. Every stage is
// an attention kernel on the 64 x 64 tiles (its key ranges, and its mask
// region's key intervals per row, joined into the rows' mask bits) or an
// element kernel (max-pooling, strided and padded copies, concatenations,
// merges):
//  - fixed: the segment maxima; vbar, 64 segments a query tile, each over
//    its own segment's keys; then attention over [k; kbar] and [v; vbar] in
//    two key ranges with one softmax state (the segments of the tile's rows,
//    then the abstractions: earlier segments when causal, the others when
//    not). Blocks smaller than, equal to and larger than the tiles, L not a
//    multiple of them, one segment, L = 1.
//  - axial: u and kt by attention within each row, the direct keys' (o,
//    lse), the abstractions' (o, lse) over the column layout (copy kernels
//    there and back), merged by the split-KV rule; rows of 1 to 70 tokens,
//    one row, D = 128.
//  - logsparse: each level's tables (kbar by pairwise max-pooling, vbar of
//    the even blocks by attention, 64 blocks a query tile), then attention
//    over [k; table_0; table_1; ...]: key i and one entry per set bit of i;
//    L a power of two, odd, 1 and 2.

// RUN: mixir-run %s --target=nvptx --entry f16_b64_causal --random-inputs --seed 500 --check --gpu-statistics | FileCheck %s --check-prefix=TILES
// RUN: mixir-run %s --target=nvptx --entry bf16_b100 --random-inputs --seed 501 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f16_b7_causal_d128 --random-inputs --seed 502 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry bf16_b8_d32 --random-inputs --seed 503 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f16_one_segment --random-inputs --seed 504 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry bf16_one_segment_causal --random-inputs --seed 505 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f32_b5 --random-inputs --seed 506 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f32_b11_causal_scaled --random-inputs --seed 507 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f32_one --random-inputs --seed 508 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry f32_b128_causal_d128 --random-inputs --seed 509 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry axial_f16_w16_causal --random-inputs --seed 520 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry axial_bf16_w40_d128 --random-inputs --seed 521 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry axial_f32_w9_causal --random-inputs --seed 522 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry axial_f16_w1 --random-inputs --seed 523 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry axial_bf16_one_row --random-inputs --seed 524 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry axial_f32_w70_causal_d128 --random-inputs --seed 525 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry logsparse_f16_d128 --random-inputs --seed 526 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry logsparse_bf16_pow2 --random-inputs --seed 527 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry logsparse_f32_odd --random-inputs --seed 528 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry logsparse_f32_one --random-inputs --seed 529 --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --entry logsparse_f16_two --random-inputs --seed 530 --check | FileCheck %s
// The same kernels on sm_90a and sm_90, on a clock seed.
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_b100 --random-inputs --seed clock --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --chip=sm_90 --entry f32_b11_causal_scaled --random-inputs --seed clock --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry axial_f16_w16_causal --random-inputs --seed clock --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --chip=sm_90 --entry logsparse_bf16_pow2 --random-inputs --seed clock --check | FileCheck %s
// On sm_90a at D = 64 and 128 the attention kernels (several key ranges,
// the mask region's intervals) run on warpgroup MMA.
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_b7_causal_d128 --random-inputs --seed clock --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry axial_bf16_w40_d128 --random-inputs --seed clock --check | FileCheck %s
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry logsparse_f16_d128 --random-inputs --seed clock --check | FileCheck %s

// Causal, L = 256, blocks of 64: stage one visits the 4 key tiles of the one
// query tile of 4 segments; stage two, per query tile t, the one key tile of
// its segment and (t > 0) one tile of abstractions: 4 + 4 + 3 = 11 key
// tiles, against 4 + 4 x 5 = 24 without the ranges.
// TILES: interpreter: {{[0-9]+}} CTAs, 11 key tiles computed
// TILES: result #0: {{.+}} ok
// CHECK: result #0: {{.+}} ok

func.func @f16_b64_causal(%q: tensor<1x1x256x64xf16>, %k: tensor<1x1x256x64xf16>, %v: tensor<1x1x256x64xf16>) -> tensor<1x1x256x64xf16> {
  %init = tensor.empty() : tensor<1x1x256x64xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>) outs(%init : tensor<1x1x256x64xf16>) {variant = #attn.variant<fixed>, block = 64 : i64, causal = true} -> tensor<1x1x256x64xf16>
  return %y : tensor<1x1x256x64xf16>
}

func.func @bf16_b100(%q: tensor<2x2x300x64xbf16>, %k: tensor<2x2x300x64xbf16>, %v: tensor<2x2x300x64xbf16>) -> tensor<2x2x300x64xbf16> {
  %init = tensor.empty() : tensor<2x2x300x64xbf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x2x300x64xbf16>, tensor<2x2x300x64xbf16>, tensor<2x2x300x64xbf16>) outs(%init : tensor<2x2x300x64xbf16>) {variant = #attn.variant<fixed>, block = 100 : i64, causal = false} -> tensor<2x2x300x64xbf16>
  return %y : tensor<2x2x300x64xbf16>
}

func.func @f16_b7_causal_d128(%q: tensor<1x3x203x128xf16>, %k: tensor<1x3x203x128xf16>, %v: tensor<1x3x203x128xf16>) -> tensor<1x3x203x128xf16> {
  %init = tensor.empty() : tensor<1x3x203x128xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x3x203x128xf16>, tensor<1x3x203x128xf16>, tensor<1x3x203x128xf16>) outs(%init : tensor<1x3x203x128xf16>) {variant = #attn.variant<fixed>, block = 7 : i64, causal = true} -> tensor<1x3x203x128xf16>
  return %y : tensor<1x3x203x128xf16>
}

func.func @bf16_b8_d32(%q: tensor<1x1x72x32xbf16>, %k: tensor<1x1x72x32xbf16>, %v: tensor<1x1x72x32xbf16>) -> tensor<1x1x72x32xbf16> {
  %init = tensor.empty() : tensor<1x1x72x32xbf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x72x32xbf16>, tensor<1x1x72x32xbf16>, tensor<1x1x72x32xbf16>) outs(%init : tensor<1x1x72x32xbf16>) {variant = #attn.variant<fixed>, block = 8 : i64, causal = false} -> tensor<1x1x72x32xbf16>
  return %y : tensor<1x1x72x32xbf16>
}

func.func @f16_one_segment(%q: tensor<1x2x96x16xf16>, %k: tensor<1x2x96x16xf16>, %v: tensor<1x2x96x16xf16>) -> tensor<1x2x96x16xf16> {
  %init = tensor.empty() : tensor<1x2x96x16xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x96x16xf16>, tensor<1x2x96x16xf16>, tensor<1x2x96x16xf16>) outs(%init : tensor<1x2x96x16xf16>) {variant = #attn.variant<fixed>, block = 96 : i64, causal = false} -> tensor<1x2x96x16xf16>
  return %y : tensor<1x2x96x16xf16>
}

func.func @bf16_one_segment_causal(%q: tensor<1x1x96x64xbf16>, %k: tensor<1x1x96x64xbf16>, %v: tensor<1x1x96x64xbf16>) -> tensor<1x1x96x64xbf16> {
  %init = tensor.empty() : tensor<1x1x96x64xbf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x96x64xbf16>, tensor<1x1x96x64xbf16>, tensor<1x1x96x64xbf16>) outs(%init : tensor<1x1x96x64xbf16>) {variant = #attn.variant<fixed>, block = 96 : i64, causal = true} -> tensor<1x1x96x64xbf16>
  return %y : tensor<1x1x96x64xbf16>
}

func.func @f32_b5(%q: tensor<2x2x30x16xf32>, %k: tensor<2x2x30x16xf32>, %v: tensor<2x2x30x16xf32>) -> tensor<2x2x30x16xf32> {
  %init = tensor.empty() : tensor<2x2x30x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>) outs(%init : tensor<2x2x30x16xf32>) {variant = #attn.variant<fixed>, block = 5 : i64, causal = false} -> tensor<2x2x30x16xf32>
  return %y : tensor<2x2x30x16xf32>
}

func.func @f32_b11_causal_scaled(%q: tensor<2x1x33x32xf32>, %k: tensor<2x1x33x32xf32>, %v: tensor<2x1x33x32xf32>) -> tensor<2x1x33x32xf32> {
  %init = tensor.empty() : tensor<2x1x33x32xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>) outs(%init : tensor<2x1x33x32xf32>) {variant = #attn.variant<fixed>, block = 11 : i64, causal = true, scale = 0.3 : f32} -> tensor<2x1x33x32xf32>
  return %y : tensor<2x1x33x32xf32>
}

func.func @f32_one(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32> {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) outs(%init : tensor<1x1x1x16xf32>) {variant = #attn.variant<fixed>, block = 1 : i64, causal = true} -> tensor<1x1x1x16xf32>
  return %y : tensor<1x1x1x16xf32>
}

func.func @f32_b128_causal_d128(%q: tensor<1x1x384x128xf32>, %k: tensor<1x1x384x128xf32>, %v: tensor<1x1x384x128xf32>) -> tensor<1x1x384x128xf32> {
  %init = tensor.empty() : tensor<1x1x384x128xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x384x128xf32>, tensor<1x1x384x128xf32>, tensor<1x1x384x128xf32>) outs(%init : tensor<1x1x384x128xf32>) {variant = #attn.variant<fixed>, block = 128 : i64, causal = true} -> tensor<1x1x384x128xf32>
  return %y : tensor<1x1x384x128xf32>
}

func.func @axial_f16_w16_causal(%q: tensor<1x2x256x64xf16>, %k: tensor<1x2x256x64xf16>, %v: tensor<1x2x256x64xf16>) -> tensor<1x2x256x64xf16> {
  %init = tensor.empty() : tensor<1x2x256x64xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x256x64xf16>, tensor<1x2x256x64xf16>, tensor<1x2x256x64xf16>) outs(%init : tensor<1x2x256x64xf16>) {variant = #attn.variant<axial>, block = 16 : i64, causal = true} -> tensor<1x2x256x64xf16>
  return %y : tensor<1x2x256x64xf16>
}

func.func @axial_bf16_w40_d128(%q: tensor<2x1x200x128xbf16>, %k: tensor<2x1x200x128xbf16>, %v: tensor<2x1x200x128xbf16>) -> tensor<2x1x200x128xbf16> {
  %init = tensor.empty() : tensor<2x1x200x128xbf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x200x128xbf16>, tensor<2x1x200x128xbf16>, tensor<2x1x200x128xbf16>) outs(%init : tensor<2x1x200x128xbf16>) {variant = #attn.variant<axial>, block = 40 : i64, causal = false} -> tensor<2x1x200x128xbf16>
  return %y : tensor<2x1x200x128xbf16>
}

func.func @axial_f32_w9_causal(%q: tensor<1x1x99x32xf32>, %k: tensor<1x1x99x32xf32>, %v: tensor<1x1x99x32xf32>) -> tensor<1x1x99x32xf32> {
  %init = tensor.empty() : tensor<1x1x99x32xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x99x32xf32>, tensor<1x1x99x32xf32>, tensor<1x1x99x32xf32>) outs(%init : tensor<1x1x99x32xf32>) {variant = #attn.variant<axial>, block = 9 : i64, causal = true} -> tensor<1x1x99x32xf32>
  return %y : tensor<1x1x99x32xf32>
}

func.func @axial_f16_w1(%q: tensor<1x1x5x16xf16>, %k: tensor<1x1x5x16xf16>, %v: tensor<1x1x5x16xf16>) -> tensor<1x1x5x16xf16> {
  %init = tensor.empty() : tensor<1x1x5x16xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x5x16xf16>, tensor<1x1x5x16xf16>, tensor<1x1x5x16xf16>) outs(%init : tensor<1x1x5x16xf16>) {variant = #attn.variant<axial>, block = 1 : i64, causal = false, scale = 0.5 : f32} -> tensor<1x1x5x16xf16>
  return %y : tensor<1x1x5x16xf16>
}

func.func @axial_bf16_one_row(%q: tensor<1x1x70x64xbf16>, %k: tensor<1x1x70x64xbf16>, %v: tensor<1x1x70x64xbf16>) -> tensor<1x1x70x64xbf16> {
  %init = tensor.empty() : tensor<1x1x70x64xbf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x70x64xbf16>, tensor<1x1x70x64xbf16>, tensor<1x1x70x64xbf16>) outs(%init : tensor<1x1x70x64xbf16>) {variant = #attn.variant<axial>, block = 70 : i64, causal = false} -> tensor<1x1x70x64xbf16>
  return %y : tensor<1x1x70x64xbf16>
}

func.func @axial_f32_w70_causal_d128(%q: tensor<1x1x140x128xf32>, %k: tensor<1x1x140x128xf32>, %v: tensor<1x1x140x128xf32>) -> tensor<1x1x140x128xf32> {
  %init = tensor.empty() : tensor<1x1x140x128xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x140x128xf32>, tensor<1x1x140x128xf32>, tensor<1x1x140x128xf32>) outs(%init : tensor<1x1x140x128xf32>) {variant = #attn.variant<axial>, block = 70 : i64, causal = true} -> tensor<1x1x140x128xf32>
  return %y : tensor<1x1x140x128xf32>
}

func.func @logsparse_f16_d128(%q: tensor<1x2x300x128xf16>, %k: tensor<1x2x300x128xf16>, %v: tensor<1x2x300x128xf16>) -> tensor<1x2x300x128xf16> {
  %init = tensor.empty() : tensor<1x2x300x128xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x300x128xf16>, tensor<1x2x300x128xf16>, tensor<1x2x300x128xf16>) outs(%init : tensor<1x2x300x128xf16>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x2x300x128xf16>
  return %y : tensor<1x2x300x128xf16>
}

func.func @logsparse_bf16_pow2(%q: tensor<2x1x256x64xbf16>, %k: tensor<2x1x256x64xbf16>, %v: tensor<2x1x256x64xbf16>) -> tensor<2x1x256x64xbf16> {
  %init = tensor.empty() : tensor<2x1x256x64xbf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x256x64xbf16>, tensor<2x1x256x64xbf16>, tensor<2x1x256x64xbf16>) outs(%init : tensor<2x1x256x64xbf16>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<2x1x256x64xbf16>
  return %y : tensor<2x1x256x64xbf16>
}

func.func @logsparse_f32_odd(%q: tensor<1x3x129x32xf32>, %k: tensor<1x3x129x32xf32>, %v: tensor<1x3x129x32xf32>) -> tensor<1x3x129x32xf32> {
  %init = tensor.empty() : tensor<1x3x129x32xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x3x129x32xf32>, tensor<1x3x129x32xf32>, tensor<1x3x129x32xf32>) outs(%init : tensor<1x3x129x32xf32>) {variant = #attn.variant<logsparse>, causal = true, scale = 0.25 : f32} -> tensor<1x3x129x32xf32>
  return %y : tensor<1x3x129x32xf32>
}

func.func @logsparse_f32_one(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32> {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>) outs(%init : tensor<1x1x1x16xf32>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x1x1x16xf32>
  return %y : tensor<1x1x1x16xf32>
}

func.func @logsparse_f16_two(%q: tensor<1x1x2x16xf16>, %k: tensor<1x1x2x16xf16>, %v: tensor<1x1x2x16xf16>) -> tensor<1x1x2x16xf16> {
  %init = tensor.empty() : tensor<1x1x2x16xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x2x16xf16>, tensor<1x1x2x16xf16>, tensor<1x1x2x16xf16>) outs(%init : tensor<1x1x2x16xf16>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x1x2x16xf16>
  return %y : tensor<1x1x2x16xf16>
}
