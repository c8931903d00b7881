//===- HostInterpreter.cpp - run a GPU host function on this CPU ----------===//
//
// A HostProgram's steps on host buffers: launches by the kernel
// interpreter, copies by memcpy.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/GPU/HostInterpreter.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include <cstring>

using namespace mlir;
using namespace mixir::gpu;

llvm::Expected<std::unique_ptr<HostInterpreter>>
HostInterpreter::create(ModuleOp module, StringRef name, unsigned numInputs) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func)
    return llvm::createStringError("no host function '%s'", name.str().c_str());
  llvm::Expected<HostProgram> program = readHostProgram(func, numInputs);
  if (!program)
    return program.takeError();
  auto interpreter = std::unique_ptr<HostInterpreter>(new HostInterpreter());
  interpreter->program = std::move(*program);
  for (const HostStep &step : interpreter->program.steps) {
    if (step.kind != HostStep::Kind::Launch) {
      interpreter->kernels.push_back(nullptr);
      continue;
    }
    std::string key = step.module + "::" + step.kernel;
    auto found = interpreter->decoded.find(key);
    if (found == interpreter->decoded.end()) {
      auto kernelModule =
          module.lookupSymbol<mlir::gpu::GPUModuleOp>(step.module);
      auto kernel =
          kernelModule
              ? kernelModule.lookupSymbol<LLVM::LLVMFuncOp>(step.kernel)
              : LLVM::LLVMFuncOp();
      if (!kernel)
        return llvm::createStringError(
            "no lowered kernel '%s' (the module must be mixir-gpu's output)",
            key.c_str());
      llvm::Expected<std::unique_ptr<KernelInterpreter>> decoded =
          KernelInterpreter::create(kernel);
      if (!decoded)
        return decoded.takeError();
      found = interpreter->decoded.try_emplace(key, std::move(*decoded)).first;
    }
    interpreter->kernels.push_back(found->second.get());
  }
  return interpreter;
}

llvm::Error HostInterpreter::run(ArrayRef<void *> arguments,
                                 ArrayRef<void *> results) {
  if (arguments.size() != program.numArguments ||
      results.size() != program.numResults)
    return llvm::createStringError(
        "the host function takes %u arguments and %u results, %zu and %zu "
        "given",
        program.numArguments, program.numResults, arguments.size(),
        results.size());
  std::vector<uint8_t> workspace(program.workspaceBytes, 0xFF);
  auto pointerOf = [&](const HostBufferRef &ref) -> void * {
    switch (ref.kind) {
    case HostBufferRef::Kind::Argument:
      return arguments[ref.index];
    case HostBufferRef::Kind::Result:
      return results[ref.index];
    case HostBufferRef::Kind::Workspace:
      return workspace.data() + ref.offset;
    }
    return nullptr;
  };
  auto nameOf = [](const HostBufferRef &ref) {
    switch (ref.kind) {
    case HostBufferRef::Kind::Argument:
      return "arg" + std::to_string(ref.index);
    case HostBufferRef::Kind::Result:
      return "res" + std::to_string(ref.index);
    case HostBufferRef::Kind::Workspace:
      return "workspace+" + std::to_string(ref.offset);
    }
    return std::string();
  };
  for (auto [step, kernel] : llvm::zip_equal(program.steps, kernels)) {
    if (step.kind == HostStep::Kind::Copy) {
      const HostBufferRef &source = program.buffers[step.operands[0]];
      const HostBufferRef &target = program.buffers[step.operands[1]];
      std::memmove(pointerOf(target), pointerOf(source), target.bytes());
      continue;
    }
    SmallVector<KernelArgument> kernelArguments;
    for (unsigned operand : step.operands) {
      const HostBufferRef &ref = program.buffers[operand];
      kernelArguments.push_back(
          KernelArgument::buffer(pointerOf(ref), ref.bytes(), nameOf(ref)));
    }
    auto dims = [](const std::array<int64_t, 3> &sizes) {
      return LaunchDims{uint32_t(sizes[0]), uint32_t(sizes[1]),
                        uint32_t(sizes[2])};
    };
    if (llvm::Error error = kernel->launch(dims(step.grid), dims(step.block),
                                           kernelArguments, step.sharedBytes))
      return llvm::createStringError("kernel '%s': %s", step.kernel.c_str(),
                                     llvm::toString(std::move(error)).c_str());
  }
  return llvm::Error::success();
}

LaunchStatistics HostInterpreter::getStatistics() const {
  LaunchStatistics total;
  for (const auto &entry : decoded) {
    const LaunchStatistics &statistics = entry.second->getStatistics();
    total.opExecutions += statistics.opExecutions;
    total.steps += statistics.steps;
    total.ctas += statistics.ctas;
    total.keyTiles += statistics.keyTiles;
  }
  return total;
}
