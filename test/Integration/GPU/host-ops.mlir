// The tensor ops around attention on the GPU target, run on the CPU by the
// kernel interpreter (mixir-run --target=nvptx) and compared with the CPU
// reference pipeline on the same inputs: an elementwise op (a scalar
// constant, a captured constant, linalg.index), a pad with -1, a
// concatenation by insert_slice of a strided extract_slice, a row sum from
// a fill, a broadcast, a named op (linalg.add) and reshapes, each an element
// kernel beside the attention kernel (f16 on tensor cores, f32 on FMAs).

// RUN: rm -rf %t && mkdir -p %t/f16 %t/f32
// RUN: mixir-run %s --entry host_ops --pipeline mixir-cpu-reference --random-inputs --seed 401 --save-inputs %t/f16 --output %t/f16/ref.npy
// RUN: mixir-run %s --entry host_ops --target=nvptx --input %t/f16/arg0.npy --input %t/f16/arg1.npy --input %t/f16/arg2.npy --input %t/f16/arg3.npy --expect %t/f16/ref.npy | FileCheck %s
// RUN: mixir-run %s --entry host_ops_f32 --pipeline mixir-cpu-reference --random-inputs --seed 402 --save-inputs %t/f32 --output %t/f32/ref.npy
// RUN: mixir-run %s --entry host_ops_f32 --target=nvptx --input %t/f32/arg0.npy --input %t/f32/arg1.npy --input %t/f32/arg2.npy --input %t/f32/arg3.npy --expect %t/f32/ref.npy | FileCheck %s
// The same kernels on sm_90.
// RUN: mixir-run %s --entry host_ops_f32 --target=nvptx --chip=sm_90 --input %t/f32/arg0.npy --input %t/f32/arg1.npy --input %t/f32/arg2.npy --input %t/f32/arg3.npy --expect %t/f32/ref.npy | FileCheck %s
// CHECK: result #0 vs {{.+}}ref.npy: {{.+}} ok

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#bcast = affine_map<(d0, d1, d2, d3) -> (d3)>
// Elementwise (scalar constant, captured constant, linalg.index), a pad with
// -1, a concatenation by insert_slice, a strided extract_slice, a row
// reduction from a fill, a named op, reshapes.
func.func @host_ops(%q: tensor<1x2x37x64xf16>, %k: tensor<1x2x29x64xf16>, %v: tensor<1x2x29x64xf16>, %w: tensor<64xf32>) -> tensor<1x2x37x64xf16> {
  %half = arith.constant 0.5 : f16
  %one = arith.constant 1.0 : f32
  %empty = tensor.empty() : tensor<1x2x37x64xf16>
  %qs = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q : tensor<1x2x37x64xf16>) outs(%empty : tensor<1x2x37x64xf16>) {
  ^bb0(%x: f16, %out: f16):
    %i = linalg.index 3 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f16
    %s = arith.mulf %f, %half : f16
    %t = arith.mulf %x, %half : f16
    %r = arith.addf %t, %s : f16
    linalg.yield %r : f16
  } -> tensor<1x2x37x64xf16>
  %cm1 = arith.constant -1.0 : f16
  %kp = tensor.pad %k low[0, 0, 2, 0] high[0, 0, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cm1 : f16
  } : tensor<1x2x29x64xf16> to tensor<1x2x32x64xf16>
  %ve = tensor.empty() : tensor<1x2x32x64xf16>
  %v0 = tensor.insert_slice %v into %ve[0, 0, 0, 0] [1, 2, 29, 64] [1, 1, 1, 1] : tensor<1x2x29x64xf16> into tensor<1x2x32x64xf16>
  %vt = tensor.extract_slice %v[0, 0, 1, 0] [1, 2, 3, 64] [1, 1, 9, 1] : tensor<1x2x29x64xf16> to tensor<1x2x3x64xf16>
  %v1 = tensor.insert_slice %vt into %v0[0, 0, 29, 0] [1, 2, 3, 64] [1, 1, 1, 1] : tensor<1x2x3x64xf16> into tensor<1x2x32x64xf16>
  %init = tensor.empty() : tensor<1x2x37x64xf16>
  %o = attn.attention ins(%qs, %kp, %v1 : tensor<1x2x37x64xf16>, tensor<1x2x32x64xf16>, tensor<1x2x32x64xf16>) outs(%init : tensor<1x2x37x64xf16>) -> tensor<1x2x37x64xf16>
  // sum over the head dim, then o * w + rowsum
  %zero = arith.constant 0.0 : f32
  %se = tensor.empty() : tensor<1x2x37xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%se : tensor<1x2x37xf32>) -> tensor<1x2x37xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%o : tensor<1x2x37x64xf16>) outs(%sf : tensor<1x2x37xf32>) {
  ^bb0(%x: f16, %acc: f32):
    %e = arith.extf %x : f16 to f32
    %r = arith.addf %acc, %e : f32
    linalg.yield %r : f32
  } -> tensor<1x2x37xf32>
  %oe = tensor.empty() : tensor<1x2x37x64xf32>
  %y = linalg.generic {indexing_maps = [#id4, #row4, #bcast, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%o, %sum, %w : tensor<1x2x37x64xf16>, tensor<1x2x37xf32>, tensor<64xf32>) outs(%oe : tensor<1x2x37x64xf32>) {
  ^bb0(%x: f16, %s: f32, %ww: f32, %out: f32):
    %e = arith.extf %x : f16 to f32
    %m = arith.mulf %e, %ww : f32
    %r = arith.addf %m, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x2x37x64xf32>
  %flat = tensor.collapse_shape %y [[0], [1, 2], [3]] : tensor<1x2x37x64xf32> into tensor<1x74x64xf32>
  %ex = tensor.empty() : tensor<1x74x64xf32>
  %z = linalg.add ins(%flat, %flat : tensor<1x74x64xf32>, tensor<1x74x64xf32>) outs(%ex : tensor<1x74x64xf32>) -> tensor<1x74x64xf32>
  %back = tensor.expand_shape %z [[0], [1, 2], [3]] output_shape [1, 2, 37, 64] : tensor<1x74x64xf32> into tensor<1x2x37x64xf32>
  %he = tensor.empty() : tensor<1x2x37x64xf16>
  %h = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%back : tensor<1x2x37x64xf32>) outs(%he : tensor<1x2x37x64xf16>) {
  ^bb0(%x: f32, %out: f16):
    %t = arith.truncf %x : f32 to f16
    linalg.yield %t : f16
  } -> tensor<1x2x37x64xf16>
  return %h : tensor<1x2x37x64xf16>
}

func.func @host_ops_f32(%q: tensor<1x2x37x64xf32>, %k: tensor<1x2x29x64xf32>, %v: tensor<1x2x29x64xf32>, %w: tensor<64xf32>) -> tensor<1x2x37x64xf32> {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %empty = tensor.empty() : tensor<1x2x37x64xf32>
  %qs = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q : tensor<1x2x37x64xf32>) outs(%empty : tensor<1x2x37x64xf32>) {
  ^bb0(%x: f32, %out: f32):
    %i = linalg.index 3 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %s = arith.mulf %f, %half : f32
    %t = arith.mulf %x, %half : f32
    %r = arith.addf %t, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x2x37x64xf32>
  %cm1 = arith.constant -1.0 : f32
  %kp = tensor.pad %k low[0, 0, 2, 0] high[0, 0, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cm1 : f32
  } : tensor<1x2x29x64xf32> to tensor<1x2x32x64xf32>
  %ve = tensor.empty() : tensor<1x2x32x64xf32>
  %v0 = tensor.insert_slice %v into %ve[0, 0, 0, 0] [1, 2, 29, 64] [1, 1, 1, 1] : tensor<1x2x29x64xf32> into tensor<1x2x32x64xf32>
  %vt = tensor.extract_slice %v[0, 0, 1, 0] [1, 2, 3, 64] [1, 1, 9, 1] : tensor<1x2x29x64xf32> to tensor<1x2x3x64xf32>
  %v1 = tensor.insert_slice %vt into %v0[0, 0, 29, 0] [1, 2, 3, 64] [1, 1, 1, 1] : tensor<1x2x3x64xf32> into tensor<1x2x32x64xf32>
  %init = tensor.empty() : tensor<1x2x37x64xf32>
  %o = attn.attention ins(%qs, %kp, %v1 : tensor<1x2x37x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) outs(%init : tensor<1x2x37x64xf32>) -> tensor<1x2x37x64xf32>
  // sum over the head dim, then o * w + rowsum
  %zero = arith.constant 0.0 : f32
  %se = tensor.empty() : tensor<1x2x37xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%se : tensor<1x2x37xf32>) -> tensor<1x2x37xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%o : tensor<1x2x37x64xf32>) outs(%sf : tensor<1x2x37xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %e = arith.addf %x, %zero : f32
    %r = arith.addf %acc, %e : f32
    linalg.yield %r : f32
  } -> tensor<1x2x37xf32>
  %oe = tensor.empty() : tensor<1x2x37x64xf32>
  %y = linalg.generic {indexing_maps = [#id4, #row4, #bcast, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%o, %sum, %w : tensor<1x2x37x64xf32>, tensor<1x2x37xf32>, tensor<64xf32>) outs(%oe : tensor<1x2x37x64xf32>) {
  ^bb0(%x: f32, %s: f32, %ww: f32, %out: f32):
    %e = arith.addf %x, %zero : f32
    %m = arith.mulf %e, %ww : f32
    %r = arith.addf %m, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x2x37x64xf32>
  %flat = tensor.collapse_shape %y [[0], [1, 2], [3]] : tensor<1x2x37x64xf32> into tensor<1x74x64xf32>
  %ex = tensor.empty() : tensor<1x74x64xf32>
  %z = linalg.add ins(%flat, %flat : tensor<1x74x64xf32>, tensor<1x74x64xf32>) outs(%ex : tensor<1x74x64xf32>) -> tensor<1x74x64xf32>
  %back = tensor.expand_shape %z [[0], [1, 2], [3]] output_shape [1, 2, 37, 64] : tensor<1x74x64xf32> into tensor<1x2x37x64xf32>
  %he = tensor.empty() : tensor<1x2x37x64xf32>
  %h = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%back : tensor<1x2x37x64xf32>) outs(%he : tensor<1x2x37x64xf32>) {
  ^bb0(%x: f32, %out: f32):
    %t = arith.addf %x, %zero : f32
    linalg.yield %t : f32
  } -> tensor<1x2x37x64xf32>
  return %h : tensor<1x2x37x64xf32>
}
