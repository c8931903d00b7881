//===- CopyKernel.cpp - GPU kernels of host copies ------------------------===//
//
// An element kernel (ElementKernel.h) each: consecutive threads write
// consecutive elements (coalesced stores; a transpose's loads gather).
//
//===----------------------------------------------------------------------===//

#include "CopyKernel.h"

#include "ElementKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mixir;
using namespace mixir::nvptx;

KernelLaunch nvptx::buildCopyKernel(OpBuilder &builder, Location loc,
                                    gpu::GPUModuleOp module, StringRef name,
                                    const CopyKernelSpec &spec) {
  // Dim i of the transposed value is dim permutation[i] of the input.
  SmallVector<int64_t> transposedShape;
  for (int64_t dim : spec.permutation)
    transposedShape.push_back(spec.inputShape[dim]);
  SmallVector<int64_t> outShape =
      spec.paddedShape.empty() ? transposedShape : spec.paddedShape;
  ElementKernelSpec element;
  element.inputs = {spec.source};
  element.target = spec.target;
  element.element = [&spec, transposedShape,
                     outShape](OpBuilder &b, Location l, ValueRange inputs,
                               ValueRange indices) -> Value {
    // The target's element in the (padded) transposed value's shape (the
    // target holds that value in row-major order).
    SmallVector<Value> transposed(indices);
    if (ArrayRef<int64_t>(outShape) != spec.target.getShape())
      transposed = delinearize(
          b, l, linearize(b, l, indices, spec.target.getShape()), outShape);
    SmallVector<Value> input(transposed.size());
    for (auto [position, dim] : llvm::enumerate(spec.permutation))
      input[dim] = transposed[position];
    auto load = [&](OpBuilder &nb) -> Value {
      Value inputLinear = linearize(nb, l, input, spec.inputShape);
      return memref::LoadOp::create(
          nb, l, inputs[0],
          delinearize(nb, l, inputLinear, spec.source.getShape()));
    };
    // Padding: the element is read where every index lies inside the
    // transposed value, and 0 elsewhere.
    Value inside;
    for (auto [index, size, padded] :
         llvm::zip_equal(transposed, transposedShape, outShape)) {
      if (padded == size)
        continue;
      Value below =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, index,
                                arith::ConstantIndexOp::create(b, l, size));
      inside = inside ? arith::AndIOp::create(b, l, inside, below) : below;
    }
    if (!inside)
      return load(b);
    Type elementType = spec.target.getElementType();
    return selectBuilt(b, l, elementType, inside, load, [&](OpBuilder &nb) {
      return arith::ConstantOp::create(nb, l, nb.getZeroAttr(elementType))
          .getResult();
    });
  };
  return buildElementKernel(builder, loc, module, name, element);
}
