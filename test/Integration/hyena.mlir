// attn.hyena through both pipelines against the float64 reference. The
// direct convolution (L < 64, and the reference pipeline):
//   0: [B,L,C] = [1,1,1], order 2, Lf = 1
//   1: [2,13,8], order 2, Lf = L
//   2: [1,37,16], order 3, Lf = 64 > L
//   3: [2,64,4], order 4
//   4: [1,29,80], order 2, Lf = 31
// The FFT convolution of mixir-cpu (L >= 64; n = the power of two >= 2L - 1):
//   fft_0: [1,64,16], order 2 (n = 128)
//   fft_1: [2,100,8], order 3, Lf = 128 > L
//   fft_2: [1,257,3], order 4, Lf = 300 (n = 1024, channels not a multiple of 4)
//   fft_3: [1,200,16], order 3, f16
//   fft_4: [2,127,5], order 2, bf16
//   fft_long: [1,4096,8], order 3 (n = 8192)
// RUN: mixir-run %s --entry f32_0 --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_1 --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_2 --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_3 --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f32_4 --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_0 --random-inputs --seed 6 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_1 --random-inputs --seed 7 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_2 --random-inputs --seed 8 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_3 --random-inputs --seed 9 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_4 --random-inputs --seed 10 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry f32_0 --random-inputs --seed 20 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry f32_1 --random-inputs --seed 21 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry f32_2 --random-inputs --seed 22 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry f32_3 --random-inputs --seed 23 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry f32_4 --random-inputs --seed 24 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fft_0 --random-inputs --seed 25 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fft_1 --random-inputs --seed 26 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fft_2 --random-inputs --seed 27 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fft_3 --random-inputs --seed 28 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fft_4 --random-inputs --seed 29 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry fft_long --random-inputs --seed 30 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry fft_0 --random-inputs --seed 31 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry fft_1 --random-inputs --seed 32 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry fft_2 --random-inputs --seed 33 --check | FileCheck %s --check-prefix=ONE

// ONE: result #0: {{.*}} ok
// ONE-NOT: result #1
// TWO: result #0: {{.*}} ok
// TWO-NEXT: result #1: {{.*}} ok

func.func @f32_0(%v: tensor<1x1x1xf32>, %gates: tensor<2x1x1x1xf32>, %filters: tensor<1x1x1xf32>, %skip: tensor<1x1xf32>) -> tensor<1x1x1xf32> {
  %init = tensor.empty() : tensor<1x1x1xf32>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<1x1x1xf32>, tensor<2x1x1x1xf32>, tensor<1x1x1xf32>, tensor<1x1xf32>)
         outs(%init : tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
  return %y : tensor<1x1x1xf32>
}

func.func @f32_1(%v: tensor<2x13x8xf32>, %gates: tensor<2x2x13x8xf32>, %filters: tensor<1x8x13xf32>, %skip: tensor<1x8xf32>) -> tensor<2x13x8xf32> {
  %init = tensor.empty() : tensor<2x13x8xf32>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x13x8xf32>, tensor<2x2x13x8xf32>, tensor<1x8x13xf32>, tensor<1x8xf32>)
         outs(%init : tensor<2x13x8xf32>) -> tensor<2x13x8xf32>
  return %y : tensor<2x13x8xf32>
}

func.func @f32_2(%v: tensor<1x37x16xf32>, %gates: tensor<3x1x37x16xf32>, %filters: tensor<2x16x64xf32>, %skip: tensor<2x16xf32>) -> tensor<1x37x16xf32> {
  %init = tensor.empty() : tensor<1x37x16xf32>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<1x37x16xf32>, tensor<3x1x37x16xf32>, tensor<2x16x64xf32>, tensor<2x16xf32>)
         outs(%init : tensor<1x37x16xf32>) -> tensor<1x37x16xf32>
  return %y : tensor<1x37x16xf32>
}

func.func @f32_3(%v: tensor<2x64x4xf32>, %gates: tensor<4x2x64x4xf32>, %filters: tensor<3x4x64xf32>, %skip: tensor<3x4xf32>) -> tensor<2x64x4xf32> {
  %init = tensor.empty() : tensor<2x64x4xf32>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x64x4xf32>, tensor<4x2x64x4xf32>, tensor<3x4x64xf32>, tensor<3x4xf32>)
         outs(%init : tensor<2x64x4xf32>) -> tensor<2x64x4xf32>
  return %y : tensor<2x64x4xf32>
}

func.func @f32_4(%v: tensor<1x29x80xf32>, %gates: tensor<2x1x29x80xf32>, %filters: tensor<1x80x31xf32>, %skip: tensor<1x80xf32>) -> tensor<1x29x80xf32> {
  %init = tensor.empty() : tensor<1x29x80xf32>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<1x29x80xf32>, tensor<2x1x29x80xf32>, tensor<1x80x31xf32>, tensor<1x80xf32>)
         outs(%init : tensor<1x29x80xf32>) -> tensor<1x29x80xf32>
  return %y : tensor<1x29x80xf32>
}

func.func @f16_0(%v: tensor<1x1x1xf16>, %gates: tensor<2x1x1x1xf16>, %filters: tensor<1x1x1xf16>, %skip: tensor<1x1xf16>) -> tensor<1x1x1xf16> {
  %init = tensor.empty() : tensor<1x1x1xf16>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<1x1x1xf16>, tensor<2x1x1x1xf16>, tensor<1x1x1xf16>, tensor<1x1xf16>)
         outs(%init : tensor<1x1x1xf16>) -> tensor<1x1x1xf16>
  return %y : tensor<1x1x1xf16>
}

func.func @f16_1(%v: tensor<2x13x8xf16>, %gates: tensor<2x2x13x8xf16>, %filters: tensor<1x8x13xf16>, %skip: tensor<1x8xf16>) -> tensor<2x13x8xf16> {
  %init = tensor.empty() : tensor<2x13x8xf16>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x13x8xf16>, tensor<2x2x13x8xf16>, tensor<1x8x13xf16>, tensor<1x8xf16>)
         outs(%init : tensor<2x13x8xf16>) -> tensor<2x13x8xf16>
  return %y : tensor<2x13x8xf16>
}

func.func @f16_2(%v: tensor<1x37x16xf16>, %gates: tensor<3x1x37x16xf16>, %filters: tensor<2x16x64xf16>, %skip: tensor<2x16xf16>) -> tensor<1x37x16xf16> {
  %init = tensor.empty() : tensor<1x37x16xf16>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<1x37x16xf16>, tensor<3x1x37x16xf16>, tensor<2x16x64xf16>, tensor<2x16xf16>)
         outs(%init : tensor<1x37x16xf16>) -> tensor<1x37x16xf16>
  return %y : tensor<1x37x16xf16>
}

func.func @f16_3(%v: tensor<2x64x4xf16>, %gates: tensor<4x2x64x4xf16>, %filters: tensor<3x4x64xf16>, %skip: tensor<3x4xf16>) -> tensor<2x64x4xf16> {
  %init = tensor.empty() : tensor<2x64x4xf16>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x64x4xf16>, tensor<4x2x64x4xf16>, tensor<3x4x64xf16>, tensor<3x4xf16>)
         outs(%init : tensor<2x64x4xf16>) -> tensor<2x64x4xf16>
  return %y : tensor<2x64x4xf16>
}

func.func @f16_4(%v: tensor<1x29x80xf16>, %gates: tensor<2x1x29x80xf16>, %filters: tensor<1x80x31xf16>, %skip: tensor<1x80xf16>) -> tensor<1x29x80xf16> {
  %init = tensor.empty() : tensor<1x29x80xf16>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<1x29x80xf16>, tensor<2x1x29x80xf16>, tensor<1x80x31xf16>, tensor<1x80xf16>)
         outs(%init : tensor<1x29x80xf16>) -> tensor<1x29x80xf16>
  return %y : tensor<1x29x80xf16>
}

func.func @fft_0(%v: tensor<1x64x16xf32>, %g: tensor<2x1x64x16xf32>, %f: tensor<1x16x64xf32>, %s: tensor<1x16xf32>) -> tensor<1x64x16xf32> {
  %init = tensor.empty() : tensor<1x64x16xf32>
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<1x64x16xf32>, tensor<2x1x64x16xf32>, tensor<1x16x64xf32>, tensor<1x16xf32>) outs(%init : tensor<1x64x16xf32>) -> tensor<1x64x16xf32>
  return %y : tensor<1x64x16xf32>
}

func.func @fft_1(%v: tensor<2x100x8xf32>, %g: tensor<3x2x100x8xf32>, %f: tensor<2x8x128xf32>, %s: tensor<2x8xf32>) -> tensor<2x100x8xf32> {
  %init = tensor.empty() : tensor<2x100x8xf32>
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<2x100x8xf32>, tensor<3x2x100x8xf32>, tensor<2x8x128xf32>, tensor<2x8xf32>) outs(%init : tensor<2x100x8xf32>) -> tensor<2x100x8xf32>
  return %y : tensor<2x100x8xf32>
}

func.func @fft_2(%v: tensor<1x257x3xf32>, %g: tensor<4x1x257x3xf32>, %f: tensor<3x3x300xf32>, %s: tensor<3x3xf32>) -> tensor<1x257x3xf32> {
  %init = tensor.empty() : tensor<1x257x3xf32>
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<1x257x3xf32>, tensor<4x1x257x3xf32>, tensor<3x3x300xf32>, tensor<3x3xf32>) outs(%init : tensor<1x257x3xf32>) -> tensor<1x257x3xf32>
  return %y : tensor<1x257x3xf32>
}

func.func @fft_3(%v: tensor<1x200x16xf16>, %g: tensor<3x1x200x16xf16>, %f: tensor<2x16x200xf16>, %s: tensor<2x16xf16>) -> tensor<1x200x16xf16> {
  %init = tensor.empty() : tensor<1x200x16xf16>
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<1x200x16xf16>, tensor<3x1x200x16xf16>, tensor<2x16x200xf16>, tensor<2x16xf16>) outs(%init : tensor<1x200x16xf16>) -> tensor<1x200x16xf16>
  return %y : tensor<1x200x16xf16>
}

func.func @fft_4(%v: tensor<2x127x5xbf16>, %g: tensor<2x2x127x5xbf16>, %f: tensor<1x5x127xbf16>, %s: tensor<1x5xbf16>) -> tensor<2x127x5xbf16> {
  %init = tensor.empty() : tensor<2x127x5xbf16>
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<2x127x5xbf16>, tensor<2x2x127x5xbf16>, tensor<1x5x127xbf16>, tensor<1x5xbf16>) outs(%init : tensor<2x127x5xbf16>) -> tensor<2x127x5xbf16>
  return %y : tensor<2x127x5xbf16>
}

func.func @fft_long(%v: tensor<1x4096x8xf32>, %g: tensor<3x1x4096x8xf32>, %f: tensor<2x8x4096xf32>, %s: tensor<2x8xf32>) -> tensor<1x4096x8xf32> {
  %init = tensor.empty() : tensor<1x4096x8xf32>
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<1x4096x8xf32>, tensor<3x1x4096x8xf32>, tensor<2x8x4096xf32>, tensor<2x8xf32>) outs(%init : tensor<1x4096x8xf32>) -> tensor<1x4096x8xf32>
  return %y : tensor<1x4096x8xf32>
}
