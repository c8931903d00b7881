//===- TileAttention.cpp - the attn-tile pass -----------------------------===//
//
// The attn-tile pass, and its patterns for attn.attention,
// attn.block_sparse_attention and routed attention with 1-D regions, all on
// the tile engine (TileEngine.h). The Combiner, PoNet and Hyena patterns
// live in their own files.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Tiling/Passes.h"

#include "TileEngine.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace mixir::attn {
#define GEN_PASS_DEF_ATTNTILE
#include "mixir/Dialect/Attn/Tiling/Passes.h.inc"
} // namespace mixir::attn

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;
using namespace mixir::attn::tile;

/// Attention and block-sparse attention: pads Q, K, V (and the bias) to
/// whole tiles and transposes K once where the tile configuration asks for
/// it, and runs the engine.
template <typename OpTy>
static LogicalResult tileAttentionLike(OpTy op, PatternRewriter &rewriter,
                                       TileConfigAttr config, int64_t queryTile,
                                       int64_t keyTile, Value layout,
                                       ArrayRef<int64_t> layoutBlock = {}) {
  if (failed(requireStaticShapes(rewriter, op)))
    return failure();
  Location loc = op.getLoc();
  ArrayRef<int64_t> q = shapeOf(op.getQuery()), k = shapeOf(op.getKey()),
                    v = shapeOf(op.getValue());
  TiledAttention p;
  p.batch = q[0];
  p.queryHeads = q[1];
  p.queryLen = q[2];
  p.headDim = q[3];
  p.keyLen = k[2];
  p.valueDim = v[3];
  p.group = q[1] / k[1];
  p.queryTile = queryTile;
  p.keyTile = keyTile;
  p.elementType =
      cast<RankedTensorType>(op.getQuery().getType()).getElementType();
  p.scale = scaleOrDefault(op.getScaleAttr(), p.headDim);
  p.softmax = op.getScore() == ScoreKind::softmax;
  p.sigmoidBias =
      op.getSigmoidBiasAttr()
          ? op.getSigmoidBiasAttr().getValueAsDouble()
          : -std::log(static_cast<double>(std::max<int64_t>(p.keyLen, 1)));
  p.withLse = op.hasLse();
  p.mask = AttentionMaskParams::get(op);

  // Padded: whole tiles for a target whose tiles are static; otherwise the
  // target's tile lowering masks the partial border tiles.
  bool pad = config.getPadToTiles();
  int64_t paddedQueries =
      pad ? roundUp(std::max<int64_t>(p.queryLen, 1), queryTile) : q[2];
  int64_t paddedKeys =
      pad ? roundUp(std::max<int64_t>(p.keyLen, 1), keyTile) : k[2];
  p.query =
      padTo(rewriter, loc, op.getQuery(), {q[0], q[1], paddedQueries, q[3]});
  setKeys(rewriter, loc, p,
          padTo(rewriter, loc, op.getKey(), {k[0], k[1], paddedKeys, k[3]}),
          config);
  p.value = padTo(rewriter, loc, op.getValue(), {v[0], v[1], paddedKeys, v[3]});
  if (Value bias = op.getBias()) {
    SmallVector<int64_t> shape(shapeOf(bias));
    if (shape[2] != 1)
      shape[2] = paddedQueries;
    if (shape[3] != 1)
      shape[3] = paddedKeys;
    p.bias = padTo(rewriter, loc, bias, shape);
  }
  p.kvLen = op.getKvLen();
  p.qLen = op.getQLen();
  p.layout = layout;
  if (!layoutBlock.empty()) {
    p.layoutQueryBlock = layoutBlock[0];
    p.layoutKeyBlock = layoutBlock[1];
  }

  rewriter.replaceOp(op, buildTiledAttention(rewriter, loc, p));
  return success();
}

namespace {

struct TileAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    TileConfigAttr config = TileConfigAttr::lookup(op);
    if (!config)
      return rewriter.notifyMatchFailure(op, "no tile configuration");
    return tileAttentionLike(op, rewriter, config, config.getQueryTile(),
                             config.getKeyTile(), Value());
  }
};

/// The tiles of an op with a block layout of `block`: the configuration's
/// where each lies in one block (they divide the blocks), so that a zero
/// bit skips whole tiles, or where the target masks tiles per element (an
/// unpadded configuration: the GPU's kernels then check each element's
/// block bit and skip the tiles that meet no set block); else, on a padded
/// configuration (the CPU's), the blocks themselves.
static std::pair<int64_t, int64_t> tilesForBlocks(TileConfigAttr config,
                                                  ArrayRef<int64_t> block) {
  int64_t queryTile = config.getQueryTile(), keyTile = config.getKeyTile();
  bool divide = block[0] % queryTile == 0 && block[1] % keyTile == 0;
  if (divide || !config.getPadToTiles())
    return {queryTile, keyTile};
  return {block[0], block[1]};
}

struct TileBlockSparseAttention : OpRewritePattern<BlockSparseAttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BlockSparseAttentionOp op,
                                PatternRewriter &rewriter) const override {
    TileConfigAttr config = TileConfigAttr::lookup(op);
    if (!config)
      return rewriter.notifyMatchFailure(op, "no tile configuration");
    ArrayRef<int64_t> block = op.getBlock();
    auto [queryTile, keyTile] = tilesForBlocks(config, block);
    return tileAttentionLike(op, rewriter, config, queryTile, keyTile,
                             op.getLayout(), block);
  }
};

/// [B, H, GH * GW, D] in row-major grid order <-> region-major order
/// [B, H, (RH, RW, hr, wr), D], so that each 2-D region is a contiguous
/// token range. One transpose (O(L D)).
static Value permuteRegions(OpBuilder &b, Location loc, Value x,
                            ArrayRef<int64_t> grid, ArrayRef<int64_t> regions,
                            bool toRegionMajor) {
  ArrayRef<int64_t> shape = shapeOf(x);
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  int64_t hr = grid[0] / regions[0], wr = grid[1] / regions[1];
  // grid order: (RH, hr, RW, wr); region-major: (RH, RW, hr, wr)
  SmallVector<int64_t> gridOrder = {shape[0],   shape[1], regions[0], hr,
                                    regions[1], wr,       shape[3]};
  SmallVector<int64_t> regionOrder = {
      shape[0], shape[1], regions[0], regions[1], hr, wr, shape[3]};
  SmallVector<ReassociationIndices> split = {{0}, {1}, {2, 3, 4, 5}, {6}};
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get(toRegionMajor ? gridOrder : regionOrder, element),
      x, split);
  // The permutation swaps dims 3 and 4 both ways.
  Value swapped =
      linalg::TransposeOp::create(
          b, loc, expanded,
          emptyTensor(b, loc, toRegionMajor ? regionOrder : gridOrder, element),
          ArrayRef<int64_t>{0, 1, 2, 4, 3, 5, 6})
          .getResult()[0];
  return tensor::CollapseShapeOp::create(b, loc, swapped, split);
}

/// Routed attention is block-sparse attention whose blocks are the regions
/// and whose layout, per batch row, is "region m ranks below topk for region
/// n": the routing prologue (O(L D + R^2 H D)) computes it, and the tile
/// loop visits only the topk routed regions of each query region. 1-D
/// regions are read in place (no gathered copy of K/V); 2-D regions are
/// first permuted region-major (one O(L D) transpose of Q, K, V and of the
/// output back), after which they are contiguous too.
struct TileRoutedAttention : OpRewritePattern<RoutedAttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RoutedAttentionOp op,
                                PatternRewriter &rewriter) const override {
    TileConfigAttr config = TileConfigAttr::lookup(op);
    if (!config)
      return rewriter.notifyMatchFailure(op, "no tile configuration");
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    std::optional<ArrayRef<int64_t>> grid = op.getGrid(),
                                     regionGrid = op.getRegions();
    int64_t region = tokensPerRegion(op);
    // One region-major copy per distinct tensor (self-attention passes one
    // tensor as q, k and v).
    SmallVector<std::pair<Value, Value>, 3> permuted;
    auto regionMajor = [&](Value x) {
      if (!grid)
        return x;
      for (auto [original, copy] : permuted)
        if (original == x)
          return copy;
      Value copy = permuteRegions(rewriter, loc, x, *grid, *regionGrid,
                                  /*toRegionMajor=*/true);
      permuted.push_back({x, copy});
      return copy;
    };

    // routed[b, n, m]: region m among the topk of query region n (regions
    // numbered row-major, which is also their order in the region-major
    // layout).
    // (A separate op: each target computes the routing its own way.)
    int64_t regionCount = shape[2] / region;
    Value routed = RoutingLayoutOp::create(
        rewriter, loc,
        RankedTensorType::get({shape[0], regionCount, regionCount},
                              rewriter.getI1Type()),
        op.getQuery(), op.getKey(), op.getTopkAttr(), op.getRegionSizeAttr(),
        op.getGridAttr(), op.getRegionsAttr());

    TiledAttention p;
    p.batch = shape[0];
    p.queryHeads = shape[1];
    p.queryLen = p.keyLen = shape[2];
    p.headDim = p.valueDim = shape[3];
    p.group = 1;
    // The regions are the layout's blocks, tiled as block-sparse
    // attention's.
    std::tie(p.queryTile, p.keyTile) = tilesForBlocks(config, {region, region});
    p.elementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    p.scale = scaleOrDefault(op.getScaleAttr(), p.headDim);
    p.softmax = true;
    p.sigmoidBias = 0;
    p.withLse = false;
    p.mask.queryLen = p.mask.keyLen = shape[2];
    p.query = regionMajor(op.getQuery());
    setKeys(rewriter, loc, p, regionMajor(op.getKey()), config);
    p.value = regionMajor(op.getValue());
    p.layout = routed;
    p.layoutPerBatch = true;
    p.layoutQueryBlock = p.layoutKeyBlock = region;
    Value out = buildTiledAttention(rewriter, loc, p).front();
    if (grid)
      out = permuteRegions(rewriter, loc, out, *grid, *regionGrid,
                           /*toRegionMajor=*/false);
    rewriter.replaceOp(op, out);
    return success();
  }
};

struct AttnTilePass : public mixir::attn::impl::AttnTileBase<AttnTilePass> {
  using Base::Base;

  void runOnOperation() override {
    // Every op tiles with the configuration of its nearest enclosing op
    // that has one.
    WalkResult configured = getOperation()->walk([](Operation *op) {
      if (!isa<AttnDialect>(op->getDialect()) || isa<YieldOp>(op))
        return WalkResult::advance();
      return failed(TileConfigAttr::require(op, "attn-tile"))
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    });
    if (configured.wasInterrupted())
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateAttnTilingPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Say what stays on the reference path, and why.
    getOperation()->walk([&](Operation *op) {
      if (!isa<AttnDialect>(op->getDialect()) || isa<YieldOp>(op))
        return;
      // The key tiles attn-tile leaves in its loops are for the target.
      if (auto loop = op->getParentOfType<scf::ForallOp>();
          loop && loop->hasAttr(kFlashLoopAttrName))
        return;
      if (isa<PartialAttentionOp>(op)) {
        op->emitRemark("attn-tile: attn.partial_attention is internal: only "
                       "the tiles attn-tile itself creates are lowered");
        return;
      }
      // Routed attention's routing: each target computes it its own way (the
      // CPU by its decomposition).
      if (isa<RoutingLayoutOp>(op))
        return;
      bool dynamic = llvm::any_of(op->getOperandTypes(), [](Type type) {
        auto shaped = dyn_cast<ShapedType>(type);
        return shaped && !shaped.hasStaticShape();
      });
      if (!dynamic && isa<HyenaOp>(op)) {
        op->emitRemark()
            << "attn-tile: L = "
            << cast<ShapedType>(op->getOperand(0).getType()).getDimSize(1)
            << " is below the tile configuration's hyena_fft_min_length ("
            << TileConfigAttr::lookup(op).getHyenaFftMinLength()
            << "): the direct convolution of the reference "
            << "decomposition is used";
        return;
      }
      if (dynamic)
        op->emitRemark("attn-tile: not tiled (dynamic shapes); it falls back "
                       "to the reference decomposition");
      else
        op->emitRemark() << "attn-tile: no tiled lowering for " << op->getName()
                         << " yet; it falls back to the "
                         << "reference decomposition";
    });
  }
};

} // namespace

void mixir::attn::populateAttnTilingPatterns(RewritePatternSet &patterns) {
  patterns.add<TileAttention, TileBlockSparseAttention, TileRoutedAttention>(
      patterns.getContext());
  populateCombinerTilingPatterns(patterns);
  populatePoolMixStreamingPatterns(patterns);
  populateHyenaFFTPatterns(patterns);
}
