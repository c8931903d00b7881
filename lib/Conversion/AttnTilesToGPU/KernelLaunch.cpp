//===- KernelLaunch.cpp - building and launching the GPU's kernels --------===//
//
// The gpu.func every kernel of convert-attn-tiles-to-gpu starts from, and
// its launch with a constant grid (the host programs read constants only).
//
//===----------------------------------------------------------------------===//

#include "KernelLaunch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mixir;

gpu::GPUFuncOp nvptx::createKernelFunc(OpBuilder &builder, Location loc,
                                       gpu::GPUModuleOp module, StringRef name,
                                       TypeRange parameters, int64_t threads) {
  builder.setInsertionPointToEnd(module.getBody());
  auto func = gpu::GPUFuncOp::create(builder, loc, name,
                                     builder.getFunctionType(parameters, {}));
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(),
                builder.getUnitAttr());
  func.setKnownBlockSizeAttr(
      builder.getDenseI32ArrayAttr({int32_t(threads), 1, 1}));
  func->setAttr("mixir.num_warps", builder.getI64IntegerAttr(threads / 32));
  func->setAttr("mixir.num_stages", builder.getI64IntegerAttr(1));
  builder.setInsertionPointToStart(&func.getBody().front());
  return func;
}

void nvptx::launchKernel(OpBuilder &builder, Location loc,
                         const KernelLaunch &kernel, ValueRange operands) {
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(builder, loc, value);
  };
  gpu::KernelDim3 grid = {constant(kernel.grid[0]), constant(kernel.grid[1]),
                          constant(kernel.grid[2])};
  gpu::KernelDim3 block = {constant(kernel.threads), constant(1), constant(1)};
  Value sharedBytes = arith::ConstantIntOp::create(
      builder, loc, builder.getI32Type(), kernel.sharedBytes);
  gpu::LaunchFuncOp::create(builder, loc, kernel.func, grid, block, sharedBytes,
                            operands);
}
