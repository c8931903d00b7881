//===- CPUPipelines.cpp - the CPU pipelines -------------------------------===//
//
// Builds the CPU pipelines (tensors with attn ops to the LLVM dialect):
// mixir-cpu (tiled attention, OpenMP threads) and mixir-cpu-reference (the
// reference decomposition, single-threaded), and the registry of named
// pipelines.
//
//===----------------------------------------------------------------------===//

#include "mixir/Pipelines/Pipelines.h"

#include "mixir/Dialect/Attn/Transforms/Passes.h"
#include "mixir/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {
struct CPUPipelineOptions {
  /// Tile the attention ops flash-style (attn-tile) before decomposing the
  /// rest.
  bool tile;
  /// Run scf.forall loops on OpenMP threads.
  bool threads;
  /// Register-tile and vectorize the linalg ops inside the tile loops.
  bool vectorize;
};
} // namespace

void mixir::buildGraphFrontEnd(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(tosa::createTosaToLinalgNamed());
  pm.addNestedPass<func::FuncOp>(tosa::createTosaToLinalg());
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass());
  pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(mixir::createMixirBindSizes());
}

static void buildCPUPipelineWith(OpPassManager &pm,
                                 mixir::PipelineStage stopAfter,
                                 const CPUPipelineOptions &options) {
  // Model graphs: attention spelled out in TOSA or linalg becomes
  // attn.attention (the reference pipeline keeps it as written, so that it
  // checks the raising), then TOSA becomes linalg on tensors.
  if (options.tile)
    pm.addPass(mixir::attn::createAttnRaise());
  mixir::buildGraphFrontEnd(pm);
  if (options.tile) {
    pm.addPass(mixir::attn::createAttnTile());
    pm.addPass(mixir::attn::createAttnFuse());
  }
  pm.addPass(mixir::attn::createAttnDecompose());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.vectorize) {
    // Chains of elementwise graph ops (an activation, a norm) become one op
    // each, then every graph op is cut into parallel tiles.
    pm.addPass(createLinalgElementwiseOpFusionPass());
    pm.addPass(mixir::createMixirTileGraph());
    pm.addPass(mixir::createMixirVectorizeTiles());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    // Keep accumulator tiles in registers across the reduction loops.
    pm.addPass(createLoopInvariantCodeMotionPass());
    pm.addPass(createLoopInvariantSubsetHoistingPass());
    pm.addPass(createCanonicalizerPass());
  }
  if (stopAfter == mixir::PipelineStage::Decomposed)
    return;

  pm.addPass(mixir::createMixirReadOnlyInputs());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Buffers allocated in a sequential loop's body are reused by its
  // iterations instead of being allocated and freed in each (the key loop's
  // score tiles, Hyena's slabs); never out of a parallel loop.
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(mixir::createMixirExportCFunctions());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(mixir::createMixirMemrefCopyToLinalg());
  if (stopAfter == mixir::PipelineStage::Bufferized)
    return;

  if (options.threads)
    pm.addPass(createForallToParallelLoopPass());
  else
    pm.addPass(createForallToForLoopPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  if (options.vectorize) {
    // Multi-dimensional transfers become unrolled 1-D ones (without full
    // unrolling the lowering overflows the stack on large tiles).
    pm.addPass(createConvertVectorToSCFPass(
        VectorTransferToSCFOptions().enableFullUnroll()));
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(mixir::createMixirApproximateMath());
  pm.addPass(createCanonicalizerPass());
  if (stopAfter == mixir::PipelineStage::Loops)
    return;

  if (options.threads) {
    // memref.alloca_scope from the OpenMP conversion must be lowered before
    // scf-to-cf, or it fails to verify.
    pm.addPass(createConvertSCFToOpenMPPass());
    pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  }
  pm.addPass(createSCFToControlFlowPass());
  if (options.vectorize) {
    ConvertVectorToLLVMPassOptions toLLVM;
    toLLVM.vectorContractLowering =
        vector::VectorContractLowering::OuterProduct;
    // Row sums and maxima of a tile as trees, not as a chain of scalar adds
    // in index order (the spec fixes no summation order).
    toLLVM.reassociateFPReductions = true;
    pm.addPass(createConvertVectorToLLVMPass(toLLVM));
  }
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  // After the functions, whose bare-pointer signatures it would otherwise
  // replace by memref descriptors.
  if (options.threads)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mixir::buildCPUReferencePipeline(OpPassManager &pm,
                                      PipelineStage stopAfter) {
  buildCPUPipelineWith(
      pm, stopAfter, {/*tile=*/false, /*threads=*/false, /*vectorize=*/false});
}

void mixir::buildCPUPipeline(OpPassManager &pm, PipelineStage stopAfter) {
  buildCPUPipelineWith(pm, stopAfter,
                       {/*tile=*/true, /*threads=*/true, /*vectorize=*/true});
}

static const mixir::PipelineInfo kPipelines[] = {
    {"mixir-cpu",
     "attn ops on tensors to the LLVM dialect through attn-tile: every "
     "mixer in O(L) memory (attention-like ops flash-style with masked "
     "tiles skipped, PoNet streaming, Hyena by FFT), vectorized, on OpenMP "
     "threads",
     mixir::buildCPUPipeline, /*usesOpenMP=*/true},
    {"mixir-cpu-reference",
     "attn ops on tensors to the LLVM dialect through the reference "
     "decomposition (single-threaded loops)",
     mixir::buildCPUReferencePipeline, /*usesOpenMP=*/false},
};

ArrayRef<mixir::PipelineInfo> mixir::getPipelines() { return kPipelines; }

const mixir::PipelineInfo *mixir::lookupPipeline(StringRef name) {
  for (const PipelineInfo &info : kPipelines)
    if (info.name == name)
      return &info;
  return nullptr;
}

llvm::Expected<const mixir::PipelineInfo *>
mixir::selectPipeline(StringRef name) {
  if (name.empty())
    return &kPipelines[0];
  if (const PipelineInfo *info = lookupPipeline(name))
    return info;
  std::string known;
  for (const PipelineInfo &info : kPipelines)
    known += (known.empty() ? "" : ", ") + info.name.str();
  return llvm::createStringError("unknown pipeline '%s' (known: %s)",
                                 name.str().c_str(), known.c_str());
}

void mixir::registerPipelines() {
  for (const PipelineInfo &info : kPipelines) {
    auto build = info.build;
    PassPipelineRegistration<>(
        info.name, info.description,
        [build](OpPassManager &pm) { build(pm, PipelineStage::LLVM); });
  }
}
