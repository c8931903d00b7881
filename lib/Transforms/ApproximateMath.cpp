//===- ApproximateMath.cpp - the mixir-approximate-math pass --------------===//
//
// Applies upstream's polynomial approximations of the f32 math functions so
// no libm call is made per element (TOOLCHAIN.md, trap 7).
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIRAPPROXIMATEMATH
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

namespace {

struct ApproximateMathPass
    : public mixir::impl::MixirApproximateMathBase<ApproximateMathPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
