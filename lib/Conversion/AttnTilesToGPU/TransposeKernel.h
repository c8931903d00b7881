//===- TransposeKernel.h - a GPU kernel of a host transpose -----*- C++ -*-===//
//
// A linalg.transpose left in a host function (routed attention's 2-D
// regions permuted region-major and back), with the reshapes around it, as
// one elementwise copy kernel: its parameters are the buffers before the
// input's expand_shape and after the result's collapse_shape, so that the
// launch takes whole buffers.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_TRANSPOSEKERNEL_H
#define MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_TRANSPOSEKERNEL_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

#include <array>

namespace mixir::nvptx {

/// out = transpose(in) with `permutation` (dim i of the transposed value is
/// dim permutation[i] of `inputShape`), where `source` holds `in` in
/// row-major order (its reshape) and `target` holds the transposed value in
/// row-major order.
struct TransposeKernelSpec {
  mlir::MemRefType source, target;
  llvm::SmallVector<int64_t> inputShape, permutation;
};

struct TransposeKernel {
  mlir::gpu::GPUFuncOp func;
  std::array<int64_t, 3> grid = {0, 0, 0};
  int64_t threads = 0;
};

/// A `gpu.func` kernel named `name` in `module` taking `parameters`, for
/// `threads` threads a CTA (a multiple of 32), with the bundles' attributes
/// (warps, one stage); the builder is left at the start of its body. The
/// routing and transpose kernels are built on it.
mlir::gpu::GPUFuncOp
createKernelFunc(mlir::OpBuilder &builder, mlir::Location loc,
                 mlir::gpu::GPUModuleOp module, llvm::StringRef name,
                 mlir::TypeRange parameters, int64_t threads);

/// Builds the kernel (parameters: source, target), one thread an element.
TransposeKernel buildTransposeKernel(mlir::OpBuilder &builder,
                                     mlir::Location loc,
                                     mlir::gpu::GPUModuleOp module,
                                     llvm::StringRef name,
                                     const TransposeKernelSpec &spec);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_TRANSPOSEKERNEL_H
