// mixir-cpu-reference: attn ops on tensors all the way to the LLVM dialect,
// with the C ABI of mixir-compile's headers and no library calls besides
// malloc and free (exp and log are polynomials, copies are loops).
// RUN: mixir-opt %s -mixir-cpu-reference | FileCheck %s

// CHECK-NOT:   llvm.call @expf
// CHECK-NOT:   llvm.call @logf
// CHECK-NOT:   memrefCopy
// CHECK-DAG:   llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-DAG:   llvm.func @free(!llvm.ptr)
// CHECK:       llvm.func internal @__mixir_impl_attention(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK:       llvm.func @attention(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) -> i32
// CHECK:         llvm.call @__mixir_impl_attention(
// CHECK-NOT:   attn.
func.func @attention(%q: tensor<1x2x5x8xf32>, %k: tensor<1x1x7x8xf32>, %v: tensor<1x1x7x8xf32>) -> (tensor<1x2x5x8xf32>, tensor<1x2x5xf32>) {
  %init = tensor.empty() : tensor<1x2x5x8xf32>
  %linit = tensor.empty() : tensor<1x2x5xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x2x5x8xf32>, tensor<1x1x7x8xf32>, tensor<1x1x7x8xf32>)
               outs(%init, %linit : tensor<1x2x5x8xf32>, tensor<1x2x5xf32>) {causal = #attn.causal<top_left>}
               -> tensor<1x2x5x8xf32>, tensor<1x2x5xf32>
  return %o, %lse : tensor<1x2x5x8xf32>, tensor<1x2x5xf32>
}
