//===- TileEngine.cpp - the flash-style tile engine of attn-tile ----------===//
//
// A parallel loop over (batch, query head, query tile) and, inside, a loop
// over the key tiles that the masks (or the caller's key ranges) leave,
// carrying the online-softmax state (acc, m, l). The S x T scores never
// exist; the extra memory is one tile of scores.
//
//===----------------------------------------------------------------------===//

#include "TileEngine.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;
using namespace mixir::attn::tile;

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

Value tile::padTo(OpBuilder &b, Location loc, Value x,
                  ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  SmallVector<OpFoldResult> low(shape.size(), b.getIndexAttr(0)), high;
  for (auto [size, padded] : llvm::zip_equal(type.getShape(), shape))
    high.push_back(b.getIndexAttr(padded - size));
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), x, low, high,
      zero);
}

static Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// exp(x - m) with m replaced by 0 where it is -inf (an empty row).
static Value expShifted(OpBuilder &b, Location loc, Value x, Value rowMax) {
  Value isEmpty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                        rowMax, f32Constant(b, loc, kNegInf));
  Value safeMax =
      arith::SelectOp::create(b, loc, isEmpty, f32Constant(b, loc, 0), rowMax);
  return math::ExpOp::create(b, loc, arith::SubFOp::create(b, loc, x, safeMax));
}

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

  // s[r, c] = sum_d q[r, d] k[c, d]                         loops (r, c, d)
  // (K is transposed so that a row of the key tile is contiguous.)
  Value scores = buildGeneric(
      b, loc, {s.query, s.keyTransposed}, filledTensor(b, loc, {br, bc}, 0),
      {map(3, {d0, d2}), map(3, {d2, d1}), map(3, {d0, d1})}, {par, par, red},
      [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value lhs = toF32(nb, nl, a[0]);
        Value rhs = toF32(nb, nl, a[1]);
        return arith::AddFOp::create(nb, nl, a[2],
                                     arith::MulFOp::create(nb, nl, lhs, rhs));
      });

  // x = scale * s + bias, masked: -inf (softmax) or 0 after the sigmoid.
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
  Value logits = buildGeneric(
      b, loc, inputs, emptyTensor(b, loc, {br, bc}, b.getF32Type()), maps,
      {par, par}, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value x =
            arith::MulFOp::create(nb, nl, a[0], f32Constant(nb, nl, s.scale));
        if (s.bias)
          x = arith::AddFOp::create(nb, nl, x, toF32(nb, nl, a[1]));
        Value masked = f32Constant(nb, nl, s.softmax ? kNegInf : 0.0);
        if (!s.softmax)
          x = sigmoidScore(nb, nl, x, s.sigmoidBias);
        if (!needsMask)
          return x;
        Value i = arith::AddIOp::create(
            nb, nl, indexToI64(nb, nl, s.queryStart), loopIndex(nb, nl, 0));
        Value j = arith::AddIOp::create(nb, nl, indexToI64(nb, nl, s.keyStart),
                                        loopIndex(nb, nl, 1));
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
                       Value newMax =
                           arith::MaximumFOp::create(nb, nl, a[0], a[1]);
                       return expShifted(nb, nl, a[0], newMax);
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
          return expShifted(nb, nl, a[0], a[1]);
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

/// The mask attributes of a partial_attention op, with its whole lengths.
static AttentionMaskParams maskParamsOf(PartialAttentionOp op) {
  AttentionMaskParams params;
  params.causal = op.getCausal();
  if (std::optional<ArrayRef<int64_t>> window = op.getWindow()) {
    params.windowLeft = (*window)[0];
    params.windowRight = (*window)[1];
  }
  params.queryLen = op.getLengths()[0];
  params.keyLen = op.getLengths()[1];
  params.hasKvLen = static_cast<bool>(op.getKvLen());
  params.hasQLen = static_cast<bool>(op.getQLen());
  return params;
}

namespace {

/// The global position of a partial_attention tile and the valid lengths
/// of its batch row, with the key range its queries may see.
struct TilePlacement {
  Value batch, head, queryStart, keyStart; // index
  Value validKeys, validQueries;           // i64, Tb and Sb
  /// off(b) of the bottom-right alignment (0 otherwise), i64.
  Value diagonalOffset;

  TilePlacement(OpBuilder &b, Location loc, PartialAttentionOp op) {
    SmallVector<Value> offsets(op.getOffsets());
    if (offsets.empty())
      offsets.assign(4, indexConstant(b, loc, 0));
    batch = offsets[0];
    head = offsets[1];
    queryStart = offsets[2];
    keyStart = offsets[3];
    auto length = [&](Value lengths, int64_t full) -> Value {
      if (!lengths)
        return i64Constant(b, loc, full);
      Value element = tensor::ExtractOp::create(b, loc, lengths, batch);
      return arith::ExtSIOp::create(b, loc, b.getI64Type(), element);
    };
    validKeys = length(op.getKvLen(), op.getLengths()[1]);
    validQueries = length(op.getQLen(), op.getLengths()[0]);
    diagonalOffset =
        op.getCausal() == CausalMode::bottom_right
            ? arith::SubIOp::create(b, loc, validKeys, validQueries).getResult()
            : i64Constant(b, loc, 0);
  }
};

} // namespace

/// The first and end key (i64) that queries [firstRow, firstRow + rows) may
/// see under the spec's masks; end <= first means none.
static std::pair<Value, Value> keyBounds(OpBuilder &b, Location loc,
                                         PartialAttentionOp op,
                                         const TilePlacement &at,
                                         int64_t rows) {
  auto min = [&](Value x, Value y) {
    return arith::MinSIOp::create(b, loc, x, y).getResult();
  };
  auto max = [&](Value x, Value y) {
    return arith::MaxSIOp::create(b, loc, x, y).getResult();
  };
  auto add = [&](Value x, int64_t y) {
    return arith::AddIOp::create(b, loc, x, i64Constant(b, loc, y)).getResult();
  };
  AttentionMaskParams mask = maskParamsOf(op);
  Value firstRow = indexToI64(b, loc, at.queryStart);
  Value lastDiagonal =
      arith::AddIOp::create(b, loc, add(firstRow, rows - 1), at.diagonalOffset);
  Value hi = min(at.validKeys, i64Constant(b, loc, mask.keyLen));
  if (mask.causal != CausalMode::none)
    hi = min(hi, add(lastDiagonal, 1));
  if (mask.windowRight >= 0)
    hi = min(hi, add(lastDiagonal, mask.windowRight + 1));
  Value lo = i64Constant(b, loc, 0);
  if (mask.windowLeft >= 0)
    lo = max(lo, add(arith::AddIOp::create(b, loc, firstRow, at.diagonalOffset),
                     -mask.windowLeft));
  // A query tile entirely past q_len sees no key.
  Value pastValidRows = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                              firstRow, at.validQueries);
  hi = arith::SelectOp::create(b, loc, pastValidRows, lo, hi);
  return {lo, hi};
}

/// Whether every (query, key) pair of the tile is allowed by the spec's
/// masks (layout and mask region aside).
static Value isWholeTileAllowed(OpBuilder &b, Location loc,
                                PartialAttentionOp op, const TilePlacement &at,
                                int64_t rows, int64_t cols) {
  AttentionMaskParams mask = maskParamsOf(op);
  auto cmp = [&](arith::CmpIPredicate predicate, Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, loc, predicate, lhs, rhs).getResult();
  };
  auto plus = [&](Value x, int64_t y) {
    return arith::AddIOp::create(b, loc, x, i64Constant(b, loc, y)).getResult();
  };
  using Pred = arith::CmpIPredicate;
  Value firstRow = indexToI64(b, loc, at.queryStart);
  Value firstDiagonal =
      arith::AddIOp::create(b, loc, firstRow, at.diagonalOffset);
  Value lastDiagonal = plus(firstDiagonal, rows - 1);
  Value firstKey = indexToI64(b, loc, at.keyStart);
  Value lastKey = plus(firstKey, cols - 1);
  Value validKeysInBounds = arith::MinSIOp::create(
      b, loc, at.validKeys, i64Constant(b, loc, mask.keyLen));
  Value whole = cmp(Pred::slt, lastKey, validKeysInBounds);
  auto require = [&](Value condition) {
    whole = arith::AndIOp::create(b, loc, whole, condition);
  };
  if (mask.hasQLen)
    require(cmp(Pred::sle, plus(firstRow, rows), at.validQueries));
  if (mask.causal != CausalMode::none)
    require(cmp(Pred::sle, lastKey, firstDiagonal));
  if (mask.windowLeft >= 0)
    require(cmp(Pred::sge, firstKey, plus(lastDiagonal, -mask.windowLeft)));
  if (mask.windowRight >= 0)
    require(cmp(Pred::sle, lastKey, plus(firstDiagonal, mask.windowRight)));
  return whole;
}

LogicalResult tile::lowerPartialAttentionTile(RewriterBase &rewriter,
                                              PartialAttentionOp op) {
  auto staticShape = [](Value v) {
    return cast<ShapedType>(v.getType()).hasStaticShape();
  };
  ArrayRef<int64_t> q = shapeOf(op.getQuery()), k = shapeOf(op.getKey()),
                    v = shapeOf(op.getValue());
  if (!llvm::all_of(op->getOperands(),
                    [&](Value x) {
                      return !isa<ShapedType>(x.getType()) || staticShape(x);
                    }) ||
      !op.getKeyTransposed() || q[0] != 1 || q[1] != 1 || k[1] != 1)
    return op.emitOpError()
           << "attn-tile lowers tiles of one batch row and one head with "
              "static shapes and transposed keys only";
  int64_t br = q[2], headDim = q[3], bc = k[3], valueDim = v[3];
  std::optional<ArrayRef<int64_t>> block = op.getBlock();
  if (block && ((*block)[0] != br || (*block)[1] != bc))
    return op.emitOpError() << "attn-tile lowers layout tiles of exactly one "
                               "block only";

  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  OpFoldResult zero = rewriter.getIndexAttr(0);
  SmallVector<OpFoldResult> origin(4, zero);
  TilePlacement at(rewriter, loc, op);
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
  bool specMask = !mask.isUnmasked() || mask.keyLen % bc != 0;
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
      mapping.map(body.getArgument(1), j);
      for (Operation &inner : body.without_terminator())
        nb.clone(inner, mapping);
      require(mapping.lookupOrDefault(body.getTerminator()->getOperand(0)));
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
    Value whole = isWholeTileAllowed(sb, sl, op, at, br, bc);
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
    Value first = op.getLayoutPerBatch()    ? at.batch
                  : shapeOf(layout)[0] == 1 ? indexConstant(rewriter, loc, 0)
                                            : at.head;
    Value queryBlock = arith::DivUIOp::create(rewriter, loc, at.queryStart,
                                              indexConstant(rewriter, loc, br));
    Value keyBlock = arith::DivUIOp::create(rewriter, loc, at.keyStart,
                                            indexConstant(rewriter, loc, bc));
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

/// A mask region on (i, j) built by `mask`.
static void buildMaskRegion(OpBuilder &b, Location loc, Region &region,
                            const TiledAttention &p) {
  OpBuilder::InsertionGuard guard(b);
  Type i64 = b.getI64Type();
  Block *body = b.createBlock(&region, {}, {i64, i64}, {loc, loc});
  Value allowed =
      p.customMask(b, loc, body->getArgument(0), body->getArgument(1));
  YieldOp::create(b, loc, allowed);
}

SmallVector<Value> tile::buildTiledAttention(RewriterBase &rewriter,
                                             Location loc,
                                             const TiledAttention &p) {
  OpBuilder &b = rewriter;
  int64_t br = p.queryTile, bc = p.keyTile;
  int64_t paddedQueries = shapeOf(p.query)[2];
  assert((!p.partial || p.softmax) && "partials are softmax states");
  Type f32 = b.getF32Type();

  // The whole problem as one partial_attention from the empty state.
  SmallVector<Value> state = {filledTensor(
      b, loc, {p.batch, p.queryHeads, paddedQueries, p.valueDim}, 0)};
  if (p.softmax) {
    state.push_back(
        filledTensor(b, loc, {p.batch, p.queryHeads, paddedQueries}, kNegInf));
    state.push_back(
        filledTensor(b, loc, {p.batch, p.queryHeads, paddedQueries}, 0));
  }
  auto whole = PartialAttentionOp::create(
      b, loc, ValueRange(state).getTypes(), p.query, p.keyTransposed, p.value,
      p.bias, p.kvLen, p.qLen, p.layout, ValueRange(), state,
      p.softmax ? ScoreKind::softmax : ScoreKind::sigmoid, p.mask.causal,
      p.mask.windowLeft < 0 && p.mask.windowRight < 0
          ? DenseI64ArrayAttr()
          : b.getDenseI64ArrayAttr({p.mask.windowLeft, p.mask.windowRight}),
      APFloat(static_cast<float>(p.scale)),
      p.softmax ? FloatAttr() : b.getF32FloatAttr(p.sigmoidBias),
      ArrayRef<int64_t>{p.queryLen, p.keyLen},
      p.layout ? b.getDenseI64ArrayAttr({br, bc}) : DenseI64ArrayAttr(),
      p.layoutPerBatch, /*key_transposed=*/true);
  if (p.customMask)
    buildMaskRegion(b, loc, whole.getMask(), p);

  // Parallel over (batch row, query head, query tile): upstream tiling.
  auto tileSizes = [&](ArrayRef<int64_t> sizes) {
    return getAsIndexOpFoldResult(b.getContext(), sizes);
  };
  scf::SCFTilingOptions parallelOptions;
  parallelOptions.setTileSizes(tileSizes({1, 1, br, 0}))
      .setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  FailureOr<scf::SCFTilingResult> parallel = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(whole.getOperation()), parallelOptions);
  assert(succeeded(parallel) && "the parallel dims of a tile always tile");
  rewriter.replaceOp(whole, parallel->replacements);
  auto queryTile = cast<PartialAttentionOp>(parallel->tiledOps.back());
  SmallVector<LoopLikeOpInterface> loops = parallel->loops;

  // Every query tile starts from the empty state of its own, so the state
  // stays tile-local (in cache) and the whole-size state is only written,
  // never filled first: every element of it is some tile's final state.
  {
    auto forall = cast<scf::ForallOp>(loops.front().getOperation());
    rewriter.setInsertionPoint(queryTile);
    for (auto [index, output] : llvm::enumerate(queryTile.getOutputs())) {
      double empty = index == 1 ? kNegInf : 0.0;
      queryTile.getOutputsMutable()[index].assign(
          filledTensor(b, loc, shapeOf(output), empty));
    }
    rewriter.setInsertionPoint(forall);
    for (unsigned index = 0; index < state.size(); ++index) {
      OpOperand &shared = forall.getOutputsMutable()[index];
      auto type = cast<RankedTensorType>(shared.get().getType());
      shared.set(emptyTensor(b, loc, type.getShape(), type.getElementType()));
    }
  }

  // The key ranges of this query tile: the caller's, or the spec's bounds.
  rewriter.setInsertionPoint(queryTile);
  TilePlacement at(b, loc, queryTile);
  SmallVector<std::pair<Value, Value>> ranges;
  if (p.keyRanges) {
    Value tileIndex = arith::DivUIOp::create(b, loc, at.queryStart,
                                             indexConstant(b, loc, br));
    ranges = p.keyRanges(b, loc, tileIndex);
  } else {
    ranges.push_back(keyBounds(b, loc, queryTile, at, br));
  }
  // Key loop bounds: whole key tiles covering [lo, hi), empty when hi <= lo.
  auto keyLoopBounds = [&](Value lo, Value hi) -> std::pair<Value, Value> {
    Value tileSize = i64Constant(b, loc, bc);
    Value first = arith::MulIOp::create(
        b, loc, arith::DivSIOp::create(b, loc, lo, tileSize), tileSize);
    Value end = arith::MulIOp::create(
        b, loc,
        arith::DivSIOp::create(
            b, loc,
            arith::AddIOp::create(
                b, loc,
                arith::MaxSIOp::create(b, loc, hi, i64Constant(b, loc, 0)),
                i64Constant(b, loc, bc - 1)),
            tileSize),
        tileSize);
    // Empty when hi <= lo: rounding hi up to a whole tile must not give a
    // tile past lo (a window can put lo past the last key, and that tile
    // would be read outside the padded keys).
    Value empty =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, hi, lo);
    end = arith::MaxSIOp::create(b, loc, end, first);
    end = arith::SelectOp::create(b, loc, empty, first, end);
    auto toIndex = [&](Value x) {
      return arith::IndexCastOp::create(b, loc, b.getIndexType(), x)
          .getResult();
    };
    return {toIndex(first), toIndex(end)};
  };
  SmallVector<std::pair<Value, Value>> bounds;
  for (auto [lo, hi] : ranges)
    bounds.push_back(keyLoopBounds(lo, hi));

  // One reduction loop per key range, chained through the state: a copy of
  // the query tile's op per range, each tiled over the keys by upstream
  // tiling (a serial loop carrying the state), then narrowed to its range.
  SmallVector<PartialAttentionOp> perRange = {queryTile};
  rewriter.setInsertionPointAfter(queryTile);
  for (size_t index = 1; index < ranges.size(); ++index) {
    IRMapping mapping;
    PartialAttentionOp previous = perRange.back();
    for (auto [output, result] :
         llvm::zip_equal(previous.getOutputs(), previous->getResults()))
      mapping.map(output, result);
    auto next = cast<PartialAttentionOp>(b.clone(*previous, mapping));
    for (auto [from, to] :
         llvm::zip_equal(previous->getResults(), next->getResults()))
      rewriter.replaceAllUsesExcept(from, to, next);
    perRange.push_back(next);
  }
  scf::SCFTilingOptions reductionOptions;
  reductionOptions.setTileSizes(tileSizes({0, 0, 0, bc}))
      .setLoopType(scf::SCFTilingOptions::LoopType::ForOp)
      .setReductionDims({3});
  SmallVector<PartialAttentionOp> keyTiles;
  for (auto [op, range] : llvm::zip_equal(perRange, bounds)) {
    FailureOr<scf::SCFTilingResult> reduction = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), reductionOptions);
    assert(succeeded(reduction) && "the key dim of a tile always tiles");
    rewriter.replaceOp(op, reduction->replacements);
    auto keyLoop = cast<scf::ForOp>(reduction->loops.front().getOperation());
    keyLoop.setLowerBound(range.first);
    keyLoop.setUpperBound(range.second);
    keyTiles.push_back(cast<PartialAttentionOp>(reduction->tiledOps.back()));
  }
  for (PartialAttentionOp keyTile : keyTiles) {
    LogicalResult lowered = lowerPartialAttentionTile(rewriter, keyTile);
    assert(succeeded(lowered) && "the engine's tiles are always lowerable");
    (void)lowered;
  }

  // o = acc / l (0 where l = 0) and lse = m + log l, fused into the
  // parallel loop by upstream consumer fusion. Each fusion replaces the loop
  // by one with the consumer's result appended, so results are tracked by
  // their position among the loop's results.
  SmallVector<Value> results;
  MLIRContext *ctx = b.getContext();
  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  using utils::IteratorType;
  auto stateOf = [&](unsigned index) {
    return loops.front()->getResult(index);
  };
  if (p.partial) {
    for (unsigned index = 0; index < 3; ++index)
      results.push_back(stateOf(index));
  } else {
    SmallVector<int64_t> outShape = {p.batch, p.queryHeads, paddedQueries,
                                     p.valueDim};
    AffineMap full = AffineMap::get(4, 0, {d0, d1, d2, d3}, ctx);
    AffineMap row = AffineMap::get(4, 0, {d0, d1, d2}, ctx);
    AffineMap row3 = AffineMap::get(3, 0, {d0, d1, d2}, ctx);
    // Builds one consumer of the state after the loop and fuses it in; a
    // fused result is the loop result at `position`, one that did not fuse
    // stays the consumer's own value.
    SmallVector<std::optional<unsigned>> positions;
    auto fuseConsumer = [&](function_ref<Value()> build) {
      b.setInsertionPointAfter(loops.front());
      Value result = build();
      unsigned position = loops.front()->getNumResults();
      Operation *consumer = result.getDefiningOp();
      bool fused =
          consumer && isa<TilingInterface>(consumer) &&
          succeeded(scf::tileAndFuseConsumer(rewriter, consumer, loops));
      positions.push_back(fused ? std::optional<unsigned>(position)
                                : std::nullopt);
      results.push_back(fused ? Value() : result);
    };
    if (p.softmax) {
      fuseConsumer([&] {
        return buildGeneric(
            b, loc, {stateOf(0), stateOf(2)},
            emptyTensor(b, loc, outShape, p.elementType), {full, row, full},
            SmallVector<IteratorType>(4, IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
              return fromF32(nb, nl, normalizedOutput(nb, nl, a[0], a[1]),
                             p.elementType);
            });
      });
    } else {
      fuseConsumer(
          [&] { return tensorFromF32(b, loc, stateOf(0), p.elementType); });
    }
    if (p.withLse) {
      fuseConsumer([&] {
        return buildGeneric(
            b, loc, {stateOf(1), stateOf(2)},
            emptyTensor(b, loc, {p.batch, p.queryHeads, paddedQueries}, f32),
            {row3, row3, row3},
            SmallVector<IteratorType>(3, IteratorType::parallel),
            [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
              return logSumExp(nb, nl, a[0], a[1]);
            });
      });
    }
    // Earlier fusions replaced the loop that earlier results came from.
    for (auto [result, position] : llvm::zip_equal(results, positions))
      if (position)
        result = loops.front()->getResult(*position);
  }

  // attn-fuse pulls the neighbours of this loop into it.
  loops.front()->setAttr(kFlashLoopAttrName, b.getUnitAttr());

  // Drop the padded rows.
  b.setInsertionPointAfter(loops.front());
  for (Value &result : results) {
    ArrayRef<int64_t> paddedShape = shapeOf(result);
    if (paddedShape[2] == p.queryLen)
      continue;
    SmallVector<int64_t> shape = llvm::to_vector(paddedShape);
    shape[2] = p.queryLen;
    SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
    result = sliceOf(b, loc, result, offsets, shape, shape);
  }
  return results;
}

Value tile::transposeLastTwo(OpBuilder &b, Location loc, Value x) {
  ArrayRef<int64_t> s = shapeOf(x);
  return linalg::TransposeOp::create(
             b, loc, x,
             emptyTensor(b, loc, {s[0], s[1], s[3], s[2]},
                         cast<RankedTensorType>(x.getType()).getElementType()),
             ArrayRef<int64_t>{0, 1, 3, 2})
      .getResult()[0];
}

int64_t tile::roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}
