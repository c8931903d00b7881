func.func @typo(%q: tensor<1x1x4x8xf32>, %init: tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32> {
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
         outs(%init : tensor<1x1x4x8xf32>) {causal = #attn.causal<upper>} -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}
