// attn.pool_mix through both pipelines against the float64 reference
// (random segments and lengths where a form has len):
//   0: [B,L,C] = [1,1,4], 1 head, window 1
//   1: [2,13,12], 3 heads
//   2: [1,37,64], 4 heads, window 5
//   3: [3,29,80], 5 heads
//   4: [2,50,32], 8 heads, window 7
// RUN: mixir-run %s --entry plain_0 --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry plain_1 --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry plain_2 --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry plain_3 --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry plain_4 --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_0 --random-inputs --seed 6 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_1 --random-inputs --seed 7 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_2 --random-inputs --seed 8 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_3 --random-inputs --seed 9 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_4 --random-inputs --seed 10 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_lengths_0 --random-inputs --seed 11 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_lengths_1 --random-inputs --seed 12 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_lengths_2 --random-inputs --seed 13 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_lengths_3 --random-inputs --seed 14 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry f16_lengths_4 --random-inputs --seed 15 --random-lengths --check | FileCheck %s --check-prefix=ONE
// The reference pipeline (quadratic max-pooling) on the same cases:
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry plain_0 --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_0 --random-inputs --seed 6 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry plain_1 --random-inputs --seed 2 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_1 --random-inputs --seed 7 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry plain_2 --random-inputs --seed 3 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_2 --random-inputs --seed 8 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry plain_3 --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_3 --random-inputs --seed 9 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry plain_4 --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_4 --random-inputs --seed 10 --random-lengths --check | FileCheck %s --check-prefix=ONE
// Segment ids in any order (the streaming table) and out of [0, L) (its
// run-time fallback to the quadratic reduction), both pipelines:
// RUN: mixir-run %s --entry value_lengths_1 --random-inputs --seed 40 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_1 --random-inputs --seed 40 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_2 --random-inputs --seed 41 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_2 --random-inputs --seed 41 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_3 --random-inputs --seed 42 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_3 --random-inputs --seed 42 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_4 --random-inputs --seed 43 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_4 --random-inputs --seed 43 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_1 --random-inputs --seed 44 --random-lengths --random-segment-ids=any --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_1 --random-inputs --seed 44 --random-lengths --random-segment-ids=any --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_2 --random-inputs --seed 45 --random-lengths --random-segment-ids=any --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_2 --random-inputs --seed 45 --random-lengths --random-segment-ids=any --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_3 --random-inputs --seed 46 --random-lengths --random-segment-ids=any --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_3 --random-inputs --seed 46 --random-lengths --random-segment-ids=any --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry value_lengths_4 --random-inputs --seed 47 --random-lengths --random-segment-ids=any --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --pipeline mixir-cpu-reference --entry value_lengths_4 --random-inputs --seed 47 --random-lengths --random-segment-ids=any --check | FileCheck %s --check-prefix=ONE
// A long sequence through the streaming path:
// RUN: mixir-run %s --entry long --random-inputs --seed 60 --random-lengths --random-segment-ids=scattered --check | FileCheck %s --check-prefix=ONE

// ONE: result #0: {{.*}} ok
// ONE-NOT: result #1
// TWO: result #0: {{.*}} ok
// TWO-NEXT: result #1: {{.*}} ok

func.func @plain_0(%q: tensor<1x1x4xf32>, %k: tensor<1x1x4xf32>, %o: tensor<1x1x4xf32>, %s: tensor<1x1x4xf32>, %l: tensor<1x1x4xf32>, %seg: tensor<1x1xi32>) -> tensor<1x1x4xf32> {
  %init = tensor.empty() : tensor<1x1x4xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1xi32>)
         outs(%init : tensor<1x1x4xf32>) {heads = 1 : i64, window = 1 : i64} -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}

func.func @plain_1(%q: tensor<2x13x12xf32>, %k: tensor<2x13x12xf32>, %o: tensor<2x13x12xf32>, %s: tensor<2x13x12xf32>, %l: tensor<2x13x12xf32>, %seg: tensor<2x13xi32>) -> tensor<2x13x12xf32> {
  %init = tensor.empty() : tensor<2x13x12xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x13x12xf32>, tensor<2x13x12xf32>, tensor<2x13x12xf32>, tensor<2x13x12xf32>, tensor<2x13x12xf32>, tensor<2x13xi32>)
         outs(%init : tensor<2x13x12xf32>) {heads = 3 : i64} -> tensor<2x13x12xf32>
  return %y : tensor<2x13x12xf32>
}

func.func @plain_2(%q: tensor<1x37x64xf32>, %k: tensor<1x37x64xf32>, %o: tensor<1x37x64xf32>, %s: tensor<1x37x64xf32>, %l: tensor<1x37x64xf32>, %seg: tensor<1x37xi32>) -> tensor<1x37x64xf32> {
  %init = tensor.empty() : tensor<1x37x64xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<1x37x64xf32>, tensor<1x37x64xf32>, tensor<1x37x64xf32>, tensor<1x37x64xf32>, tensor<1x37x64xf32>, tensor<1x37xi32>)
         outs(%init : tensor<1x37x64xf32>) {heads = 4 : i64, window = 5 : i64} -> tensor<1x37x64xf32>
  return %y : tensor<1x37x64xf32>
}

func.func @plain_3(%q: tensor<3x29x80xf32>, %k: tensor<3x29x80xf32>, %o: tensor<3x29x80xf32>, %s: tensor<3x29x80xf32>, %l: tensor<3x29x80xf32>, %seg: tensor<3x29xi32>) -> tensor<3x29x80xf32> {
  %init = tensor.empty() : tensor<3x29x80xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<3x29x80xf32>, tensor<3x29x80xf32>, tensor<3x29x80xf32>, tensor<3x29x80xf32>, tensor<3x29x80xf32>, tensor<3x29xi32>)
         outs(%init : tensor<3x29x80xf32>) {heads = 5 : i64} -> tensor<3x29x80xf32>
  return %y : tensor<3x29x80xf32>
}

func.func @plain_4(%q: tensor<2x50x32xf32>, %k: tensor<2x50x32xf32>, %o: tensor<2x50x32xf32>, %s: tensor<2x50x32xf32>, %l: tensor<2x50x32xf32>, %seg: tensor<2x50xi32>) -> tensor<2x50x32xf32> {
  %init = tensor.empty() : tensor<2x50x32xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x50x32xf32>, tensor<2x50x32xf32>, tensor<2x50x32xf32>, tensor<2x50x32xf32>, tensor<2x50x32xf32>, tensor<2x50xi32>)
         outs(%init : tensor<2x50x32xf32>) {heads = 8 : i64, window = 7 : i64} -> tensor<2x50x32xf32>
  return %y : tensor<2x50x32xf32>
}

func.func @value_lengths_0(%q: tensor<1x1x4xf32>, %k: tensor<1x1x4xf32>, %o: tensor<1x1x4xf32>, %s: tensor<1x1x4xf32>, %l: tensor<1x1x4xf32>, %seg: tensor<1x1xi32>, %v: tensor<1x1x4xf32>, %n: tensor<1xi32>) -> tensor<1x1x4xf32> {
  %init = tensor.empty() : tensor<1x1x4xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1xi32>) v(%v : tensor<1x1x4xf32>) len(%n : tensor<1xi32>)
         outs(%init : tensor<1x1x4xf32>) {heads = 1 : i64, window = 1 : i64} -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}

func.func @value_lengths_1(%q: tensor<2x13x12xf32>, %k: tensor<2x13x12xf32>, %o: tensor<2x13x12xf32>, %s: tensor<2x13x12xf32>, %l: tensor<2x13x12xf32>, %seg: tensor<2x13xi32>, %v: tensor<2x13x12xf32>, %n: tensor<2xi32>) -> tensor<2x13x12xf32> {
  %init = tensor.empty() : tensor<2x13x12xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x13x12xf32>, tensor<2x13x12xf32>, tensor<2x13x12xf32>, tensor<2x13x12xf32>, tensor<2x13x12xf32>, tensor<2x13xi32>) v(%v : tensor<2x13x12xf32>) len(%n : tensor<2xi32>)
         outs(%init : tensor<2x13x12xf32>) {heads = 3 : i64} -> tensor<2x13x12xf32>
  return %y : tensor<2x13x12xf32>
}

func.func @value_lengths_2(%q: tensor<1x37x64xf32>, %k: tensor<1x37x64xf32>, %o: tensor<1x37x64xf32>, %s: tensor<1x37x64xf32>, %l: tensor<1x37x64xf32>, %seg: tensor<1x37xi32>, %v: tensor<1x37x64xf32>, %n: tensor<1xi32>) -> tensor<1x37x64xf32> {
  %init = tensor.empty() : tensor<1x37x64xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<1x37x64xf32>, tensor<1x37x64xf32>, tensor<1x37x64xf32>, tensor<1x37x64xf32>, tensor<1x37x64xf32>, tensor<1x37xi32>) v(%v : tensor<1x37x64xf32>) len(%n : tensor<1xi32>)
         outs(%init : tensor<1x37x64xf32>) {heads = 4 : i64, window = 5 : i64} -> tensor<1x37x64xf32>
  return %y : tensor<1x37x64xf32>
}

func.func @value_lengths_3(%q: tensor<3x29x80xf32>, %k: tensor<3x29x80xf32>, %o: tensor<3x29x80xf32>, %s: tensor<3x29x80xf32>, %l: tensor<3x29x80xf32>, %seg: tensor<3x29xi32>, %v: tensor<3x29x80xf32>, %n: tensor<3xi32>) -> tensor<3x29x80xf32> {
  %init = tensor.empty() : tensor<3x29x80xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<3x29x80xf32>, tensor<3x29x80xf32>, tensor<3x29x80xf32>, tensor<3x29x80xf32>, tensor<3x29x80xf32>, tensor<3x29xi32>) v(%v : tensor<3x29x80xf32>) len(%n : tensor<3xi32>)
         outs(%init : tensor<3x29x80xf32>) {heads = 5 : i64} -> tensor<3x29x80xf32>
  return %y : tensor<3x29x80xf32>
}

func.func @value_lengths_4(%q: tensor<2x50x32xf32>, %k: tensor<2x50x32xf32>, %o: tensor<2x50x32xf32>, %s: tensor<2x50x32xf32>, %l: tensor<2x50x32xf32>, %seg: tensor<2x50xi32>, %v: tensor<2x50x32xf32>, %n: tensor<2xi32>) -> tensor<2x50x32xf32> {
  %init = tensor.empty() : tensor<2x50x32xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x50x32xf32>, tensor<2x50x32xf32>, tensor<2x50x32xf32>, tensor<2x50x32xf32>, tensor<2x50x32xf32>, tensor<2x50xi32>) v(%v : tensor<2x50x32xf32>) len(%n : tensor<2xi32>)
         outs(%init : tensor<2x50x32xf32>) {heads = 8 : i64, window = 7 : i64} -> tensor<2x50x32xf32>
  return %y : tensor<2x50x32xf32>
}

func.func @f16_lengths_0(%q: tensor<1x1x4xf16>, %k: tensor<1x1x4xf16>, %o: tensor<1x1x4xf16>, %s: tensor<1x1x4xf16>, %l: tensor<1x1x4xf16>, %seg: tensor<1x1xi32>, %n: tensor<1xi32>) -> tensor<1x1x4xf16> {
  %init = tensor.empty() : tensor<1x1x4xf16>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<1x1x4xf16>, tensor<1x1x4xf16>, tensor<1x1x4xf16>, tensor<1x1x4xf16>, tensor<1x1x4xf16>, tensor<1x1xi32>) len(%n : tensor<1xi32>)
         outs(%init : tensor<1x1x4xf16>) {heads = 1 : i64, window = 1 : i64} -> tensor<1x1x4xf16>
  return %y : tensor<1x1x4xf16>
}

func.func @f16_lengths_1(%q: tensor<2x13x12xf16>, %k: tensor<2x13x12xf16>, %o: tensor<2x13x12xf16>, %s: tensor<2x13x12xf16>, %l: tensor<2x13x12xf16>, %seg: tensor<2x13xi32>, %n: tensor<2xi32>) -> tensor<2x13x12xf16> {
  %init = tensor.empty() : tensor<2x13x12xf16>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x13x12xf16>, tensor<2x13x12xf16>, tensor<2x13x12xf16>, tensor<2x13x12xf16>, tensor<2x13x12xf16>, tensor<2x13xi32>) len(%n : tensor<2xi32>)
         outs(%init : tensor<2x13x12xf16>) {heads = 3 : i64} -> tensor<2x13x12xf16>
  return %y : tensor<2x13x12xf16>
}

func.func @f16_lengths_2(%q: tensor<1x37x64xf16>, %k: tensor<1x37x64xf16>, %o: tensor<1x37x64xf16>, %s: tensor<1x37x64xf16>, %l: tensor<1x37x64xf16>, %seg: tensor<1x37xi32>, %n: tensor<1xi32>) -> tensor<1x37x64xf16> {
  %init = tensor.empty() : tensor<1x37x64xf16>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<1x37x64xf16>, tensor<1x37x64xf16>, tensor<1x37x64xf16>, tensor<1x37x64xf16>, tensor<1x37x64xf16>, tensor<1x37xi32>) len(%n : tensor<1xi32>)
         outs(%init : tensor<1x37x64xf16>) {heads = 4 : i64, window = 5 : i64} -> tensor<1x37x64xf16>
  return %y : tensor<1x37x64xf16>
}

func.func @f16_lengths_3(%q: tensor<3x29x80xf16>, %k: tensor<3x29x80xf16>, %o: tensor<3x29x80xf16>, %s: tensor<3x29x80xf16>, %l: tensor<3x29x80xf16>, %seg: tensor<3x29xi32>, %n: tensor<3xi32>) -> tensor<3x29x80xf16> {
  %init = tensor.empty() : tensor<3x29x80xf16>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<3x29x80xf16>, tensor<3x29x80xf16>, tensor<3x29x80xf16>, tensor<3x29x80xf16>, tensor<3x29x80xf16>, tensor<3x29xi32>) len(%n : tensor<3xi32>)
         outs(%init : tensor<3x29x80xf16>) {heads = 5 : i64} -> tensor<3x29x80xf16>
  return %y : tensor<3x29x80xf16>
}

func.func @f16_lengths_4(%q: tensor<2x50x32xf16>, %k: tensor<2x50x32xf16>, %o: tensor<2x50x32xf16>, %s: tensor<2x50x32xf16>, %l: tensor<2x50x32xf16>, %seg: tensor<2x50xi32>, %n: tensor<2xi32>) -> tensor<2x50x32xf16> {
  %init = tensor.empty() : tensor<2x50x32xf16>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x50x32xf16>, tensor<2x50x32xf16>, tensor<2x50x32xf16>, tensor<2x50x32xf16>, tensor<2x50x32xf16>, tensor<2x50xi32>) len(%n : tensor<2xi32>)
         outs(%init : tensor<2x50x32xf16>) {heads = 8 : i64, window = 7 : i64} -> tensor<2x50x32xf16>
  return %y : tensor<2x50x32xf16>
}

// L = 4096, C = 64, 4 heads.
func.func @long(%q: tensor<1x4096x64xf32>, %k: tensor<1x4096x64xf32>, %o: tensor<1x4096x64xf32>, %s: tensor<1x4096x64xf32>, %l: tensor<1x4096x64xf32>, %seg: tensor<1x4096xi32>, %n: tensor<1xi32>) -> tensor<1x4096x64xf32> {
  %init = tensor.empty() : tensor<1x4096x64xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<1x4096x64xf32>, tensor<1x4096x64xf32>, tensor<1x4096x64xf32>, tensor<1x4096x64xf32>, tensor<1x4096x64xf32>, tensor<1x4096xi32>) len(%n : tensor<1xi32>) outs(%init : tensor<1x4096x64xf32>) {heads = 4 : i64, window = 9 : i64} -> tensor<1x4096x64xf32>
  return %y : tensor<1x4096x64xf32>
}
