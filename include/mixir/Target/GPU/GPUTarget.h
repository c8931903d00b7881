//===- GPUTarget.h - kernels and host code of a lowered module --*- C++ -*-===//
//
// What mixir-compile --target=nvptx writes, from a module mixir-gpu has
// lowered: each gpu.module's PTX (LLVM NVPTX through gpu-module-to-binary),
// its cubin when ptxas is found, its Triton-AOT bundle (KernelBundle.h), and
// the host functions that launch the kernels (HostCode.h).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_GPU_GPUTARGET_H
#define MIXIR_TARGET_GPU_GPUTARGET_H

#include "mixir/Target/GPU/HostCode.h"
#include "mixir/Target/GPU/KernelBundle.h"
#include "mixir/Target/GPU/Ptxas.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

namespace mixir::gpu {

/// The PTX of each gpu.module of `lowered` (mixir-gpu's LLVM stage), by
/// module name.
llvm::Expected<llvm::StringMap<std::string>>
translateKernelsToPTX(mlir::ModuleOp lowered);

struct CompiledGPUModule {
  std::vector<KernelBundle> bundles;
  /// One per public function of the module.
  std::vector<HostFunction> functions;
  /// The ptxas report of each kernel (empty without ptxas).
  llvm::StringMap<PtxasReport> reports;
  /// ptxas was not found: PTX only, with the places searched.
  std::optional<std::string> missingPtxas;
};

/// Compiles `lowered` for `chip`: PTX, cubins (ptxas with `ptxasOptions`
/// when it is found), bundles, and host functions. `signatures` is the
/// module as the front end leaves it (tensor signatures: each public
/// function's inputs and results, for the buffers' documentation).
llvm::Expected<CompiledGPUModule>
compileGPUModule(mlir::ModuleOp lowered, mlir::ModuleOp signatures,
                 llvm::StringRef chip, const PtxasOptions &ptxasOptions);

} // namespace mixir::gpu

#endif // MIXIR_TARGET_GPU_GPUTARGET_H
