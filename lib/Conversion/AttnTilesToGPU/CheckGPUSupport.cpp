//===- CheckGPUSupport.cpp - the attn-check-gpu-support pass --------------===//
//
// Rejects, at their locations, the attn ops the GPU target does not lower
// yet, before attn-tile turns them into loops.
//
//===----------------------------------------------------------------------===//

#include "mixir/Conversion/Passes.h"

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
  } else if (auto routed = dyn_cast<RoutedAttentionOp>(op)) {
    query = routed.getQuery();
    key = routed.getKey();
  } else if (auto combiner = dyn_cast<CombinerOp>(op)) {
    query = combiner.getQuery();
    key = combiner.getKey();
  } else if (isa<RoutingLayoutOp>(op)) {
    return "";
  } else {
    return "has no GPU lowering yet (the GPU target lowers attn.attention, "
           "attn.block_sparse_attention, attn.routed_attention and "
           "attn.combiner)";
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
