//===- AttnFuse.cpp - the attn-fuse pass ----------------------------------===//
//
// Fuses the producers of the query-side operands and of the bias, and the
// consumers of the output, into the flash-style loop nests of attn-tile,
// with upstream tile-and-fuse. See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Tiling/Passes.h"

#include "TileEngine.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace mixir::attn {
#define GEN_PASS_DEF_ATTNFUSE
#include "mixir/Dialect/Attn/Tiling/Passes.h.inc"
} // namespace mixir::attn

using namespace mlir;
using namespace mixir::attn;

/// A bound on the fusions per loop, so that a fusion that leaves its
/// candidate in place cannot loop forever.
static constexpr unsigned kMaxFusions = 16;

/// Whether `slice` reads a part that differs per iteration of `loop` along
/// its induction variable `iv` (an offset is `iv` itself).
static bool isPerIteration(tensor::ExtractSliceOp slice, Value iv) {
  return llvm::is_contained(slice.getOffsets(), iv);
}

/// Whether `slice` reads the result of a tileable op defined outside
/// `loop`, which could then be computed tile by tile inside it.
static bool hasFusableProducer(tensor::ExtractSliceOp slice,
                               LoopLikeOpInterface loop) {
  Operation *producer = slice.getSource().getDefiningOp();
  return producer && isa<TilingInterface>(producer) &&
         !loop->isAncestor(producer);
}

/// Fuses, repeatedly, the producers of the slices directly in `loop`'s body
/// that differ per iteration along `iv`; returns how many were fused.
static unsigned fuseProducers(RewriterBase &rewriter, LoopLikeOpInterface loop,
                              Value iv) {
  unsigned fused = 0;
  bool changed = true;
  while (changed && fused < kMaxFusions) {
    changed = false;
    for (Operation &op : loop->getRegion(0).front()) {
      auto slice = dyn_cast<tensor::ExtractSliceOp>(&op);
      if (!slice || !isPerIteration(slice, iv) ||
          !hasFusableProducer(slice, loop))
        continue;
      SmallVector<LoopLikeOpInterface> loops = {loop};
      Operation *producer = slice.getSource().getDefiningOp();
      rewriter.setInsertionPoint(slice);
      if (!scf::tileAndFuseProducerOfSlice(rewriter, slice, loops))
        continue;
      // The slice, and the producer when nothing else reads it, are dead.
      if (slice->use_empty())
        rewriter.eraseOp(slice);
      if (producer->use_empty())
        rewriter.eraseOp(producer);
      ++fused;
      changed = true;
      break;
    }
  }
  return fused;
}

/// Fuses, repeatedly, the single tileable consumer of a result of `loop`;
/// returns how many were fused.
static unsigned fuseConsumers(RewriterBase &rewriter, scf::ForallOp &loop) {
  unsigned fused = 0;
  bool changed = true;
  while (changed && fused < kMaxFusions) {
    changed = false;
    for (Value result : loop->getResults()) {
      if (!result.hasOneUse())
        continue;
      // Only consumers whose every loop is parallel: a reduction across
      // query tiles (a sum over the sequence) would have each tile write a
      // partial result to the same place.
      auto consumer = dyn_cast<linalg::LinalgOp>(*result.getUsers().begin());
      if (!consumer || consumer.getNumReductionLoops() != 0)
        continue;
      SmallVector<LoopLikeOpInterface> loops = {loop};
      if (failed(scf::tileAndFuseConsumer(rewriter, consumer.getOperation(),
                                          loops)))
        continue;
      // The new loop returns the consumer's results last; the consumer
      // outside is then dead.
      loop = cast<scf::ForallOp>(loops.front().getOperation());
      unsigned count = consumer->getNumResults();
      rewriter.replaceOp(consumer, loop->getResults().take_back(count));
      ++fused;
      changed = true;
      break;
    }
  }
  return fused;
}

namespace {

struct AttnFusePass : public mixir::attn::impl::AttnFuseBase<AttnFusePass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<scf::ForallOp> flashLoops;
    getOperation()->walk([&](scf::ForallOp loop) {
      if (loop->hasAttr(tile::kFlashLoopAttrName))
        flashLoops.push_back(loop);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ForallOp loop : flashLoops) {
      // Query-side producers: the slices indexed by the query-tile offset.
      Value queryTileOffset = loop.getInductionVars().back();
      fuseProducers(rewriter, loop, queryTileOffset);
      // Key-side producers computed inside the query tile (a fused bias)
      // are fused further into the key loops.
      SmallVector<scf::ForOp> keyLoops;
      for (Operation &op : loop.getBody()->without_terminator())
        if (auto keyLoop = dyn_cast<scf::ForOp>(&op))
          keyLoops.push_back(keyLoop);
      for (scf::ForOp keyLoop : keyLoops)
        fuseProducers(rewriter, keyLoop, keyLoop.getInductionVar());
      fuseConsumers(rewriter, loop);
    }
  }
};

} // namespace
