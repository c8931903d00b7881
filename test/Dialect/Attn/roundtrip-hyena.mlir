// Round trip of attn.hyena: orders 2 and 3, filters longer than the sequence,
// the causal attribute; once more through the generic form.
// RUN: mixir-opt %s -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file > %t.custom
// RUN: mixir-opt %t.custom -split-input-file > %t.again
// RUN: diff %t.custom %t.again
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file > %t.generic
// RUN: diff %t.custom %t.generic

// The spec's example (order 3).
// CHECK-LABEL: func.func @order3
// CHECK:         attn.hyena ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<2x1024x64xf32>, tensor<3x2x1024x64xf32>, tensor<2x64x1024xf32>, tensor<2x64xf32>)
// CHECK-SAME:      outs(%{{.+}} : tensor<2x1024x64xf32>) -> tensor<2x1024x64xf32>
func.func @order3(%v: tensor<2x1024x64xf32>, %gates: tensor<3x2x1024x64xf32>, %filters: tensor<2x64x1024xf32>,
                  %skip: tensor<2x64xf32>, %init: tensor<2x1024x64xf32>) -> tensor<2x1024x64xf32> {
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x1024x64xf32>, tensor<3x2x1024x64xf32>,
         tensor<2x64x1024xf32>, tensor<2x64xf32>) outs(%init : tensor<2x1024x64xf32>) -> tensor<2x1024x64xf32>
  return %y : tensor<2x1024x64xf32>
}

// -----

// Order 2, filters longer than the sequence, the default causal = true
// written out (and elided).
// CHECK-LABEL: func.func @order2_long_filters
// CHECK:         attn.hyena ins({{.+}} : tensor<1x37x5xf16>, tensor<2x1x37x5xf16>, tensor<1x5x64xf16>, tensor<1x5xf16>)
// CHECK-SAME:      outs(%{{.+}} : tensor<1x37x5xf16>) -> tensor<1x37x5xf16>
func.func @order2_long_filters(%v: tensor<1x37x5xf16>, %gates: tensor<2x1x37x5xf16>, %filters: tensor<1x5x64xf16>,
                               %skip: tensor<1x5xf16>, %init: tensor<1x37x5xf16>) -> tensor<1x37x5xf16> {
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<1x37x5xf16>, tensor<2x1x37x5xf16>, tensor<1x5x64xf16>, tensor<1x5xf16>)
         outs(%init : tensor<1x37x5xf16>) {causal = true} -> tensor<1x37x5xf16>
  return %y : tensor<1x37x5xf16>
}

// -----

// Dynamic order, length and filter length.
// CHECK-LABEL: func.func @dynamic
// CHECK:         attn.hyena ins({{.+}} : tensor<1x?x8xbf16>, tensor<?x1x?x8xbf16>, tensor<?x8x?xbf16>, tensor<?x8xbf16>)
func.func @dynamic(%v: tensor<1x?x8xbf16>, %gates: tensor<?x1x?x8xbf16>, %filters: tensor<?x8x?xbf16>,
                   %skip: tensor<?x8xbf16>, %init: tensor<1x?x8xbf16>) -> tensor<1x?x8xbf16> {
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<1x?x8xbf16>, tensor<?x1x?x8xbf16>, tensor<?x8x?xbf16>, tensor<?x8xbf16>)
         outs(%init : tensor<1x?x8xbf16>) -> tensor<1x?x8xbf16>
  return %y : tensor<1x?x8xbf16>
}
