//===- RaiseMatchers.cpp - dialect-neutral views for attn-raise -----------===//
//
// Reads TOSA ops and linalg structured ops as the few computations that
// attention is built from. See RaiseMatchers.h.
//
//===----------------------------------------------------------------------===//

#include "RaiseMatchers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>

using namespace mlir;
using namespace mixir::attn::raise;

/// The value of a constant float scalar.
static std::optional<double> scalarConstant(Value value) {
  APFloat constant(0.0);
  if (matchPattern(value, m_ConstantFloat(&constant)))
    return constant.convertToDouble();
  return std::nullopt;
}

/// The value every element of a float tensor has, when it is a constant
/// splat or a fill of a constant.
static std::optional<double> splatOf(Value tensor) {
  DenseElementsAttr attr;
  if (matchPattern(tensor, m_Constant(&attr)) && attr.isSplat() &&
      isa<FloatType>(attr.getElementType()))
    return attr.getSplatValue<APFloat>().convertToDouble();
  if (auto fill = tensor.getDefiningOp<linalg::FillOp>())
    return scalarConstant(fill.getInputs()[0]);
  return std::nullopt;
}

/// The operand `tensor` of a TOSA elementwise op with result `result`: a
/// size-1 dim is broadcast where the result's is not.
static std::optional<Operand> tosaOperand(Value tensor, Value result) {
  auto type = dyn_cast<RankedTensorType>(tensor.getType());
  auto resultType = cast<RankedTensorType>(result.getType());
  if (!type || type.getRank() != resultType.getRank())
    return std::nullopt;
  MLIRContext *context = tensor.getContext();
  SmallVector<AffineExpr> results;
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    results.push_back(type.getDimSize(dim) == 1 &&
                              resultType.getDimSize(dim) != 1
                          ? getAffineConstantExpr(0, context)
                          : getAffineDimExpr(dim, context));
  return Operand{tensor, AffineMap::get(type.getRank(), 0, results, context),
                 splatOf(tensor)};
}

/// `fn` over `values`, each turned into an operand by `toOperand`; nothing
/// when one cannot be.
static std::optional<Elementwise>
buildElementwise(Fn fn, Operation *op, ArrayRef<Value> values,
                 llvm::function_ref<std::optional<Operand>(Value)> toOperand) {
  Elementwise elementwise{fn, {}, op};
  for (Value value : values) {
    std::optional<Operand> operand = toOperand(value);
    if (!operand)
      return std::nullopt;
    elementwise.operands.push_back(*operand);
  }
  return elementwise;
}

static std::optional<Elementwise> matchTosaElementwise(Operation *op) {
  Value result = op->getResult(0);
  auto build = [&](Fn fn, ArrayRef<Value> tensors) {
    return buildElementwise(fn, op, tensors, [&](Value tensor) {
      return tosaOperand(tensor, result);
    });
  };
  if (auto exp = dyn_cast<tosa::ExpOp>(op))
    return build(Fn::Exp, {exp.getInput1()});
  if (auto sigmoid = dyn_cast<tosa::SigmoidOp>(op))
    return build(Fn::Sigmoid, {sigmoid.getInput()});
  if (auto reciprocal = dyn_cast<tosa::ReciprocalOp>(op))
    return build(Fn::Reciprocal, {reciprocal.getInput1()});
  if (auto add = dyn_cast<tosa::AddOp>(op))
    return build(Fn::Add, {add.getInput1(), add.getInput2()});
  if (auto sub = dyn_cast<tosa::SubOp>(op))
    return build(Fn::Sub, {sub.getInput1(), sub.getInput2()});
  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    // The shift is an integer rounding control; floats require it be 0.
    return build(Fn::Mul, {mul.getInput1(), mul.getInput2()});
  }
  if (auto select = dyn_cast<tosa::SelectOp>(op))
    return build(Fn::Select,
                 {select.getPred(), select.getOnTrue(), select.getOnFalse()});
  return std::nullopt;
}

/// A linalg op of parallel loops with one result written at the loops' own
/// index and not read.
static bool isElementwiseLinalg(linalg::LinalgOp op) {
  if (op->getNumResults() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0 || !op.hasPureTensorSemantics())
    return false;
  OpOperand *init = op.getDpsInitOperand(0);
  return op.getMatchingIndexingMap(init).isIdentity() &&
         !op.payloadUsesValueFromOperand(init);
}

/// The body value `value` of elementwise linalg op `op` as an operand.
static std::optional<Operand> linalgOperand(linalg::LinalgOp op, Value value) {
  if (auto argument = dyn_cast<BlockArgument>(value)) {
    if (argument.getOwner() != op.getBlock() ||
        argument.getArgNumber() >= op.getNumDpsInputs())
      return std::nullopt;
    OpOperand *input = op.getDpsInputOperand(argument.getArgNumber());
    return Operand{input->get(), op.getMatchingIndexingMap(input),
                   splatOf(input->get())};
  }
  if (std::optional<double> constant = scalarConstant(value))
    return Operand{Value(), AffineMap(), constant};
  return std::nullopt;
}

/// Whether `value` is the float constant `expected`.
static bool isConstant(Value value, double expected) {
  std::optional<double> constant = scalarConstant(value);
  return constant && *constant == expected;
}

/// The argument x of a body computing 1 / (1 + exp(-x)), as written by hand
/// or by tosa-to-linalg; null otherwise.
static Value sigmoidArgument(Value value) {
  auto divide = value.getDefiningOp<arith::DivFOp>();
  if (!divide || !isConstant(divide.getLhs(), 1.0))
    return Value();
  auto add = divide.getRhs().getDefiningOp<arith::AddFOp>();
  if (!add)
    return Value();
  Value other = isConstant(add.getLhs(), 1.0)   ? add.getRhs()
                : isConstant(add.getRhs(), 1.0) ? add.getLhs()
                                                : Value();
  auto exp = other ? other.getDefiningOp<math::ExpOp>() : math::ExpOp();
  if (!exp)
    return Value();
  if (auto negate = exp.getOperand().getDefiningOp<arith::NegFOp>())
    return negate.getOperand();
  return Value();
}

static std::optional<Elementwise> matchLinalgElementwise(linalg::LinalgOp op) {
  if (!isElementwiseLinalg(op))
    return std::nullopt;
  Value yielded = op.getBlock()->getTerminator()->getOperand(0);
  Operation *payload = yielded.getDefiningOp();
  if (!payload || payload->getBlock() != op.getBlock())
    return std::nullopt;
  auto build = [&](Fn fn, ArrayRef<Value> values) {
    return buildElementwise(
        fn, op, values, [&](Value value) { return linalgOperand(op, value); });
  };
  // The whole body must be the one computation matched here.
  size_t bodyOps = op.getBlock()->getOperations().size() - 1;
  if (Value argument = sigmoidArgument(yielded)) {
    if (bodyOps > 5)
      return std::nullopt;
    return build(Fn::Sigmoid, {argument});
  }
  if (bodyOps != 1 && !(bodyOps == 2 && isa<arith::DivFOp>(payload)))
    return std::nullopt;
  if (auto exp = dyn_cast<math::ExpOp>(payload))
    return build(Fn::Exp, {exp.getOperand()});
  if (auto add = dyn_cast<arith::AddFOp>(payload))
    return build(Fn::Add, {add.getLhs(), add.getRhs()});
  if (auto sub = dyn_cast<arith::SubFOp>(payload))
    return build(Fn::Sub, {sub.getLhs(), sub.getRhs()});
  if (auto mul = dyn_cast<arith::MulFOp>(payload))
    return build(Fn::Mul, {mul.getLhs(), mul.getRhs()});
  if (auto divide = dyn_cast<arith::DivFOp>(payload)) {
    if (isConstant(divide.getLhs(), 1.0))
      return build(Fn::Reciprocal, {divide.getRhs()});
    return build(Fn::Div, {divide.getLhs(), divide.getRhs()});
  }
  if (auto select = dyn_cast<arith::SelectOp>(payload))
    return build(Fn::Select, {select.getCondition(), select.getTrueValue(),
                              select.getFalseValue()});
  return std::nullopt;
}

std::optional<Elementwise> mixir::attn::raise::matchElementwise(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || op->getNumResults() != 1)
    return std::nullopt;
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return matchLinalgElementwise(linalgOp);
  return matchTosaElementwise(op);
}

std::optional<RowReduction> mixir::attn::raise::matchRowReduction(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op)
    return std::nullopt;
  auto lastAxis = [](Value input, uint32_t axis) {
    return axis + 1 == cast<RankedTensorType>(input.getType()).getRank();
  };
  if (auto max = dyn_cast<tosa::ReduceMaxOp>(op)) {
    if (lastAxis(max.getInput(), max.getAxis()))
      return RowReduction{true, max.getInput(), op};
    return std::nullopt;
  }
  if (auto sum = dyn_cast<tosa::ReduceSumOp>(op)) {
    if (lastAxis(sum.getInput(), sum.getAxis()))
      return RowReduction{false, sum.getInput(), op};
    return std::nullopt;
  }
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || op->getNumResults() != 1 ||
      linalgOp.getNumDpsInputs() != 1 || linalgOp.getNumDpsInits() != 1 ||
      !linalgOp.hasPureTensorSemantics())
    return std::nullopt;
  unsigned loops = linalgOp.getNumLoops();
  SmallVector<utils::IteratorType> iterators = linalgOp.getIteratorTypesArray();
  for (unsigned dim = 0; dim < loops; ++dim)
    if ((iterators[dim] == utils::IteratorType::reduction) !=
        (dim + 1 == loops))
      return std::nullopt;
  OpOperand *input = linalgOp.getDpsInputOperand(0);
  OpOperand *init = linalgOp.getDpsInitOperand(0);
  if (!linalgOp.getMatchingIndexingMap(input).isIdentity() ||
      linalgOp.getMatchingIndexingMap(init) !=
          AffineMap::getMultiDimIdentityMap(loops, op->getContext())
              .getMajorSubMap(loops - 1))
    return std::nullopt;
  Block *body = linalgOp.getBlock();
  if (body->getOperations().size() != 2)
    return std::nullopt;
  Operation &combine = body->front();
  if (combine.getNumOperands() != 2 ||
      !llvm::is_contained(combine.getOperands(), body->getArgument(0)) ||
      !llvm::is_contained(combine.getOperands(), body->getArgument(1)))
    return std::nullopt;
  std::optional<double> identity = splatOf(init->get());
  if (!identity)
    return std::nullopt;
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(combine) && *identity <= -3.0e38)
    return RowReduction{true, input->get(), op};
  if (isa<arith::AddFOp>(combine) && *identity == 0.0)
    return RowReduction{false, input->get(), op};
  return std::nullopt;
}

/// The source of a reshape that appends one size-1 dim to it.
static Value peelTrailingUnitDim(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || !isa<tosa::ReshapeOp, tensor::ExpandShapeOp>(op))
    return Value();
  Value source = op->getOperand(0);
  auto sourceType = cast<RankedTensorType>(source.getType());
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() != sourceType.getRank() + 1 ||
      type.getShape().back() != 1 ||
      type.getShape().drop_back() != sourceType.getShape())
    return Value();
  return source;
}

Value mixir::attn::raise::matchRowBroadcast(const Operand &operand,
                                            int64_t rank) {
  if (!operand.tensor || rank < 1)
    return Value();
  AffineMap map = operand.map;
  MLIRContext *context = operand.tensor.getContext();
  auto type = cast<RankedTensorType>(operand.tensor.getType());
  for (int64_t dim = 0; dim + 1 < rank; ++dim)
    if (dim >= map.getNumResults() ||
        map.getResult(dim) != getAffineDimExpr(dim, context))
      return Value();
  if (map.getNumResults() == rank - 1)
    return operand.tensor;
  if (map.getNumResults() != rank)
    return Value();
  AffineExpr last = map.getResult(rank - 1);
  if (type.getShape().back() == 1 &&
      (last == getAffineConstantExpr(0, context) ||
       last == getAffineDimExpr(rank - 1, context)))
    return operand.tensor;
  if (!map.isIdentity())
    return Value();
  auto broadcast = operand.tensor.getDefiningOp<linalg::BroadcastOp>();
  if (broadcast && broadcast.getDimensions() == ArrayRef<int64_t>{rank - 1})
    return broadcast.getInput();
  return Value();
}

std::optional<RowReduction> mixir::attn::raise::matchRowReductionOf(Value row) {
  if (std::optional<RowReduction> reduction = matchRowReduction(row))
    return reduction;
  if (Value source = peelTrailingUnitDim(row))
    return matchRowReduction(source);
  return std::nullopt;
}

std::optional<Contraction> mixir::attn::raise::matchContraction(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op)
    return std::nullopt;
  if (auto matmul = dyn_cast<tosa::MatMulOp>(op)) {
    std::optional<double> aZero = splatOf(matmul.getAZp());
    std::optional<double> bZero = splatOf(matmul.getBZp());
    if (!aZero || !bZero || *aZero != 0.0 || *bZero != 0.0)
      return std::nullopt;
    return Contraction{matmul.getA(), matmul.getB(), false, op};
  }
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || op->getNumResults() != 1 ||
      linalgOp.getNumDpsInputs() != 2 || linalgOp.getNumDpsInits() != 1 ||
      !linalgOp.hasPureTensorSemantics() ||
      !linalg::isaContractionOpInterface(linalgOp) ||
      linalgOp.getNumReductionLoops() != 1)
    return std::nullopt;
  std::optional<double> init = splatOf(linalgOp.getDpsInits()[0]);
  if (!init || *init != 0.0)
    return std::nullopt;
  unsigned loops = linalgOp.getNumLoops();
  SmallVector<AffineMap> maps = linalgOp.getIndexingMapsArray();
  unsigned reduction = 0;
  for (auto [dim, iterator] : llvm::enumerate(linalgOp.getIteratorTypesArray()))
    if (iterator == utils::IteratorType::reduction)
      reduction = dim;
  // Output (batch..., m, n) in loop order; lhs (batch..., m, k); rhs
  // (batch..., k, n) or (batch..., n, k).
  AffineMap out = maps[2];
  if (out.getNumResults() != loops - 1 || !out.isProjectedPermutation())
    return std::nullopt;
  SmallVector<unsigned> outDims;
  for (AffineExpr expr : out.getResults())
    outDims.push_back(cast<AffineDimExpr>(expr).getPosition());
  if (!llvm::is_sorted(outDims) || outDims.size() < 2)
    return std::nullopt;
  MLIRContext *context = op->getContext();
  auto dims = [&](ArrayRef<unsigned> positions) {
    SmallVector<AffineExpr> exprs;
    for (unsigned position : positions)
      exprs.push_back(getAffineDimExpr(position, context));
    return AffineMap::get(loops, 0, exprs, context);
  };
  SmallVector<unsigned> batch(outDims.begin(), outDims.end() - 2);
  unsigned m = outDims[outDims.size() - 2], n = outDims.back();
  auto with = [&](unsigned a, unsigned b) {
    SmallVector<unsigned> positions = batch;
    positions.push_back(a);
    positions.push_back(b);
    return dims(positions);
  };
  if (maps[0] != with(m, reduction))
    return std::nullopt;
  if (maps[1] == with(reduction, n))
    return Contraction{linalgOp.getDpsInputs()[0], linalgOp.getDpsInputs()[1],
                       false, op};
  if (maps[1] == with(n, reduction))
    return Contraction{linalgOp.getDpsInputs()[0], linalgOp.getDpsInputs()[1],
                       true, op};
  return std::nullopt;
}

/// The static shape of a ranked tensor value, or nothing when dynamic.
static std::optional<ArrayRef<int64_t>> staticShape(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  return type.getShape();
}

Value mixir::attn::raise::peelBatchReshape(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op ||
      !isa<tosa::ReshapeOp, tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op))
    return Value();
  Value source = op->getOperand(0);
  std::optional<ArrayRef<int64_t>> from = staticShape(source);
  std::optional<ArrayRef<int64_t>> to = staticShape(value);
  if (!from || !to || from->size() < 2 || to->size() < 2 ||
      from->take_back(2) != to->take_back(2))
    return Value();
  auto product = [](ArrayRef<int64_t> dims) {
    int64_t size = 1;
    for (int64_t dim : dims)
      size *= dim;
    return size;
  };
  if (product(from->drop_back(2)) != product(to->drop_back(2)))
    return Value();
  return source;
}

/// Whether `generic` only copies its one input (through its indexing map:
/// a transpose or a broadcast).
static bool isCopyGeneric(linalg::GenericOp generic) {
  return isElementwiseLinalg(generic) && generic.getNumDpsInputs() == 1 &&
         generic.getBlock()->getOperations().size() == 1 &&
         generic.getBlock()->getTerminator()->getOperand(0) ==
             generic.getBlock()->getArgument(0);
}

/// Whether `permutation` swaps the last two dims and keeps the others.
static bool swapsLastTwo(ArrayRef<int64_t> permutation) {
  int64_t rank = permutation.size();
  if (rank < 2)
    return false;
  for (int64_t dim = 0; dim + 2 < rank; ++dim)
    if (permutation[dim] != dim)
      return false;
  return permutation[rank - 2] == rank - 1 && permutation[rank - 1] == rank - 2;
}

Value mixir::attn::raise::peelLastTwoTranspose(Value value) {
  Operation *op = value.getDefiningOp();
  if (auto transpose = dyn_cast_or_null<tosa::TransposeOp>(op)) {
    SmallVector<int64_t> permutation(transpose.getPerms().begin(),
                                     transpose.getPerms().end());
    return swapsLastTwo(permutation) ? transpose.getInput1() : Value();
  }
  if (auto transpose = dyn_cast_or_null<linalg::TransposeOp>(op))
    return swapsLastTwo(transpose.getPermutation()) ? transpose.getInput()
                                                    : Value();
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || !isCopyGeneric(generic))
    return Value();
  AffineMap map = generic.getIndexingMapsArray()[0];
  if (!map.isPermutation())
    return Value();
  SmallVector<int64_t> permutation;
  for (AffineExpr expr : map.getResults())
    permutation.push_back(cast<AffineDimExpr>(expr).getPosition());
  return swapsLastTwo(permutation) ? generic.getDpsInputs()[0] : Value();
}

Value mixir::attn::raise::peelHeadRepeat(Value value) {
  std::optional<ArrayRef<int64_t>> shape = staticShape(value);
  Operation *reshape = value.getDefiningOp();
  if (!shape || shape->size() != 4 || !reshape ||
      !isa<tosa::ReshapeOp, tensor::CollapseShapeOp>(reshape))
    return Value();
  Value repeated = reshape->getOperand(0);
  std::optional<ArrayRef<int64_t>> repeatedShape = staticShape(repeated);
  // [B, Hkv, g, T, D] with Hkv * g = H.
  if (!repeatedShape || repeatedShape->size() != 5 ||
      (*repeatedShape)[0] != (*shape)[0] ||
      (*repeatedShape)[1] * (*repeatedShape)[2] != (*shape)[1] ||
      repeatedShape->take_back(2) != shape->take_back(2))
    return Value();
  SmallVector<int64_t> sourceShape = {(*shape)[0], (*repeatedShape)[1],
                                      (*shape)[2], (*shape)[3]};
  auto isSource = [&](Value source) {
    std::optional<ArrayRef<int64_t>> found = staticShape(source);
    return found && *found == ArrayRef<int64_t>(sourceShape);
  };
  Operation *op = repeated.getDefiningOp();
  if (auto tile = dyn_cast_or_null<tosa::TileOp>(op)) {
    // tile([B, Hkv, 1, T, D] = reshape(source), multiples [1, 1, g, 1, 1]).
    Value unit = tile.getInput1();
    std::optional<ArrayRef<int64_t>> unitShape = staticShape(unit);
    if (!unitShape || (*unitShape)[2] != 1 ||
        unitShape->take_front(2) != repeatedShape->take_front(2) ||
        unitShape->take_back(2) != repeatedShape->take_back(2))
      return Value();
    Operation *unitReshape = unit.getDefiningOp();
    if (!unitReshape ||
        !isa<tosa::ReshapeOp, tensor::ExpandShapeOp>(unitReshape) ||
        !isSource(unitReshape->getOperand(0)))
      return Value();
    return unitReshape->getOperand(0);
  }
  if (auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(op)) {
    if (broadcast.getDimensions() == ArrayRef<int64_t>{2} &&
        isSource(broadcast.getInput()))
      return broadcast.getInput();
    return Value();
  }
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || !isCopyGeneric(generic))
    return Value();
  MLIRContext *context = value.getContext();
  AffineMap expected = AffineMap::get(
      5, 0,
      {getAffineDimExpr(0, context), getAffineDimExpr(1, context),
       getAffineDimExpr(3, context), getAffineDimExpr(4, context)},
      context);
  Value source = generic.getDpsInputs()[0];
  if (generic.getIndexingMapsArray()[0] == expected && isSource(source))
    return source;
  return Value();
}

namespace {
/// Evaluates the body of a linalg op of positions only at one index.
class PositionEvaluator {
public:
  explicit PositionEvaluator(linalg::LinalgOp op) : op(op) {}

  /// Whether the op is elementwise over its output (its inputs are read
  /// through its maps and evaluated by the caller).
  bool isSupported() {
    return op.getNumDpsInits() == 1 && op->getNumResults() == 1 &&
           op.getNumReductionLoops() == 0 &&
           op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity() &&
           !op.payloadUsesValueFromOperand(op.getDpsInitOperand(0));
  }

  /// The yielded value at loop index `index`, given its inputs' values
  /// there; nothing when the body uses an operation evaluate() does not
  /// know.
  std::optional<double> evaluate(ArrayRef<int64_t> index,
                                 ArrayRef<double> inputs) {
    llvm::DenseMap<Value, double> values;
    Block *body = op.getBlock();
    for (auto [position, input] : llvm::enumerate(inputs))
      values[body->getArgument(position)] = input;
    auto get = [&](Value value) -> std::optional<double> {
      auto found = values.find(value);
      if (found != values.end())
        return found->second;
      IntegerAttr integer;
      if (matchPattern(value, m_Constant(&integer)))
        return static_cast<double>(integer.getValue().getSExtValue());
      if (std::optional<double> constant = scalarConstant(value))
        return constant;
      return std::nullopt;
    };
    for (Operation &inner : body->without_terminator()) {
      if (isa<arith::ConstantOp>(inner))
        continue; // Read by get() where used.
      if (inner.getNumResults() != 1)
        return std::nullopt;
      SmallVector<double> operands;
      for (Value operand : inner.getOperands()) {
        std::optional<double> known = get(operand);
        if (!known)
          return std::nullopt;
        operands.push_back(*known);
      }
      std::optional<double> result = apply(inner, operands, index);
      if (!result)
        return std::nullopt;
      values[inner.getResult(0)] = *result;
    }
    return get(body->getTerminator()->getOperand(0));
  }

private:
  static std::optional<double>
  apply(Operation &inner, ArrayRef<double> operands, ArrayRef<int64_t> index) {
    if (auto position = dyn_cast<linalg::IndexOp>(inner))
      return static_cast<double>(index[position.getDim()]);
    if (isa<arith::IndexCastOp, arith::ExtSIOp, arith::SIToFPOp>(inner))
      return operands[0];
    if (isa<arith::AddIOp, arith::AddFOp>(inner))
      return operands[0] + operands[1];
    if (isa<arith::SubIOp, arith::SubFOp>(inner))
      return operands[0] - operands[1];
    if (isa<arith::MulIOp, arith::MulFOp>(inner))
      return operands[0] * operands[1];
    if (isa<arith::AndIOp>(inner))
      return static_cast<double>(operands[0] != 0 && operands[1] != 0);
    if (isa<arith::OrIOp>(inner))
      return static_cast<double>(operands[0] != 0 || operands[1] != 0);
    if (auto select = dyn_cast<arith::SelectOp>(inner))
      return operands[0] != 0 ? operands[1] : operands[2];
    if (auto compare = dyn_cast<arith::CmpIOp>(inner)) {
      double a = operands[0], b = operands[1];
      bool isUnsigned = compare.getPredicate() == arith::CmpIPredicate::ult ||
                        compare.getPredicate() == arith::CmpIPredicate::ule ||
                        compare.getPredicate() == arith::CmpIPredicate::ugt ||
                        compare.getPredicate() == arith::CmpIPredicate::uge;
      // Positions are never negative; other values are not modelled.
      if (isUnsigned && (a < 0 || b < 0))
        return std::nullopt;
      switch (compare.getPredicate()) {
      case arith::CmpIPredicate::eq:
        return static_cast<double>(a == b);
      case arith::CmpIPredicate::ne:
        return static_cast<double>(a != b);
      case arith::CmpIPredicate::slt:
      case arith::CmpIPredicate::ult:
        return static_cast<double>(a < b);
      case arith::CmpIPredicate::sle:
      case arith::CmpIPredicate::ule:
        return static_cast<double>(a <= b);
      case arith::CmpIPredicate::sgt:
      case arith::CmpIPredicate::ugt:
        return static_cast<double>(a > b);
      case arith::CmpIPredicate::sge:
      case arith::CmpIPredicate::uge:
        return static_cast<double>(a >= b);
      }
    }
    return std::nullopt;
  }

  linalg::LinalgOp op;
};
} // namespace

/// The largest grid of positions that evaluateScoreGrid builds.
static constexpr int64_t kMaxGridSize = int64_t(1) << 24;

namespace {
/// Evaluates a tensor computed from positions and constants at one index:
/// constants, linalg ops of positions, and TOSA elementwise ops (compares,
/// selects, logic, arithmetic, casts) on such tensors, with TOSA's
/// broadcasting of size-1 dims. An exporter's causal mask is one of these:
/// a compare of two constant position ranges, then a select.
class GridEvaluator {
public:
  std::optional<double> at(Value tensor, ArrayRef<int64_t> index,
                           unsigned depth = 0) {
    if (depth > 16)
      return std::nullopt;
    auto type = dyn_cast<RankedTensorType>(tensor.getType());
    if (!type || !type.hasStaticShape() ||
        static_cast<int64_t>(index.size()) != type.getRank())
      return std::nullopt;
    if (const SmallVector<double> *values = constantValues(tensor)) {
      if (values->size() == 1)
        return values->front();
      int64_t flat = 0;
      for (int64_t dim = 0; dim < type.getRank(); ++dim)
        flat = flat * type.getDimSize(dim) + index[dim];
      return (*values)[flat];
    }
    Operation *op = tensor.getDefiningOp();
    if (!op)
      return std::nullopt;
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      auto [found, inserted] = positions.try_emplace(op);
      if (inserted)
        found->second = std::make_unique<PositionEvaluator>(linalgOp);
      if (!found->second->isSupported())
        return std::nullopt;
      SmallVector<double> inputs;
      for (OpOperand *input : linalgOp.getDpsInputOperands()) {
        SmallVector<int64_t> inputIndex =
            linalgOp.getMatchingIndexingMap(input).compose(index);
        std::optional<double> value = at(input->get(), inputIndex, depth + 1);
        if (!value)
          return std::nullopt;
        inputs.push_back(*value);
      }
      return found->second->evaluate(index, inputs);
    }
    if (!op->getDialect() || op->getDialect()->getNamespace() != "tosa" ||
        op->getNumResults() != 1)
      return std::nullopt;
    SmallVector<double> operands;
    for (Value operand : op->getOperands()) {
      auto operandType = dyn_cast<RankedTensorType>(operand.getType());
      if (!operandType || operandType.getRank() != type.getRank())
        return std::nullopt;
      SmallVector<int64_t> operandIndex(index);
      for (int64_t dim = 0; dim < type.getRank(); ++dim)
        if (operandType.getDimSize(dim) == 1)
          operandIndex[dim] = 0;
      std::optional<double> value = at(operand, operandIndex, depth + 1);
      if (!value)
        return std::nullopt;
      operands.push_back(*value);
    }
    return applyTosa(op, operands);
  }

private:
  static std::optional<double> applyTosa(Operation *op,
                                         ArrayRef<double> operands) {
    if (isa<tosa::GreaterOp>(op))
      return double(operands[0] > operands[1]);
    if (isa<tosa::GreaterEqualOp>(op))
      return double(operands[0] >= operands[1]);
    if (isa<tosa::EqualOp>(op))
      return double(operands[0] == operands[1]);
    if (isa<tosa::LogicalAndOp>(op))
      return double(operands[0] != 0 && operands[1] != 0);
    if (isa<tosa::LogicalOrOp>(op))
      return double(operands[0] != 0 || operands[1] != 0);
    if (isa<tosa::LogicalNotOp>(op))
      return double(operands[0] == 0);
    if (isa<tosa::SelectOp>(op))
      return operands[0] != 0 ? operands[1] : operands[2];
    if (isa<tosa::AddOp>(op))
      return operands[0] + operands[1];
    if (isa<tosa::SubOp>(op))
      return operands[0] - operands[1];
    if (isa<tosa::CastOp>(op)) {
      Type element = getElementTypeOrSelf(op->getResult(0).getType());
      if (element.isInteger(1))
        return double(operands[0] != 0);
      if (isa<FloatType>(element))
        return operands[0];
      return std::nullopt; // Integer truncation is not modelled.
    }
    return std::nullopt;
  }

  /// The values of a constant tensor, flattened (one value for a splat).
  const SmallVector<double> *constantValues(Value tensor) {
    auto found = constants.find(tensor);
    if (found != constants.end())
      return &found->second;
    DenseElementsAttr attr;
    if (!matchPattern(tensor, m_Constant(&attr)))
      return nullptr;
    SmallVector<double> values;
    Type element = attr.getElementType();
    if (isa<FloatType>(element)) {
      if (attr.isSplat())
        values.push_back(attr.getSplatValue<APFloat>().convertToDouble());
      else
        for (const APFloat &value : attr.getValues<APFloat>())
          values.push_back(value.convertToDouble());
    } else if (auto integer = dyn_cast<IntegerType>(element)) {
      auto convert = [&](const APInt &value) {
        return integer.getWidth() == 1 ? double(value.getBoolValue())
                                       : double(value.getSExtValue());
      };
      if (attr.isSplat())
        values.push_back(convert(attr.getSplatValue<APInt>()));
      else
        for (const APInt &value : attr.getValues<APInt>())
          values.push_back(convert(value));
    } else {
      return nullptr;
    }
    return &constants.try_emplace(tensor, std::move(values)).first->second;
  }

  llvm::DenseMap<Value, SmallVector<double>> constants;
  llvm::DenseMap<Operation *, std::unique_ptr<PositionEvaluator>> positions;
};
} // namespace

LogicalResult
mixir::attn::raise::evaluateScoreGrid(const Operand &operand, int64_t rank,
                                      int64_t rows, int64_t cols,
                                      SmallVectorImpl<double> &out) {
  if (rows * cols > kMaxGridSize || rank < 2)
    return failure();
  out.clear();
  if (operand.splat) {
    out.assign(rows * cols, *operand.splat);
    return success();
  }
  Value tensor = operand.tensor;
  std::optional<ArrayRef<int64_t>> shape = staticShape(tensor);
  if (!shape || operand.map.getNumDims() != rank)
    return failure();
  // Values that vary along a leading dim are not one mask of (i, j).
  for (auto [position, expr] : llvm::enumerate(operand.map.getResults()))
    for (int64_t dim = 0; dim + 2 < rank; ++dim)
      if (expr.isFunctionOfDim(dim) && (*shape)[position] != 1)
        return failure();
  GridEvaluator evaluator;
  SmallVector<int64_t> loopIndex(rank, 0);
  out.reserve(rows * cols);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) {
      loopIndex[rank - 2] = i;
      loopIndex[rank - 1] = j;
      std::optional<double> value = evaluator.at(
          tensor, operand.map.compose(ArrayRef<int64_t>(loopIndex)));
      if (!value)
        return failure();
      out.push_back(*value);
    }
  }
  return success();
}

bool mixir::attn::raise::dependsOn(Value value, Operation *op) {
  llvm::SetVector<Operation *> visited;
  SmallVector<Value> worklist = {value};
  while (!worklist.empty()) {
    Operation *producer = worklist.pop_back_val().getDefiningOp();
    if (!producer || !visited.insert(producer))
      continue;
    if (producer == op)
      return true;
    llvm::append_range(worklist, producer->getOperands());
  }
  return false;
}
