//===- CopyKernel.h - GPU kernels of host copies ----------------*- C++ -*-===//
//
// Copies between whole buffers that the host functions need around the
// attention kernels, as one elementwise kernel each: a linalg.transpose left
// in a host function (routed attention's 2-D regions permuted region-major
// and back) with the reshapes around it, and a bias whose rows are padded
// to whole 16-byte chunks for the kernels' cp.async staging.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_COPYKERNEL_H
#define MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_COPYKERNEL_H

#include "KernelLaunch.h"

namespace mixir::nvptx {

/// out = pad(transpose(in)): dim i of the transposed value is dim
/// permutation[i] of `inputShape`; with `paddedShape`, the transposed value
/// is zero-padded at the end of each dim to it. `source` holds `in` in
/// row-major order (its reshape) and `target` holds out in row-major order.
struct CopyKernelSpec {
  mlir::MemRefType source, target;
  llvm::SmallVector<int64_t> inputShape, permutation;
  /// Empty: no padding.
  llvm::SmallVector<int64_t> paddedShape;
};

/// Builds the kernel (parameters: source, target), one thread an element of
/// the target.
KernelLaunch buildCopyKernel(mlir::OpBuilder &builder, mlir::Location loc,
                             mlir::gpu::GPUModuleOp module,
                             llvm::StringRef name, const CopyKernelSpec &spec);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_COPYKERNEL_H
