// Round trip of attn.pool_mix: with and without v and len, heads and window;
// once more through the generic form.
// RUN: mixir-opt %s -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file | FileCheck %s
// RUN: mixir-opt %s -split-input-file > %t.custom
// RUN: mixir-opt %t.custom -split-input-file > %t.again
// RUN: diff %t.custom %t.again
// RUN: mixir-opt %s -split-input-file -mlir-print-op-generic | mixir-opt -split-input-file > %t.generic
// RUN: diff %t.custom %t.generic

// The spec's example with every optional operand.
// CHECK-LABEL: func.func @everything
// CHECK:         attn.pool_mix ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512xi32>)
// CHECK-SAME:      v(%{{.+}} : tensor<2x512x64xf32>) len(%{{.+}} : tensor<2xi32>)
// CHECK-SAME:      outs(%{{.+}} : tensor<2x512x64xf32>) {heads = 4 : i64} -> tensor<2x512x64xf32>
func.func @everything(%q: tensor<2x512x64xf32>, %k: tensor<2x512x64xf32>, %o: tensor<2x512x64xf32>,
                      %s: tensor<2x512x64xf32>, %l: tensor<2x512x64xf32>, %seg: tensor<2x512xi32>,
                      %v: tensor<2x512x64xf32>, %n: tensor<2xi32>, %init: tensor<2x512x64xf32>) -> tensor<2x512x64xf32> {
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512xi32>)
         v(%v : tensor<2x512x64xf32>) len(%n : tensor<2xi32>)
         outs(%init : tensor<2x512x64xf32>) {heads = 4 : i64, window = 3 : i64} -> tensor<2x512x64xf32>
  return %y : tensor<2x512x64xf32>
}

// -----

// Without v (it defaults to k) and with len only; a wider window.
// CHECK-LABEL: func.func @len_only
// CHECK:         attn.pool_mix ins({{.+}}) len(%{{.+}} : tensor<3xi32>) outs(%{{.+}} : tensor<3x17x12xf16>) {heads = 3 : i64, window = 7 : i64}
func.func @len_only(%x: tensor<3x17x12xf16>, %seg: tensor<3x17xi32>, %n: tensor<3xi32>, %init: tensor<3x17x12xf16>) -> tensor<3x17x12xf16> {
  %y = attn.pool_mix ins(%x, %x, %x, %x, %x, %seg : tensor<3x17x12xf16>, tensor<3x17x12xf16>, tensor<3x17x12xf16>, tensor<3x17x12xf16>, tensor<3x17x12xf16>, tensor<3x17xi32>)
         len(%n : tensor<3xi32>) outs(%init : tensor<3x17x12xf16>) {heads = 3 : i64, window = 7 : i64} -> tensor<3x17x12xf16>
  return %y : tensor<3x17x12xf16>
}

// -----

// v only, dynamic batch and length.
// CHECK-LABEL: func.func @v_only_dynamic
// CHECK:         attn.pool_mix ins({{.+}}) v(%{{.+}} : tensor<?x?x8xbf16>) outs(%{{.+}} : tensor<?x?x8xbf16>) {heads = 2 : i64}
func.func @v_only_dynamic(%x: tensor<?x?x8xbf16>, %seg: tensor<?x?xi32>, %init: tensor<?x?x8xbf16>) -> tensor<?x?x8xbf16> {
  %y = attn.pool_mix ins(%x, %x, %x, %x, %x, %seg : tensor<?x?x8xbf16>, tensor<?x?x8xbf16>, tensor<?x?x8xbf16>, tensor<?x?x8xbf16>, tensor<?x?x8xbf16>, tensor<?x?xi32>)
         v(%x : tensor<?x?x8xbf16>) outs(%init : tensor<?x?x8xbf16>) {heads = 2 : i64} -> tensor<?x?x8xbf16>
  return %y : tensor<?x?x8xbf16>
}
