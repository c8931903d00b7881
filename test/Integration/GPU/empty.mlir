// Empty sizes on the GPU target: no batch row (B = 0) has nothing to launch
// and checks as empty; no key (T = 0) is a located error.
// RUN: mixir-run %s --target=nvptx --entry bf16_no_batch --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: not mixir-run %s --target=nvptx --entry f16_no_keys --random-inputs --seed 1 2>&1 | FileCheck %s --check-prefix=NOKEYS
// NOKEYS: error: 'attn.attention' has no keys (T = 0), which the GPU kernels do not take (--target=nvptx)
func.func @f16_no_keys(%q: tensor<1x2x5x64xf16>, %k: tensor<1x2x0x64xf16>, %v: tensor<1x2x0x64xf16>) -> (tensor<1x2x5x64xf16>, tensor<1x2x5xf32>) {
  %init = tensor.empty() : tensor<1x2x5x64xf16>
  %li = tensor.empty() : tensor<1x2x5xf32>
  %o, %l = attn.attention ins(%q, %k, %v : tensor<1x2x5x64xf16>, tensor<1x2x0x64xf16>, tensor<1x2x0x64xf16>) outs(%init, %li : tensor<1x2x5x64xf16>, tensor<1x2x5xf32>) {scale = 0.125 : f32} -> tensor<1x2x5x64xf16>, tensor<1x2x5xf32>
  return %o, %l : tensor<1x2x5x64xf16>, tensor<1x2x5xf32>
}

func.func @bf16_no_batch(%q: tensor<0x2x5x64xbf16>, %k: tensor<0x2x7x64xbf16>, %v: tensor<0x2x7x64xbf16>) -> tensor<0x2x5x64xbf16> {
  %init = tensor.empty() : tensor<0x2x5x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<0x2x5x64xbf16>, tensor<0x2x7x64xbf16>, tensor<0x2x7x64xbf16>) outs(%init : tensor<0x2x5x64xbf16>) -> tensor<0x2x5x64xbf16>
  return %o : tensor<0x2x5x64xbf16>
}

// ONE-NOT: FAILED
// ONE: result #0: {{.*}} ok
