//===- HostInterpreter.h - run a GPU host function on this CPU --*- C++ -*-===//
//
// Runs a host function of mixir-gpu without a GPU: its HostProgram step by
// step, each kernel by the kernel interpreter (Interpreter.h) on buffers in
// host memory. mixir-run --target=nvptx is built on it.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_GPU_HOSTINTERPRETER_H
#define MIXIR_TARGET_GPU_HOSTINTERPRETER_H

#include "mixir/Target/GPU/HostProgram.h"
#include "mixir/Target/GPU/Interpreter.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

namespace mixir::gpu {

class HostInterpreter {
public:
  /// Reads function `name` of `module` (mixir-gpu's output: host functions
  /// and gpu.modules of LLVM-dialect kernels) and decodes its kernels.
  static llvm::Expected<std::unique_ptr<HostInterpreter>>
  create(mlir::ModuleOp module, llvm::StringRef name, unsigned numInputs);

  /// Runs the program once on `arguments` (read) and `results` (written),
  /// dense row-major buffers of the function's types; the workspace is
  /// allocated and filled with 0xFF first.
  llvm::Error run(llvm::ArrayRef<void *> arguments,
                  llvm::ArrayRef<void *> results);

  const HostProgram &getProgram() const { return program; }
  /// Totals over every kernel launch so far.
  LaunchStatistics getStatistics() const;

private:
  HostProgram program;
  /// The decoded kernel of each launch step, in step order (null for
  /// copies).
  std::vector<KernelInterpreter *> kernels;
  llvm::StringMap<std::unique_ptr<KernelInterpreter>> decoded;
};

} // namespace mixir::gpu

#endif // MIXIR_TARGET_GPU_HOSTINTERPRETER_H
