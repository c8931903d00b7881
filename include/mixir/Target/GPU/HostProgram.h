//===- HostProgram.h - what a GPU host function does ------------*- C++ -*-===//
//
// After mixir-gpu, a public function is a host function on memrefs: its
// inputs, then its results as out-parameters, and a body of kernel launches
// (gpu.launch_func), buffers between kernels (memref.alloc) and copies. This
// reads such a function into a HostProgram that the C host code
// (mixir-compile --emit-header) and the kernel interpreter (mixir-run
// --target=nvptx) both follow, so that both run the same steps.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_GPU_HOSTPROGRAM_H
#define MIXIR_TARGET_GPU_HOSTPROGRAM_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Error.h"

#include <array>
#include <string>
#include <vector>

namespace mixir::gpu {

/// A buffer a host program uses: one of the function's arguments or
/// results, or a part of its workspace.
struct HostBufferRef {
  enum class Kind { Argument, Result, Workspace };
  Kind kind = Kind::Argument;
  /// Argument or result number.
  unsigned index = 0;
  /// Kind::Workspace: the byte offset in the workspace.
  uint64_t offset = 0;
  mlir::MemRefType type;
  uint64_t bytes() const;
};

/// One step: a kernel launch, or a copy between two buffers.
struct HostStep {
  enum class Kind { Launch, Copy };
  Kind kind = Kind::Launch;
  /// Kind::Launch: the gpu.module and kernel, the grid and block, the
  /// dynamic shared memory, and the kernel's operands (buffers).
  std::string module, kernel;
  std::array<int64_t, 3> grid = {1, 1, 1}, block = {1, 1, 1};
  int64_t sharedBytes = 0;
  /// Indices into HostProgram::buffers: the kernel's operands, or the copy's
  /// source and target.
  std::vector<unsigned> operands;
};

struct HostProgram {
  /// The function's inputs and results (out-parameters).
  unsigned numArguments = 0, numResults = 0;
  std::vector<HostBufferRef> buffers;
  std::vector<HostStep> steps;
  /// Bytes of workspace the steps need (256-byte aligned parts).
  uint64_t workspaceBytes = 0;
};

/// Reads `func`, whose first `numInputs` arguments are the inputs and the
/// rest the results' out-parameters. An op that is not a launch, a buffer,
/// a copy or a constant is an error naming it (graphs around the attention
/// ops are not lowered for the GPU yet).
llvm::Expected<HostProgram> readHostProgram(mlir::func::FuncOp func,
                                            unsigned numInputs);

} // namespace mixir::gpu

#endif // MIXIR_TARGET_GPU_HOSTPROGRAM_H
