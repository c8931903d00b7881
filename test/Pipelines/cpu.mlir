// mixir-cpu: the tiled attention's parallel loop runs on OpenMP threads; the
// C ABI is the reference pipeline's; no libm call for exp or log; row
// reductions may be reassociated.
// RUN: mixir-opt %s -mixir-cpu | FileCheck %s

// CHECK-NOT:   llvm.call @expf
// CHECK-NOT:   llvm.call @logf
// CHECK:       llvm.func internal @__mixir_impl_attention(
// CHECK:         omp.parallel
// CHECK:           omp.wsloop
// row sums of a tile as reassociable (tree) reductions, not scalar chains
// CHECK:             "llvm.intr.vector.reduce.fadd"({{.+}}) <{fastmathFlags = #llvm.fastmath<reassoc>}>
// CHECK:       llvm.func @attention(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) -> i32
// CHECK-NOT:   attn.
func.func @attention(%q: tensor<1x2x100x8xf32>, %k: tensor<1x1x70x8xf32>, %v: tensor<1x1x70x8xf32>) -> tensor<1x2x100x8xf32> {
  %init = tensor.empty() : tensor<1x2x100x8xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x100x8xf32>, tensor<1x1x70x8xf32>, tensor<1x1x70x8xf32>)
         outs(%init : tensor<1x2x100x8xf32>) {causal = #attn.causal<bottom_right>} -> tensor<1x2x100x8xf32>
  return %o : tensor<1x2x100x8xf32>
}
