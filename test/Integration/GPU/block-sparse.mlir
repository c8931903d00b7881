// attn.block_sparse_attention on the GPU target, run on the CPU by the
// kernel interpreter (mixir-run --target=nvptx): blocks of 64 and 128 (the
// kernels' 64 x 64 tiles, each inside one block; a zero bit skips the tile:
// never loaded, never computed) and blocks that do not hold whole tiles
// (16 x 16, 48 x 80, 32 x 32: a tile meeting no set block is skipped, the
// others check each element's bit), f16 and bf16 on tensor cores, f32 on FMAs;
// layouts per head and shared; causal in both alignments, a window, GQA,
// kv_len and q_len, the lse, a bias, the sigmoid; S and T no multiple of
// the blocks or tiles. Each is checked against the float64 reference on
// fresh random inputs and random layouts (output poisoned first); rows with
// no allowed key must be exact zeros.

// RUN: mixir-run %s --target=nvptx --entry f16_gqa --random-inputs --seed 200 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_causal_lse_lengths --random-inputs --random-lengths --seed 201 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --target=nvptx --entry bf16_sigmoid_bias --random-inputs --seed 202 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_window_d128 --random-inputs --seed 203 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f32_causal_gqa --random-inputs --seed 204 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f32_lengths_lse --random-inputs --random-lengths --seed 205 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --target=nvptx --entry f16_one_query --random-inputs --seed 206 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_blocks_16 --random-inputs --seed 211 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f32_blocks_48x80_causal --random-inputs --random-lengths --seed 212 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_blocks_96x32_gqa --random-inputs --seed 213 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_blocks_48x80_everything_d128 --random-inputs --random-lengths --seed 215 --check | FileCheck %s --check-prefix=TWO
// The same kernels on sm_90a, on a clock seed.
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_gqa --random-inputs --seed clock --check | FileCheck %s --check-prefix=ONE
// On sm_90a at D = 64 and 128 these run on warpgroup MMA.
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_window_d128 --random-inputs --seed clock --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry fixed_layout_causal --random-inputs --input random --input random --input random --input %S/../Inputs/block-layout-4x4.npy --seed clock --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90 --entry f32_causal_gqa --random-inputs --seed clock --check | FileCheck %s --check-prefix=ONE

// The tiles computed, as the interpreter counts them (the kernels mark each
// key tile they compute): 4 query tiles x 4 key tiles of 64; the layout
// of Inputs/block-layout-4x4.npy (rows 1000, 1100, 1010, 1001) keeps 7 of
// the 16, top-left causal 10, and both 7 again (its bits lie on or below
// the diagonal).
// RUN: mixir-run %s --target=nvptx --entry fixed_layout --random-inputs --input random --input random --input random --input %S/../Inputs/block-layout-4x4.npy --seed 207 --check --gpu-statistics | FileCheck %s --check-prefix=SPARSE
// RUN: mixir-run %s --target=nvptx --entry dense_same_shape --random-inputs --seed 208 --check --gpu-statistics | FileCheck %s --check-prefix=DENSE
// RUN: mixir-run %s --target=nvptx --entry causal_same_shape --random-inputs --seed 209 --check --gpu-statistics | FileCheck %s --check-prefix=CAUSAL
// RUN: mixir-run %s --target=nvptx --entry fixed_layout_causal --random-inputs --input random --input random --input random --input %S/../Inputs/block-layout-4x4.npy --seed 210 --check --gpu-statistics | FileCheck %s --check-prefix=SPARSE
// SPARSE: interpreter: 4 CTAs, 7 key tiles computed
// SPARSE: result #0: {{.*}} ok
// The same layout file as 32 x 32 blocks of a 128 x 128 problem: each
// 64 x 64 tile meets 2 x 2 blocks; the tile of query blocks 0-1 and key
// blocks 2-3 has none set (rows 1000, 1100), so 3 of the 4 tiles run.
// RUN: mixir-run %s --target=nvptx --entry fixed_layout_32 --random-inputs --input random --input random --input random --input %S/../Inputs/block-layout-4x4.npy --seed 214 --check --gpu-statistics | FileCheck %s --check-prefix=SMALL
// SMALL: interpreter: 2 CTAs, 3 key tiles computed
// SMALL: result #0: {{.*}} ok
// DENSE: interpreter: 4 CTAs, 16 key tiles computed
// DENSE: result #0: {{.*}} ok
// CAUSAL: interpreter: 4 CTAs, 10 key tiles computed
// CAUSAL: result #0: {{.*}} ok

// ONE-NOT: FAILED
// ONE: result #0: {{.*}} ok
// ONE-NOT: FAILED
// TWO-NOT: FAILED
// TWO: result #0: {{.*}} ok
// TWO: result #1: {{.*}} ok

// 64 x 64 blocks, a layout per query head, GQA 2, S = 131, T = 197.
func.func @f16_gqa(%q: tensor<1x4x131x64xf16>, %k: tensor<1x2x197x64xf16>, %v: tensor<1x2x197x64xf16>, %layout: tensor<4x3x4xi1>) -> tensor<1x4x131x64xf16> {
  %init = tensor.empty() : tensor<1x4x131x64xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x131x64xf16>, tensor<1x2x197x64xf16>, tensor<1x2x197x64xf16>, tensor<4x3x4xi1>) outs(%init : tensor<1x4x131x64xf16>)
    {block = array<i64: 64, 64>} -> tensor<1x4x131x64xf16>
  return %o : tensor<1x4x131x64xf16>
}

// 128 x 64 blocks, bottom-right causal, the lse, kv_len and q_len.
func.func @bf16_causal_lse_lengths(%q: tensor<2x2x150x32xbf16>, %k: tensor<2x2x170x32xbf16>, %v: tensor<2x2x170x32xbf16>, %layout: tensor<2x2x3xi1>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x2x150x32xbf16>, tensor<2x2x150xf32>) {
  %init = tensor.empty() : tensor<2x2x150x32xbf16>
  %linit = tensor.empty() : tensor<2x2x150xf32>
  %o, %lse = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x2x150x32xbf16>, tensor<2x2x170x32xbf16>, tensor<2x2x170x32xbf16>, tensor<2x2x3xi1>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
         outs(%init, %linit : tensor<2x2x150x32xbf16>, tensor<2x2x150xf32>) {block = array<i64: 128, 64>, causal = #attn.causal<bottom_right>}
         -> tensor<2x2x150x32xbf16>, tensor<2x2x150xf32>
  return %o, %lse : tensor<2x2x150x32xbf16>, tensor<2x2x150xf32>
}

// 64 x 128 blocks, one layout for every head, the sigmoid with a bias.
func.func @bf16_sigmoid_bias(%q: tensor<1x2x100x48xbf16>, %k: tensor<1x1x300x48xbf16>, %v: tensor<1x1x300x48xbf16>, %layout: tensor<1x2x3xi1>, %b: tensor<1x2x100x300xbf16>) -> tensor<1x2x100x48xbf16> {
  %init = tensor.empty() : tensor<1x2x100x48xbf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x100x48xbf16>, tensor<1x1x300x48xbf16>, tensor<1x1x300x48xbf16>, tensor<1x2x3xi1>) bias(%b : tensor<1x2x100x300xbf16>) outs(%init : tensor<1x2x100x48xbf16>)
    {block = array<i64: 64, 128>, score = #attn.score<sigmoid>} -> tensor<1x2x100x48xbf16>
  return %o : tensor<1x2x100x48xbf16>
}

// 64 x 64 blocks, a window, D = 128.
func.func @f16_window_d128(%q: tensor<1x2x160x128xf16>, %k: tensor<1x2x160x128xf16>, %v: tensor<1x2x160x128xf16>, %layout: tensor<2x3x3xi1>) -> tensor<1x2x160x128xf16> {
  %init = tensor.empty() : tensor<1x2x160x128xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x160x128xf16>, tensor<1x2x160x128xf16>, tensor<1x2x160x128xf16>, tensor<2x3x3xi1>) outs(%init : tensor<1x2x160x128xf16>)
    {block = array<i64: 64, 64>, window = array<i64: 70, 20>} -> tensor<1x2x160x128xf16>
  return %o : tensor<1x2x160x128xf16>
}

// f32 (FMA kernel), 128 x 128 blocks, top-left causal, GQA 2.
func.func @f32_causal_gqa(%q: tensor<2x4x150x32xf32>, %k: tensor<2x2x300x32xf32>, %v: tensor<2x2x300x32xf32>, %layout: tensor<4x2x3xi1>) -> tensor<2x4x150x32xf32> {
  %init = tensor.empty() : tensor<2x4x150x32xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x4x150x32xf32>, tensor<2x2x300x32xf32>, tensor<2x2x300x32xf32>, tensor<4x2x3xi1>) outs(%init : tensor<2x4x150x32xf32>)
    {block = array<i64: 128, 128>, causal = #attn.causal<top_left>} -> tensor<2x4x150x32xf32>
  return %o : tensor<2x4x150x32xf32>
}

// f32, 64 x 192 blocks, kv_len and q_len, the lse.
func.func @f32_lengths_lse(%q: tensor<2x1x70x16xf32>, %k: tensor<2x1x400x16xf32>, %v: tensor<2x1x400x16xf32>, %layout: tensor<1x2x3xi1>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x1x70x16xf32>, tensor<2x1x70xf32>) {
  %init = tensor.empty() : tensor<2x1x70x16xf32>
  %linit = tensor.empty() : tensor<2x1x70xf32>
  %o, %lse = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x1x70x16xf32>, tensor<2x1x400x16xf32>, tensor<2x1x400x16xf32>, tensor<1x2x3xi1>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
         outs(%init, %linit : tensor<2x1x70x16xf32>, tensor<2x1x70xf32>) {block = array<i64: 64, 192>}
         -> tensor<2x1x70x16xf32>, tensor<2x1x70xf32>
  return %o, %lse : tensor<2x1x70x16xf32>, tensor<2x1x70xf32>
}

// One query, one key block.
func.func @f16_one_query(%q: tensor<1x1x1x16xf16>, %k: tensor<1x1x5x16xf16>, %v: tensor<1x1x5x16xf16>, %layout: tensor<1x1x1xi1>) -> tensor<1x1x1x16xf16> {
  %init = tensor.empty() : tensor<1x1x1x16xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x1x16xf16>, tensor<1x1x5x16xf16>, tensor<1x1x5x16xf16>, tensor<1x1x1xi1>) outs(%init : tensor<1x1x1x16xf16>)
    {block = array<i64: 64, 64>} -> tensor<1x1x1x16xf16>
  return %o : tensor<1x1x1x16xf16>
}

// 256 x 256 in 64 x 64 blocks, the layout from a file (the tile counts).
func.func @fixed_layout(%q: tensor<1x1x256x64xf16>, %k: tensor<1x1x256x64xf16>, %v: tensor<1x1x256x64xf16>, %layout: tensor<1x4x4xi1>) -> tensor<1x1x256x64xf16> {
  %init = tensor.empty() : tensor<1x1x256x64xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>, tensor<1x4x4xi1>) outs(%init : tensor<1x1x256x64xf16>)
    {block = array<i64: 64, 64>} -> tensor<1x1x256x64xf16>
  return %o : tensor<1x1x256x64xf16>
}

func.func @fixed_layout_causal(%q: tensor<1x1x256x64xf16>, %k: tensor<1x1x256x64xf16>, %v: tensor<1x1x256x64xf16>, %layout: tensor<1x4x4xi1>) -> tensor<1x1x256x64xf16> {
  %init = tensor.empty() : tensor<1x1x256x64xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>, tensor<1x4x4xi1>) outs(%init : tensor<1x1x256x64xf16>)
    {block = array<i64: 64, 64>, causal = #attn.causal<top_left>} -> tensor<1x1x256x64xf16>
  return %o : tensor<1x1x256x64xf16>
}

func.func @dense_same_shape(%q: tensor<1x1x256x64xf16>, %k: tensor<1x1x256x64xf16>, %v: tensor<1x1x256x64xf16>) -> tensor<1x1x256x64xf16> {
  %init = tensor.empty() : tensor<1x1x256x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>) outs(%init : tensor<1x1x256x64xf16>) -> tensor<1x1x256x64xf16>
  return %o : tensor<1x1x256x64xf16>
}

func.func @causal_same_shape(%q: tensor<1x1x256x64xf16>, %k: tensor<1x1x256x64xf16>, %v: tensor<1x1x256x64xf16>) -> tensor<1x1x256x64xf16> {
  %init = tensor.empty() : tensor<1x1x256x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>, tensor<1x1x256x64xf16>) outs(%init : tensor<1x1x256x64xf16>) {causal = #attn.causal<top_left>} -> tensor<1x1x256x64xf16>
  return %o : tensor<1x1x256x64xf16>
}

// 16 x 16 blocks (4 x 4 of them in a tile), S = 131, T = 197.
func.func @f16_blocks_16(%q: tensor<1x2x131x64xf16>, %k: tensor<1x2x197x64xf16>, %v: tensor<1x2x197x64xf16>, %layout: tensor<2x9x13xi1>) -> tensor<1x2x131x64xf16> {
  %init = tensor.empty() : tensor<1x2x131x64xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x131x64xf16>, tensor<1x2x197x64xf16>, tensor<1x2x197x64xf16>, tensor<2x9x13xi1>) outs(%init : tensor<1x2x131x64xf16>)
    {block = array<i64: 16, 16>} -> tensor<1x2x131x64xf16>
  return %o : tensor<1x2x131x64xf16>
}

// f32, 48 x 80 blocks (straddling tiles), bottom-right causal, kv_len and
// q_len, GQA 2, one layout for every head.
func.func @f32_blocks_48x80_causal(%q: tensor<2x2x150x32xf32>, %k: tensor<2x1x170x32xf32>, %v: tensor<2x1x170x32xf32>, %layout: tensor<1x4x3xi1>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> tensor<2x2x150x32xf32> {
  %init = tensor.empty() : tensor<2x2x150x32xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x2x150x32xf32>, tensor<2x1x170x32xf32>, tensor<2x1x170x32xf32>, tensor<1x4x3xi1>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>) outs(%init : tensor<2x2x150x32xf32>)
    {block = array<i64: 48, 80>, causal = #attn.causal<bottom_right>} -> tensor<2x2x150x32xf32>
  return %o : tensor<2x2x150x32xf32>
}

// bf16, 96 x 32 blocks, a layout per query head, GQA 2, D = 128.
func.func @bf16_blocks_96x32_gqa(%q: tensor<1x4x200x128xbf16>, %k: tensor<1x2x100x128xbf16>, %v: tensor<1x2x100x128xbf16>, %layout: tensor<4x3x4xi1>) -> tensor<1x4x200x128xbf16> {
  %init = tensor.empty() : tensor<1x4x200x128xbf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x200x128xbf16>, tensor<1x2x100x128xbf16>, tensor<1x2x100x128xbf16>, tensor<4x3x4xi1>) outs(%init : tensor<1x4x200x128xbf16>)
    {block = array<i64: 96, 32>} -> tensor<1x4x200x128xbf16>
  return %o : tensor<1x4x200x128xbf16>
}

func.func @fixed_layout_32(%q: tensor<1x1x128x64xf16>, %k: tensor<1x1x128x64xf16>, %v: tensor<1x1x128x64xf16>, %layout: tensor<1x4x4xi1>) -> tensor<1x1x128x64xf16> {
  %init = tensor.empty() : tensor<1x1x128x64xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x1x128x64xf16>, tensor<1x1x128x64xf16>, tensor<1x1x128x64xf16>, tensor<1x4x4xi1>) outs(%init : tensor<1x1x128x64xf16>)
    {block = array<i64: 32, 32>} -> tensor<1x1x128x64xf16>
  return %o : tensor<1x1x128x64xf16>
}

// Blocks of 48 x 80 at D = 128 with every mask, a staged bias, GQA and the
// lse: per-element block bits and the spec's interval in one row mask.
func.func @bf16_blocks_48x80_everything_d128(%q: tensor<2x4x131x128xbf16>, %k: tensor<2x2x139x128xbf16>, %v: tensor<2x2x139x128xbf16>, %layout: tensor<4x3x2xi1>, %b: tensor<2x4x131x139xbf16>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x4x131x128xbf16>, tensor<2x4x131xf32>) {
  %init = tensor.empty() : tensor<2x4x131x128xbf16>
  %li = tensor.empty() : tensor<2x4x131xf32>
  %o, %l = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<2x4x131x128xbf16>, tensor<2x2x139x128xbf16>, tensor<2x2x139x128xbf16>, tensor<4x3x2xi1>) bias(%b : tensor<2x4x131x139xbf16>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>) outs(%init, %li : tensor<2x4x131x128xbf16>, tensor<2x4x131xf32>)
    {block = array<i64: 48, 80>, causal = #attn.causal<bottom_right>, window = array<i64: 60, 0>} -> tensor<2x4x131x128xbf16>, tensor<2x4x131xf32>
  return %o, %l : tensor<2x4x131x128xbf16>, tensor<2x4x131xf32>
}
