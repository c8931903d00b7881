// Attention inside small graphs, the neighbours attn-fuse pulls into the
// tile loops (transposes from and to [B, S, H, D], a scale, a residual add,
// an ALiBi bias built from positions, a gate): mixir-cpu must give what the
// reference pipeline gives on the same inputs. S = 128 fuses everything;
// S = 100 pads the queries, so the output-side consumers stay outside.
// RUN: rm -rf %t && mkdir -p %t/a %t/b %t/c
// RUN: mixir-run %s --entry encoder_128 --pipeline mixir-cpu-reference --random-inputs --seed 1 --save-inputs %t/a --output %t/a/ref.npy
// RUN: mixir-run %s --entry encoder_128 --pipeline mixir-cpu --input %t/a/arg0.npy --input %t/a/arg1.npy --expect %t/a/ref.npy | FileCheck %s
// RUN: mixir-run %s --entry encoder_100 --pipeline mixir-cpu-reference --random-inputs --seed 2 --save-inputs %t/b --output %t/b/ref.npy
// RUN: mixir-run %s --entry encoder_100 --pipeline mixir-cpu --input %t/b/arg0.npy --input %t/b/arg1.npy --expect %t/b/ref.npy | FileCheck %s
// RUN: mixir-run %s --entry alibi_causal_gate --pipeline mixir-cpu-reference --random-inputs --seed 3 --save-inputs %t/c --output %t/c/ref.npy
// RUN: mixir-run %s --entry alibi_causal_gate --pipeline mixir-cpu --input %t/c/arg0.npy --input %t/c/arg1.npy --input %t/c/arg2.npy --expect %t/c/ref.npy | FileCheck %s
// A wrong expectation fails.
// RUN: not mixir-run %s --entry encoder_128 --pipeline mixir-cpu --input %t/a/arg1.npy --input %t/a/arg1.npy --expect %t/a/ref.npy | FileCheck %s --check-prefix=WRONG
// CHECK: result #0 vs {{.+}}ref.npy: {{.+}} ok
// WRONG: result #0 vs {{.+}}ref.npy: {{.+}} FAILED

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

func.func @encoder_128(%x: tensor<1x128x3x24xf32>, %kx: tensor<1x128x3x24xf32>) -> tensor<1x128x3x24xf32> {
  %e = tensor.empty() : tensor<1x3x128x24xf32>
  %qt = linalg.transpose ins(%x : tensor<1x128x3x24xf32>) outs(%e : tensor<1x3x128x24xf32>) permutation = [0, 2, 1, 3]
  %q = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qt : tensor<1x3x128x24xf32>) outs(%e : tensor<1x3x128x24xf32>) {
    ^bb0(%a: f32, %o: f32):
      %c = arith.constant 0.2 : f32
      %s = arith.mulf %a, %c : f32
      linalg.yield %s : f32
  } -> tensor<1x3x128x24xf32>
  %k = linalg.transpose ins(%kx : tensor<1x128x3x24xf32>) outs(%e : tensor<1x3x128x24xf32>) permutation = [0, 2, 1, 3]
  %init = tensor.empty() : tensor<1x3x128x24xf32>
  %o = attn.attention ins(%q, %k, %k : tensor<1x3x128x24xf32>, tensor<1x3x128x24xf32>, tensor<1x3x128x24xf32>)
      outs(%init : tensor<1x3x128x24xf32>) {scale = 1.0 : f32} -> tensor<1x3x128x24xf32>
  %e2 = tensor.empty() : tensor<1x128x3x24xf32>
  %ot = linalg.transpose ins(%o : tensor<1x3x128x24xf32>) outs(%e2 : tensor<1x128x3x24xf32>) permutation = [0, 2, 1, 3]
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ot, %x : tensor<1x128x3x24xf32>, tensor<1x128x3x24xf32>) outs(%e2 : tensor<1x128x3x24xf32>) {
    ^bb0(%a: f32, %b: f32, %o2: f32):
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
  } -> tensor<1x128x3x24xf32>
  return %r : tensor<1x128x3x24xf32>
}

func.func @encoder_100(%x: tensor<2x100x2x16xf32>, %kx: tensor<2x37x2x16xf32>) -> tensor<2x100x2x16xf32> {
  %e = tensor.empty() : tensor<2x2x100x16xf32>
  %q = linalg.transpose ins(%x : tensor<2x100x2x16xf32>) outs(%e : tensor<2x2x100x16xf32>) permutation = [0, 2, 1, 3]
  %ek = tensor.empty() : tensor<2x2x37x16xf32>
  %k = linalg.transpose ins(%kx : tensor<2x37x2x16xf32>) outs(%ek : tensor<2x2x37x16xf32>) permutation = [0, 2, 1, 3]
  %o = attn.attention ins(%q, %k, %k : tensor<2x2x100x16xf32>, tensor<2x2x37x16xf32>, tensor<2x2x37x16xf32>)
      outs(%e : tensor<2x2x100x16xf32>) {causal = #attn.causal<bottom_right>} -> tensor<2x2x100x16xf32>
  %e2 = tensor.empty() : tensor<2x100x2x16xf32>
  %ot = linalg.transpose ins(%o : tensor<2x2x100x16xf32>) outs(%e2 : tensor<2x100x2x16xf32>) permutation = [0, 2, 1, 3]
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ot, %x : tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>) outs(%e2 : tensor<2x100x2x16xf32>) {
    ^bb0(%a: f32, %b: f32, %o2: f32):
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
  } -> tensor<2x100x2x16xf32>
  return %r : tensor<2x100x2x16xf32>
}

func.func @alibi_causal_gate(%q: tensor<1x4x128x16xf32>, %k: tensor<1x2x128x16xf32>, %g: tensor<1x4x128x16xf32>) -> tensor<1x4x128x16xf32> {
  %eb = tensor.empty() : tensor<1x4x128x128xf32>
  %bias = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%eb : tensor<1x4x128x128xf32>) {
    ^bb0(%o: f32):
      %h = linalg.index 1 : index
      %i = linalg.index 2 : index
      %j = linalg.index 3 : index
      %d = arith.subi %j, %i : index
      %one = arith.constant 1 : index
      %h1 = arith.addi %h, %one : index
      %dh = arith.muli %d, %h1 : index
      %di = arith.index_cast %dh : index to i64
      %df = arith.sitofp %di : i64 to f32
      %slope = arith.constant 0.0625 : f32
      %b = arith.mulf %df, %slope : f32
      linalg.yield %b : f32
  } -> tensor<1x4x128x128xf32>
  %init = tensor.empty() : tensor<1x4x128x16xf32>
  %o = attn.attention ins(%q, %k, %k : tensor<1x4x128x16xf32>, tensor<1x2x128x16xf32>, tensor<1x2x128x16xf32>)
      bias(%bias : tensor<1x4x128x128xf32>) outs(%init : tensor<1x4x128x16xf32>)
      {causal = #attn.causal<top_left>} -> tensor<1x4x128x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%o, %g : tensor<1x4x128x16xf32>, tensor<1x4x128x16xf32>) outs(%init : tensor<1x4x128x16xf32>) {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %s = arith.mulf %a, %b : f32
      linalg.yield %s : f32
  } -> tensor<1x4x128x16xf32>
  return %r : tensor<1x4x128x16xf32>
}
