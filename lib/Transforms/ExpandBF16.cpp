//===- ExpandBF16.cpp - the mixir-expand-bf16 pass ------------------------===//
//
// Applies upstream's bf16 conversion expansion alone (arith-expand would
// also rewrite maximumf and friends, which the vectorized softmax wants kept
// as they are), so that no __truncsfbf2 call is left on CPUs without
// AVX-512 BF16.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIREXPANDBF16
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

namespace {

struct ExpandBF16Pass
    : public mixir::impl::MixirExpandBF16Base<ExpandBF16Pass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    arith::populateExpandBFloat16Patterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
