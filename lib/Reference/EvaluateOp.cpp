//===- EvaluateOp.cpp - evaluate an attn op with the reference ------------===//
//
// Dispatches an attn op to its float64 reference function. Attributes are read
// through the generated accessors and translated into the reference's params
// structs (unset optional attributes stay unset, so the reference applies the
// spec's defaults). Operands are located through the op's operand accessors,
// never by comparing Values, so an SSA value passed twice (q = k = v) is
// handled. Each operand used is checked against the rank and static sizes of
// its type.
//
//===----------------------------------------------------------------------===//

#include "mixir/Reference/EvaluateOp.h"

#include "mixir/Dialect/Attn/IR/AttnOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace mlir;

namespace mixir {
namespace reference {

namespace {
/// Looks up the tensor of an operand and checks it against the operand's
/// type; remembers the first mismatch.
class OperandTensors {
public:
  OperandTensors(Operation *op, llvm::ArrayRef<Tensor> operands)
      : op(op), operands(operands) {}

  const Tensor &get(OpOperand &operand) {
    unsigned index = operand.getOperandNumber();
    const Tensor &tensor = operands[index];
    if (!error.empty())
      return tensor;
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type) {
      error = llvm::formatv("operand #{0} is not a ranked tensor", index);
      return tensor;
    }
    bool matches = type.getRank() == tensor.rank();
    for (int64_t d = 0; matches && d < type.getRank(); ++d)
      matches = type.isDynamicDim(d) || type.getDimSize(d) == tensor.dim(d);
    if (!matches)
      error = llvm::formatv(
          "operand #{0} of '{1}' has shape [{2}], which does "
          "not fit its type {3}",
          index, op->getName().getStringRef(),
          llvm::make_range(tensor.shape.begin(), tensor.shape.end()), type);
    return tensor;
  }

  /// The tensor of an optional operand, or null when it is absent.
  const Tensor *getOptional(MutableOperandRange range) {
    if (range.size() == 0)
      return nullptr;
    return &get(range[0]);
  }

  llvm::Error takeError() {
    if (error.empty())
      return llvm::Error::success();
    return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
  }

private:
  Operation *op;
  llvm::ArrayRef<Tensor> operands;
  std::string error;
};
} // namespace

static std::optional<double> optionalDouble(FloatAttr attr) {
  if (!attr)
    return std::nullopt;
  return attr.getValueAsDouble();
}

static CausalMode convert(attn::CausalMode mode) {
  switch (mode) {
  case attn::CausalMode::none:
    return CausalMode::None;
  case attn::CausalMode::top_left:
    return CausalMode::TopLeft;
  case attn::CausalMode::bottom_right:
    return CausalMode::BottomRight;
  }
  return CausalMode::None;
}

/// The params and results common to attn.attention and
/// attn.block_sparse_attention; `layout` is null for the former.
template <typename OpTy>
static llvm::Expected<std::vector<Tensor>>
evaluateAttention(OpTy op, OperandTensors &tensors, AttentionParams params,
                  const Tensor *layout) {
  params.score = op.getScore() == attn::ScoreKind::sigmoid ? ScoreKind::Sigmoid
                                                           : ScoreKind::Softmax;
  params.causal = convert(op.getCausal());
  if (std::optional<llvm::ArrayRef<int64_t>> window = op.getWindow()) {
    if (window->size() != 2)
      return llvm::createStringError("window must hold two values");
    params.window = {(*window)[0], (*window)[1]};
  }
  params.scale = optionalDouble(op.getScaleAttr());
  params.sigmoidBias = optionalDouble(op.getSigmoidBiasAttr());

  const Tensor &q = tensors.get(op.getQueryMutable());
  const Tensor &k = tensors.get(op.getKeyMutable());
  const Tensor &v = tensors.get(op.getValueMutable());
  const Tensor *bias = tensors.getOptional(op.getBiasMutable());
  const Tensor *kvLen = tensors.getOptional(op.getKvLenMutable());
  const Tensor *qLen = tensors.getOptional(op.getQLenMutable());
  if (llvm::Error error = tensors.takeError())
    return error;
  if (op.hasLse() && params.score != ScoreKind::Softmax)
    return llvm::createStringError("lse result requires the softmax score");

  std::vector<Tensor> results(op.hasLse() ? 2 : 1);
  attention(params, q, k, v, bias, kvLen, qLen, layout, results[0],
            op.hasLse() ? &results[1] : nullptr);
  return results;
}

static llvm::Expected<std::vector<Tensor>> evaluate(attn::AttentionOp op,
                                                    OperandTensors &tensors) {
  return evaluateAttention(op, tensors, AttentionParams(), nullptr);
}

static llvm::Expected<std::vector<Tensor>>
evaluate(attn::BlockSparseAttentionOp op, OperandTensors &tensors) {
  llvm::ArrayRef<int64_t> block = op.getBlock();
  if (block.size() != 2 || block[0] <= 0 || block[1] <= 0)
    return llvm::createStringError("block must hold two positive sizes");
  AttentionParams params;
  params.blockQ = block[0];
  params.blockK = block[1];
  const Tensor &layout = tensors.get(op.getLayoutMutable());
  return evaluateAttention(op, tensors, params, &layout);
}

static llvm::Expected<std::vector<Tensor>> evaluate(attn::RoutedAttentionOp op,
                                                    OperandTensors &tensors) {
  RoutedAttentionParams params;
  params.topk = static_cast<int64_t>(op.getTopk());
  if (std::optional<uint64_t> size = op.getRegionSize())
    params.regionSize = static_cast<int64_t>(*size);
  std::optional<llvm::ArrayRef<int64_t>> grid = op.getGrid();
  std::optional<llvm::ArrayRef<int64_t>> regions = op.getRegions();
  if (grid && regions && grid->size() == 2 && regions->size() == 2) {
    params.grid = std::array<int64_t, 2>{(*grid)[0], (*grid)[1]};
    params.regions = std::array<int64_t, 2>{(*regions)[0], (*regions)[1]};
  }
  if (params.regionSize.has_value() == params.grid.has_value())
    return llvm::createStringError(
        "expected exactly one of region_size or grid/regions");
  params.scale = optionalDouble(op.getScaleAttr());

  const Tensor &q = tensors.get(op.getQueryMutable());
  const Tensor &k = tensors.get(op.getKeyMutable());
  const Tensor &v = tensors.get(op.getValueMutable());
  if (llvm::Error error = tensors.takeError())
    return error;
  std::vector<Tensor> results(1);
  routedAttention(params, q, k, v, results[0]);
  return results;
}

static llvm::Expected<std::vector<Tensor>> evaluate(attn::CombinerOp op,
                                                    OperandTensors &tensors) {
  CombinerParams params;
  switch (op.getVariant()) {
  case attn::CombinerVariant::fixed:
    params.variant = CombinerVariant::Fixed;
    break;
  case attn::CombinerVariant::axial:
    params.variant = CombinerVariant::Axial;
    break;
  case attn::CombinerVariant::logsparse:
    params.variant = CombinerVariant::Logsparse;
    break;
  }
  if (std::optional<uint64_t> block = op.getBlock())
    params.block = static_cast<int64_t>(*block);
  else if (params.variant != CombinerVariant::Logsparse)
    return llvm::createStringError("fixed and axial need a block size");
  params.causal = op.getCausal();
  if (params.variant == CombinerVariant::Logsparse && !params.causal)
    return llvm::createStringError("logsparse is causal only");
  params.scale = optionalDouble(op.getScaleAttr());

  const Tensor &q = tensors.get(op.getQueryMutable());
  const Tensor &k = tensors.get(op.getKeyMutable());
  const Tensor &v = tensors.get(op.getValueMutable());
  if (llvm::Error error = tensors.takeError())
    return error;
  std::vector<Tensor> results(1);
  combiner(params, q, k, v, results[0]);
  return results;
}

static llvm::Expected<std::vector<Tensor>> evaluate(attn::PoolMixOp op,
                                                    OperandTensors &tensors) {
  PoolMixParams params;
  params.heads = static_cast<int64_t>(op.getHeads());
  params.window = static_cast<int64_t>(op.getWindow());

  const Tensor &q = tensors.get(op.getQueryMutable());
  const Tensor &k = tensors.get(op.getKeyMutable());
  const Tensor &o = tensors.get(op.getGateMutable());
  const Tensor &s = tensors.get(op.getSegmentStreamMutable());
  const Tensor &l = tensors.get(op.getLocalStreamMutable());
  const Tensor &segmentIds = tensors.get(op.getSegmentIdsMutable());
  const Tensor *v = tensors.getOptional(op.getValueMutable());
  const Tensor *len = tensors.getOptional(op.getLenMutable());
  if (llvm::Error error = tensors.takeError())
    return error;
  std::vector<Tensor> results(1);
  poolMix(params, q, k, o, s, l, segmentIds, v, len, results[0]);
  return results;
}

static llvm::Expected<std::vector<Tensor>> evaluate(attn::HyenaOp op,
                                                    OperandTensors &tensors) {
  if (!op.getCausal())
    return llvm::createStringError("non-causal hyena is not supported");
  const Tensor &v = tensors.get(op.getInputMutable());
  const Tensor &gates = tensors.get(op.getGatesMutable());
  const Tensor &filters = tensors.get(op.getFiltersMutable());
  const Tensor &skip = tensors.get(op.getSkipMutable());
  if (llvm::Error error = tensors.takeError())
    return error;
  std::vector<Tensor> results(1);
  hyena(v, gates, filters, skip, results[0]);
  return results;
}

/// Checks the computed results against the static sizes of the result types.
static llvm::Error checkResults(Operation *op,
                                const std::vector<Tensor> &results) {
  if (results.size() != op->getNumResults())
    return llvm::createStringError(
        llvm::formatv("computed {0} results for an op with {1}", results.size(),
                      op->getNumResults())
            .str());
  for (auto [index, result] : llvm::enumerate(op->getResults())) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    const Tensor &tensor = results[index];
    bool matches = type && type.getRank() == tensor.rank();
    for (int64_t d = 0; matches && d < type.getRank(); ++d)
      matches = type.isDynamicDim(d) || type.getDimSize(d) == tensor.dim(d);
    if (!matches)
      return llvm::createStringError(
          llvm::formatv(
              "result #{0} has shape [{1}], which does not fit its "
              "type {2}",
              index, llvm::make_range(tensor.shape.begin(), tensor.shape.end()),
              result.getType())
              .str());
  }
  return llvm::Error::success();
}

llvm::Expected<std::vector<Tensor>>
evaluateReference(Operation *op, llvm::ArrayRef<Tensor> operands) {
  if (!op)
    return llvm::createStringError("no op to evaluate");
  if (operands.size() != op->getNumOperands())
    return llvm::createStringError(
        llvm::formatv("'{0}' has {1} operands but {2} tensors were given",
                      op->getName().getStringRef(), op->getNumOperands(),
                      operands.size())
            .str());

  OperandTensors tensors(op, operands);
  resetLogitMagnitude();
  llvm::Expected<std::vector<Tensor>> results =
      llvm::TypeSwitch<Operation *, llvm::Expected<std::vector<Tensor>>>(op)
          .Case<attn::AttentionOp, attn::BlockSparseAttentionOp,
                attn::RoutedAttentionOp, attn::CombinerOp, attn::PoolMixOp,
                attn::HyenaOp>(
              [&](auto typedOp) { return evaluate(typedOp, tensors); })
          .Default([](Operation *op) -> llvm::Expected<std::vector<Tensor>> {
            return llvm::createStringError(
                llvm::formatv("no reference for op '{0}'",
                              op->getName().getStringRef())
                    .str());
          });
  if (!results)
    return results.takeError();
  if (llvm::Error error = checkResults(op, *results))
    return error;
  for (Tensor &result : *results)
    result.logitMagnitude = getLogitMagnitude();
  return results;
}

} // namespace reference
} // namespace mixir
