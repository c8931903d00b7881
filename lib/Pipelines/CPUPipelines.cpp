//===- CPUPipelines.cpp - the CPU pipelines -------------------------------===//
//
// Builds the CPU pipelines (tensors with attn ops to the LLVM dialect):
// mixir-cpu (tiled attention, OpenMP threads) and mixir-cpu-reference (the
// reference decomposition, single-threaded), and the registry of named
// pipelines.
//
//===----------------------------------------------------------------------===//

#include "mixir/Pipelines/Pipelines.h"

#include "mixir/Conversion/Passes.h"
#include "mixir/Dialect/Attn/Decomposition/Passes.h"
#include "mixir/Dialect/Attn/Raising/Passes.h"
#include "mixir/Dialect/Attn/Tiling/Passes.h"
#include "mixir/Target/Passes.h"
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
                                 const mixir::TargetDescription &target,
                                 mixir::PipelineStage stopAfter,
                                 const CPUPipelineOptions &options) {
  mixir::addConfigureTarget(pm, target);
  // Model graphs: attention spelled out in TOSA or linalg becomes
  // attn.attention (the reference pipeline keeps it as written, so that it
  // checks the raising), then TOSA becomes linalg on tensors.
  if (options.tile)
    pm.addPass(mixir::attn::createAttnRaise());
  mixir::buildGraphFrontEnd(pm);
  if (options.tile) {
    // The shared loop nests, their tiles lowered the CPU's way, then the
    // graph around them fused in.
    pm.addPass(mixir::attn::createAttnTile());
    pm.addPass(mixir::createConvertAttnTilesToLinalg());
    pm.addPass(mixir::attn::createAttnFuse());
  }
  pm.addPass(mixir::attn::createAttnDecompose());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.vectorize) {
    // Chains of elementwise graph ops (an activation, a norm) become one op
    // each, then every graph op is cut into parallel tiles.
    pm.addPass(mixir::createMixirFuseElementwise());
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
  // A tile computed into a fresh tensor.empty and then inserted into a loop's
  // result (the elementwise fusion replaces unread outs by empty tensors) is
  // computed in the result's slice instead of a buffer copied into it.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
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
  if (!target.hasNativeBF16Conversion())
    pm.addPass(mixir::createMixirExpandBF16());
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
                                      const TargetDescription &target,
                                      PipelineStage stopAfter) {
  buildCPUPipelineWith(
      pm, target, stopAfter,
      {/*tile=*/false, /*threads=*/false, /*vectorize=*/false});
}

void mixir::buildCPUPipeline(OpPassManager &pm, const TargetDescription &target,
                             PipelineStage stopAfter) {
  buildCPUPipelineWith(pm, target, stopAfter,
                       {/*tile=*/true, /*threads=*/true, /*vectorize=*/true});
}
