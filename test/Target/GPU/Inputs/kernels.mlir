// One function per kind of kernel mixir-gpu emits: tensor cores for f16
// (D = 64, causal, kv_len) and bf16 (D = 128, GQA, lse, bias), FMAs for f32
// (D = 128, sigmoid, window), and a small head dim (D = 16).
func.func @f16_causal(%q: tensor<2x4x300x64xf16>, %k: tensor<2x4x300x64xf16>, %v: tensor<2x4x300x64xf16>, %kl: tensor<2xi32>) -> tensor<2x4x300x64xf16> {
  %init = tensor.empty() : tensor<2x4x300x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x300x64xf16>, tensor<2x4x300x64xf16>, tensor<2x4x300x64xf16>) kv_len(%kl : tensor<2xi32>) outs(%init : tensor<2x4x300x64xf16>) {causal = #attn.causal<bottom_right>} -> tensor<2x4x300x64xf16>
  return %o : tensor<2x4x300x64xf16>
}

func.func @bf16_gqa_lse(%q: tensor<1x8x257x128xbf16>, %k: tensor<1x2x513x128xbf16>, %v: tensor<1x2x513x128xbf16>, %b: tensor<1x8x1x513xbf16>) -> (tensor<1x8x257x128xbf16>, tensor<1x8x257xf32>) {
  %init = tensor.empty() : tensor<1x8x257x128xbf16>
  %li = tensor.empty() : tensor<1x8x257xf32>
  %o, %l = attn.attention ins(%q, %k, %v : tensor<1x8x257x128xbf16>, tensor<1x2x513x128xbf16>, tensor<1x2x513x128xbf16>) bias(%b : tensor<1x8x1x513xbf16>) outs(%init, %li : tensor<1x8x257x128xbf16>, tensor<1x8x257xf32>) -> tensor<1x8x257x128xbf16>, tensor<1x8x257xf32>
  return %o, %l : tensor<1x8x257x128xbf16>, tensor<1x8x257xf32>
}

func.func @f32_sigmoid(%q: tensor<1x2x200x128xf32>, %k: tensor<1x2x200x128xf32>, %v: tensor<1x2x200x128xf32>) -> tensor<1x2x200x128xf32> {
  %init = tensor.empty() : tensor<1x2x200x128xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x200x128xf32>, tensor<1x2x200x128xf32>, tensor<1x2x200x128xf32>) outs(%init : tensor<1x2x200x128xf32>) {score = #attn.score<sigmoid>, window = array<i64: 32, 32>} -> tensor<1x2x200x128xf32>
  return %o : tensor<1x2x200x128xf32>
}

func.func @f16_small(%q: tensor<1x1x33x16xf16>, %k: tensor<1x1x65x16xf16>, %v: tensor<1x1x65x16xf16>) -> tensor<1x1x33x16xf16> {
  %init = tensor.empty() : tensor<1x1x33x16xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x33x16xf16>, tensor<1x1x65x16xf16>, tensor<1x1x65x16xf16>) outs(%init : tensor<1x1x33x16xf16>) -> tensor<1x1x33x16xf16>
  return %o : tensor<1x1x33x16xf16>
}
