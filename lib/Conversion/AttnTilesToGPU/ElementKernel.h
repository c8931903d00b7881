//===- ElementKernel.h - one thread per element of a buffer -----*- C++ -*-===//
//
// The shape of every kernel that fills one whole buffer from others around
// the attention kernels (copies, pads, the host's elementwise and reduction
// ops): one thread per element of the target, in row-major order, so that
// consecutive threads write consecutive elements.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ELEMENTKERNEL_H
#define MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ELEMENTKERNEL_H

#include "KernelLaunch.h"

#include "mlir/IR/Builders.h"

#include <functional>

namespace mixir::nvptx {

/// Builds, inside the kernel, the value of the target's element `indices`
/// (index values) from the kernel's input buffers (its first parameters).
using ElementBuilder = std::function<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange inputs,
    mlir::ValueRange indices)>;

struct ElementKernelSpec {
  /// Whole buffers (static shapes, identity layouts).
  llvm::SmallVector<mlir::MemRefType> inputs;
  mlir::MemRefType target;
  ElementBuilder element;
};

/// Builds the kernel (parameters: the inputs, then the target). Launching
/// it on an empty target is the caller's to avoid.
KernelLaunch buildElementKernel(mlir::OpBuilder &builder, mlir::Location loc,
                                mlir::gpu::GPUModuleOp module,
                                llvm::StringRef name,
                                const ElementKernelSpec &spec);

/// The row-major multi-index of `linear` (index) in `shape`.
llvm::SmallVector<mlir::Value> delinearize(mlir::OpBuilder &b,
                                           mlir::Location loc,
                                           mlir::Value linear,
                                           llvm::ArrayRef<int64_t> shape);

/// The row-major linear position of `indices` in `shape`.
mlir::Value linearize(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::ValueRange indices, llvm::ArrayRef<int64_t> shape);

/// `then(b)` where `condition` holds and `otherwise(b)` elsewhere (one
/// value of type `type`), the loads of each side only on its side.
mlir::Value
selectBuilt(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
            mlir::Value condition,
            llvm::function_ref<mlir::Value(mlir::OpBuilder &)> then,
            llvm::function_ref<mlir::Value(mlir::OpBuilder &)> otherwise);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ELEMENTKERNEL_H
