//===- ElementKernel.cpp - one thread per element of a buffer -------------===//
//
// Indices are unsigned index arithmetic on static shapes; the grid is a
// line of 256-thread CTAs over the target's elements.
//
//===----------------------------------------------------------------------===//

#include "ElementKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mixir;
using namespace mixir::nvptx;

static constexpr int64_t kThreads = 256;

SmallVector<Value> nvptx::delinearize(OpBuilder &b, Location loc, Value linear,
                                      ArrayRef<int64_t> shape) {
  SmallVector<Value> indices(shape.size());
  for (int64_t dim = static_cast<int64_t>(shape.size()) - 1; dim >= 0; --dim) {
    Value size = arith::ConstantIndexOp::create(b, loc, shape[dim]);
    indices[dim] =
        dim == 0 ? linear : arith::RemUIOp::create(b, loc, linear, size);
    if (dim != 0)
      linear = arith::DivUIOp::create(b, loc, linear, size);
  }
  return indices;
}

Value nvptx::linearize(OpBuilder &b, Location loc, ValueRange indices,
                       ArrayRef<int64_t> shape) {
  Value linear = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [index, size] : llvm::zip_equal(indices, shape))
    linear = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, linear,
                              arith::ConstantIndexOp::create(b, loc, size)),
        index);
  return linear;
}

Value nvptx::selectBuilt(OpBuilder &b, Location loc, Type type, Value condition,
                         function_ref<Value(OpBuilder &)> then,
                         function_ref<Value(OpBuilder &)> otherwise) {
  auto ifOp = scf::IfOp::create(b, loc, type, condition,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(b, loc, then(b));
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(b, loc, otherwise(b));
  return ifOp.getResult(0);
}

KernelLaunch nvptx::buildElementKernel(OpBuilder &builder, Location loc,
                                       gpu::GPUModuleOp module, StringRef name,
                                       const ElementKernelSpec &spec) {
  OpBuilder::InsertionGuard guard(builder);
  SmallVector<Type> parameters(spec.inputs.begin(), spec.inputs.end());
  parameters.push_back(spec.target);
  KernelLaunch kernel;
  kernel.func =
      createKernelFunc(builder, loc, module, name, parameters, kThreads);
  int64_t elements = spec.target.getNumElements();
  kernel.grid = {(elements + kThreads - 1) / kThreads, 1, 1};
  kernel.threads = kThreads;
  OpBuilder &b = builder;
  auto constant = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  Value element = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc,
                            gpu::BlockIdOp::create(b, loc, gpu::Dimension::x),
                            constant(kThreads)),
      gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x));
  auto inRange =
      scf::IfOp::create(b, loc,
                        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                              element, constant(elements)),
                        /*withElseRegion=*/false);
  b.setInsertionPointToStart(inRange.thenBlock());
  SmallVector<Value> indices =
      delinearize(b, loc, element, spec.target.getShape());
  ValueRange arguments = kernel.func.getArguments();
  Value value = spec.element(b, loc, arguments.drop_back(), indices);
  memref::StoreOp::create(b, loc, value, arguments.back(), indices);
  b.setInsertionPointAfter(inRange);
  gpu::ReturnOp::create(b, loc);
  return kernel;
}
