func.func @gqa(%q: tensor<1x6x4x8xf32>, %k: tensor<1x4x4x8xf32>, %init: tensor<1x6x4x8xf32>) -> tensor<1x6x4x8xf32> {
  %o = attn.attention ins(%q, %k, %k : tensor<1x6x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>)
         outs(%init : tensor<1x6x4x8xf32>) -> tensor<1x6x4x8xf32>
  return %o : tensor<1x6x4x8xf32>
}
