//===- KernelLaunch.h - building and launching kernels ----------*- C++ -*-===//
//
// What every kernel convert-attn-tiles-to-gpu builds shares: the gpu.func
// with the bundles' attributes, and its launch from the host function.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_KERNELLAUNCH_H
#define MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_KERNELLAUNCH_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

#include <array>

namespace mixir::nvptx {

/// A kernel built into a gpu.module, and how to launch it.
struct KernelLaunch {
  mlir::gpu::GPUFuncOp func;
  /// Blocks of the grid (x, y, z).
  std::array<int64_t, 3> grid = {0, 0, 0};
  int64_t threads = 0;
  /// Dynamic shared memory of one CTA, in bytes.
  int64_t sharedBytes = 0;
};

/// A `gpu.func` kernel named `name` in `module` taking `parameters`, for
/// `threads` threads a CTA (a multiple of 32), with the bundles' attributes
/// (warps, one stage); the builder is left at the start of its body.
mlir::gpu::GPUFuncOp
createKernelFunc(mlir::OpBuilder &builder, mlir::Location loc,
                 mlir::gpu::GPUModuleOp module, llvm::StringRef name,
                 mlir::TypeRange parameters, int64_t threads);

/// The gpu.launch_func of `kernel` on `operands` (whole buffers), at the
/// builder's insertion point in the host function.
void launchKernel(mlir::OpBuilder &builder, mlir::Location loc,
                  const KernelLaunch &kernel, mlir::ValueRange operands);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_KERNELLAUNCH_H
