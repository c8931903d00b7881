//===- AttnRaise.cpp - the attn-raise pass --------------------------------===//
//
// Finds attention written as ordinary TOSA or linalg ops (what model
// exporters emit) and replaces it with attn.attention. See the pass
// description in Passes.td for the forms recognised and those left alone.
//
// The match starts at the product P . V and walks up: the probabilities P
// (a softmax over the key axis, fused or spelled out, or a sigmoid), the
// scores below them (constant scales, an additive mask or bias, a boolean
// mask by select) down to the product Q . K^T, then the operands (Q, K
// through its transpose, V) back to `[B, H, L, D]` tensors, K and V through
// a repeat of their heads (GQA). Nothing is changed unless the whole chain
// matches.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnOps.h"
#include "mixir/Dialect/Attn/Raising/Passes.h"

#include "RaiseMatchers.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <cmath>

namespace mixir::attn {
#define GEN_PASS_DEF_ATTNRAISE
#include "mixir/Dialect/Attn/Raising/Passes.h.inc"
} // namespace mixir::attn

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::raise;

/// Additive values at or below this are masked-out scores: exp of them is 0
/// in every float type the ops take (exporters write -inf, -1e9 or the
/// type's lowest value).
static constexpr double kMaskedScore = -1.0e9;

namespace {

/// An additive tensor that is neither a structured mask nor zero: the
/// attention's bias, as found at a point of the score chain of rank `rank`
/// whose leading dims are `leading`.
struct FoundBias {
  Operand operand;
  int64_t rank;
  SmallVector<int64_t> leading;
};

/// What the walk down from the probabilities to Q . K^T found.
struct ScoreChain {
  /// The product of the constant scales seen.
  double scale = 1.0;
  /// The product of the scales seen above the current point, which multiply
  /// whatever is added below it.
  double scaleAbove = 1.0;
  /// A constant added to every score (after scaling).
  double shift = 0.0;
  /// Where keys are allowed (row-major S x T), when masks were found.
  SmallVector<bool> allowed;
  std::optional<FoundBias> bias;
  std::optional<Contraction> scores;
};

/// The mask attributes a grid of allowed positions is equivalent to.
struct MaskAttributes {
  CausalMode causal = CausalMode::none;
  int64_t windowLeft = -1, windowRight = -1;
};

} // namespace

static RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// The allowed grid as causal/window attributes: every row must be one
/// non-empty run of keys whose ends follow the spec's rule for one
/// alignment.
static std::optional<MaskAttributes> classifyMask(ArrayRef<bool> allowed,
                                                  int64_t rows, int64_t cols) {
  SmallVector<int64_t> low(rows), high(rows);
  for (int64_t i = 0; i < rows; ++i) {
    ArrayRef<bool> row = allowed.slice(i * cols, cols);
    const bool *first = llvm::find(row, true);
    if (first == row.end())
      return std::nullopt; // A row with no key: the graph divides by zero.
    low[i] = first - row.begin();
    high[i] = cols - 1 - (llvm::find(llvm::reverse(row), true) - row.rbegin());
    for (int64_t j = low[i]; j <= high[i]; ++j)
      if (!row[j])
        return std::nullopt;
  }
  SmallVector<int64_t> offsets = {0};
  if (cols != rows)
    offsets.push_back(cols - rows);
  std::optional<MaskAttributes> band;
  for (int64_t offset : offsets) {
    // The right end: high = min(T - 1, i + offset + wr), wr unbounded (-1)
    // when no row ends before the last key.
    std::optional<int64_t> right, left;
    bool consistent = true;
    for (int64_t i = 0; i < rows && consistent; ++i) {
      if (high[i] == cols - 1)
        continue;
      int64_t found = high[i] - i - offset;
      consistent = !right || *right == found;
      right = found;
    }
    for (int64_t i = 0; i < rows && consistent; ++i) {
      if (low[i] == 0)
        continue;
      int64_t found = i + offset - low[i];
      consistent = !left || *left == found;
      left = found;
    }
    if (!consistent || (right && *right < 0) || (left && *left < 0))
      continue;
    for (int64_t i = 0; i < rows && consistent; ++i) {
      int64_t expectHigh =
          right ? std::min(cols - 1, i + offset + *right) : cols - 1;
      int64_t expectLow = left ? std::max<int64_t>(0, i + offset - *left) : 0;
      consistent = expectHigh == high[i] && expectLow == low[i];
    }
    if (!consistent)
      continue;
    MaskAttributes attributes;
    attributes.windowLeft = left.value_or(-1);
    if (right && *right == 0) {
      attributes.causal =
          offset == 0 ? CausalMode::top_left : CausalMode::bottom_right;
      return attributes;
    }
    // A band without causal alignment is centred on the diagonal; a causal
    // form at the other offset is preferred.
    if (offset == 0 && !band) {
      band = attributes;
      band->windowRight = right.value_or(-1);
    }
  }
  return band;
}

/// The scale of `elementwise` when it multiplies (or divides) the tensor at
/// `*rest` by a constant; sets `*rest` to that tensor.
static std::optional<double> constantScale(const Elementwise &elementwise,
                                           Value *rest) {
  ArrayRef<Operand> operands = elementwise.operands;
  if (elementwise.fn == Fn::Mul) {
    for (int side = 0; side < 2; ++side) {
      const Operand &factor = operands[side], &other = operands[1 - side];
      if (factor.splat && other.isIdentity() && !other.splat) {
        *rest = other.tensor;
        return *factor.splat;
      }
    }
  }
  if (elementwise.fn == Fn::Div && operands[1].splat &&
      operands[0].isIdentity() && *operands[1].splat != 0.0) {
    *rest = operands[0].tensor;
    return 1.0 / *operands[1].splat;
  }
  return std::nullopt;
}

/// Follows multiplications by constants down from `value`, folding them
/// into `scale`.
static Value peelScales(Value value, double &scale) {
  while (std::optional<Elementwise> elementwise = matchElementwise(value)) {
    Value rest;
    std::optional<double> factor = constantScale(*elementwise, &rest);
    if (!factor)
      break;
    scale *= *factor;
    value = rest;
  }
  return value;
}

static Value peelBatchReshapes(Value value) {
  while (Value source = peelBatchReshape(value))
    value = source;
  return value;
}

/// Records the additive `operand` of the score chain at `score` (a point of
/// rank `rank`): zero is dropped, 0/-inf grids become a mask, anything else
/// the bias.
static LogicalResult addAdditive(const Operand &operand, Value score,
                                 ScoreChain &chain) {
  RankedTensorType type = tensorType(score);
  int64_t rank = type.getRank();
  int64_t rows = type.getDimSize(rank - 2), cols = type.getDimSize(rank - 1);
  SmallVector<double> grid;
  if (succeeded(evaluateScoreGrid(operand, rank, rows, cols, grid))) {
    bool structured = llvm::all_of(grid, [](double value) {
      return value == 0.0 || value <= kMaskedScore;
    });
    if (structured) {
      // A scale below a mask keeps 0 and -inf when it is positive.
      if (chain.scaleAbove <= 0.0)
        return failure();
      if (chain.allowed.empty())
        chain.allowed.assign(grid.size(), true);
      for (auto [allowed, value] : llvm::zip_equal(chain.allowed, grid))
        allowed = allowed && value == 0.0;
      return success();
    }
  }
  if (operand.splat) {
    chain.shift += *operand.splat * chain.scaleAbove;
    return success();
  }
  // A bias below a scale would have to be scaled too.
  if (chain.bias || chain.scaleAbove != 1.0)
    return failure();
  chain.bias = FoundBias{operand, rank,
                         SmallVector<int64_t>(type.getShape().drop_back(2))};
  return success();
}

/// Walks from the pre-softmax scores `value` down to Q . K^T.
static LogicalResult walkScores(Value value, ScoreChain &chain) {
  value = peelBatchReshapes(value);
  if (std::optional<Contraction> scores = matchContraction(value)) {
    chain.scores = scores;
    return success();
  }
  std::optional<Elementwise> elementwise = matchElementwise(value);
  if (!elementwise)
    return failure();
  Value rest;
  if (std::optional<double> factor = constantScale(*elementwise, &rest)) {
    chain.scale *= *factor;
    chain.scaleAbove *= *factor;
    return walkScores(rest, chain);
  }
  ArrayRef<Operand> operands = elementwise->operands;
  if (elementwise->fn == Fn::Add) {
    // Either side may be the scores; the other must not depend on them.
    for (int side = 0; side < 2; ++side) {
      const Operand &scores = operands[side], &addend = operands[1 - side];
      if (!scores.isIdentity() || scores.splat)
        continue;
      ScoreChain attempt = chain;
      if (failed(addAdditive(addend, value, attempt)) ||
          failed(walkScores(scores.tensor, attempt)))
        continue;
      if (addend.tensor && dependsOn(addend.tensor, attempt.scores->op))
        continue;
      chain = attempt;
      return success();
    }
    return failure();
  }
  if (elementwise->fn == Fn::Select) {
    // select(cond, scores, -inf) or select(cond, -inf, scores).
    for (int side = 1; side < 3; ++side) {
      const Operand &scores = operands[side], &masked = operands[3 - side];
      if (!scores.isIdentity() || !masked.splat || *masked.splat > kMaskedScore)
        continue;
      RankedTensorType type = tensorType(value);
      int64_t rank = type.getRank();
      SmallVector<double> grid;
      if (failed(evaluateScoreGrid(operands[0], rank, type.getDimSize(rank - 2),
                                   type.getDimSize(rank - 1), grid)))
        return failure();
      ScoreChain attempt = chain;
      if (attempt.allowed.empty())
        attempt.allowed.assign(grid.size(), true);
      for (auto [allowed, condition] : llvm::zip_equal(attempt.allowed, grid))
        allowed = allowed && ((condition != 0.0) == (side == 1));
      if (failed(walkScores(scores.tensor, attempt)))
        return failure();
      chain = attempt;
      return success();
    }
  }
  return failure();
}

/// The scores whose softmax over the last axis `probabilities` is: a
/// linalg.softmax, or exp(x - rowmax x) divided by (or multiplied by the
/// reciprocal of) its row sum; the max subtraction may be missing.
static Value matchSoftmax(Value probabilities) {
  if (auto softmax = probabilities.getDefiningOp<linalg::SoftmaxOp>()) {
    int64_t rank = tensorType(softmax.getInput()).getRank();
    return softmax.getDimension() + 1 == static_cast<uint64_t>(rank)
               ? softmax.getInput()
               : Value();
  }
  std::optional<Elementwise> normalise = matchElementwise(probabilities);
  if (!normalise || (normalise->fn != Fn::Mul && normalise->fn != Fn::Div))
    return Value();
  int64_t rank = tensorType(probabilities).getRank();
  for (int side = 0; side < 2; ++side) {
    if (normalise->fn == Fn::Div && side == 1)
      break;
    const Operand &numerator = normalise->operands[side];
    const Operand &denominator = normalise->operands[1 - side];
    if (!numerator.isIdentity())
      continue;
    Value row = matchRowBroadcast(denominator, rank);
    if (!row)
      continue;
    if (normalise->fn == Fn::Mul) {
      std::optional<Elementwise> reciprocal = matchElementwise(row);
      if (!reciprocal || reciprocal->fn != Fn::Reciprocal ||
          !reciprocal->operands[0].isIdentity())
        continue;
      row = reciprocal->operands[0].tensor;
    }
    std::optional<RowReduction> sum = matchRowReductionOf(row);
    if (!sum || sum->isMax || sum->source != numerator.tensor)
      continue;
    std::optional<Elementwise> exp = matchElementwise(numerator.tensor);
    if (!exp || exp->fn != Fn::Exp || !exp->operands[0].isIdentity())
      continue;
    Value shifted = exp->operands[0].tensor;
    std::optional<Elementwise> subtract = matchElementwise(shifted);
    if (!subtract || subtract->fn != Fn::Sub ||
        !subtract->operands[0].isIdentity())
      return shifted;
    Value scores = subtract->operands[0].tensor;
    Value maxRow = matchRowBroadcast(subtract->operands[1], rank);
    std::optional<RowReduction> max =
        maxRow ? matchRowReductionOf(maxRow) : std::nullopt;
    if (max && max->isMax && max->source == scores)
      return scores;
    // A subtraction of something else is part of the scores.
    return shifted;
  }
  return Value();
}

/// Reshapes `value` to the static `shape` (same element count) by one
/// collapse or expansion where the dims regroup, else through one dim.
static Value reshapeTo(OpBuilder &builder, Location loc, Value value,
                       ArrayRef<int64_t> shape) {
  RankedTensorType type = tensorType(value);
  if (type.getShape() == shape)
    return value;
  auto target = RankedTensorType::get(shape, type.getElementType());
  if (target.getRank() < type.getRank()) {
    if (std::optional<SmallVector<ReassociationIndices>> groups =
            getReassociationIndicesForCollapse(type.getShape(), shape))
      return tensor::CollapseShapeOp::create(builder, loc, target, value,
                                             *groups);
  } else if (target.getRank() > type.getRank()) {
    if (std::optional<SmallVector<ReassociationIndices>> groups =
            getReassociationIndicesForCollapse(shape, type.getShape()))
      return tensor::ExpandShapeOp::create(builder, loc, target, value,
                                           *groups);
  }
  auto flatType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  SmallVector<ReassociationIndices> all(1);
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    all[0].push_back(dim);
  Value flat =
      type.getRank() == 1
          ? value
          : tensor::CollapseShapeOp::create(builder, loc, flatType, value, all)
                .getResult();
  SmallVector<ReassociationIndices> expand(1);
  for (int64_t dim = 0; dim < target.getRank(); ++dim)
    expand[0].push_back(dim);
  return tensor::ExpandShapeOp::create(builder, loc, target, flat, expand);
}

/// K (`[..., T, D]`) from the right operand of Q . K^T.
static Value matchKey(const Contraction &scores, double &scale) {
  Value rhs = peelScales(scores.rhs, scale);
  if (scores.rhsTransposed)
    return rhs;
  if (Value key = peelLastTwoTranspose(rhs))
    return peelScales(key, scale);
  if (Value source = peelBatchReshape(rhs)) {
    source = peelScales(source, scale);
    if (Value key = peelLastTwoTranspose(source))
      return peelScales(key, scale);
  }
  return Value();
}

/// `value` itself at rank 4, or the rank-4 tensor it regroups.
static Value rank4Source(Value value) {
  if (tensorType(value).getRank() == 4)
    return value;
  Value source = peelBatchReshape(value);
  return source && tensorType(source).getRank() == 4 ? source : Value();
}

static int64_t leadingCount(Value value) {
  int64_t count = 1;
  for (int64_t dim : tensorType(value).getShape().drop_back(2))
    count *= dim;
  return count;
}

/// The bias at rank 4 for an op over `batchHeads` = [B, H], or null.
static Value buildBias(OpBuilder &builder, Location loc, const FoundBias &bias,
                       ArrayRef<int64_t> batchHeads, Type elementType) {
  Value tensor = bias.operand.tensor;
  RankedTensorType type = tensorType(tensor);
  if (type.getElementType() != elementType || !type.hasStaticShape())
    return Value();
  AffineMap map = bias.operand.map;
  int64_t rank = bias.rank;
  MLIRContext *context = builder.getContext();
  // Where the rows and the keys of the scores are read, and whether a
  // leading dim is.
  int64_t rows = 1, cols = 1, rowsAt = -1, colsAt = -1;
  bool readsLeading = false;
  for (auto [position, expr] : llvm::enumerate(map.getResults())) {
    int64_t size = type.getDimSize(position);
    if (expr == getAffineDimExpr(rank - 2, context)) {
      rows = size;
      rowsAt = position;
    } else if (expr == getAffineDimExpr(rank - 1, context)) {
      cols = size;
      colsAt = position;
    } else if (!isa<AffineConstantExpr>(expr) && size != 1) {
      readsLeading = true;
    }
  }
  if (rowsAt >= 0 && colsAt >= 0 && rowsAt > colsAt)
    return Value(); // A transposed bias.
  if (!readsLeading)
    return reshapeTo(builder, loc, tensor, {1, 1, rows, cols});
  // A rank-4 bias over the op's own [B, H], broadcast by size-1 dims.
  if (rank != 4 || type.getRank() != 4 ||
      ArrayRef<int64_t>(bias.leading) != batchHeads)
    return Value();
  for (auto [position, expr] : llvm::enumerate(map.getResults()))
    if (expr != getAffineDimExpr(position, context) &&
        !isa<AffineConstantExpr>(expr))
      return Value();
  return tensor;
}

/// Whether `probabilities` looks like a softmax that matchSoftmax did not
/// take (over another axis, or in a form it does not know): a
/// linalg.softmax, or a product or quotient with an exp.
static bool looksLikeSoftmax(Value probabilities) {
  if (probabilities.getDefiningOp<linalg::SoftmaxOp>())
    return true;
  std::optional<Elementwise> normalise = matchElementwise(probabilities);
  if (!normalise || (normalise->fn != Fn::Mul && normalise->fn != Fn::Div))
    return false;
  return llvm::any_of(normalise->operands, [](const Operand &operand) {
    std::optional<Elementwise> exp =
        operand.tensor ? matchElementwise(operand.tensor) : std::nullopt;
    return exp && exp->fn == Fn::Exp;
  });
}

/// Raises the attention whose P . V is `output`, if all of it matches. When
/// the product is attention-like but some part does not match, `whyNot`
/// says which.
static LogicalResult raiseAttention(RewriterBase &rewriter,
                                    const Contraction &output,
                                    std::string &whyNot) {
  auto refuse = [&](StringRef reason) {
    whyNot = reason.str();
    return failure();
  };
  if (output.rhsTransposed)
    return failure();
  Value probabilities = peelBatchReshapes(output.lhs);
  ScoreChain chain;
  ScoreKind score = ScoreKind::softmax;
  Value scores;
  std::optional<Elementwise> sigmoid = matchElementwise(probabilities);
  if (sigmoid && sigmoid->fn == Fn::Sigmoid &&
      sigmoid->operands[0].isIdentity()) {
    score = ScoreKind::sigmoid;
    scores = sigmoid->operands[0].tensor;
  } else {
    scores = matchSoftmax(probabilities);
  }
  if (!scores) {
    if (looksLikeSoftmax(probabilities))
      return refuse("the softmax is not one over the last (key) axis that "
                    "attn-raise knows");
    return failure();
  }
  if (failed(walkScores(scores, chain)))
    return refuse("between the softmax and Q.K^T there is more than constant "
                  "scales, a mask of constants or positions, and a bias "
                  "added after the scale");
  // A constant shift does not change a softmax; it is the sigmoid's bias.
  const Contraction &product = *chain.scores;
  RankedTensorType scoreType = tensorType(product.op->getResult(0));
  int64_t rows = scoreType.getDimSize(scoreType.getRank() - 2);
  int64_t cols = scoreType.getDimSize(scoreType.getRank() - 1);
  if (!scoreType.hasStaticShape())
    return refuse("the scores have dynamic dims");
  std::optional<MaskAttributes> mask = MaskAttributes();
  if (!chain.allowed.empty() &&
      !llvm::all_of(chain.allowed, [](bool allowed) { return allowed; })) {
    mask = classifyMask(chain.allowed, rows, cols);
    if (!mask)
      return refuse("the mask is not a causal or sliding-window pattern, or "
                    "leaves a query without keys");
  }

  double scale = chain.scale;
  Value query = peelScales(product.lhs, scale);
  Value key = matchKey(product, scale);
  Value value = output.rhs;
  if (!key)
    return refuse("the right operand of Q.K^T is not K transposed in its last "
                  "two dims");
  Type elementType = tensorType(query).getElementType();
  for (Value operand : {key, value, Value(output.op->getResult(0)),
                        Value(product.op->getResult(0))})
    if (tensorType(operand).getElementType() != elementType ||
        !tensorType(operand).hasStaticShape())
      return refuse("Q, K, V and the products differ in element type or have "
                    "dynamic dims");
  if (!tensorType(query).hasStaticShape() ||
      tensorType(query).getShape().back() !=
          tensorType(key).getShape().back() ||
      tensorType(query).getDimSize(tensorType(query).getRank() - 2) != rows ||
      tensorType(key).getDimSize(tensorType(key).getRank() - 2) != cols ||
      tensorType(value).getDimSize(tensorType(value).getRank() - 2) != cols)
    return refuse("the shapes of Q, K and V do not agree with the scores");

  // The operands at rank 4: their own [B, H, L, D] tensors when all three
  // have them, else every batch dim folded into B.
  Value query4 = rank4Source(query), key4 = rank4Source(key),
        value4 = rank4Source(value);
  auto batchHeadsOf = [](Value value) {
    return SmallVector<int64_t>(tensorType(value).getShape().take_front(2));
  };
  bool ownHeads = query4 && key4 && value4 &&
                  batchHeadsOf(query4) == batchHeadsOf(key4) &&
                  batchHeadsOf(query4) == batchHeadsOf(value4);
  SmallVector<int64_t> batchHeads;
  if (ownHeads) {
    batchHeads = batchHeadsOf(query4);
    query4 = peelScales(query4, scale);
    key4 = peelScales(key4, scale);
    Value keySource = peelHeadRepeat(key4);
    Value valueSource = peelHeadRepeat(value4);
    if (keySource && valueSource &&
        batchHeadsOf(keySource) == batchHeadsOf(valueSource)) {
      key4 = keySource;
      value4 = valueSource;
    }
  } else {
    int64_t count = leadingCount(query);
    if (leadingCount(key) != count || leadingCount(value) != count)
      return refuse("Q, K and V have different batch sizes");
    batchHeads = {count, 1};
  }

  Location loc = output.op->getLoc();
  rewriter.setInsertionPoint(output.op);
  auto to4 = [&](Value operand) {
    ArrayRef<int64_t> shape = tensorType(operand).getShape();
    return reshapeTo(
        rewriter, loc, operand,
        {batchHeads[0], batchHeads[1], shape[shape.size() - 2], shape.back()});
  };
  Value bias;
  if (chain.bias) {
    bias = buildBias(rewriter, loc, *chain.bias, batchHeads, elementType);
    if (!bias)
      return refuse("the additive bias cannot be read as a [B, H, S, T] "
                    "broadcast of the op's bias");
  }
  if (!ownHeads) {
    query4 = to4(query);
    key4 = to4(key);
    value4 = to4(value);
  }
  SmallVector<int64_t> outputShape = {batchHeads[0], batchHeads[1], rows,
                                      tensorType(value4).getShape().back()};
  Value init = tensor::EmptyOp::create(rewriter, loc, outputShape, elementType);
  DenseI64ArrayAttr window;
  if (mask->windowLeft >= 0 || mask->windowRight >= 0)
    window =
        rewriter.getDenseI64ArrayAttr({mask->windowLeft, mask->windowRight});
  FloatAttr sigmoidBias;
  if (score == ScoreKind::sigmoid)
    sigmoidBias = rewriter.getF32FloatAttr(chain.shift);
  auto attention = AttentionOp::create(
      rewriter, loc, TypeRange{init.getType()}, query4, key4, value4, bias,
      /*kv_len=*/Value(), /*q_len=*/Value(), ValueRange{init}, score,
      mask->causal, window, rewriter.getF32FloatAttr(scale), sigmoidBias);
  Value result = reshapeTo(rewriter, loc, attention.getResult(0),
                           tensorType(output.op->getResult(0)).getShape());
  rewriter.replaceAllUsesWith(output.op->getResult(0), result);
  return success();
}

/// Erases `replaced` and the ops of its backward slice that fed nothing
/// else (the spelled-out attention), leaving other dead code alone.
static void eraseReplaced(RewriterBase &rewriter, Operation *replaced,
                          const llvm::SetVector<Operation *> &slice) {
  SmallVector<Operation *> worklist = {replaced};
  llvm::SmallPtrSet<Operation *, 32> erased;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        if (slice.contains(producer))
          worklist.push_back(producer);
    erased.insert(op);
    rewriter.eraseOp(op);
  }
}

namespace {

struct AttnRaisePass : public mixir::attn::impl::AttnRaiseBase<AttnRaisePass> {
  using Base::Base;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    llvm::SmallPtrSet<Operation *, 8> reported;
    getOperation()->walk([&](func::FuncOp function) {
      bool raised = true;
      while (raised) {
        raised = false;
        SmallVector<Contraction> candidates;
        function.walk([&](Operation *op) {
          if (op->getNumResults() == 1)
            if (std::optional<Contraction> product =
                    matchContraction(op->getResult(0)))
              candidates.push_back(*product);
        });
        for (const Contraction &candidate : candidates) {
          std::string whyNot;
          if (succeeded(raiseAttention(rewriter, candidate, whyNot))) {
            // The raise only replaced the product's uses: its operands,
            // and so its slice, are as matched.
            llvm::SetVector<Operation *> slice;
            BackwardSliceOptions options;
            options.omitBlockArguments = true;
            (void)getBackwardSlice(candidate.op, &slice, options);
            eraseReplaced(rewriter, candidate.op, slice);
            raised = true;
            break;
          }
          if (!whyNot.empty() && reported.insert(candidate.op).second)
            candidate.op->emitRemark()
                << "attention-like product not raised: " << whyNot;
        }
      }
    });
  }
};

} // namespace
