//===- VectorizeTiles.cpp - the mixir-vectorize-tiles pass ----------------===//
//
// Register tiling and vectorization of the linalg ops inside the parallel
// tile loops: upstream's TilingInterface driver cuts each op into register
// tiles, upstream's linalg vectorizer turns each tile into vector ops.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"

#include "mixir/Dialect/Attn/IR/AttnAttrs.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIRVECTORIZETILES
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

/// The largest divisor of `size` that is at most `cap`, so that tiles are
/// whole and need no masking.
static int64_t divisorAtMost(int64_t size, int64_t cap) {
  for (int64_t tile = std::min(size, cap); tile > 1; --tile)
    if (size % tile == 0)
      return tile;
  return 1;
}

/// Register tile sizes (0: not tiled): `rows` by `cols` of the first and
/// last parallel dims; a contraction's reduction dim one step at a time;
/// other reductions whole.
static SmallVector<int64_t> registerTileSizes(linalg::LinalgOp op, int64_t rows,
                                              int64_t cols) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // Unit dims (a batch of one) take no part in the register tile.
  SmallVector<unsigned> parallel, reduction, unit;
  for (auto [dim, iterator] : llvm::enumerate(iterators)) {
    if (iterator == utils::IteratorType::parallel && ranges[dim] == 1)
      unit.push_back(dim);
    else
      (iterator == utils::IteratorType::parallel ? parallel : reduction)
          .push_back(dim);
  }
  SmallVector<int64_t> tiles(iterators.size(), 0);
  if (parallel.size() < 2 && reduction.empty())
    return tiles;
  for (unsigned dim : llvm::concat<unsigned>(parallel, unit))
    tiles[dim] = 1;
  if (parallel.size() >= 2) {
    tiles[parallel.front()] = divisorAtMost(ranges[parallel.front()], rows);
    tiles[parallel.back()] = divisorAtMost(ranges[parallel.back()], cols);
  } else if (!parallel.empty()) {
    tiles[parallel.front()] = divisorAtMost(ranges[parallel.front()], rows);
  }
  bool contraction = parallel.size() >= 2 && !reduction.empty();
  for (unsigned dim : reduction)
    tiles[dim] = contraction ? 1 : 0;
  return tiles;
}

/// Whether tiling keeps every indexing map valid inside the tiles: a tile's
/// operand slices start at the map of the tile's offsets, and the tiled op
/// keeps the same maps on local indices, which for `d floordiv c` (or mod)
/// only holds when the tiles of `d` are aligned to the blocks of c.
static bool tilingKeepsMaps(linalg::LinalgOp op, ArrayRef<int64_t> tiles) {
  bool aligned = true;
  for (AffineMap map : op.getIndexingMapsArray()) {
    for (AffineExpr result : map.getResults()) {
      result.walk([&](AffineExpr expr) {
        auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
        if (!binary || (expr.getKind() != AffineExprKind::FloorDiv &&
                        expr.getKind() != AffineExprKind::CeilDiv &&
                        expr.getKind() != AffineExprKind::Mod))
          return;
        auto dim = dyn_cast<AffineDimExpr>(binary.getLHS());
        auto divisor = dyn_cast<AffineConstantExpr>(binary.getRHS());
        if (!dim || !divisor) {
          aligned = false;
          return;
        }
        int64_t tile = tiles[dim.getPosition()], c = divisor.getValue();
        if (tile != 0 && c > 0 && tile % c != 0 && c % tile != 0)
          aligned = false;
      });
    }
  }
  return aligned;
}

/// The op that computes `op`'s accumulator, when `op` is a contraction and
/// that op an elementwise op or fill of the same tile used only there (so
/// that computing it per register tile computes each element once).
static linalg::LinalgOp fusibleAccumulatorProducer(linalg::LinalgOp op) {
  if (!linalg::isaContractionOpInterface(op) || op.getNumDpsInits() != 1)
    return nullptr;
  Value init = op.getDpsInits().front();
  auto producer = init.getDefiningOp<linalg::LinalgOp>();
  if (!producer || !init.hasOneUse() || producer->getNumResults() != 1 ||
      producer->getBlock() != op->getBlock() ||
      !producer.hasPureTensorSemantics() || producer.hasDynamicShape() ||
      producer.getNumParallelLoops() != producer.getNumLoops() ||
      !producer.getIndexingMapMatchingResult(cast<OpResult>(init)).isIdentity())
    return nullptr;
  return producer;
}

/// Vectorizes `tile` (one register tile, or an op left untiled), first cut
/// into `reductionSteps` (0: not cut) along its reduction dims: a
/// contraction takes them one step at a time, so that it vectorizes to outer
/// products.
static void vectorizeTile(RewriterBase &rewriter, Operation *tile,
                          ArrayRef<int64_t> reductionSteps) {
  SmallVector<Operation *> pieces = {tile};
  if (llvm::any_of(reductionSteps, [](int64_t step) { return step != 0; })) {
    rewriter.setInsertionPoint(tile);
    scf::SCFTilingOptions options;
    options.setTileSizes(
        getAsIndexOpFoldResult(rewriter.getContext(), reductionSteps));
    FailureOr<scf::SCFTilingResult> stepped =
        scf::tileUsingSCF(rewriter, cast<TilingInterface>(tile), options);
    if (succeeded(stepped)) {
      rewriter.replaceOp(tile, stepped->replacements);
      pieces = stepped->tiledOps;
    }
  }
  for (Operation *piece : pieces) {
    rewriter.setInsertionPoint(piece);
    FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
        rewriter, piece, /*inputVectorSizes=*/{},
        /*inputScalableVecDims=*/{}, /*vectorizeNDExtract=*/false,
        /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/true);
    if (succeeded(vectorized))
      rewriter.replaceOp(piece, vectorized->replacements);
  }
}

/// Register-tiles and vectorizes `op`, with `accumulatorProducer` (if any)
/// fused into its register tiles; fails when the producer was not fused
/// (it is then left as it was).
static LogicalResult vectorizeOp(RewriterBase &rewriter, linalg::LinalgOp op,
                                 linalg::LinalgOp accumulatorProducer) {
  auto config = mixir::attn::TileConfigAttr::lookup(op);
  // A generic that is a matmul becomes linalg.matmul, so that its tiles
  // vectorize to vector.contract (lowered to outer products) instead of
  // a broadcast product reduced over a unit dim, which the LLVM lowering
  // scalarizes.
  // (vector.contract takes one element type on both sides.)
  auto elementTypes = llvm::map_range(
      op->getOperandTypes(), [](Type t) { return getElementTypeOrSelf(t); });
  bool oneElementType = llvm::all_equal(elementTypes);
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      generic && oneElementType && linalg::isaContractionOpInterface(op)) {
    // Specialized on a copy, and kept only when the named op reads its
    // operands through the same maps: upstream drops a batched
    // contraction's transposed operand maps.
    rewriter.setInsertionPoint(generic);
    auto copy = cast<linalg::GenericOp>(rewriter.clone(*generic));
    FailureOr<linalg::LinalgOp> named =
        linalg::specializeGenericOp(rewriter, copy);
    if (succeeded(named) &&
        named->getIndexingMapsArray() == generic.getIndexingMapsArray()) {
      rewriter.replaceOp(generic, named->getOperation()->getResults());
      op = *named;
    } else {
      rewriter.eraseOp(succeeded(named) ? named->getOperation()
                                        : copy.getOperation());
    }
  }
  SmallVector<int64_t> sizes =
      registerTileSizes(op, config.getRegisterRows(), config.getRegisterCols());
  if (!tilingKeepsMaps(op, sizes))
    return failure();
  // The register tiles of the parallel dims, with the accumulator's
  // producer fused into them; the reduction is stepped inside each.
  SmallVector<int64_t> parallelSizes = sizes, reductionSteps = sizes;
  for (auto [parallelSize, reductionStep, iterator] :
       llvm::zip(parallelSizes, reductionSteps, op.getIteratorTypesArray()))
    (iterator == utils::IteratorType::reduction ? parallelSize
                                                : reductionStep) = 0;
  if (llvm::all_of(parallelSizes, [](int64_t size) { return size == 0; })) {
    vectorizeTile(rewriter, op, reductionSteps);
    return accumulatorProducer ? failure() : success();
  }
  rewriter.setInsertionPoint(op);
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(
      getAsIndexOpFoldResult(rewriter.getContext(), parallelSizes));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  Operation *producerOp =
      accumulatorProducer ? accumulatorProducer.getOperation() : nullptr;
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult candidate,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (candidate.getOwner() != producerOp)
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  FailureOr<scf::SCFTileAndFuseResult> tiled =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return failure();
  for (OpResult result : op->getResults())
    if (Value replacement = tiled->replacements.lookup(result))
      rewriter.replaceAllUsesWith(result, replacement);
  rewriter.eraseOp(op);
  // The producer is fused when its register tiles are computed in the loop
  // and nothing reads its whole result any more.
  bool producerFused = producerOp &&
                       tiled->fusedProducers.contains(producerOp) &&
                       producerOp->use_empty();
  if (producerFused)
    rewriter.eraseOp(producerOp);
  for (auto [index, tile] : llvm::enumerate(tiled->tiledAndFusedOps))
    vectorizeTile(rewriter, tile,
                  index == 0 ? ArrayRef<int64_t>(reductionSteps)
                             : ArrayRef<int64_t>());
  return producerOp && !producerFused ? failure() : success();
}

namespace {

struct VectorizeTilesPass
    : public mixir::impl::MixirVectorizeTilesBase<VectorizeTilesPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> candidates;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<scf::ForallOp>() ||
          !op.hasPureTensorSemantics() || op.hasDynamicShape())
        return;
      // Vectors of i1 are bit-packed in memory by the LLVM lowering, the
      // tensors' buffers hold a byte per element: leave such ops scalar.
      if (llvm::any_of(op->getOperandTypes(), [](Type type) {
            return getElementTypeOrSelf(type).isInteger(1);
          }))
        return;
      // A reduction over an outer dim (a column sum, the partial sums of a
      // split mean) would step its reduction outside the register tile with
      // the accumulator in memory: its loops are left to LLVM's vectorizer,
      // which keeps the running sums of the innermost dim in registers.
      SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
      if (op.getNumReductionLoops() != 0 &&
          !linalg::isaContractionOpInterface(op) &&
          iterators.back() == utils::IteratorType::parallel)
        return;
      candidates.push_back(op);
    });
    // Each op takes the register tile of its nearest enclosing tile
    // configuration.
    for (linalg::LinalgOp op : candidates)
      if (failed(mixir::attn::TileConfigAttr::require(op,
                                                      "mixir-vectorize-tiles")))
        return signalPassFailure();
    IRRewriter rewriter(&getContext());
    // The elementwise producer of a contraction's accumulator (the zero fill
    // of the scores, the rescale of the online softmax's acc) is fused into
    // the contraction's register tiles, where it acts on the accumulator
    // registers before the reduction instead of in a pass of its own over
    // the tile. Those producers wait for their contraction.
    DenseMap<Operation *, linalg::LinalgOp> accumulatorProducer;
    llvm::SmallPtrSet<Operation *, 8> deferred;
    for (linalg::LinalgOp op : candidates)
      if (linalg::LinalgOp producer = fusibleAccumulatorProducer(op)) {
        accumulatorProducer[op] = producer;
        deferred.insert(producer);
      }
    llvm::SmallPtrSet<Operation *, 8> fused;
    for (linalg::LinalgOp op : candidates) {
      if (deferred.contains(op))
        continue;
      linalg::LinalgOp producer = accumulatorProducer.lookup(op);
      if (succeeded(vectorizeOp(rewriter, op, producer)) && producer)
        fused.insert(producer);
    }
    for (linalg::LinalgOp op : candidates)
      if (deferred.contains(op) && !fused.contains(op))
        (void)vectorizeOp(rewriter, op, nullptr);
    // Row reductions (max, sum) become vector reductions of each row; the
    // LLVM lowering does not take vector.multi_reduction itself.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerReduction);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
