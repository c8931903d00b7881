//===- AttnTilesToLinalg.cpp - the CPU's lowering of attention tiles ------===//
//
// The CPU's lowering of the key tiles attn-tile leaves in its loop nests:
// each attn.partial_attention of one batch row, one head, Br queries and Bc
// (transposed, zero-padded) keys becomes the online-softmax step on linalg
// ops over static tiles, which mixir-vectorize-tiles then register-tiles and
// vectorizes. Tiles wholly inside the allowed region skip the per-element
// mask; layout tiles whose bit is 0 skip the step.
//
//===----------------------------------------------------------------------===//

#include "mixir/Conversion/Passes.h"

#include "mixir/Dialect/Attn/Tiling/TileRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace mixir {
#define GEN_PASS_DEF_CONVERTATTNTILESTOLINALG
#include "mixir/Conversion/Passes.h.inc"
} // namespace mixir

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;
using namespace mixir::attn::tile;

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

namespace {

/// The state carried over key tiles: acc [Br, Dv], and for softmax the row
/// max m [Br] and row sum l [Br] (all f32).
struct TileState {
  Value acc, rowMax, rowSum;
  SmallVector<Value> values() const {
    SmallVector<Value> all = {acc};
    if (rowMax)
      all.append({rowMax, rowSum});
    return all;
  }
};

} // namespace

namespace {

/// What one key-tile step reads: 2-D tiles of q [br, D], k^T [D, bc],
/// v [bc, Dv] and the bias ([br or 1, bc or 1]), the tile's global query and
/// key positions (index), and the mask on global positions (null: none).
struct StepInputs {
  int64_t queryRows, keyCols;
  double scale, sigmoidBias;
  bool softmax;
  Value query, keyTransposed, value, bias;
  Value queryStart, keyStart;
  std::function<Value(OpBuilder &, Location, Value i, Value j)> allowed;
};

} // namespace

/// `scale` * the key tile, in f32, in a tile of its own.
static Value packScaledKeyTile(OpBuilder &b, Location loc, Value keyTile,
                               double scale) {
  ArrayRef<int64_t> shape = shapeOf(keyTile);
  AffineMap identity = b.getMultiDimIdentityMap(shape.size());
  return buildGeneric(
      b, loc, keyTile, emptyTensor(b, loc, shape, b.getF32Type()),
      {identity, identity},
      SmallVector<utils::IteratorType>(shape.size(),
                                       utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        return arith::MulFOp::create(nb, nl, toF32(nb, nl, a[0]),
                                     f32Constant(nb, nl, scale));
      });
}

/// One step of the online softmax (or the sigmoid sum) over one key tile
/// for one query tile; the mask is applied when `applyMask`.
static TileState buildKeyTileStep(OpBuilder &b, Location loc,
                                  const StepInputs &s, const TileState &state,
                                  bool applyMask) {
  MLIRContext *ctx = b.getContext();
  int64_t br = s.queryRows, bc = s.keyCols;
  using utils::IteratorType;
  const IteratorType par = IteratorType::parallel;
  const IteratorType red = IteratorType::reduction;
  AffineExpr d0, d1, d2;
  bindDims(ctx, d0, d1, d2);
  auto map = [&](unsigned loops, ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(loops, 0, exprs, ctx);
  };

  // s[r, c] = sum_d q[r, d] (scale k)[c, d]                 loops (r, c, d)
  // (on the packed K^T tile, whose rows are contiguous)
  Value scores = buildGeneric(
      b, loc, {s.query, s.keyTransposed}, filledTensor(b, loc, {br, bc}, 0),
      {map(3, {d0, d2}), map(3, {d2, d1}), map(3, {d0, d1})}, {par, par, red},
      [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value lhs = toF32(nb, nl, a[0]);
        Value rhs = toF32(nb, nl, a[1]);
        return arith::AddFOp::create(nb, nl, a[2],
                                     arith::MulFOp::create(nb, nl, lhs, rhs));
      });

  // x = s + bias (s is scaled already), masked: -inf (softmax) or 0 after
  // the sigmoid.
  SmallVector<Value> inputs = {scores};
  SmallVector<AffineMap> maps = {map(2, {d0, d1})};
  if (s.bias) {
    ArrayRef<int64_t> shape = shapeOf(s.bias);
    inputs.push_back(s.bias);
    // A dim of the tile's size is indexed, one of size 1 broadcast (a dim
    // of a one-row or one-key tile is indexed, so that no 0-d read results).
    maps.push_back(
        map(2, {shape[0] == br ? d0 : getAffineConstantExpr(0, ctx),
                shape[1] == bc ? d1 : getAffineConstantExpr(0, ctx)}));
  }
  maps.push_back(map(2, {d0, d1}));
  bool needsMask = applyMask && s.allowed;
  // (The scale is in the packed key tile.) Unmasked softmax tiles without
  // a bias take the scores as they are.
  Value logits = scores;
  if (s.bias || needsMask || !s.softmax)
    logits = buildGeneric(
        b, loc, inputs, emptyTensor(b, loc, {br, bc}, b.getF32Type()), maps,
        {par, par}, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value x = a[0];
          if (s.bias)
            x = arith::AddFOp::create(nb, nl, x, toF32(nb, nl, a[1]));
          Value masked = f32Constant(nb, nl, s.softmax ? kNegInf : 0.0);
          if (!s.softmax)
            x = sigmoidScore(nb, nl, x, s.sigmoidBias);
          if (!needsMask)
            return x;
          Value i = arith::AddIOp::create(
              nb, nl, indexToI64(nb, nl, s.queryStart), loopIndex(nb, nl, 0));
          Value j = arith::AddIOp::create(
              nb, nl, indexToI64(nb, nl, s.keyStart), loopIndex(nb, nl, 1));
          return arith::SelectOp::create(nb, nl, s.allowed(nb, nl, i, j), x,
                                         masked);
        });

  // Every state update writes into the carried tensor (its own init), so
  // that bufferization keeps the state in place across key tiles.
  TileState next;
  Value probabilities = logits;
  Value accumulator = state.acc;
  if (s.softmax) {
    AffineMap rowIdentity = map(1, {d0});
    // t = rowmax x
    Value tileMax =
        buildGeneric(b, loc, logits, filledTensor(b, loc, {br}, kNegInf),
                     {map(2, {d0, d1}), map(2, {d0})}, {par, red},
                     [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       return arith::MaximumFOp::create(nb, nl, a[0], a[1]);
                     });
    // a = exp(m - m') with m' = max(m, t); 0 while m = -inf
    Value alpha =
        buildGeneric(b, loc, {state.rowMax, tileMax},
                     emptyTensor(b, loc, {br}, b.getF32Type()),
                     {rowIdentity, rowIdentity, rowIdentity}, {par},
                     [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       return onlineSoftmaxUpdate(nb, nl, a[0], a[1]).rescale;
                     });
    // m = m' (in place)
    next.rowMax = buildGeneric(
        b, loc, tileMax, state.rowMax, {rowIdentity, rowIdentity}, {par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MaximumFOp::create(nb, nl, a[0], a[1]);
        });
    // p = exp(x - m')
    probabilities = buildGeneric(
        b, loc, {logits, next.rowMax},
        emptyTensor(b, loc, {br, bc}, b.getF32Type()),
        {map(2, {d0, d1}), map(2, {d0}), map(2, {d0, d1})}, {par, par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return shiftedExp(nb, nl, a[0], a[1]);
        });
    // l = a l + rowsum p (in place)
    Value scaledSum = buildGeneric(
        b, loc, alpha, state.rowSum, {rowIdentity, rowIdentity}, {par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MulFOp::create(nb, nl, a[0], a[1]);
        });
    next.rowSum = buildGeneric(
        b, loc, probabilities, scaledSum, {map(2, {d0, d1}), map(2, {d0})},
        {par, red}, [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::AddFOp::create(nb, nl, a[0], a[1]);
        });
    // acc = a acc (in place)
    accumulator = buildGeneric(
        b, loc, alpha, state.acc, {map(2, {d0}), map(2, {d0, d1})}, {par, par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MulFOp::create(nb, nl, a[0], a[1]);
        });
  }
  // acc' = acc + p . v                                      loops (r, e, c)
  next.acc = buildGeneric(
      b, loc, {probabilities, s.value}, accumulator,
      {map(3, {d0, d2}), map(3, {d2, d1}), map(3, {d0, d1})}, {par, par, red},
      [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value product =
            arith::MulFOp::create(nb, nl, a[0], toF32(nb, nl, a[1]));
        return arith::AddFOp::create(nb, nl, a[2], product);
      });
  return next;
}

std::optional<StringRef> mixir::unsupportedLinalgTile(PartialAttentionOp op) {
  auto staticShape = [](Value v) {
    return cast<ShapedType>(v.getType()).hasStaticShape();
  };
  if (!llvm::all_of(op->getOperands(), [&](Value x) {
        return !isa<ShapedType>(x.getType()) || staticShape(x);
      }))
    return StringRef("with static shapes");
  ArrayRef<int64_t> q = shapeOf(op.getQuery()), k = shapeOf(op.getKey());
  if (!op.getKeyTransposed() || q[0] != 1 || q[1] != 1 || k[1] != 1)
    return StringRef("of one batch row and one head with transposed keys");
  std::optional<ArrayRef<int64_t>> block = op.getBlock();
  if (block && ((*block)[0] % q[2] != 0 || (*block)[1] % k[3] != 0))
    return StringRef("that lie inside one block of a layout");
  return std::nullopt;
}

LogicalResult mixir::lowerAttentionTileToLinalg(RewriterBase &rewriter,
                                                PartialAttentionOp op) {
  if (unsupportedLinalgTile(op))
    return failure();
  ArrayRef<int64_t> q = shapeOf(op.getQuery()), k = shapeOf(op.getKey()),
                    v = shapeOf(op.getValue());
  int64_t br = q[2], headDim = q[3], bc = k[3], valueDim = v[3];

  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  OpFoldResult zero = rewriter.getIndexAttr(0);
  SmallVector<OpFoldResult> origin(4, zero);
  TilePlacement at = TilePlacement::get(rewriter, loc, op);
  AttentionMaskParams mask = maskParamsOf(op);

  StepInputs s;
  s.queryRows = br;
  s.keyCols = bc;
  s.scale = op.getScale().convertToDouble();
  s.softmax = op.getScore() == ScoreKind::softmax;
  s.sigmoidBias = s.softmax ? 0.0 : op.getSigmoidBiasAttr().getValueAsDouble();
  s.query = sliceOf(rewriter, loc, op.getQuery(), origin, {1, 1, br, headDim},
                    {br, headDim});
  s.keyTransposed = sliceOf(rewriter, loc, op.getKey(), origin,
                            {1, 1, headDim, bc}, {headDim, bc});
  s.value = sliceOf(rewriter, loc, op.getValue(), origin, {1, 1, bc, valueDim},
                    {bc, valueDim});
  // The key tile is packed once per key step: copied out of K^T (whose rows
  // lie a whole key length apart: at T = 4096 every row of a tile falls in
  // the same L1 sets, and the tile's 64 rows on 64 pages) into a contiguous
  // f32 [D, Bc] tile, widened from f16/bf16 and multiplied by the scale on
  // the way, so that the scores need no pass of their own for the scale. A
  // pass that computes something is also one that canonicalization keeps:
  // a plain copy of a tensor slice folds away. V's tiles are contiguous
  // rows already and are only widened (with a tile element type).
  s.keyTransposed = packScaledKeyTile(rewriter, loc, s.keyTransposed, s.scale);
  if (TileConfigAttr config = TileConfigAttr::lookup(op);
      config && config.getTileElementType())
    s.value = tensorToF32(rewriter, loc, s.value);
  if (Value bias = op.getBias()) {
    ArrayRef<int64_t> shape = shapeOf(bias);
    s.bias = sliceOf(rewriter, loc, bias, origin, shape, shape.take_back(2));
  }
  s.queryStart = at.queryStart;
  s.keyStart = at.keyStart;
  Region &maskRegion = op.getMask();
  // The spec's mask is needed when some key of a tile may lie past the valid
  // ones (kv_len, keys padded to whole tiles), with q_len, causal or a
  // window; query rows padded to whole tiles are dropped, so never. A mask
  // region adds its own condition.
  bool specMask = mayNeedElementMask(mask, bc);
  bool elementMask = specMask || !maskRegion.empty();
  if (elementMask)
    s.allowed = [&](OpBuilder &nb, Location nl, Value i, Value j) -> Value {
      Value allowed;
      auto require = [&](Value condition) {
        allowed =
            allowed
                ? arith::AndIOp::create(nb, nl, allowed, condition).getResult()
                : condition;
      };
      if (specMask)
        require(
            buildSpecMask(nb, nl, mask, i, j, at.validKeys, at.validQueries));
      if (maskRegion.empty())
        return allowed;
      IRMapping mapping;
      Block &body = maskRegion.front();
      mapping.map(body.getArgument(0), i);
      for (Operation &inner : body.without_terminator())
        nb.clone(inner, mapping);
      KeyIntervals intervals;
      ValueRange bounds = body.getTerminator()->getOperands();
      for (size_t index = 0; index + 1 < bounds.size(); index += 2)
        intervals.push_back({mapping.lookupOrDefault(bounds[index]),
                             mapping.lookupOrDefault(bounds[index + 1])});
      require(inKeyIntervals(nb, nl, intervals, j));
      return allowed;
    };

  SmallVector<int64_t> stateShapes[] = {
      {1, 1, br, valueDim}, {1, 1, br}, {1, 1, br}};
  TileState state;
  ValueRange outputs = op.getOutputs();
  ArrayRef<OpFoldResult> rowOrigin = ArrayRef(origin).take_front(3);
  state.acc = sliceOf(rewriter, loc, outputs[0], origin, stateShapes[0],
                      {br, valueDim});
  if (s.softmax) {
    state.rowMax =
        sliceOf(rewriter, loc, outputs[1], rowOrigin, stateShapes[1], {br});
    state.rowSum =
        sliceOf(rewriter, loc, outputs[2], rowOrigin, stateShapes[2], {br});
  }

  auto step = [&](OpBuilder &sb, Location sl, bool masked) {
    return buildKeyTileStep(sb, sl, s, state, masked).values();
  };
  // Tiles that lie wholly inside the allowed region skip the per-element
  // mask; only the tiles on its border pay for it.
  auto maskedStep = [&](OpBuilder &sb, Location sl) -> SmallVector<Value> {
    if (!elementMask || !maskRegion.empty())
      return step(sb, sl, true);
    Value whole = isWholeTileAllowed(sb, sl, mask, at, br, bc);
    auto branch = scf::IfOp::create(
        sb, sl, whole,
        [&](OpBuilder &tb, Location tl) {
          scf::YieldOp::create(tb, tl, step(tb, tl, false));
        },
        [&](OpBuilder &eb, Location el) {
          scf::YieldOp::create(eb, el, step(eb, el, true));
        });
    return branch.getResults();
  };
  SmallVector<Value> next;
  if (Value layout = op.getLayout()) {
    // Block-sparse: only tiles whose layout bit is set do any work.
    Value first = op.getLayoutPerBatch() ? at.batch
                  : shapeOf(layout)[0] == 1
                      ? arith::ConstantIndexOp::create(rewriter, loc, 0)
                      : at.head;
    // The tile lies inside one block (of the tile's size or a multiple).
    ArrayRef<int64_t> block = *op.getBlock();
    Value queryBlock = arith::DivUIOp::create(
        rewriter, loc, at.queryStart,
        arith::ConstantIndexOp::create(rewriter, loc, block[0]));
    Value keyBlock = arith::DivUIOp::create(
        rewriter, loc, at.keyStart,
        arith::ConstantIndexOp::create(rewriter, loc, block[1]));
    Value bit = tensor::ExtractOp::create(
        rewriter, loc, layout, ValueRange{first, queryBlock, keyBlock});
    auto branch = scf::IfOp::create(
        rewriter, loc, bit,
        [&](OpBuilder &tb, Location tl) {
          scf::YieldOp::create(tb, tl, maskedStep(tb, tl));
        },
        [&](OpBuilder &eb, Location el) {
          scf::YieldOp::create(eb, el, state.values());
        });
    next = branch.getResults();
  } else {
    next = maskedStep(rewriter, loc);
  }

  SmallVector<Value> results;
  for (auto [index, updated] : llvm::enumerate(next)) {
    SmallVector<OpFoldResult> offsets(stateShapes[index].size(), zero),
        sizes =
            getAsIndexOpFoldResult(rewriter.getContext(), stateShapes[index]),
        strides(stateShapes[index].size(), rewriter.getIndexAttr(1));
    results.push_back(tensor::InsertSliceOp::create(
        rewriter, loc, updated, outputs[index], offsets, sizes, strides));
  }
  rewriter.replaceOp(op, results);
  return success();
}

namespace {

struct LowerAttentionTile : OpRewritePattern<PartialAttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PartialAttentionOp op,
                                PatternRewriter &rewriter) const override {
    // Only the key tiles attn-tile builds: inside its key loop.
    if (!op->getParentOfType<scf::ForOp>())
      return rewriter.notifyMatchFailure(op, "not a tile of attn-tile's loops");
    if (std::optional<StringRef> missing = mixir::unsupportedLinalgTile(op))
      return rewriter.notifyMatchFailure(op, "lowers tiles " + *missing);
    return mixir::lowerAttentionTileToLinalg(rewriter, op);
  }
};

struct ConvertAttnTilesToLinalgPass
    : public mixir::impl::ConvertAttnTilesToLinalgBase<
          ConvertAttnTilesToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mixir::populateAttnTilesToLinalgPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // A tile of another configuration is left: say why.
    WalkResult left = getOperation()->walk([](PartialAttentionOp op) {
      if (!op->getParentOfType<scf::ForOp>())
        return WalkResult::advance();
      op.emitOpError() << "convert-attn-tiles-to-linalg lowers tiles "
                       << mixir::unsupportedLinalgTile(op).value_or("this form")
                       << " only (the CPU's tile configuration)";
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

void mixir::populateAttnTilesToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerAttentionTile>(patterns.getContext());
}
