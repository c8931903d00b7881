//===- Decompose.cpp - the attn-decompose pass ----------------------------===//
//
// The reference lowering of the attn dialect: applies the decomposition
// patterns of every op and reports any attn op it could not rewrite.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Decomposition/Passes.h"

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mixir::attn {
#define GEN_PASS_DEF_ATTNDECOMPOSE
#include "mixir/Dialect/Attn/Decomposition/Passes.h.inc"
} // namespace mixir::attn

using namespace mlir;
using namespace mixir::attn;

void mixir::attn::populateAttnDecompositionPatterns(
    RewritePatternSet &patterns) {
  decompose::populateAttentionDecompositionPatterns(patterns);
  decompose::populateRoutedAttentionDecompositionPatterns(patterns);
  decompose::populateCombinerDecompositionPatterns(patterns);
  decompose::populatePoolMixDecompositionPatterns(patterns);
  decompose::populateHyenaDecompositionPatterns(patterns);
}

namespace {

struct AttnDecomposePass
    : public mixir::attn::impl::AttnDecomposeBase<AttnDecomposePass> {
  using Base::Base;

  void runOnOperation() override {
    // The one precondition the patterns have: say it on the op rather than
    // leaving it silently undecomposed.
    WalkResult walk = getOperation()->walk([](Operation *op) {
      if (!isa<AttnDialect>(op->getDialect()))
        return WalkResult::advance();
      auto isDynamic = [](Type type) {
        auto shaped = dyn_cast<ShapedType>(type);
        return shaped && !shaped.hasStaticShape();
      };
      if (llvm::any_of(op->getOperandTypes(), isDynamic) ||
          llvm::any_of(op->getResultTypes(), isDynamic)) {
        op->emitOpError("has dynamic shapes, which attn-decompose does not "
                        "support yet");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    populateAttnDecompositionPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();

    getOperation()->walk([&](Operation *op) {
      if (isa<AttnDialect>(op->getDialect())) {
        op->emitOpError("was not decomposed by attn-decompose");
        signalPassFailure();
      }
    });
  }
};

} // namespace
