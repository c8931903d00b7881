//===- ConfigureTarget.cpp - the mixir-configure-target pass --------------===//
//
// Attaches the tile configuration of a target description to the module.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/Passes.h"

#include "mixir/Dialect/Attn/IR/AttnDialect.h"
#include "mixir/Target/TargetDescription.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIRCONFIGURETARGET
#include "mixir/Target/Passes.h.inc"
} // namespace mixir

using namespace mlir;

namespace {

struct ConfigureTargetPass
    : public mixir::impl::MixirConfigureTargetBase<ConfigureTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    llvm::Expected<mixir::TargetDescription> description =
        mixir::TargetDescription::get(target, cpu, chip);
    if (!description) {
      getOperation()->emitError() << "mixir-configure-target: "
                                  << llvm::toString(description.takeError());
      return signalPassFailure();
    }
    if (queryTile < 0 || keyTile < 0) {
      getOperation()->emitError(
          "mixir-configure-target: tile sizes must be positive");
      return signalPassFailure();
    }
    mixir::attn::TileConfigAttr config = description->tileConfig(&getContext());
    if (queryTile || keyTile)
      config = config.withAttention(
          queryTile ? queryTile : config.getQueryTile(),
          keyTile ? keyTile : config.getKeyTile(), config.getKeyLayout(),
          config.getPadToTiles(), config.getTileElementType());
    getOperation()->setAttr(mixir::attn::TileConfigAttr::kAttrName, config);
  }

  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<mixir::attn::AttnDialect>();
  }
};

} // namespace
