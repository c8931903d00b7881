//===- FuseElementwise.cpp - the mixir-fuse-elementwise pass --------------===//
//
// Upstream's elementwise fusion of linalg ops, restricted to consumers whose
// loops are all parallel: an elementwise producer of a reduction is left
// alone, so that it is computed once per element instead of once per point
// of the reduced dim, and a contraction stays a matmul.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIRFUSEELEMENTWISE
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

namespace {

struct FuseElementwisePass
    : public mixir::impl::MixirFuseElementwiseBase<FuseElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // Upstream's default: the producer's result has no other use.
    linalg::ControlFusionFn soleUse = [](OpOperand *use) {
      Operation *producer = use->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    // Ours, for elementwise producers: and the consumer reduces nothing.
    linalg::ControlFusionFn intoParallelConsumers = [soleUse](OpOperand *use) {
      auto consumer = dyn_cast<linalg::LinalgOp>(use->getOwner());
      return soleUse(use) && consumer &&
             consumer.getNumLoops() == consumer.getNumParallelLoops();
    };
    // The rest is linalg-fuse-elementwise-ops as upstream builds it.
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 intoParallelConsumers);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, soleUse);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, soleUse);
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
