// attn.combiner through both CPU pipelines against the float64 reference,
// every variant causal and not:
//   0: [B,H,L,D] = [1,1,1,16], block 1
//   1: [2,2,30,16], block 5
//   2: [1,3,49,80], block 7
//   3: [1,2,64,64], block 8, explicit scale (logsparse: L a power of two)
//   4: [2,1,33,32], block 11 (logsparse: L = 2^5 + 1)
// mixir-cpu tiles every variant (attn-tile); mixir-cpu-reference decomposes
// all of them.
// RUN: mixir-run %s --entry fixed_causal_0 --pipeline mixir-cpu --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_0 --pipeline mixir-cpu-reference --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_1 --pipeline mixir-cpu --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_1 --pipeline mixir-cpu-reference --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_2 --pipeline mixir-cpu --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_2 --pipeline mixir-cpu-reference --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_3 --pipeline mixir-cpu --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_3 --pipeline mixir-cpu-reference --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_4 --pipeline mixir-cpu --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_causal_4 --pipeline mixir-cpu-reference --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_0 --pipeline mixir-cpu --random-inputs --seed 6 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_0 --pipeline mixir-cpu-reference --random-inputs --seed 6 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_1 --pipeline mixir-cpu --random-inputs --seed 7 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_1 --pipeline mixir-cpu-reference --random-inputs --seed 7 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_2 --pipeline mixir-cpu --random-inputs --seed 8 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_2 --pipeline mixir-cpu-reference --random-inputs --seed 8 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_3 --pipeline mixir-cpu --random-inputs --seed 9 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_3 --pipeline mixir-cpu-reference --random-inputs --seed 9 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_4 --pipeline mixir-cpu --random-inputs --seed 10 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fixed_4 --pipeline mixir-cpu-reference --random-inputs --seed 10 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_0 --pipeline mixir-cpu --random-inputs --seed 11 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_0 --pipeline mixir-cpu-reference --random-inputs --seed 11 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_1 --pipeline mixir-cpu --random-inputs --seed 12 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_1 --pipeline mixir-cpu-reference --random-inputs --seed 12 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_2 --pipeline mixir-cpu --random-inputs --seed 13 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_2 --pipeline mixir-cpu-reference --random-inputs --seed 13 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_3 --pipeline mixir-cpu --random-inputs --seed 14 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_3 --pipeline mixir-cpu-reference --random-inputs --seed 14 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_4 --pipeline mixir-cpu --random-inputs --seed 15 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_causal_4 --pipeline mixir-cpu-reference --random-inputs --seed 15 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_0 --pipeline mixir-cpu --random-inputs --seed 16 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_0 --pipeline mixir-cpu-reference --random-inputs --seed 16 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_1 --pipeline mixir-cpu --random-inputs --seed 17 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_1 --pipeline mixir-cpu-reference --random-inputs --seed 17 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_2 --pipeline mixir-cpu --random-inputs --seed 18 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_2 --pipeline mixir-cpu-reference --random-inputs --seed 18 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_3 --pipeline mixir-cpu --random-inputs --seed 19 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_3 --pipeline mixir-cpu-reference --random-inputs --seed 19 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_4 --pipeline mixir-cpu --random-inputs --seed 20 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_4 --pipeline mixir-cpu-reference --random-inputs --seed 20 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_0 --pipeline mixir-cpu --random-inputs --seed 21 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_0 --pipeline mixir-cpu-reference --random-inputs --seed 21 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_1 --pipeline mixir-cpu --random-inputs --seed 22 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_1 --pipeline mixir-cpu-reference --random-inputs --seed 22 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_2 --pipeline mixir-cpu --random-inputs --seed 23 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_2 --pipeline mixir-cpu-reference --random-inputs --seed 23 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_3 --pipeline mixir-cpu --random-inputs --seed 24 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_3 --pipeline mixir-cpu-reference --random-inputs --seed 24 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_4 --pipeline mixir-cpu --random-inputs --seed 25 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_4 --pipeline mixir-cpu-reference --random-inputs --seed 25 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_0 --pipeline mixir-cpu --random-inputs --seed 26 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_0 --pipeline mixir-cpu-reference --random-inputs --seed 26 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_1 --pipeline mixir-cpu --random-inputs --seed 27 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_1 --pipeline mixir-cpu-reference --random-inputs --seed 27 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_2 --pipeline mixir-cpu --random-inputs --seed 28 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_2 --pipeline mixir-cpu-reference --random-inputs --seed 28 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_3 --pipeline mixir-cpu --random-inputs --seed 29 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_3 --pipeline mixir-cpu-reference --random-inputs --seed 29 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_4 --pipeline mixir-cpu --random-inputs --seed 30 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_fixed_causal_4 --pipeline mixir-cpu-reference --random-inputs --seed 30 --check | FileCheck %s --check-prefix=ONE
// Axial and logsparse in f16/bf16, and long sequences (more than 64 rows or
// columns, levels beyond the engine's 64-key tiles):
// RUN: mixir-run %s --entry f16_axial_causal --pipeline mixir-cpu --random-inputs --seed 40 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_axial_causal --pipeline mixir-cpu-reference --random-inputs --seed 40 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_axial --pipeline mixir-cpu --random-inputs --seed 41 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_axial --pipeline mixir-cpu-reference --random-inputs --seed 41 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_logsparse --pipeline mixir-cpu --random-inputs --seed 42 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_logsparse --pipeline mixir-cpu-reference --random-inputs --seed 42 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_logsparse --pipeline mixir-cpu --random-inputs --seed 43 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry bf16_logsparse --pipeline mixir-cpu-reference --random-inputs --seed 43 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_long --pipeline mixir-cpu --random-inputs --seed 44 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry axial_long_rows --pipeline mixir-cpu --random-inputs --seed 45 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry logsparse_long --pipeline mixir-cpu --random-inputs --seed 46 --check | FileCheck %s --check-prefix=ONE

// ONE: result #0: {{.*}} ok
// ONE-NOT: result #1
// TWO: result #0: {{.*}} ok
// TWO-NEXT: result #1: {{.*}} ok

func.func @fixed_causal_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32> {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {variant = #attn.variant<fixed>, block = 1 : i64, causal = true} -> tensor<1x1x1x16xf32>
  return %y : tensor<1x1x1x16xf32>
}

func.func @fixed_causal_1(%q: tensor<2x2x30x16xf32>, %k: tensor<2x2x30x16xf32>, %v: tensor<2x2x30x16xf32>) -> tensor<2x2x30x16xf32> {
  %init = tensor.empty() : tensor<2x2x30x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>)
         outs(%init : tensor<2x2x30x16xf32>) {variant = #attn.variant<fixed>, block = 5 : i64, causal = true} -> tensor<2x2x30x16xf32>
  return %y : tensor<2x2x30x16xf32>
}

func.func @fixed_causal_2(%q: tensor<1x3x49x80xf32>, %k: tensor<1x3x49x80xf32>, %v: tensor<1x3x49x80xf32>) -> tensor<1x3x49x80xf32> {
  %init = tensor.empty() : tensor<1x3x49x80xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>)
         outs(%init : tensor<1x3x49x80xf32>) {variant = #attn.variant<fixed>, block = 7 : i64, causal = true} -> tensor<1x3x49x80xf32>
  return %y : tensor<1x3x49x80xf32>
}

func.func @fixed_causal_3(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %init = tensor.empty() : tensor<1x2x64x64xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>)
         outs(%init : tensor<1x2x64x64xf32>) {variant = #attn.variant<fixed>, block = 8 : i64, causal = true, scale = 0.1 : f32} -> tensor<1x2x64x64xf32>
  return %y : tensor<1x2x64x64xf32>
}

func.func @fixed_causal_4(%q: tensor<2x1x33x32xf32>, %k: tensor<2x1x33x32xf32>, %v: tensor<2x1x33x32xf32>) -> tensor<2x1x33x32xf32> {
  %init = tensor.empty() : tensor<2x1x33x32xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>)
         outs(%init : tensor<2x1x33x32xf32>) {variant = #attn.variant<fixed>, block = 11 : i64, causal = true} -> tensor<2x1x33x32xf32>
  return %y : tensor<2x1x33x32xf32>
}

func.func @fixed_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32> {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {variant = #attn.variant<fixed>, block = 1 : i64} -> tensor<1x1x1x16xf32>
  return %y : tensor<1x1x1x16xf32>
}

func.func @fixed_1(%q: tensor<2x2x30x16xf32>, %k: tensor<2x2x30x16xf32>, %v: tensor<2x2x30x16xf32>) -> tensor<2x2x30x16xf32> {
  %init = tensor.empty() : tensor<2x2x30x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>)
         outs(%init : tensor<2x2x30x16xf32>) {variant = #attn.variant<fixed>, block = 5 : i64} -> tensor<2x2x30x16xf32>
  return %y : tensor<2x2x30x16xf32>
}

func.func @fixed_2(%q: tensor<1x3x49x80xf32>, %k: tensor<1x3x49x80xf32>, %v: tensor<1x3x49x80xf32>) -> tensor<1x3x49x80xf32> {
  %init = tensor.empty() : tensor<1x3x49x80xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>)
         outs(%init : tensor<1x3x49x80xf32>) {variant = #attn.variant<fixed>, block = 7 : i64} -> tensor<1x3x49x80xf32>
  return %y : tensor<1x3x49x80xf32>
}

func.func @fixed_3(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %init = tensor.empty() : tensor<1x2x64x64xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>)
         outs(%init : tensor<1x2x64x64xf32>) {variant = #attn.variant<fixed>, block = 8 : i64, scale = 0.1 : f32} -> tensor<1x2x64x64xf32>
  return %y : tensor<1x2x64x64xf32>
}

func.func @fixed_4(%q: tensor<2x1x33x32xf32>, %k: tensor<2x1x33x32xf32>, %v: tensor<2x1x33x32xf32>) -> tensor<2x1x33x32xf32> {
  %init = tensor.empty() : tensor<2x1x33x32xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>)
         outs(%init : tensor<2x1x33x32xf32>) {variant = #attn.variant<fixed>, block = 11 : i64} -> tensor<2x1x33x32xf32>
  return %y : tensor<2x1x33x32xf32>
}

func.func @axial_causal_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32> {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {variant = #attn.variant<axial>, block = 1 : i64, causal = true} -> tensor<1x1x1x16xf32>
  return %y : tensor<1x1x1x16xf32>
}

func.func @axial_causal_1(%q: tensor<2x2x30x16xf32>, %k: tensor<2x2x30x16xf32>, %v: tensor<2x2x30x16xf32>) -> tensor<2x2x30x16xf32> {
  %init = tensor.empty() : tensor<2x2x30x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>)
         outs(%init : tensor<2x2x30x16xf32>) {variant = #attn.variant<axial>, block = 5 : i64, causal = true} -> tensor<2x2x30x16xf32>
  return %y : tensor<2x2x30x16xf32>
}

func.func @axial_causal_2(%q: tensor<1x3x49x80xf32>, %k: tensor<1x3x49x80xf32>, %v: tensor<1x3x49x80xf32>) -> tensor<1x3x49x80xf32> {
  %init = tensor.empty() : tensor<1x3x49x80xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>)
         outs(%init : tensor<1x3x49x80xf32>) {variant = #attn.variant<axial>, block = 7 : i64, causal = true} -> tensor<1x3x49x80xf32>
  return %y : tensor<1x3x49x80xf32>
}

func.func @axial_causal_3(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %init = tensor.empty() : tensor<1x2x64x64xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>)
         outs(%init : tensor<1x2x64x64xf32>) {variant = #attn.variant<axial>, block = 8 : i64, causal = true, scale = 0.1 : f32} -> tensor<1x2x64x64xf32>
  return %y : tensor<1x2x64x64xf32>
}

func.func @axial_causal_4(%q: tensor<2x1x33x32xf32>, %k: tensor<2x1x33x32xf32>, %v: tensor<2x1x33x32xf32>) -> tensor<2x1x33x32xf32> {
  %init = tensor.empty() : tensor<2x1x33x32xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>)
         outs(%init : tensor<2x1x33x32xf32>) {variant = #attn.variant<axial>, block = 11 : i64, causal = true} -> tensor<2x1x33x32xf32>
  return %y : tensor<2x1x33x32xf32>
}

func.func @axial_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32> {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {variant = #attn.variant<axial>, block = 1 : i64} -> tensor<1x1x1x16xf32>
  return %y : tensor<1x1x1x16xf32>
}

func.func @axial_1(%q: tensor<2x2x30x16xf32>, %k: tensor<2x2x30x16xf32>, %v: tensor<2x2x30x16xf32>) -> tensor<2x2x30x16xf32> {
  %init = tensor.empty() : tensor<2x2x30x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>)
         outs(%init : tensor<2x2x30x16xf32>) {variant = #attn.variant<axial>, block = 5 : i64} -> tensor<2x2x30x16xf32>
  return %y : tensor<2x2x30x16xf32>
}

func.func @axial_2(%q: tensor<1x3x49x80xf32>, %k: tensor<1x3x49x80xf32>, %v: tensor<1x3x49x80xf32>) -> tensor<1x3x49x80xf32> {
  %init = tensor.empty() : tensor<1x3x49x80xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>)
         outs(%init : tensor<1x3x49x80xf32>) {variant = #attn.variant<axial>, block = 7 : i64} -> tensor<1x3x49x80xf32>
  return %y : tensor<1x3x49x80xf32>
}

func.func @axial_3(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %init = tensor.empty() : tensor<1x2x64x64xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>)
         outs(%init : tensor<1x2x64x64xf32>) {variant = #attn.variant<axial>, block = 8 : i64, scale = 0.1 : f32} -> tensor<1x2x64x64xf32>
  return %y : tensor<1x2x64x64xf32>
}

func.func @axial_4(%q: tensor<2x1x33x32xf32>, %k: tensor<2x1x33x32xf32>, %v: tensor<2x1x33x32xf32>) -> tensor<2x1x33x32xf32> {
  %init = tensor.empty() : tensor<2x1x33x32xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>)
         outs(%init : tensor<2x1x33x32xf32>) {variant = #attn.variant<axial>, block = 11 : i64} -> tensor<2x1x33x32xf32>
  return %y : tensor<2x1x33x32xf32>
}

func.func @logsparse_0(%q: tensor<1x1x1x16xf32>, %k: tensor<1x1x1x16xf32>, %v: tensor<1x1x1x16xf32>) -> tensor<1x1x1x16xf32> {
  %init = tensor.empty() : tensor<1x1x1x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>, tensor<1x1x1x16xf32>)
         outs(%init : tensor<1x1x1x16xf32>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x1x1x16xf32>
  return %y : tensor<1x1x1x16xf32>
}

func.func @logsparse_1(%q: tensor<2x2x30x16xf32>, %k: tensor<2x2x30x16xf32>, %v: tensor<2x2x30x16xf32>) -> tensor<2x2x30x16xf32> {
  %init = tensor.empty() : tensor<2x2x30x16xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>, tensor<2x2x30x16xf32>)
         outs(%init : tensor<2x2x30x16xf32>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<2x2x30x16xf32>
  return %y : tensor<2x2x30x16xf32>
}

func.func @logsparse_2(%q: tensor<1x3x49x80xf32>, %k: tensor<1x3x49x80xf32>, %v: tensor<1x3x49x80xf32>) -> tensor<1x3x49x80xf32> {
  %init = tensor.empty() : tensor<1x3x49x80xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>, tensor<1x3x49x80xf32>)
         outs(%init : tensor<1x3x49x80xf32>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x3x49x80xf32>
  return %y : tensor<1x3x49x80xf32>
}

func.func @logsparse_3(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %init = tensor.empty() : tensor<1x2x64x64xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>)
         outs(%init : tensor<1x2x64x64xf32>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x2x64x64xf32>
  return %y : tensor<1x2x64x64xf32>
}

func.func @logsparse_4(%q: tensor<2x1x33x32xf32>, %k: tensor<2x1x33x32xf32>, %v: tensor<2x1x33x32xf32>) -> tensor<2x1x33x32xf32> {
  %init = tensor.empty() : tensor<2x1x33x32xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>, tensor<2x1x33x32xf32>)
         outs(%init : tensor<2x1x33x32xf32>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<2x1x33x32xf32>
  return %y : tensor<2x1x33x32xf32>
}

func.func @f16_fixed_causal_0(%q: tensor<1x1x1x16xf16>, %k: tensor<1x1x1x16xf16>, %v: tensor<1x1x1x16xf16>) -> tensor<1x1x1x16xf16> {
  %init = tensor.empty() : tensor<1x1x1x16xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>, tensor<1x1x1x16xf16>)
         outs(%init : tensor<1x1x1x16xf16>) {variant = #attn.variant<fixed>, block = 1 : i64, causal = true} -> tensor<1x1x1x16xf16>
  return %y : tensor<1x1x1x16xf16>
}

func.func @f16_fixed_causal_1(%q: tensor<2x2x30x16xf16>, %k: tensor<2x2x30x16xf16>, %v: tensor<2x2x30x16xf16>) -> tensor<2x2x30x16xf16> {
  %init = tensor.empty() : tensor<2x2x30x16xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x2x30x16xf16>, tensor<2x2x30x16xf16>, tensor<2x2x30x16xf16>)
         outs(%init : tensor<2x2x30x16xf16>) {variant = #attn.variant<fixed>, block = 5 : i64, causal = true} -> tensor<2x2x30x16xf16>
  return %y : tensor<2x2x30x16xf16>
}

func.func @f16_fixed_causal_2(%q: tensor<1x3x49x80xf16>, %k: tensor<1x3x49x80xf16>, %v: tensor<1x3x49x80xf16>) -> tensor<1x3x49x80xf16> {
  %init = tensor.empty() : tensor<1x3x49x80xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x3x49x80xf16>, tensor<1x3x49x80xf16>, tensor<1x3x49x80xf16>)
         outs(%init : tensor<1x3x49x80xf16>) {variant = #attn.variant<fixed>, block = 7 : i64, causal = true} -> tensor<1x3x49x80xf16>
  return %y : tensor<1x3x49x80xf16>
}

func.func @f16_fixed_causal_3(%q: tensor<1x2x64x64xf16>, %k: tensor<1x2x64x64xf16>, %v: tensor<1x2x64x64xf16>) -> tensor<1x2x64x64xf16> {
  %init = tensor.empty() : tensor<1x2x64x64xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x64x64xf16>, tensor<1x2x64x64xf16>, tensor<1x2x64x64xf16>)
         outs(%init : tensor<1x2x64x64xf16>) {variant = #attn.variant<fixed>, block = 8 : i64, causal = true, scale = 0.1 : f32} -> tensor<1x2x64x64xf16>
  return %y : tensor<1x2x64x64xf16>
}

func.func @f16_fixed_causal_4(%q: tensor<2x1x33x32xf16>, %k: tensor<2x1x33x32xf16>, %v: tensor<2x1x33x32xf16>) -> tensor<2x1x33x32xf16> {
  %init = tensor.empty() : tensor<2x1x33x32xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<2x1x33x32xf16>, tensor<2x1x33x32xf16>, tensor<2x1x33x32xf16>)
         outs(%init : tensor<2x1x33x32xf16>) {variant = #attn.variant<fixed>, block = 11 : i64, causal = true} -> tensor<2x1x33x32xf16>
  return %y : tensor<2x1x33x32xf16>
}

func.func @f16_axial_causal(%q: tensor<2x2x30x16xf16>, %k: tensor<2x2x30x16xf16>, %v: tensor<2x2x30x16xf16>) -> tensor<2x2x30x16xf16> {
  %init = tensor.empty() : tensor<2x2x30x16xf16>
  %o = attn.combiner ins(%q, %k, %v : tensor<2x2x30x16xf16>, tensor<2x2x30x16xf16>, tensor<2x2x30x16xf16>) outs(%init : tensor<2x2x30x16xf16>) {variant = #attn.variant<axial>, block = 5 : i64, causal = true} -> tensor<2x2x30x16xf16>
  return %o : tensor<2x2x30x16xf16>
}

func.func @bf16_axial(%q: tensor<1x3x49x80xbf16>, %k: tensor<1x3x49x80xbf16>, %v: tensor<1x3x49x80xbf16>) -> tensor<1x3x49x80xbf16> {
  %init = tensor.empty() : tensor<1x3x49x80xbf16>
  %o = attn.combiner ins(%q, %k, %v : tensor<1x3x49x80xbf16>, tensor<1x3x49x80xbf16>, tensor<1x3x49x80xbf16>) outs(%init : tensor<1x3x49x80xbf16>) {variant = #attn.variant<axial>, block = 7 : i64} -> tensor<1x3x49x80xbf16>
  return %o : tensor<1x3x49x80xbf16>
}

func.func @f16_logsparse(%q: tensor<2x1x33x32xf16>, %k: tensor<2x1x33x32xf16>, %v: tensor<2x1x33x32xf16>) -> tensor<2x1x33x32xf16> {
  %init = tensor.empty() : tensor<2x1x33x32xf16>
  %o = attn.combiner ins(%q, %k, %v : tensor<2x1x33x32xf16>, tensor<2x1x33x32xf16>, tensor<2x1x33x32xf16>) outs(%init : tensor<2x1x33x32xf16>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<2x1x33x32xf16>
  return %o : tensor<2x1x33x32xf16>
}

func.func @bf16_logsparse(%q: tensor<1x2x100x16xbf16>, %k: tensor<1x2x100x16xbf16>, %v: tensor<1x2x100x16xbf16>) -> tensor<1x2x100x16xbf16> {
  %init = tensor.empty() : tensor<1x2x100x16xbf16>
  %o = attn.combiner ins(%q, %k, %v : tensor<1x2x100x16xbf16>, tensor<1x2x100x16xbf16>, tensor<1x2x100x16xbf16>) outs(%init : tensor<1x2x100x16xbf16>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x2x100x16xbf16>
  return %o : tensor<1x2x100x16xbf16>
}

func.func @axial_long(%q: tensor<1x1x4096x32xf32>, %k: tensor<1x1x4096x32xf32>, %v: tensor<1x1x4096x32xf32>) -> tensor<1x1x4096x32xf32> {
  %init = tensor.empty() : tensor<1x1x4096x32xf32>
  %o = attn.combiner ins(%q, %k, %v : tensor<1x1x4096x32xf32>, tensor<1x1x4096x32xf32>, tensor<1x1x4096x32xf32>) outs(%init : tensor<1x1x4096x32xf32>) {variant = #attn.variant<axial>, block = 64 : i64, causal = true} -> tensor<1x1x4096x32xf32>
  return %o : tensor<1x1x4096x32xf32>
}

func.func @axial_long_rows(%q: tensor<1x1x4000x16xf32>, %k: tensor<1x1x4000x16xf32>, %v: tensor<1x1x4000x16xf32>) -> tensor<1x1x4000x16xf32> {
  %init = tensor.empty() : tensor<1x1x4000x16xf32>
  %o = attn.combiner ins(%q, %k, %v : tensor<1x1x4000x16xf32>, tensor<1x1x4000x16xf32>, tensor<1x1x4000x16xf32>) outs(%init : tensor<1x1x4000x16xf32>) {variant = #attn.variant<axial>, block = 40 : i64} -> tensor<1x1x4000x16xf32>
  return %o : tensor<1x1x4000x16xf32>
}

func.func @logsparse_long(%q: tensor<1x1x4001x32xf32>, %k: tensor<1x1x4001x32xf32>, %v: tensor<1x1x4001x32xf32>) -> tensor<1x1x4001x32xf32> {
  %init = tensor.empty() : tensor<1x1x4001x32xf32>
  %o = attn.combiner ins(%q, %k, %v : tensor<1x1x4001x32xf32>, tensor<1x1x4001x32xf32>, tensor<1x1x4001x32xf32>) outs(%init : tensor<1x1x4001x32xf32>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x1x4001x32xf32>
  return %o : tensor<1x1x4001x32xf32>
}
