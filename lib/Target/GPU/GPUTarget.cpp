//===- GPUTarget.cpp - kernels and host code of a lowered module ----------===//
//
// PTX through upstream's convert-nvvm-to-llvm (the NVVM ops with no LLVM
// intrinsic, such as sm_90a's wgmma.mma_async, become inline PTX; the
// lowered module keeps them as ops for the interpreter) and
// gpu-module-to-binary (format isa), cubins through
// ptxas, one Triton-AOT bundle per kernel, and the host functions read from
// the bufferized public functions.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/GPU/GPUTarget.h"

#include "mixir/Target/GPU/HostProgram.h"
#include "mixir/Target/TargetDescription.h"

#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace mixir::gpu;

llvm::Expected<llvm::StringMap<std::string>>
mixir::gpu::translateKernelsToPTX(ModuleOp lowered) {
  OwningOpRef<ModuleOp> copy = cast<ModuleOp>(lowered->clone());
  PassManager pm(lowered->getContext());
  pm.nest<mlir::gpu::GPUModuleOp>().addPass(createConvertNVVMToLLVMPass());
  GpuModuleToBinaryPassOptions options;
  options.compilationTarget = "isa";
  pm.addPass(createGpuModuleToBinaryPass(options));
  std::string messages;
  {
    ScopedDiagnosticHandler collect(lowered->getContext(),
                                    [&](Diagnostic &diagnostic) {
                                      messages += diagnostic.str() + "\n";
                                      return success();
                                    });
    if (failed(pm.run(*copy)))
      return llvm::createStringError("translating the kernels to PTX failed: " +
                                     messages);
  }
  llvm::StringMap<std::string> ptx;
  for (auto binary : copy->getOps<mlir::gpu::BinaryOp>()) {
    ArrayAttr objects = binary.getObjects();
    if (objects.size() != 1)
      return llvm::createStringError("gpu.binary '%s' has %zu objects",
                                     binary.getName().str().c_str(),
                                     objects.size());
    auto object = cast<mlir::gpu::ObjectAttr>(objects[0]);
    ptx[binary.getName()] = object.getObject().getValue().str();
  }
  return ptx;
}

llvm::Expected<CompiledGPUModule>
mixir::gpu::compileGPUModule(ModuleOp lowered, ModuleOp signatures,
                             StringRef chip, const PtxasOptions &ptxasOptions) {
  CompiledGPUModule compiled;
  llvm::Expected<llvm::StringMap<std::string>> ptx =
      translateKernelsToPTX(lowered);
  if (!ptx)
    return ptx.takeError();

  // Host functions first: the launches give each kernel its grid and
  // shared memory.
  struct LaunchOf {
    std::array<int64_t, 3> grid;
    int64_t sharedBytes;
  };
  llvm::StringMap<LaunchOf> launches;
  std::vector<std::pair<HostFunction, HostProgram>> programs;
  for (auto signature : signatures.getOps<func::FuncOp>()) {
    if (!signature.isPublic() || signature.isExternal())
      continue;
    auto func = lowered.lookupSymbol<func::FuncOp>(signature.getName());
    if (!func)
      return llvm::createStringError("no lowered function '%s'",
                                     signature.getName().str().c_str());
    unsigned numInputs = signature.getNumArguments();
    llvm::Expected<HostProgram> program = readHostProgram(func, numInputs);
    if (!program)
      return program.takeError();
    HostFunction function;
    function.name = signature.getName().str();
    auto document = [&](Type type, bool isResult, unsigned index) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      BufferDoc doc;
      doc.name = (isResult ? "res" : "arg") + std::to_string(index);
      doc.isResult = isResult;
      if (tensor) {
        doc.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
        doc.elementCType = mixir::cElementType(tensor.getElementType());
      }
      return doc;
    };
    for (auto [index, type] : llvm::enumerate(signature.getArgumentTypes()))
      function.arguments.push_back(document(type, false, index));
    for (auto [index, type] : llvm::enumerate(signature.getResultTypes()))
      function.results.push_back(document(type, true, index));
    function.workspaceBytes = program->workspaceBytes;
    for (const HostStep &step : program->steps) {
      if (step.kind != HostStep::Kind::Launch)
        return llvm::createStringError(
            "'%s': copies between buffers are not supported by the GPU "
            "host code yet",
            function.name.c_str());
      launches[step.module] = {step.grid, step.sharedBytes};
    }
    programs.emplace_back(std::move(function), std::move(*program));
  }

  // One bundle per kernel module.
  llvm::StringMap<std::string> bundleNames;
  for (auto kernelModule : lowered.getOps<mlir::gpu::GPUModuleOp>()) {
    auto kernels = llvm::to_vector(kernelModule.getOps<LLVM::LLVMFuncOp>());
    llvm::erase_if(kernels, [](LLVM::LLVMFuncOp func) {
      return !func->hasAttr("nvvm.kernel");
    });
    if (kernels.size() != 1)
      return llvm::createStringError("gpu.module '%s' holds %zu kernels",
                                     kernelModule.getName().str().c_str(),
                                     kernels.size());
    LLVM::LLVMFuncOp kernel = kernels.front();
    auto launch = launches.find(kernelModule.getName());
    if (launch == launches.end())
      continue; // no public function launches it
    KernelImage image;
    image.baseName = kernelModule.getName().str();
    image.entry = kernel.getName().str();
    // The first `mixir.aligned_arguments` parameters are read by cp.async
    // in 16-byte chunks from 16-byte aligned bases (Triton's `d`).
    auto aligned =
        kernel->getAttrOfType<IntegerAttr>("mixir.aligned_arguments");
    for (auto [index, type] :
         llvm::enumerate(kernel.getFunctionType().getParams())) {
      if (!isa<LLVM::LLVMPointerType>(type))
        return llvm::createStringError(
            "kernel '%s': parameter %zu is not a pointer", image.entry.c_str(),
            index);
      bool divisibleBy16 = aligned && int64_t(index) < aligned.getInt();
      image.params.push_back({"arg" + std::to_string(index),
                              KernelParam::Kind::Pointer, divisibleBy16});
    }
    for (unsigned dim = 0; dim < 3; ++dim)
      image.grid[dim] = launch->second.grid[dim];
    auto integerAttr = [&](StringRef name, int64_t fallback) {
      auto attr = kernel->getAttrOfType<IntegerAttr>(name);
      return attr ? attr.getInt() : fallback;
    };
    image.numWarps = integerAttr("mixir.num_warps", 4);
    image.numStages = integerAttr("mixir.num_stages", 1);
    image.sharedBytes = launch->second.sharedBytes;
    image.chip = chip.str();
    image.ptx = (*ptx)[kernelModule.getName()];
    if (!compiled.missingPtxas) {
      PtxasOptions options = ptxasOptions;
      options.displayName = image.baseName + ".ptx";
      llvm::Expected<PtxasResult> assembled =
          runPtxas(image.ptx, chip, options);
      if (!assembled) {
        llvm::Error error = assembled.takeError();
        if (!error.isA<PtxasNotFoundError>())
          return error;
        compiled.missingPtxas = llvm::toString(std::move(error));
      } else {
        image.cubin = std::move(assembled->cubin);
        compiled.reports[image.baseName] = std::move(assembled->report);
      }
    }
    llvm::Expected<KernelBundle> bundle = buildKernelBundle(std::move(image));
    if (!bundle)
      return bundle.takeError();
    bundleNames[kernelModule.getName()] = bundle->name;
    compiled.bundles.push_back(std::move(*bundle));
  }

  for (auto &[function, program] : programs) {
    for (const HostStep &step : program.steps) {
      KernelCall call;
      call.kernelName = bundleNames[step.module];
      for (unsigned operand : step.operands) {
        const HostBufferRef &ref = program.buffers[operand];
        switch (ref.kind) {
        case HostBufferRef::Kind::Argument:
          call.args.push_back(ArgBinding::argument(ref.index));
          break;
        case HostBufferRef::Kind::Result:
          call.args.push_back(ArgBinding::result(ref.index));
          break;
        case HostBufferRef::Kind::Workspace:
          call.args.push_back(ArgBinding::workspace(ref.offset));
          break;
        }
      }
      function.calls.push_back(std::move(call));
    }
    compiled.functions.push_back(std::move(function));
  }
  return compiled;
}
