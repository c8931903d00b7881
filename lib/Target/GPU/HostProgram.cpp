//===- HostProgram.cpp - what a GPU host function does --------------------===//
//
// Reads a bufferized host function of mixir-gpu into a HostProgram.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/GPU/HostProgram.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mixir::gpu;

uint64_t HostBufferRef::bytes() const {
  uint64_t elementBits = type.getElementTypeBitWidth();
  return type.getNumElements() * llvm::divideCeil(elementBits, 8);
}

/// "LOC: MESSAGE" as one line, for tool errors.
static llvm::Error errorAt(Operation *op, const llvm::Twine &message) {
  std::string location;
  llvm::raw_string_ostream os(location);
  op->getLoc().print(os);
  return llvm::createStringError(os.str() + ": " + message.str());
}

llvm::Expected<HostProgram> mixir::gpu::readHostProgram(func::FuncOp func,
                                                        unsigned numInputs) {
  HostProgram program;
  if (numInputs > func.getNumArguments())
    return errorAt(func, "'" + func.getName() + "' has " +
                             llvm::Twine(func.getNumArguments()) +
                             " parameters, fewer than its " +
                             llvm::Twine(numInputs) + " inputs");
  program.numArguments = numInputs;
  program.numResults = func.getNumArguments() - numInputs;
  llvm::DenseMap<Value, unsigned> bufferOf;
  auto add = [&](HostBufferRef ref, Value value) {
    bufferOf[value] = program.buffers.size();
    program.buffers.push_back(ref);
  };
  for (BlockArgument argument : func.getArguments()) {
    auto type = dyn_cast<MemRefType>(argument.getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
      return errorAt(func, "'" + func.getName() +
                               "': a GPU host function takes dense static "
                               "buffers only");
    HostBufferRef ref;
    unsigned number = argument.getArgNumber();
    ref.kind = number < numInputs ? HostBufferRef::Kind::Argument
                                  : HostBufferRef::Kind::Result;
    ref.index = number < numInputs ? number : number - numInputs;
    ref.type = type;
    add(ref, argument);
  }
  if (func.getNumResults() != 0)
    return errorAt(func, "'" + func.getName() +
                             "' returns values that are not out-parameters");

  auto constantOf = [](Value value) -> std::optional<int64_t> {
    return getConstantIntValue(value);
  };
  for (Operation &op : func.getBody().front()) {
    if (isa<arith::ConstantOp, func::ReturnOp, memref::DeallocOp>(op))
      continue;
    // A reshape of a whole buffer is that buffer (its bytes, in order).
    if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(op)) {
      auto found = bufferOf.find(op.getOperand(0));
      if (found == bufferOf.end())
        return errorAt(&op, "a reshape of a view of a buffer");
      bufferOf[op.getResult(0)] = found->second;
      continue;
    }
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape())
        return errorAt(&op, "a buffer of dynamic size between kernels");
      HostBufferRef ref;
      ref.kind = HostBufferRef::Kind::Workspace;
      ref.type = type;
      ref.offset = program.workspaceBytes;
      program.workspaceBytes = llvm::alignTo(ref.offset + ref.bytes(), 256);
      add(ref, alloc.getResult());
      continue;
    }
    auto bufferIndex = [&](Value value) -> std::optional<unsigned> {
      auto found = bufferOf.find(value);
      if (found == bufferOf.end())
        return std::nullopt;
      return found->second;
    };
    if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      std::optional<unsigned> source = bufferIndex(copy.getSource()),
                              target = bufferIndex(copy.getTarget());
      if (!source || !target)
        return errorAt(&op, "a copy between views of buffers");
      HostStep step;
      step.kind = HostStep::Kind::Copy;
      step.operands = {*source, *target};
      program.steps.push_back(step);
      continue;
    }
    if (auto launch = dyn_cast<mlir::gpu::LaunchFuncOp>(op)) {
      HostStep step;
      step.module = launch.getKernelModuleName().str();
      step.kernel = launch.getKernelName().str();
      mlir::gpu::KernelDim3 grid = launch.getGridSizeOperandValues(),
                            block = launch.getBlockSizeOperandValues();
      Value sizes[] = {grid.x, grid.y, grid.z, block.x, block.y, block.z};
      for (auto [index, size] : llvm::enumerate(sizes)) {
        std::optional<int64_t> value = constantOf(size);
        if (!value)
          return errorAt(&op, "a launch whose grid is not constant");
        (index < 3 ? step.grid[index] : step.block[index - 3]) = *value;
      }
      if (Value shared = launch.getDynamicSharedMemorySize()) {
        std::optional<int64_t> value = constantOf(shared);
        if (!value)
          return errorAt(&op, "a launch whose shared memory is not constant");
        step.sharedBytes = *value;
      }
      for (Value operand : launch.getKernelOperands()) {
        std::optional<unsigned> buffer = bufferIndex(operand);
        if (!buffer)
          return errorAt(&op, "a kernel operand that is not a whole buffer");
        step.operands.push_back(*buffer);
      }
      program.steps.push_back(step);
      continue;
    }
    return errorAt(&op, "'" + op.getName().getStringRef() +
                            "' in the host function of '" + func.getName() +
                            "': the GPU target runs functions of attention "
                            "ops (whole graphs are not lowered for the GPU "
                            "yet)");
  }
  return program;
}
