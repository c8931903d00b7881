// attn-decompose reports what it cannot decompose on the op, and fails.
// RUN: mixir-opt %s -attn-decompose -split-input-file -verify-diagnostics

func.func @dynamic_length(%q: tensor<1x1x?x8xf32>, %init: tensor<1x1x?x8xf32>) -> tensor<1x1x?x8xf32> {
  // expected-error @+1 {{'attn.attention' op has dynamic shapes, which attn-decompose does not support yet}}
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>)
         outs(%init : tensor<1x1x?x8xf32>) -> tensor<1x1x?x8xf32>
  return %o : tensor<1x1x?x8xf32>
}
