//===- CheckGPUSupport.cpp - the attn-check-gpu-support pass --------------===//
//
// Rejects, at their locations, the attn ops the GPU target does not lower
// yet, before attn-tile turns them into loops.
//
//===----------------------------------------------------------------------===//

#include "mixir/Conversion/Passes.h"

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

namespace mixir {
#define GEN_PASS_DEF_ATTNCHECKGPUSUPPORT
#include "mixir/Conversion/Passes.h.inc"
} // namespace mixir

using namespace mlir;
using namespace mixir::attn;

/// Why the GPU target cannot lower `op` yet, or an empty string.
static std::string unsupportedReason(Operation *op) {
  auto type = [](Value v) { return cast<ShapedType>(v.getType()); };
  Value query, key;
  if (auto attention = dyn_cast<AttentionOp>(op)) {
    query = attention.getQuery();
    key = attention.getKey();
  } else if (auto blockSparse = dyn_cast<BlockSparseAttentionOp>(op)) {
    query = blockSparse.getQuery();
    key = blockSparse.getKey();
    // The kernels' tiles are fixed: each must lie in one block, whose bit
    // then skips it whole.
    TileConfigAttr config = TileConfigAttr::lookup(op);
    ArrayRef<int64_t> block = blockSparse.getBlock();
    if (config && (block[0] % config.getQueryTile() != 0 ||
                   block[1] % config.getKeyTile() != 0))
      return "has blocks of " + std::to_string(block[0]) + " x " +
             std::to_string(block[1]) +
             ", which the GPU kernels do not take yet (blocks that are "
             "multiples of their " +
             std::to_string(config.getQueryTile()) + " x " +
             std::to_string(config.getKeyTile()) + " tiles)";
  } else if (auto routed = dyn_cast<RoutedAttentionOp>(op)) {
    query = routed.getQuery();
    key = routed.getKey();
    // Regions are blocks of the layout (2-D ones once permuted
    // region-major): each tile must lie in one.
    TileConfigAttr config = TileConfigAttr::lookup(op);
    int64_t region = decompose::tokensPerRegion(routed);
    if (config && (region % config.getQueryTile() != 0 ||
                   region % config.getKeyTile() != 0))
      return "has regions of " + std::to_string(region) +
             " tokens, which the GPU kernels do not take yet (regions that "
             "are multiples of their " +
             std::to_string(config.getQueryTile()) + " x " +
             std::to_string(config.getKeyTile()) + " tiles)";
  } else if (isa<RoutingLayoutOp>(op)) {
    return "";
  } else {
    return "has no GPU lowering yet (the GPU target lowers attn.attention, "
           "attn.block_sparse_attention and attn.routed_attention)";
  }
  for (Value operand : op->getOperands())
    if (!type(operand).hasStaticShape())
      return "has dynamic shapes, which the GPU kernels do not take yet";
  if (type(key).getDimSize(2) == 0)
    return "has no keys (T = 0), which the GPU kernels do not take";
  Type element = type(query).getElementType();
  if (!isa<Float16Type, BFloat16Type, Float32Type>(element))
    return "has an element type the GPU kernels do not take";
  return "";
}

namespace {

struct AttnCheckGPUSupportPass
    : public mixir::impl::AttnCheckGPUSupportBase<AttnCheckGPUSupportPass> {
  using Base::Base;
  void runOnOperation() override {
    WalkResult result = getOperation()->walk([](Operation *op) {
      if (!isa<AttnDialect>(op->getDialect()))
        return WalkResult::advance();
      std::string reason = unsupportedReason(op);
      if (reason.empty())
        return WalkResult::advance();
      op->emitError() << "'" << op->getName() << "' " << reason
                      << " (--target=nvptx)";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
