//===- CPUTarget.h - host CPU code generation -------------------*- C++ -*-===//
//
// Turns a module in the LLVM dialect into native code for an x86-64 CPU: one
// TargetMachine configuration serves the JIT (mixir-run) and the object
// files (mixir-compile), so both produce bit-identical results. Also the C
// header that declares the exported functions.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_CPU_CPUTARGET_H
#define MIXIR_TARGET_CPU_CPUTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace mixir::cpu {

/// A TargetMachine for `cpu` (mixir::isSupportedCPU: "native", the host;
/// "x86-64-v3", AVX2; "x86-64-v4", AVX-512): position-independent code
/// at -O3.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(llvm::StringRef cpu);

/// Translates an LLVM-dialect module to LLVM IR for `targetMachine` and runs
/// LLVM's -O3 pipeline on it.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                     llvm::TargetMachine &targetMachine);

/// The LLVM -O3 pipeline mixir uses on translated modules.
llvm::Error optimizeModule(llvm::Module &module,
                           llvm::TargetMachine &targetMachine);

/// Writes `module` as an object file to `path`, atomically: on failure
/// nothing is left at `path`.
llvm::Error writeObjectFile(llvm::Module &module,
                            llvm::TargetMachine &targetMachine,
                            llvm::StringRef path);

/// Links the object at `objectPath` into a shared library at `path` with the
/// system C compiler driver (clang-22, cc), atomically; with `withOpenMP`
/// against the OpenMP runtime too.
llvm::Error linkSharedLibrary(llvm::StringRef objectPath, llvm::StringRef path,
                              bool withOpenMP);

/// A memory mapper for the JIT (ExecutionEngineOptions::sectionMemoryMapper)
/// that places every section inside one reserved 2 GB range of address
/// space. MLIR's ExecutionEngine links with RuntimeDyld, whose sections are
/// otherwise mapped independently: in a fragmented address space (under
/// AddressSanitizer, or next to large allocations) code and its GOT can land
/// more than 2 GB apart, and the 32-bit PC-relative relocations between them
/// are silently truncated (llvm/llvm-project#129499), so the code jumps to
/// garbage. The mapper must outlive the ExecutionEngine that uses it.
std::unique_ptr<llvm::SectionMemoryManager::MemoryMapper>
createJITMemoryMapper();

/// The OpenMP runtime (libomp) that threaded code calls, found at build time.
llvm::StringRef openMPRuntimePath();

/// The directory holding openMPRuntimePath().
std::string openMPRuntimeDirectory();

/// The C header declaring every exported function of `module` (the module
/// as given to the pipeline: func.func on tensors). Functions whose types
/// the header cannot express are reported as errors.
llvm::Expected<std::string>
emitCHeader(mlir::ModuleOp module, llvm::StringRef guardName, bool usesOpenMP);

} // namespace mixir::cpu

#endif // MIXIR_TARGET_CPU_CPUTARGET_H
