//===- BindSizes.cpp - the mixir-bind-sizes pass --------------------------===//
//
// Records the C ABI's size parameters on the public functions with dynamic
// dims. See the pass description in Passes.td and SizeSignature.h.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"
#include "mixir/Transforms/SizeSignature.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIRBINDSIZES
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

namespace {

struct BindSizesPass : public mixir::impl::MixirBindSizesBase<BindSizesPass> {
  using Base::Base;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func.isPublic() || func.isExternal())
        continue;
      FailureOr<mixir::SizeSignature> signature =
          mixir::computeSizeSignature(func);
      if (failed(signature))
        return signalPassFailure();
      mixir::recordSizeSignature(func, *signature);
    }
  }
};

} // namespace
