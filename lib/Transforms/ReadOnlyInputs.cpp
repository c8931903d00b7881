//===- ReadOnlyInputs.cpp - the mixir-read-only-inputs pass ---------------===//
//
// Marks the tensor arguments of public functions non-writable for one-shot
// bufferization: the C ABI passes inputs as `const T *`.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIRREADONLYINPUTS
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

namespace {

struct ReadOnlyInputsPass
    : public mixir::impl::MixirReadOnlyInputsBase<ReadOnlyInputsPass> {
  using Base::Base;

  void runOnOperation() override {
    Builder builder(&getContext());
    for (auto function : getOperation().getOps<func::FuncOp>()) {
      if (!function.isPublic() || function.isExternal())
        continue;
      for (auto [index, type] : llvm::enumerate(function.getArgumentTypes())) {
        if (isa<TensorType>(type))
          function.setArgAttr(
              index, bufferization::BufferizationDialect::kWritableAttrName,
              builder.getBoolAttr(false));
      }
    }
  }
};

} // namespace
