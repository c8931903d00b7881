//===- CPUReferencePipeline.cpp - the mixir-cpu-reference pipeline --------===//
//
// Builds the reference CPU pipeline (tensors with attn ops to the LLVM
// dialect) and the registry of named pipelines.
//
//===----------------------------------------------------------------------===//

#include "mixir/Pipelines/Pipelines.h"

#include "mixir/Dialect/Attn/Transforms/Passes.h"
#include "mixir/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mixir::buildCPUReferencePipeline(OpPassManager &pm,
                                      PipelineStage stopAfter) {
  pm.addPass(attn::createAttnDecompose());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (stopAfter == PipelineStage::Decomposed)
    return;

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createMixirExportCFunctions());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createMixirMemrefCopyToLinalg());
  if (stopAfter == PipelineStage::Bufferized)
    return;

  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createMixirApproximateMath());
  pm.addPass(createCanonicalizerPass());
  if (stopAfter == PipelineStage::Loops)
    return;

  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

static const mixir::PipelineInfo kPipelines[] = {
    {"mixir-cpu-reference",
     "attn ops on tensors to the LLVM dialect through the reference "
     "decomposition (single-threaded loops)",
     mixir::buildCPUReferencePipeline},
};

ArrayRef<mixir::PipelineInfo> mixir::getPipelines() { return kPipelines; }

const mixir::PipelineInfo *mixir::lookupPipeline(StringRef name) {
  for (const PipelineInfo &info : kPipelines)
    if (info.name == name)
      return &info;
  return nullptr;
}

void mixir::registerPipelines() {
  for (const PipelineInfo &info : kPipelines) {
    auto build = info.build;
    PassPipelineRegistration<>(
        info.name, info.description,
        [build](OpPassManager &pm) { build(pm, PipelineStage::LLVM); });
  }
}
