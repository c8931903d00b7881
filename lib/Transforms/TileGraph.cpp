//===- TileGraph.cpp - the mixir-tile-graph pass --------------------------===//
//
// Tiles the linalg ops of a model graph that lie outside any loop into
// scf.forall tiles over their parallel dims, so that they run on threads
// and mixir-vectorize-tiles vectorizes them. See the pass description in
// Passes.td.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"

#include "mixir/Dialect/Attn/IR/AttnAttrs.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIRTILEGRAPH
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

/// Parallel tile sizes: `rows` x `cols` of the two innermost parallel dims
/// (capped at their sizes), 1 of the others; reductions whole.
static SmallVector<int64_t> graphTileSizes(linalg::LinalgOp op, int64_t rows,
                                           int64_t cols) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<unsigned> parallel;
  for (auto [dim, iterator] : llvm::enumerate(iterators))
    if (iterator == utils::IteratorType::parallel)
      parallel.push_back(dim);
  SmallVector<int64_t> tiles(iterators.size(), 0);
  for (unsigned dim : parallel)
    tiles[dim] = 1;
  if (!parallel.empty())
    tiles[parallel.back()] = std::min(ranges[parallel.back()], cols);
  if (parallel.size() >= 2) {
    unsigned dim = parallel[parallel.size() - 2];
    tiles[dim] = std::min(ranges[dim], rows);
  }
  return tiles;
}

/// The reduction dim to split into parallel partial reductions of `chunk`
/// steps, if `op` is worth it: a reduction other than a contraction with one
/// reduction dim of at least two chunks, whose parallel dims fit in one
/// graph tile (tiling them would give the threads nothing to share: a mean
/// over the sequence).
static std::optional<unsigned>
splitReductionDim(linalg::LinalgOp op, int64_t graphTile, int64_t chunk) {
  if (op.getNumReductionLoops() != 1 || linalg::isaContractionOpInterface(op))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  std::optional<unsigned> reduction;
  int64_t outputs = 1;
  for (auto [dim, iterator] : llvm::enumerate(op.getIteratorTypesArray())) {
    if (iterator == utils::IteratorType::reduction)
      reduction = dim;
    else
      outputs *= ranges[dim];
  }
  if (outputs > graphTile || ranges[*reduction] < 2 * chunk)
    return std::nullopt;
  return reduction;
}

namespace {

struct TileGraphPass : public mixir::impl::MixirTileGraphBase<TileGraphPass> {
  using Base::Base;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // One op at a time, consumers first (the fills they fuse are then
    // gone before their turn would come), looking afresh after each: the
    // tiling driver may erase the producers it fuses.
    llvm::DenseSet<Operation *> untileable;
    if (failed(splitLongReductions(rewriter)))
      return signalPassFailure();
    while (linalg::LinalgOp op = lastCandidate(untileable)) {
      // The graph tile of the op's nearest enclosing tile configuration.
      FailureOr<mixir::attn::TileConfigAttr> config =
          mixir::attn::TileConfigAttr::require(op, "mixir-tile-graph");
      if (failed(config))
        return signalPassFailure();
      scf::SCFTileAndFuseOptions options;
      options.tilingOptions.setLoopType(
          scf::SCFTilingOptions::LoopType::ForallOp);
      options.tilingOptions.setTileSizes(getAsIndexOpFoldResult(
          &getContext(),
          graphTileSizes(op, config->getGraphRows(), config->getGraphCols())));
      options.setFusionControlFn(
          [](tensor::ExtractSliceOp, OpResult producer, bool)
              -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            if (isa<linalg::FillOp>(producer.getOwner()))
              return scf::SCFTileAndFuseOptions::ControlFnResult{};
            return std::nullopt;
          });
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTileAndFuseResult> tiled =
          scf::tileConsumerAndFuseProducersUsingSCF(
              rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled)) {
        untileable.insert(op);
        continue;
      }
      for (OpResult result : op->getResults())
        rewriter.replaceAllUsesWith(result, tiled->replacements.lookup(result));
      rewriter.eraseOp(op);
    }
  }

  /// Splits each long reduction of few outputs into an scf.forall of
  /// partial reductions and their merge (upstream's partial-reduction
  /// tiling). The partial ops reduce over an outer dim, so
  /// mixir-vectorize-tiles leaves them to LLVM's loop vectorizer.
  LogicalResult splitLongReductions(RewriterBase &rewriter) {
    SmallVector<std::pair<linalg::LinalgOp, unsigned>> splits;
    WalkResult walk = getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<LoopLikeOpInterface>() ||
          !op.hasPureTensorSemantics() || op.hasDynamicShape() ||
          op.getNumReductionLoops() == 0)
        return WalkResult::advance();
      FailureOr<mixir::attn::TileConfigAttr> config =
          mixir::attn::TileConfigAttr::require(op, "mixir-tile-graph");
      if (failed(config))
        return WalkResult::interrupt();
      if (std::optional<unsigned> dim = splitReductionDim(
              op, config->getGraphRows() * config->getGraphCols(),
              config->getGraphReductionTile()))
        splits.emplace_back(op, *dim);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
    for (auto [op, dim] : splits) {
      auto config = mixir::attn::TileConfigAttr::lookup(op);
      SmallVector<int64_t> sizes(op.getNumLoops(), 0);
      sizes[dim] = config.getGraphReductionTile();
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp)
          .setReductionTilingStrategy(
              ReductionTilingStrategy::PartialReductionOuterParallel)
          .setReductionDims({dim})
          .setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      // An op upstream cannot split (its combiner is not recognised) stays
      // whole and sequential, as before.
      if (failed(tiled))
        continue;
      // MLIR 22's partial-reduction tiling leaves linalg.index of the split
      // dim chunk-local (the full tiling offsets it): add the chunk's first
      // step, the forall's induction variable (test/Transforms/tile-graph.mlir
      // checks the sum, so an upstream fix would show as a double offset).
      Value chunkStart =
          cast<scf::ForallOp>(tiled->loops.front()).getInductionVars()[0];
      for (Operation *partial : tiled->tiledOps) {
        auto linalgOp = dyn_cast<linalg::LinalgOp>(partial);
        if (!linalgOp)
          continue;
        SmallVector<OpFoldResult> offsets(linalgOp.getNumLoops(),
                                          rewriter.getIndexAttr(0));
        offsets[dim] = chunkStart;
        linalg::offsetIndices(rewriter, linalgOp, offsets);
      }
      rewriter.replaceOp(op, tiled->replacements);
    }
    return success();
  }

  /// The last linalg op outside loops that is to be tiled, or null.
  linalg::LinalgOp
  lastCandidate(const llvm::DenseSet<Operation *> &untileable) {
    linalg::LinalgOp last;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (untileable.contains(op) ||
          op->getParentOfType<LoopLikeOpInterface>() ||
          !op.hasPureTensorSemantics() || op.hasDynamicShape() ||
          op.getNumParallelLoops() == 0 || op->getNumResults() == 0)
        return;
      // Reductions other than contractions (a row sum of a norm, a pooling
      // over the sequence) are left whole: the register tiler would step
      // their reduction one element at a time.
      if (op.getNumReductionLoops() != 0 &&
          !linalg::isaContractionOpInterface(op))
        return;
      // Fills are fused into the tiles of the ops they initialise.
      if (isa<linalg::FillOp>(op))
        return;
      last = op;
    });
    return last;
  }
};

} // namespace
