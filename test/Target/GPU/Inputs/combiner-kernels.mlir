// The Combiner's heaviest kernels for ptx.test: every variant at D = 128 and
// L = 4096 (the logsparse stage two with 13 key ranges and 13 intervals a
// row), in f16, bf16 and f32.
func.func @ls_f16_d128(%q: tensor<1x2x4096x128xf16>, %k: tensor<1x2x4096x128xf16>, %v: tensor<1x2x4096x128xf16>) -> tensor<1x2x4096x128xf16> {
  %init = tensor.empty() : tensor<1x2x4096x128xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x4096x128xf16>, tensor<1x2x4096x128xf16>, tensor<1x2x4096x128xf16>) outs(%init : tensor<1x2x4096x128xf16>) {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x2x4096x128xf16>
  return %y : tensor<1x2x4096x128xf16>
}
func.func @ax_bf16_d128(%q: tensor<1x2x4096x128xbf16>, %k: tensor<1x2x4096x128xbf16>, %v: tensor<1x2x4096x128xbf16>) -> tensor<1x2x4096x128xbf16> {
  %init = tensor.empty() : tensor<1x2x4096x128xbf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x4096x128xbf16>, tensor<1x2x4096x128xbf16>, tensor<1x2x4096x128xbf16>) outs(%init : tensor<1x2x4096x128xbf16>) {variant = #attn.variant<axial>, block = 64 : i64, causal = true} -> tensor<1x2x4096x128xbf16>
  return %y : tensor<1x2x4096x128xbf16>
}
func.func @fx_f32_d128(%q: tensor<1x2x4096x128xf32>, %k: tensor<1x2x4096x128xf32>, %v: tensor<1x2x4096x128xf32>) -> tensor<1x2x4096x128xf32> {
  %init = tensor.empty() : tensor<1x2x4096x128xf32>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x4096x128xf32>, tensor<1x2x4096x128xf32>, tensor<1x2x4096x128xf32>) outs(%init : tensor<1x2x4096x128xf32>) {variant = #attn.variant<fixed>, block = 64 : i64, causal = true} -> tensor<1x2x4096x128xf32>
  return %y : tensor<1x2x4096x128xf32>
}
