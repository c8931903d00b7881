// mixir-gpu: the host function is the kernel launch on the caller's buffers
// (inputs, then the result as an out-parameter); the kernel is in the LLVM
// and NVVM dialects for the chosen chip, ready for LLVM NVPTX or the
// interpreter: tensor cores (mma.sync, ldmatrix, cp.async), quad shuffles,
// ex2; bare-pointer parameters.
// RUN: mixir-opt %s -mixir-gpu | FileCheck %s
// RUN: mixir-opt %s -mixir-gpu="chip=sm_90a" | FileCheck %s --check-prefix=CHIP

// CHECK:       module attributes {{{.*}}gpu.container_module}
// CHECK-LABEL: func.func @attention(
// CHECK-SAME:    %[[Q:[a-z0-9]+]]: memref<1x2x100x64xbf16>, %[[K:[a-z0-9]+]]: memref<1x1x70x64xbf16>, %[[V:[a-z0-9]+]]: memref<1x1x70x64xbf16>, %[[O:[a-z0-9]+]]: memref<1x2x100x64xbf16>)
// CHECK-NEXT:    arith.constant
// CHECK:         gpu.launch_func @attention_kernel::@attention_kernel blocks in (%{{.+}}, %{{.+}}, %{{.+}}) threads in (%{{.+}}, %{{.+}}, %{{.+}}) dynamic_shared_memory_size %{{.+}} args(%[[Q]] : memref<1x2x100x64xbf16>, %[[K]] : memref<1x1x70x64xbf16>, %[[V]] : memref<1x1x70x64xbf16>, %[[O]] : memref<1x2x100x64xbf16>)
// CHECK-NEXT:    return
// CHECK:       gpu.module @attention_kernel [#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">]
// CHECK:         llvm.func @attention_kernel(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) attributes {gpu.kernel, {{.*}}nvvm.kernel, nvvm.maxntid = array<i32: 128, 1, 1>, nvvm.minctasm = 1 : i32}
// CHECK:           nvvm.cp.async.shared.global
// CHECK:           nvvm.ldmatrix
// CHECK:           nvvm.mma.sync
// CHECK:           nvvm.shfl.sync  bfly
// CHECK:           llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK-NOT:     gpu.func
// CHIP: gpu.module @attention_kernel [#nvvm.target<O = 3, chip = "sm_90a", features = "+ptx80">]
func.func @attention(%q: tensor<1x2x100x64xbf16>, %k: tensor<1x1x70x64xbf16>, %v: tensor<1x1x70x64xbf16>) -> tensor<1x2x100x64xbf16> {
  %init = tensor.empty() : tensor<1x2x100x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x100x64xbf16>, tensor<1x1x70x64xbf16>, tensor<1x1x70x64xbf16>)
         outs(%init : tensor<1x2x100x64xbf16>) {causal = #attn.causal<top_left>} -> tensor<1x2x100x64xbf16>
  return %o : tensor<1x2x100x64xbf16>
}
