//===- Interpreter.cpp - the GPU kernel interpreter's public API ----------===//
//
// KernelArgument constructors and KernelInterpreter: decoding once at
// creation, then one Machine per launch over the decoded program.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/GPU/Interpreter.h"

#include "Machine.h"
#include "Program.h"

#include "llvm/ADT/bit.h"

using namespace mixir::gpu;

KernelArgument KernelArgument::buffer(void *data, size_t bytes,
                                      llvm::StringRef name) {
  KernelArgument arg(Kind::Buffer);
  arg.data = data;
  arg.bytes = bytes;
  arg.name = name.str();
  return arg;
}

KernelArgument KernelArgument::i32(int32_t value) {
  KernelArgument arg(Kind::I32);
  arg.scalarBits = static_cast<uint32_t>(value);
  return arg;
}

KernelArgument KernelArgument::i64(int64_t value) {
  KernelArgument arg(Kind::I64);
  arg.scalarBits = static_cast<uint64_t>(value);
  return arg;
}

KernelArgument KernelArgument::f32(float value) {
  KernelArgument arg(Kind::F32);
  arg.scalarBits = llvm::bit_cast<uint32_t>(value);
  return arg;
}

KernelInterpreter::KernelInterpreter(std::unique_ptr<detail::Program> program)
    : program(std::move(program)) {}

KernelInterpreter::~KernelInterpreter() = default;

llvm::Expected<std::unique_ptr<KernelInterpreter>>
KernelInterpreter::create(mlir::LLVM::LLVMFuncOp kernel) {
  auto program = detail::decodeKernel(kernel);
  if (!program)
    return program.takeError();
  return std::unique_ptr<KernelInterpreter>(
      new KernelInterpreter(std::move(*program)));
}

llvm::Error KernelInterpreter::launch(LaunchDims grid, LaunchDims block,
                                      llvm::ArrayRef<KernelArgument> args,
                                      size_t dynamicSharedBytes) {
  detail::Machine machine(*program, grid, block, dynamicSharedBytes, stepLimit,
                          statistics);
  return machine.run(args);
}

size_t KernelInterpreter::getNumInstructions() const {
  return program->insts.size();
}

uint64_t KernelInterpreter::getStaticSharedBytes() const {
  return program->staticSharedBytes;
}
