//===- GPUPipelines.cpp - the GPU pipeline --------------------------------===//
//
// mixir-gpu: the front end and attn-tile shared with the CPU (with the GPU's
// tile configuration), the GPU's lowering of the tile loops into kernels
// (convert-attn-tiles-to-gpu), bufferization of the host functions, and the
// kernels lowered by upstream to the LLVM and NVVM dialects, ready for LLVM
// NVPTX (gpu-module-to-binary) or the kernel interpreter.
//
//===----------------------------------------------------------------------===//

#include "mixir/Pipelines/Pipelines.h"

#include "mixir/Conversion/Passes.h"
#include "mixir/Dialect/Attn/Raising/Passes.h"
#include "mixir/Dialect/Attn/Tiling/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mixir::buildGPUPipeline(OpPassManager &pm, const TargetDescription &target,
                             PipelineStage stopAfter) {
  addConfigureTarget(pm, target);
  pm.addPass(attn::createAttnRaise());
  buildGraphFrontEnd(pm);
  pm.addPass(createAttnCheckGPUSupport());
  pm.addPass(attn::createAttnTile());
  ConvertAttnTilesToGPUOptions kernels;
  kernels.chip = target.chip;
  kernels.testMutation = target.kernelTestMutation;
  pm.addPass(createConvertAttnTilesToGPU(kernels));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (stopAfter == PipelineStage::Decomposed)
    return;

  // The host functions: the tensors between kernels become buffers, results
  // out-parameters (the buffers the caller passes).
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());
  if (stopAfter == PipelineStage::Bufferized)
    return;

  // The kernels, to the LLVM and NVVM dialects.
  OpPassManager &kernel = pm.nest<gpu::GPUModuleOp>();
  kernel.addPass(createLowerAffinePass());
  kernel.addPass(createSCFToControlFlowPass());
  kernel.addPass(createConvertNVGPUToNVVMPass());
  ConvertGpuOpsToNVVMOpsOptions toNVVM;
  toNVVM.useBarePtrCallConv = true;
  kernel.addPass(createConvertGpuOpsToNVVMOps(toNVVM));
  kernel.addPass(createCanonicalizerPass());
  kernel.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  GpuNVVMAttachTargetOptions attach;
  attach.chip = target.chip;
  attach.features = target.ptxFeatures().str();
  attach.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(attach));
}
