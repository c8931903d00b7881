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

#include "KernelLaunch.h"

namespace mixir::nvptx {

/// out = transpose(in) with `permutation` (dim i of the transposed value is
/// dim permutation[i] of `inputShape`), where `source` holds `in` in
/// row-major order (its reshape) and `target` holds the transposed value in
/// row-major order.
struct TransposeKernelSpec {
  mlir::MemRefType source, target;
  llvm::SmallVector<int64_t> inputShape, permutation;
};

/// Builds the kernel (parameters: source, target), one thread an element.
KernelLaunch buildTransposeKernel(mlir::OpBuilder &builder, mlir::Location loc,
                                  mlir::gpu::GPUModuleOp module,
                                  llvm::StringRef name,
                                  const TransposeKernelSpec &spec);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_TRANSPOSEKERNEL_H
