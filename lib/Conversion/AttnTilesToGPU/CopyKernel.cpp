//===- CopyKernel.cpp - GPU kernels of host copies ------------------------===//
//
// One thread per element of the target, in its row-major order: consecutive
// threads write consecutive elements (coalesced stores; a transpose's loads
// gather). Indices are unsigned index arithmetic on static shapes.
//
//===----------------------------------------------------------------------===//

#include "CopyKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mixir;
using namespace mixir::nvptx;

static constexpr int64_t kThreads = 256;

/// The row-major multi-index of `linear` in `shape`.
static SmallVector<Value> delinearize(ImplicitLocOpBuilder &b, Value linear,
                                      ArrayRef<int64_t> shape) {
  SmallVector<Value> indices(shape.size());
  for (int64_t dim = static_cast<int64_t>(shape.size()) - 1; dim >= 0; --dim) {
    Value size = arith::ConstantIndexOp::create(b, shape[dim]);
    indices[dim] = dim == 0 ? linear : arith::RemUIOp::create(b, linear, size);
    if (dim != 0)
      linear = arith::DivUIOp::create(b, linear, size);
  }
  return indices;
}

/// The row-major linear position of `indices` in `shape`.
static Value linearize(ImplicitLocOpBuilder &b, ValueRange indices,
                       ArrayRef<int64_t> shape) {
  Value linear = arith::ConstantIndexOp::create(b, 0);
  for (auto [index, size] : llvm::zip_equal(indices, shape))
    linear = arith::AddIOp::create(
        b,
        arith::MulIOp::create(b, linear,
                              arith::ConstantIndexOp::create(b, size)),
        index);
  return linear;
}

KernelLaunch nvptx::buildCopyKernel(OpBuilder &builder, Location loc,
                                    gpu::GPUModuleOp module, StringRef name,
                                    const CopyKernelSpec &spec) {
  OpBuilder::InsertionGuard guard(builder);
  KernelLaunch kernel;
  kernel.func = createKernelFunc(builder, loc, module, name,
                                 {spec.source, spec.target}, kThreads);
  int64_t elements = spec.target.getNumElements();
  kernel.grid = {(elements + kThreads - 1) / kThreads, 1, 1};
  kernel.threads = kThreads;
  ImplicitLocOpBuilder b(loc, builder);
  Value element = arith::AddIOp::create(
      b,
      arith::MulIOp::create(b, gpu::BlockIdOp::create(b, gpu::Dimension::x),
                            arith::ConstantIndexOp::create(b, kThreads)),
      gpu::ThreadIdOp::create(b, gpu::Dimension::x));
  auto inRange = scf::IfOp::create(
      b,
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, element,
                            arith::ConstantIndexOp::create(b, elements)),
      /*withElseRegion=*/false);
  b.setInsertionPointToStart(inRange.thenBlock());
  // Dim i of the transposed value is dim permutation[i] of the input.
  SmallVector<int64_t> transposedShape;
  for (int64_t dim : spec.permutation)
    transposedShape.push_back(spec.inputShape[dim]);
  ArrayRef<int64_t> outShape = spec.paddedShape.empty()
                                   ? ArrayRef<int64_t>(transposedShape)
                                   : ArrayRef<int64_t>(spec.paddedShape);
  SmallVector<Value> transposed = delinearize(b, element, outShape);
  SmallVector<Value> input(transposed.size());
  for (auto [position, dim] : llvm::enumerate(spec.permutation))
    input[dim] = transposed[position];
  auto load = [&](OpBuilder &nb) -> Value {
    ImplicitLocOpBuilder lb(loc, nb);
    Value inputLinear = linearize(lb, input, spec.inputShape);
    return memref::LoadOp::create(
        lb, kernel.func.getArgument(0),
        delinearize(lb, inputLinear, spec.source.getShape()));
  };
  // Padding: the element is read where every index lies inside the
  // transposed value, and 0 elsewhere.
  Value inside;
  for (auto [index, size, padded] :
       llvm::zip_equal(transposed, transposedShape, outShape)) {
    if (padded == size)
      continue;
    Value below =
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, index,
                              arith::ConstantIndexOp::create(b, size));
    inside = inside ? arith::AndIOp::create(b, inside, below) : below;
  }
  Value value;
  if (!inside) {
    value = load(b);
  } else {
    Type elementType = spec.target.getElementType();
    auto read = scf::IfOp::create(b, elementType, inside,
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard readGuard(b);
    b.setInsertionPointToStart(read.thenBlock());
    scf::YieldOp::create(b, load(b));
    b.setInsertionPointToStart(read.elseBlock());
    scf::YieldOp::create(
        b,
        arith::ConstantOp::create(b, b.getZeroAttr(elementType)).getResult());
    value = read.getResult(0);
  }
  memref::StoreOp::create(b, value, kernel.func.getArgument(1),
                          delinearize(b, element, spec.target.getShape()));
  b.setInsertionPointAfter(inRange);
  gpu::ReturnOp::create(b);
  return kernel;
}
