// mixir-cpu with f16 and bf16 inputs: the tiles are f32 (widened once,
// before the loops), so their matmuls vectorize to vector.contract on f32
// register tiles like f32 inputs do, instead of a broadcast product over a
// unit dim that the LLVM lowering scalarizes (what made bf16 attention 5x
// slower than f32, bench/RESULTS.md).
// RUN: mixir-compile %s --cpu=x86-64-v4 --dump-stage=decomposed -o /dev/null | FileCheck %s

// CHECK-LABEL: func.func @attention_bf16
// CHECK-NOT:     x32x1xbf16>
// CHECK-NOT:     x32x1xf32>
// CHECK:         vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK:         vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK-LABEL: func.func @block_sparse_f16
// CHECK-NOT:     x32x1xf16>
// CHECK-NOT:     x32x1xf32>
// CHECK:         vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK:         vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK-LABEL: func.func @combiner_bf16
// CHECK-NOT:     x32x1xbf16>
// CHECK:         vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
func.func @attention_bf16(%q: tensor<1x2x128x64xbf16>, %k: tensor<1x2x128x64xbf16>, %v: tensor<1x2x128x64xbf16>) -> tensor<1x2x128x64xbf16> {
  %init = tensor.empty() : tensor<1x2x128x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x128x64xbf16>, tensor<1x2x128x64xbf16>, tensor<1x2x128x64xbf16>)
         outs(%init : tensor<1x2x128x64xbf16>) -> tensor<1x2x128x64xbf16>
  return %o : tensor<1x2x128x64xbf16>
}

func.func @block_sparse_f16(%q: tensor<1x2x128x64xf16>, %k: tensor<1x2x128x64xf16>, %v: tensor<1x2x128x64xf16>, %layout: tensor<2x2x2xi1>) -> tensor<1x2x128x64xf16> {
  %init = tensor.empty() : tensor<1x2x128x64xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x128x64xf16>, tensor<1x2x128x64xf16>, tensor<1x2x128x64xf16>, tensor<2x2x2xi1>)
         outs(%init : tensor<1x2x128x64xf16>) {block = array<i64: 64, 64>} -> tensor<1x2x128x64xf16>
  return %o : tensor<1x2x128x64xf16>
}

func.func @combiner_bf16(%q: tensor<1x2x256x64xbf16>, %k: tensor<1x2x256x64xbf16>, %v: tensor<1x2x256x64xbf16>) -> tensor<1x2x256x64xbf16> {
  %init = tensor.empty() : tensor<1x2x256x64xbf16>
  %o = attn.combiner ins(%q, %k, %v : tensor<1x2x256x64xbf16>, tensor<1x2x256x64xbf16>, tensor<1x2x256x64xbf16>)
         outs(%init : tensor<1x2x256x64xbf16>) {variant = #attn.variant<fixed>, block = 64 : i64, causal = true} -> tensor<1x2x256x64xbf16>
  return %o : tensor<1x2x256x64xbf16>
}
