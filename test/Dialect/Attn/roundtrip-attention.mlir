// Round trip of attn.attention: every attribute and optional operand, printed,
// re-parsed and printed again; once more through the generic form.
// RUN: mixir-opt %s -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file > %t.custom
// RUN: mixir-opt %t.custom -split-input-file > %t.again
// RUN: diff %t.custom %t.again
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file > %t.generic
// RUN: diff %t.custom %t.generic

// CHECK-LABEL: func.func @defaults
// CHECK-SAME:    %[[Q:[a-zA-Z0-9]+]]: tensor<1x1x1x8xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<1x1x1x8xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<1x1x1x8xf32>, %[[INIT:[a-zA-Z0-9]+]]: tensor<1x1x1x8xf32>
// CHECK:         %[[O:.+]] = attn.attention ins(%[[Q]], %[[K]], %[[V]] : tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>) outs(%[[INIT]] : tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
// CHECK:         return %[[O]]
func.func @defaults(%q: tensor<1x1x1x8xf32>, %k: tensor<1x1x1x8xf32>, %v: tensor<1x1x1x8xf32>, %init: tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32> {
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>) outs(%init : tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
  return %o : tensor<1x1x1x8xf32>
}

// -----

// The spec's example: GQA 8/2, bias broadcast over the batch, both lengths,
// bottom-right causal with a window, explicit scale.
// CHECK-LABEL: func.func @spec_example
// CHECK:         attn.attention ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<2x8x100x64xf32>, tensor<2x2x130x64xf32>, tensor<2x2x130x32xf32>)
// CHECK-SAME:      bias(%{{.+}} : tensor<1x8x100x130xf32>) kv_len(%{{.+}} : tensor<2xi32>) q_len(%{{.+}} : tensor<2xi32>)
// CHECK-SAME:      outs(%{{.+}} : tensor<2x8x100x32xf32>)
// CHECK-SAME:      {causal = #attn.causal<bottom_right>, scale = 1.250000e-01 : f32, window = array<i64: 64, 0>}
// CHECK-SAME:      -> tensor<2x8x100x32xf32>
func.func @spec_example(%q: tensor<2x8x100x64xf32>, %k: tensor<2x2x130x64xf32>, %v: tensor<2x2x130x32xf32>,
                        %b: tensor<1x8x100x130xf32>, %kl: tensor<2xi32>, %ql: tensor<2xi32>,
                        %init: tensor<2x8x100x32xf32>) -> tensor<2x8x100x32xf32> {
  %o = attn.attention ins(%q, %k, %v : tensor<2x8x100x64xf32>, tensor<2x2x130x64xf32>, tensor<2x2x130x32xf32>)
         bias(%b : tensor<1x8x100x130xf32>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
         outs(%init : tensor<2x8x100x32xf32>)
         {score = #attn.score<softmax>, causal = #attn.causal<bottom_right>, window = array<i64: 64, 0>, scale = 0.125 : f32}
         -> tensor<2x8x100x32xf32>
  return %o : tensor<2x8x100x32xf32>
}

// -----

// Each optional operand alone keeps its keyword.
// CHECK-LABEL: func.func @each_optional_alone
// CHECK:         attn.attention ins({{.+}}) bias(%{{.+}} : tensor<1x1x5x7xf32>) outs(
// CHECK:         attn.attention ins({{.+}}) kv_len(%{{.+}} : tensor<3xi32>) outs(
// CHECK:         attn.attention ins({{.+}}) q_len(%{{.+}} : tensor<3xi32>) outs(
func.func @each_optional_alone(%q: tensor<3x4x5x16xf32>, %k: tensor<3x4x7x16xf32>, %v: tensor<3x4x7x16xf32>,
                               %b: tensor<1x1x5x7xf32>, %len: tensor<3xi32>, %init: tensor<3x4x5x16xf32>)
    -> (tensor<3x4x5x16xf32>, tensor<3x4x5x16xf32>, tensor<3x4x5x16xf32>) {
  %0 = attn.attention ins(%q, %k, %v : tensor<3x4x5x16xf32>, tensor<3x4x7x16xf32>, tensor<3x4x7x16xf32>)
         bias(%b : tensor<1x1x5x7xf32>) outs(%init : tensor<3x4x5x16xf32>) -> tensor<3x4x5x16xf32>
  %1 = attn.attention ins(%q, %k, %v : tensor<3x4x5x16xf32>, tensor<3x4x7x16xf32>, tensor<3x4x7x16xf32>)
         kv_len(%len : tensor<3xi32>) outs(%init : tensor<3x4x5x16xf32>) -> tensor<3x4x5x16xf32>
  %2 = attn.attention ins(%q, %k, %v : tensor<3x4x5x16xf32>, tensor<3x4x7x16xf32>, tensor<3x4x7x16xf32>)
         q_len(%len : tensor<3xi32>) outs(%init : tensor<3x4x5x16xf32>) -> tensor<3x4x5x16xf32>
  return %0, %1, %2 : tensor<3x4x5x16xf32>, tensor<3x4x5x16xf32>, tensor<3x4x5x16xf32>
}

// -----

// The log-sum-exp as a second, f32 result (softmax only), on f16 inputs.
// CHECK-LABEL: func.func @with_lse
// CHECK:         %[[R:.+]]:2 = attn.attention ins({{.+}} : tensor<1x4x33x16xf16>, tensor<1x2x47x16xf16>, tensor<1x2x47x16xf16>)
// CHECK-SAME:      outs(%{{.+}}, %{{.+}} : tensor<1x4x33x16xf16>, tensor<1x4x33xf32>)
// CHECK-SAME:      {causal = #attn.causal<top_left>} -> tensor<1x4x33x16xf16>, tensor<1x4x33xf32>
// CHECK:         return %[[R]]#0, %[[R]]#1
func.func @with_lse(%q: tensor<1x4x33x16xf16>, %k: tensor<1x2x47x16xf16>, %v: tensor<1x2x47x16xf16>,
                    %init: tensor<1x4x33x16xf16>, %lse_init: tensor<1x4x33xf32>) -> (tensor<1x4x33x16xf16>, tensor<1x4x33xf32>) {
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x4x33x16xf16>, tensor<1x2x47x16xf16>, tensor<1x2x47x16xf16>)
               outs(%init, %lse_init : tensor<1x4x33x16xf16>, tensor<1x4x33xf32>)
               {causal = #attn.causal<top_left>} -> tensor<1x4x33x16xf16>, tensor<1x4x33xf32>
  return %o, %lse : tensor<1x4x33x16xf16>, tensor<1x4x33xf32>
}

// -----

// Sigmoid score with its bias, on bf16 inputs, with a one-sided window.
// CHECK-LABEL: func.func @sigmoid
// CHECK:         attn.attention
// CHECK-SAME:      {score = #attn.score<sigmoid>, sigmoid_bias = -4.000000e+00 : f32, window = array<i64: -1, 16>}
func.func @sigmoid(%q: tensor<1x2x64x32xbf16>, %k: tensor<1x2x64x32xbf16>, %v: tensor<1x2x64x32xbf16>,
                   %init: tensor<1x2x64x32xbf16>) -> tensor<1x2x64x32xbf16> {
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x64x32xbf16>, tensor<1x2x64x32xbf16>, tensor<1x2x64x32xbf16>)
         outs(%init : tensor<1x2x64x32xbf16>)
         {score = #attn.score<sigmoid>, sigmoid_bias = -4.0 : f32, window = array<i64: -1, 16>}
         -> tensor<1x2x64x32xbf16>
  return %o : tensor<1x2x64x32xbf16>
}

// -----

// Dynamic batch, heads and lengths are accepted; the static head dims still
// agree.
// CHECK-LABEL: func.func @dynamic_sizes
// CHECK:         attn.attention ins({{.+}} : tensor<?x?x?x64xf32>, tensor<?x2x?x64xf32>, tensor<?x2x?x48xf32>)
// CHECK-SAME:      bias(%{{.+}} : tensor<?x1x?x?xf32>) kv_len(%{{.+}} : tensor<?xi32>)
// CHECK-SAME:      outs(%{{.+}} : tensor<?x?x?x48xf32>)
func.func @dynamic_sizes(%q: tensor<?x?x?x64xf32>, %k: tensor<?x2x?x64xf32>, %v: tensor<?x2x?x48xf32>,
                         %b: tensor<?x1x?x?xf32>, %kl: tensor<?xi32>, %init: tensor<?x?x?x48xf32>) -> tensor<?x?x?x48xf32> {
  %o = attn.attention ins(%q, %k, %v : tensor<?x?x?x64xf32>, tensor<?x2x?x64xf32>, tensor<?x2x?x48xf32>)
         bias(%b : tensor<?x1x?x?xf32>) kv_len(%kl : tensor<?xi32>)
         outs(%init : tensor<?x?x?x48xf32>) -> tensor<?x?x?x48xf32>
  return %o : tensor<?x?x?x48xf32>
}

// -----

// Attributes equal to their defaults are elided; dialect-prefixed discardable
// attributes are kept.
// CHECK-LABEL: func.func @explicit_defaults
// CHECK:         attn.attention
// CHECK-NOT:       score
// CHECK-SAME:      {my.tag = 7 : i64} -> tensor<2x2x9x8xf32>
func.func @explicit_defaults(%q: tensor<2x2x9x8xf32>, %init: tensor<2x2x9x8xf32>) -> tensor<2x2x9x8xf32> {
  %o = attn.attention ins(%q, %q, %q : tensor<2x2x9x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x8xf32>)
         outs(%init : tensor<2x2x9x8xf32>)
         {score = #attn.score<softmax>, causal = #attn.causal<none>, my.tag = 7 : i64} -> tensor<2x2x9x8xf32>
  return %o : tensor<2x2x9x8xf32>
}
