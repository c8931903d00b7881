// Round trip of attn.combiner: the three variants, causal and not, block and
// scale; once more through the generic form.
// RUN: mixir-opt %s -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file > %t.custom
// RUN: mixir-opt %t.custom -split-input-file > %t.again
// RUN: diff %t.custom %t.again
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file > %t.generic
// RUN: diff %t.custom %t.generic

// The spec's example.
// CHECK-LABEL: func.func @fixed_causal
// CHECK:         attn.combiner ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>)
// CHECK-SAME:      outs(%{{.+}} : tensor<2x4x256x64xf32>) {block = 64 : i64, causal = true, variant = #attn.variant<fixed>} -> tensor<2x4x256x64xf32>
func.func @fixed_causal(%q: tensor<2x4x256x64xf32>, %k: tensor<2x4x256x64xf32>, %v: tensor<2x4x256x64xf32>,
                        %init: tensor<2x4x256x64xf32>) -> tensor<2x4x256x64xf32> {
  %o = attn.combiner ins(%q, %k, %v : tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>)
         outs(%init : tensor<2x4x256x64xf32>) {variant = #attn.variant<fixed>, block = 64 : i64, causal = true} -> tensor<2x4x256x64xf32>
  return %o : tensor<2x4x256x64xf32>
}

// -----

// Non-causal is the default and is elided; the scale is kept.
// CHECK-LABEL: func.func @axial_noncausal
// CHECK:         attn.combiner
// CHECK-SAME:      {block = 13 : i64, scale = 2.500000e-01 : f32, variant = #attn.variant<axial>}
func.func @axial_noncausal(%q: tensor<1x1x91x16xf16>, %init: tensor<1x1x91x16xf16>) -> tensor<1x1x91x16xf16> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x91x16xf16>, tensor<1x1x91x16xf16>, tensor<1x1x91x16xf16>)
         outs(%init : tensor<1x1x91x16xf16>) {variant = #attn.variant<axial>, block = 13 : i64, causal = false, scale = 0.25 : f32} -> tensor<1x1x91x16xf16>
  return %o : tensor<1x1x91x16xf16>
}

// -----

// Logsparse has no block size; any length works, dynamic too.
// CHECK-LABEL: func.func @logsparse
// CHECK:         attn.combiner ins({{.+}} : tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>)
// CHECK-SAME:      {causal = true, variant = #attn.variant<logsparse>}
func.func @logsparse(%q: tensor<1x2x?x32xf32>, %init: tensor<1x2x?x32xf32>) -> tensor<1x2x?x32xf32> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>)
         outs(%init : tensor<1x2x?x32xf32>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x2x?x32xf32>
  return %o : tensor<1x2x?x32xf32>
}
