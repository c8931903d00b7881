//===- CPUTarget.cpp - host CPU code generation ---------------------------===//
//
// The TargetMachine shared by mixir-run and mixir-compile, translation of the
// LLVM dialect with LLVM's -O3 pipeline, object emission and shared library
// linking.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/CPU/CPUTarget.h"
#include "mixir/Target/TargetDescription.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

Expected<std::unique_ptr<llvm::TargetMachine>>
mixir::cpu::createTargetMachine(StringRef cpu) {
  if (!mixir::isSupportedCPU(cpu))
    return llvm::createStringError(
        "unsupported CPU '%s' (expected native, x86-64-v3 or x86-64-v4)",
        cpu.str().c_str());
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no LLVM target for %s: %s",
                                   triple.str().c_str(), error.c_str());
  std::string cpuName = cpu.str();
  std::string features;
  if (cpu == "native") {
    cpuName = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures featureSet;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      featureSet.AddFeature(feature.first(), feature.second);
    features = featureSet.getString();
  }
  llvm::TargetOptions options;
  // Fuse multiplies and adds into FMAs (what -ffp-contract=fast does for C):
  // the contractions are mul + add pairs, and FMA rounds once instead of
  // twice, which only reduces the error against the float64 reference.
  options.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("could not create a target machine for %s",
                                   cpuName.c_str());
  return machine;
}

Error mixir::cpu::optimizeModule(llvm::Module &module,
                                 llvm::TargetMachine &targetMachine) {
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                               &targetMachine);
  return transformer(&module);
}

Expected<std::unique_ptr<llvm::Module>>
mixir::cpu::translateAndOptimize(ModuleOp module, llvm::LLVMContext &context,
                                 llvm::TargetMachine &targetMachine) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return llvm::createStringError("translation to LLVM IR failed");
  llvmModule->setDataLayout(targetMachine.createDataLayout());
  llvmModule->setTargetTriple(targetMachine.getTargetTriple());
  if (Error error = optimizeModule(*llvmModule, targetMachine))
    return std::move(error);
  return llvmModule;
}

Error mixir::cpu::writeObjectFile(llvm::Module &module,
                                  llvm::TargetMachine &targetMachine,
                                  StringRef path) {
  std::error_code ec;
  // ToolOutputFile deletes the file unless keep() is called.
  llvm::ToolOutputFile output(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot open '%s': %s", path.str().c_str(),
                                   ec.message().c_str());
  llvm::legacy::PassManager passes;
  if (targetMachine.addPassesToEmitFile(passes, output.os(), nullptr,
                                        llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  passes.run(module);
  output.os().flush();
  if (output.os().has_error())
    return llvm::createStringError("writing '%s' failed", path.str().c_str());
  output.keep();
  return Error::success();
}

StringRef mixir::cpu::openMPRuntimePath() { return MIXIR_LIBOMP_PATH; }

std::string mixir::cpu::openMPRuntimeDirectory() {
  return llvm::sys::path::parent_path(openMPRuntimePath()).str();
}

Error mixir::cpu::linkSharedLibrary(StringRef objectPath, StringRef path,
                                    bool withOpenMP) {
  llvm::ErrorOr<std::string> driver = llvm::sys::findProgramByName("clang-22");
  if (!driver)
    driver = llvm::sys::findProgramByName("cc");
  if (!driver)
    return llvm::createStringError(
        "--shared needs a C compiler driver (clang-22 or cc) on PATH");
  // Link next to the destination, then rename: never a half-written library.
  llvm::SmallString<256> temporary(path);
  temporary += ".tmp%%%%%%";
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(temporary, fd, temporary))
    return llvm::createStringError("cannot create a file beside '%s': %s",
                                   path.str().c_str(), ec.message().c_str());
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  std::string message;
  std::string libraryDir = "-L" + openMPRuntimeDirectory();
  std::string runPath = "-Wl,-rpath," + openMPRuntimeDirectory();
  SmallVector<StringRef> args = {*driver,   "-shared",  "-o",
                                 temporary, objectPath, "-lm"};
  if (withOpenMP)
    args.append({libraryDir, runPath, "-lomp"});
  int status = llvm::sys::ExecuteAndWait(*driver, args, std::nullopt, {}, 0, 0,
                                         &message);
  if (status != 0) {
    llvm::sys::fs::remove(temporary);
    return llvm::createStringError("linking the shared library failed: %s",
                                   message.empty() ? "the linker reported "
                                                     "errors"
                                                   : message.c_str());
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, path)) {
    llvm::sys::fs::remove(temporary);
    return llvm::createStringError("cannot write '%s': %s", path.str().c_str(),
                                   ec.message().c_str());
  }
  return Error::success();
}
