//===- HostElementKernels.h - host tensor ops as element kernels -*- C++
//-*-===//
//
// The tensor ops attn-tile and a graph leave in a host function around the
// attention kernels (elementwise and reduction linalg ops, fills, pads,
// slices and concatenations, as the Combiner's stages and a model's
// epilogues have), each as one element kernel (ElementKernel.h) that reads
// whole buffers: reshapes stay views of their buffers on the host.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_HOSTELEMENTKERNELS_H
#define MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_HOSTELEMENTKERNELS_H

#include "ElementKernel.h"

#include "mlir/IR/Operation.h"

namespace mixir::nvptx {

/// A host tensor op as an element kernel: the tensors the kernel reads
/// (whole), the tensor it writes, and each element of it.
struct HostElementOp {
  /// The op whose result the kernel computes (the last of a chain of
  /// insert_slice ops).
  mlir::Operation *root = nullptr;
  llvm::SmallVector<mlir::Value> inputs;
  mlir::RankedTensorType result;
  ElementBuilder element;
  /// The ops the kernel replaces (root last), to erase once it is launched.
  llvm::SmallVector<mlir::Operation *> replaced;
};

/// Whether `op` is of a kind the host element kernels take (whether it can
/// is hostElementOpOf's to say).
bool isHostElementOpKind(mlir::Operation *op);

/// Whether `op` is an insert_slice that only feeds the next insert_slice of
/// its chain (that one's kernel computes both).
bool isInsertChainLink(mlir::Operation *op);

/// `op` (of a kind isHostElementOpKind admits) as an element kernel, or an
/// error at its location saying why it cannot be one.
mlir::FailureOr<HostElementOp> hostElementOpOf(mlir::Operation *op);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_HOSTELEMENTKERNELS_H
