// Every attention form the GPU kernels cover, run on the CPU by the kernel
// interpreter (mixir-run --target=nvptx): softmax and sigmoid; f16 and bf16
// on tensor cores, f32 on FMAs; no mask, causal in both alignments, windows,
// GQA 1/2/4, kv_len and q_len, full and broadcast biases, the lse; head dims
// 16 to 128; S and T of 1, primes and sizes that are no multiple of the 64 x
// 64 tiles. Each is checked against the float64 reference on fresh random
// inputs (output poisoned first) at the spec's tolerance; rows with no
// allowed key must be exact zeros.

// RUN: mixir-run %s --target=nvptx --entry f16_plain --random-inputs --seed 100 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_plain_d128 --random-inputs --seed 101 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_one --random-inputs --seed 102 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_causal_top_left_gqa2 --random-inputs --seed 103 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_causal_bottom_right_gqa4 --random-inputs --seed 104 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_bottom_right_rows_without_keys --random-inputs --seed 105 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_window --random-inputs --seed 106 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_causal_window --random-inputs --seed 107 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_lengths --random-inputs --random-lengths --seed 108 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_bias_full --random-inputs --seed 109 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_bias_broadcast --random-inputs --seed 110 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_lse --random-inputs --seed 111 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --target=nvptx --entry bf16_lse_lengths --random-inputs --random-lengths --seed 112 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --target=nvptx --entry f16_sigmoid --random-inputs --seed 113 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry bf16_sigmoid_causal_gqa2 --random-inputs --seed 114 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f16_small_dims --random-inputs --seed 115 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f32_plain --random-inputs --seed 116 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f32_d128_gqa4_causal --random-inputs --seed 117 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f32_window_lengths_lse --random-inputs --random-lengths --seed 118 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --target=nvptx --entry f32_sigmoid_bias --random-inputs --seed 119 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --entry f32_one --random-inputs --seed 120 --check | FileCheck %s --check-prefix=ONE
// Biases of one row per query and key are staged per tile in shared memory
// by the tensor-core kernels (rows padded on the device to whole 16-byte
// chunks where T is not a multiple of 8); at D = 128 with every mask.
// RUN: mixir-run %s --target=nvptx --entry bf16_everything_d128 --random-inputs --random-lengths --seed 121 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --target=nvptx --entry f16_bias_causal_aligned_d128 --random-inputs --seed 122 --check | FileCheck %s --check-prefix=ONE
// A window wider than any sequence (INT64_MAX each side) is no window: the
// rows see their causal keys on both targets and in the reference (no
// overflow of position + window), so no row is empty.
// RUN: mixir-run %s --target=nvptx --entry f16_widest_window --random-inputs --seed 123 --check | FileCheck %s --check-prefix=WIDE
// RUN: mixir-run %s --target=cpu --entry f16_widest_window --random-inputs --seed 123 --check | FileCheck %s --check-prefix=WIDE
// WIDE: result #0: rel_l2 = {{.*}} tolerance = {{[^ ]+}}  ok
// The same forms on sm_90 (the kernels are the same; the chip changes the
// PTX target only) on a clock seed: inputs no earlier run had.
// RUN: mixir-run %s --target=nvptx --chip=sm_90 --entry f16_causal_bottom_right_gqa4 --random-inputs --seed clock --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_lse_lengths --random-inputs --random-lengths --seed clock --check | FileCheck %s --check-prefix=TWO
// On sm_90a the f16/bf16 kernels with D and Dv multiples of 64 run on
// warpgroup MMA (wgmma from 128-byte-swizzled shared memory; the
// interpreter decodes the descriptors and the accumulator layout from the
// PTX ISA): every mask, GQA, lengths, biases (staged or not), sigmoid, the
// lse, D = Dv = 64 and 128 and D != Dv; D = 16/32 keeps mma.sync.
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_plain --random-inputs --seed 130 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_plain_d128 --random-inputs --seed 131 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_one --random-inputs --seed 132 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_causal_top_left_gqa2 --random-inputs --seed 133 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_causal_bottom_right_gqa4 --random-inputs --seed 134 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_bottom_right_rows_without_keys --random-inputs --seed 135 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_causal_window --random-inputs --seed 136 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_lengths --random-inputs --random-lengths --seed 137 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_bias_broadcast --random-inputs --seed 138 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_lse --random-inputs --seed 139 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_sigmoid_causal_gqa2 --random-inputs --seed 140 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry bf16_everything_d128 --random-inputs --random-lengths --seed 141 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16_small_dims --random-inputs --seed 142 --check | FileCheck %s --check-prefix=ONE

// ONE-NOT: FAILED
// ONE: result #0: {{.*}} ok
// ONE-NOT: FAILED
// TWO-NOT: FAILED
// TWO: result #0: {{.*}} ok
// TWO: result #1: {{.*}} ok

func.func @f16_plain(%q: tensor<1x2x67x64xf16>, %k: tensor<1x2x131x64xf16>, %v: tensor<1x2x131x64xf16>) -> tensor<1x2x67x64xf16> {
  %init = tensor.empty() : tensor<1x2x67x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x67x64xf16>, tensor<1x2x131x64xf16>, tensor<1x2x131x64xf16>) outs(%init : tensor<1x2x67x64xf16>) -> tensor<1x2x67x64xf16>
  return %o : tensor<1x2x67x64xf16>
}

func.func @bf16_plain_d128(%q: tensor<1x2x97x128xbf16>, %k: tensor<1x2x61x128xbf16>, %v: tensor<1x2x61x128xbf16>) -> tensor<1x2x97x128xbf16> {
  %init = tensor.empty() : tensor<1x2x97x128xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x97x128xbf16>, tensor<1x2x61x128xbf16>, tensor<1x2x61x128xbf16>) outs(%init : tensor<1x2x97x128xbf16>) -> tensor<1x2x97x128xbf16>
  return %o : tensor<1x2x97x128xbf16>
}

func.func @f16_one(%q: tensor<1x1x1x64xf16>, %k: tensor<1x1x1x64xf16>, %v: tensor<1x1x1x64xf16>) -> tensor<1x1x1x64xf16> {
  %init = tensor.empty() : tensor<1x1x1x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x64xf16>, tensor<1x1x1x64xf16>, tensor<1x1x1x64xf16>) outs(%init : tensor<1x1x1x64xf16>) -> tensor<1x1x1x64xf16>
  return %o : tensor<1x1x1x64xf16>
}

func.func @bf16_causal_top_left_gqa2(%q: tensor<2x4x131x64xbf16>, %k: tensor<2x2x131x64xbf16>, %v: tensor<2x2x131x64xbf16>) -> tensor<2x4x131x64xbf16> {
  %init = tensor.empty() : tensor<2x4x131x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x131x64xbf16>, tensor<2x2x131x64xbf16>, tensor<2x2x131x64xbf16>) outs(%init : tensor<2x4x131x64xbf16>) {causal = #attn.causal<top_left>} -> tensor<2x4x131x64xbf16>
  return %o : tensor<2x4x131x64xbf16>
}

func.func @f16_causal_bottom_right_gqa4(%q: tensor<1x8x37x128xf16>, %k: tensor<1x2x191x128xf16>, %v: tensor<1x2x191x64xf16>) -> tensor<1x8x37x64xf16> {
  %init = tensor.empty() : tensor<1x8x37x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x8x37x128xf16>, tensor<1x2x191x128xf16>, tensor<1x2x191x64xf16>) outs(%init : tensor<1x8x37x64xf16>) {causal = #attn.causal<bottom_right>} -> tensor<1x8x37x64xf16>
  return %o : tensor<1x8x37x64xf16>
}

func.func @bf16_bottom_right_rows_without_keys(%q: tensor<1x2x100x64xbf16>, %k: tensor<1x1x29x64xbf16>, %v: tensor<1x1x29x128xbf16>) -> tensor<1x2x100x128xbf16> {
  %init = tensor.empty() : tensor<1x2x100x128xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x100x64xbf16>, tensor<1x1x29x64xbf16>, tensor<1x1x29x128xbf16>) outs(%init : tensor<1x2x100x128xbf16>) {causal = #attn.causal<bottom_right>} -> tensor<1x2x100x128xbf16>
  return %o : tensor<1x2x100x128xbf16>
}

func.func @f16_window(%q: tensor<1x2x150x64xf16>, %k: tensor<1x2x150x64xf16>, %v: tensor<1x2x150x64xf16>) -> tensor<1x2x150x64xf16> {
  %init = tensor.empty() : tensor<1x2x150x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x150x64xf16>, tensor<1x2x150x64xf16>, tensor<1x2x150x64xf16>) outs(%init : tensor<1x2x150x64xf16>) {window = array<i64: 17, 3>} -> tensor<1x2x150x64xf16>
  return %o : tensor<1x2x150x64xf16>
}

func.func @bf16_causal_window(%q: tensor<1x2x70x128xbf16>, %k: tensor<1x1x140x128xbf16>, %v: tensor<1x1x140x128xbf16>) -> tensor<1x2x70x128xbf16> {
  %init = tensor.empty() : tensor<1x2x70x128xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x70x128xbf16>, tensor<1x1x140x128xbf16>, tensor<1x1x140x128xbf16>) outs(%init : tensor<1x2x70x128xbf16>) {causal = #attn.causal<bottom_right>, window = array<i64: 40, 0>} -> tensor<1x2x70x128xbf16>
  return %o : tensor<1x2x70x128xbf16>
}

func.func @f16_lengths(%q: tensor<3x2x71x64xf16>, %k: tensor<3x1x83x64xf16>, %v: tensor<3x1x83x64xf16>, %kl: tensor<3xi32>, %ql: tensor<3xi32>) -> tensor<3x2x71x64xf16> {
  %init = tensor.empty() : tensor<3x2x71x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<3x2x71x64xf16>, tensor<3x1x83x64xf16>, tensor<3x1x83x64xf16>) kv_len(%kl : tensor<3xi32>) q_len(%ql : tensor<3xi32>) outs(%init : tensor<3x2x71x64xf16>) {causal = #attn.causal<bottom_right>} -> tensor<3x2x71x64xf16>
  return %o : tensor<3x2x71x64xf16>
}

func.func @bf16_bias_full(%q: tensor<1x2x65x64xbf16>, %k: tensor<1x2x79x64xbf16>, %v: tensor<1x2x79x64xbf16>, %b: tensor<1x2x65x79xbf16>) -> tensor<1x2x65x64xbf16> {
  %init = tensor.empty() : tensor<1x2x65x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x65x64xbf16>, tensor<1x2x79x64xbf16>, tensor<1x2x79x64xbf16>) bias(%b : tensor<1x2x65x79xbf16>) outs(%init : tensor<1x2x65x64xbf16>) -> tensor<1x2x65x64xbf16>
  return %o : tensor<1x2x65x64xbf16>
}

func.func @f16_bias_broadcast(%q: tensor<2x2x47x128xf16>, %k: tensor<2x1x101x128xf16>, %v: tensor<2x1x101x128xf16>, %b: tensor<2x1x1x101xf16>) -> tensor<2x2x47x128xf16> {
  %init = tensor.empty() : tensor<2x2x47x128xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<2x2x47x128xf16>, tensor<2x1x101x128xf16>, tensor<2x1x101x128xf16>) bias(%b : tensor<2x1x1x101xf16>) outs(%init : tensor<2x2x47x128xf16>) -> tensor<2x2x47x128xf16>
  return %o : tensor<2x2x47x128xf16>
}

func.func @f16_lse(%q: tensor<1x4x113x64xf16>, %k: tensor<1x4x67x64xf16>, %v: tensor<1x4x67x64xf16>) -> (tensor<1x4x113x64xf16>, tensor<1x4x113xf32>) {
  %init = tensor.empty() : tensor<1x4x113x64xf16>
  %li = tensor.empty() : tensor<1x4x113xf32>
  %o, %l = attn.attention ins(%q, %k, %v : tensor<1x4x113x64xf16>, tensor<1x4x67x64xf16>, tensor<1x4x67x64xf16>) outs(%init, %li : tensor<1x4x113x64xf16>, tensor<1x4x113xf32>) {causal = #attn.causal<top_left>} -> tensor<1x4x113x64xf16>, tensor<1x4x113xf32>
  return %o, %l : tensor<1x4x113x64xf16>, tensor<1x4x113xf32>
}

func.func @bf16_lse_lengths(%q: tensor<2x2x65x128xbf16>, %k: tensor<2x2x65x128xbf16>, %v: tensor<2x2x65x128xbf16>, %kl: tensor<2xi32>) -> (tensor<2x2x65x128xbf16>, tensor<2x2x65xf32>) {
  %init = tensor.empty() : tensor<2x2x65x128xbf16>
  %li = tensor.empty() : tensor<2x2x65xf32>
  %o, %l = attn.attention ins(%q, %k, %v : tensor<2x2x65x128xbf16>, tensor<2x2x65x128xbf16>, tensor<2x2x65x128xbf16>) kv_len(%kl : tensor<2xi32>) outs(%init, %li : tensor<2x2x65x128xbf16>, tensor<2x2x65xf32>) -> tensor<2x2x65x128xbf16>, tensor<2x2x65xf32>
  return %o, %l : tensor<2x2x65x128xbf16>, tensor<2x2x65xf32>
}

func.func @f16_sigmoid(%q: tensor<1x2x67x64xf16>, %k: tensor<1x2x131x64xf16>, %v: tensor<1x2x131x64xf16>) -> tensor<1x2x67x64xf16> {
  %init = tensor.empty() : tensor<1x2x67x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x67x64xf16>, tensor<1x2x131x64xf16>, tensor<1x2x131x64xf16>) outs(%init : tensor<1x2x67x64xf16>) {score = #attn.score<sigmoid>} -> tensor<1x2x67x64xf16>
  return %o : tensor<1x2x67x64xf16>
}

func.func @bf16_sigmoid_causal_gqa2(%q: tensor<1x4x61x128xbf16>, %k: tensor<1x2x61x128xbf16>, %v: tensor<1x2x61x128xbf16>, %b: tensor<1x4x61x61xbf16>) -> tensor<1x4x61x128xbf16> {
  %init = tensor.empty() : tensor<1x4x61x128xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x61x128xbf16>, tensor<1x2x61x128xbf16>, tensor<1x2x61x128xbf16>) bias(%b : tensor<1x4x61x61xbf16>) outs(%init : tensor<1x4x61x128xbf16>) {score = #attn.score<sigmoid>, causal = #attn.causal<top_left>} -> tensor<1x4x61x128xbf16>
  return %o : tensor<1x4x61x128xbf16>
}

func.func @f16_small_dims(%q: tensor<1x2x19x16xf16>, %k: tensor<1x1x23x16xf16>, %v: tensor<1x1x23x32xf16>) -> tensor<1x2x19x32xf16> {
  %init = tensor.empty() : tensor<1x2x19x32xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x19x16xf16>, tensor<1x1x23x16xf16>, tensor<1x1x23x32xf16>) outs(%init : tensor<1x2x19x32xf16>) {causal = #attn.causal<bottom_right>} -> tensor<1x2x19x32xf16>
  return %o : tensor<1x2x19x32xf16>
}

func.func @f32_plain(%q: tensor<1x2x67x64xf32>, %k: tensor<1x2x131x64xf32>, %v: tensor<1x2x131x64xf32>) -> tensor<1x2x67x64xf32> {
  %init = tensor.empty() : tensor<1x2x67x64xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x67x64xf32>, tensor<1x2x131x64xf32>, tensor<1x2x131x64xf32>) outs(%init : tensor<1x2x67x64xf32>) -> tensor<1x2x67x64xf32>
  return %o : tensor<1x2x67x64xf32>
}

func.func @f32_d128_gqa4_causal(%q: tensor<1x4x53x128xf32>, %k: tensor<1x1x71x128xf32>, %v: tensor<1x1x71x128xf32>) -> tensor<1x4x53x128xf32> {
  %init = tensor.empty() : tensor<1x4x53x128xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x53x128xf32>, tensor<1x1x71x128xf32>, tensor<1x1x71x128xf32>) outs(%init : tensor<1x4x53x128xf32>) {causal = #attn.causal<top_left>} -> tensor<1x4x53x128xf32>
  return %o : tensor<1x4x53x128xf32>
}

func.func @f32_window_lengths_lse(%q: tensor<2x2x37x32xf32>, %k: tensor<2x2x43x32xf32>, %v: tensor<2x2x43x16xf32>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x2x37x16xf32>, tensor<2x2x37xf32>) {
  %init = tensor.empty() : tensor<2x2x37x16xf32>
  %li = tensor.empty() : tensor<2x2x37xf32>
  %o, %l = attn.attention ins(%q, %k, %v : tensor<2x2x37x32xf32>, tensor<2x2x43x32xf32>, tensor<2x2x43x16xf32>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>) outs(%init, %li : tensor<2x2x37x16xf32>, tensor<2x2x37xf32>) {causal = #attn.causal<bottom_right>, window = array<i64: 5, 0>} -> tensor<2x2x37x16xf32>, tensor<2x2x37xf32>
  return %o, %l : tensor<2x2x37x16xf32>, tensor<2x2x37xf32>
}

func.func @f32_sigmoid_bias(%q: tensor<1x2x29x64xf32>, %k: tensor<1x1x97x64xf32>, %v: tensor<1x1x97x64xf32>, %b: tensor<1x1x29x97xf32>) -> tensor<1x2x29x64xf32> {
  %init = tensor.empty() : tensor<1x2x29x64xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x29x64xf32>, tensor<1x1x97x64xf32>, tensor<1x1x97x64xf32>) bias(%b : tensor<1x1x29x97xf32>) outs(%init : tensor<1x2x29x64xf32>) {score = #attn.score<sigmoid>} -> tensor<1x2x29x64xf32>
  return %o : tensor<1x2x29x64xf32>
}

func.func @f32_one(%q: tensor<1x1x1x4xf32>, %k: tensor<1x1x1x4xf32>, %v: tensor<1x1x1x4xf32>) -> tensor<1x1x1x4xf32> {
  %init = tensor.empty() : tensor<1x1x1x4xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>) outs(%init : tensor<1x1x1x4xf32>) -> tensor<1x1x1x4xf32>
  return %o : tensor<1x1x1x4xf32>
}

func.func @bf16_everything_d128(%q: tensor<2x4x131x128xbf16>, %k: tensor<2x2x139x128xbf16>, %v: tensor<2x2x139x128xbf16>, %b: tensor<2x4x131x139xbf16>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x4x131x128xbf16>, tensor<2x4x131xf32>) {
  %init = tensor.empty() : tensor<2x4x131x128xbf16>
  %li = tensor.empty() : tensor<2x4x131xf32>
  %o, %l = attn.attention ins(%q, %k, %v : tensor<2x4x131x128xbf16>, tensor<2x2x139x128xbf16>, tensor<2x2x139x128xbf16>) bias(%b : tensor<2x4x131x139xbf16>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>) outs(%init, %li : tensor<2x4x131x128xbf16>, tensor<2x4x131xf32>) {causal = #attn.causal<bottom_right>, window = array<i64: 45, 0>} -> tensor<2x4x131x128xbf16>, tensor<2x4x131xf32>
  return %o, %l : tensor<2x4x131x128xbf16>, tensor<2x4x131xf32>
}

func.func @f16_bias_causal_aligned_d128(%q: tensor<1x2x100x128xf16>, %k: tensor<1x2x136x128xf16>, %v: tensor<1x2x136x128xf16>, %b: tensor<1x2x100x136xf16>) -> tensor<1x2x100x128xf16> {
  %init = tensor.empty() : tensor<1x2x100x128xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x100x128xf16>, tensor<1x2x136x128xf16>, tensor<1x2x136x128xf16>) bias(%b : tensor<1x2x100x136xf16>) outs(%init : tensor<1x2x100x128xf16>) {causal = #attn.causal<top_left>} -> tensor<1x2x100x128xf16>
  return %o : tensor<1x2x100x128xf16>
}

func.func @f16_widest_window(%q: tensor<1x2x70x32xf16>, %k: tensor<1x2x90x32xf16>, %v: tensor<1x2x90x32xf16>) -> tensor<1x2x70x32xf16> {
  %init = tensor.empty() : tensor<1x2x70x32xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x70x32xf16>, tensor<1x2x90x32xf16>, tensor<1x2x90x32xf16>) outs(%init : tensor<1x2x70x32xf16>) {causal = #attn.causal<bottom_right>, window = array<i64: 9223372036854775807, 9223372036854775807>} -> tensor<1x2x70x32xf16>
  return %o : tensor<1x2x70x32xf16>
}
