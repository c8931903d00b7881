// Cases the stress matrix (scripts/stress.sh) failed on, kept with the
// mixir-run flags that reproduce them, in both pipelines.

// scripts/stress.sh 500 30112026, attention case 71 (logits profile): an
// f16 sigmoid whose one unmasked row is about 1e-16, which f16 rounds to 0.
// The check compared with the unrounded reference, a relative error of 1; it
// now compares with the reference rounded to the result type.
// RUN: mixir-run %s --entry sigmoid_tail_f16 --pipeline mixir-cpu --random-inputs --random-lengths --seed 30112097 --check | FileCheck %s --check-prefix=TAIL
// RUN: mixir-run %s --entry sigmoid_tail_f16 --pipeline mixir-cpu-reference --random-inputs --random-lengths --seed 30112097 --check | FileCheck %s --check-prefix=TAIL
// TAIL: result #0: rel_l2 = 0.000e+00  max_abs = 0.000e+00  tolerance = 1.0e-02  exact = 704  ok
func.func @sigmoid_tail_f16(%q: tensor<1x1x23x64xf16>, %k: tensor<1x1x1x64xf16>, %v: tensor<1x1x1x32xf16>, %b: tensor<1x1x1x1xf16>, %ql: tensor<1xi32>) -> tensor<1x1x23x32xf16> {
  %init = tensor.empty() : tensor<1x1x23x32xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x23x64xf16>, tensor<1x1x1x64xf16>, tensor<1x1x1x32xf16>)
         bias(%b : tensor<1x1x1x1xf16>) q_len(%ql : tensor<1xi32>) outs(%init : tensor<1x1x23x32xf16>)
         {score = #attn.score<sigmoid>, causal = #attn.causal<bottom_right>, window = array<i64: 3, 1>, scale = 3.125000e+00 : f32}
         -> tensor<1x1x23x32xf16>
  return %o : tensor<1x1x23x32xf16>
}

// Logits near 1e4 in f32 (the logits profile's largest): rounding a logit
// to f32 moves its weight by |z| * 2^-24 = 6e-4 relatively, above the spec's
// 1e-5 in both pipelines alike (rel_l2 was 2.9e-5 here), so the tolerance is
// widened to that and says so. Nothing overflows and the lse is finite.
// RUN: mixir-run %s --entry logits_1e4 --pipeline mixir-cpu --random-inputs --seed 1 --check | FileCheck %s --check-prefix=LOGITS
// RUN: mixir-run %s --entry logits_1e4 --pipeline mixir-cpu-reference --random-inputs --seed 1 --check | FileCheck %s --check-prefix=LOGITS
// LOGITS: result #0: {{.*}} tolerance = 6.0e-04  (widened for logits up to 1.01e+04)  ok
// LOGITS-NEXT: result #1: {{.*}} tolerance = 6.0e-04  (widened for logits up to 1.01e+04)  ok
func.func @logits_1e4(%q: tensor<2x4x37x64xf32>, %k: tensor<2x4x41x64xf32>, %v: tensor<2x4x41x64xf32>) -> (tensor<2x4x37x64xf32>, tensor<2x4x37xf32>) {
  %init = tensor.empty() : tensor<2x4x37x64xf32>
  %linit = tensor.empty() : tensor<2x4x37xf32>
  %o, %l = attn.attention ins(%q, %k, %v : tensor<2x4x37x64xf32>, tensor<2x4x41x64xf32>, tensor<2x4x41x64xf32>)
         outs(%init, %linit : tensor<2x4x37x64xf32>, tensor<2x4x37xf32>) {scale = 300.0 : f32}
         -> tensor<2x4x37x64xf32>, tensor<2x4x37xf32>
  return %o, %l : tensor<2x4x37x64xf32>, tensor<2x4x37xf32>
}
