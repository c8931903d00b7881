//===- AttnOps.cpp - attn dialect operations ------------------------------===//
//
// The verifiers of the attn ops. Each rule rejects a combination that
// spec/MIXERS.md leaves undefined, with a located message naming the operand
// or attribute and the rule. Sizes are checked through DimensionBinder so that
// every operand is compared with the role the spec gives its dimensions;
// dynamic sizes are accepted wherever a rule cannot be checked statically.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnOps.h"
#include "mixir/Dialect/Attn/IR/DimensionRoles.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::roles;

#define GET_OP_CLASSES
#include "mixir/Dialect/Attn/IR/AttnOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

static bool isStaticSize(int64_t size) { return !ShapedType::isDynamic(size); }

/// Attributes outside the op's own set are accepted only when they carry a
/// dialect prefix (`dialect.name`), the MLIR convention for discardable
/// attributes. Anything else is most likely a misspelt keyword that would
/// otherwise be silently ignored.
static LogicalResult verifyNoUnknownAttributes(Operation *op) {
  for (NamedAttribute attr : op->getDiscardableAttrs()) {
    if (attr.getName().strref().contains('.'))
      continue;
    InFlightDiagnostic diag = op->emitOpError()
                              << "has unknown attribute '"
                              << attr.getName().strref() << "' (known: ";
    std::optional<RegisteredOperationName> info = op->getRegisteredInfo();
    SmallVector<StringRef> known;
    if (info)
      for (StringAttr name : info->getAttributeNames())
        if (name.strref() != "operandSegmentSizes")
          known.push_back(name.strref());
    llvm::interleaveComma(known, diag);
    return diag << ")";
  }
  return success();
}

static Type elementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

/// The data operands of every mixer hold f32, f16 or bf16.
static LogicalResult verifyFloatElementType(Operation *op, StringRef name,
                                            Value value) {
  Type type = elementTypeOf(value);
  if (type.isF32() || type.isF16() || type.isBF16())
    return success();
  return op->emitOpError() << "expected " << name
                           << " element type to be f32, f16 or bf16, got "
                           << type;
}

static LogicalResult verifySameElementType(Operation *op, StringRef name,
                                           Value value, StringRef refName,
                                           Value ref) {
  Type type = elementTypeOf(value), refType = elementTypeOf(ref);
  if (type == refType)
    return success();
  return op->emitOpError() << "expected " << name << " element type (" << type
                           << ") to equal " << refName << " element type ("
                           << refType << ")";
}

static LogicalResult verifyElementType(Operation *op, StringRef name,
                                       Value value, Type expected) {
  Type type = elementTypeOf(value);
  if (type == expected)
    return success();
  return op->emitOpError() << "expected " << name << " element type to be "
                           << expected << ", got " << type;
}

/// Lengths (kv_len, q_len, len) are `[B]` tensors of i32.
static LogicalResult verifyLengths(Operation *op, StringRef name, Value value,
                                   DimensionBinder &dims) {
  if (!value)
    return success();
  Builder builder(op->getContext());
  if (failed(verifyElementType(op, name, value, builder.getI32Type())))
    return failure();
  return dims.bind(name, value.getType(), {kBatch});
}

static LogicalResult verifyFiniteScalar(Operation *op, StringRef name,
                                        std::optional<APFloat> value) {
  if (!value || value->isFinite())
    return success();
  SmallString<16> text;
  value->toString(text);
  return op->emitOpError() << "expected " << name << " to be finite, got "
                           << text;
}

static std::optional<APFloat> optionalValue(FloatAttr attr) {
  if (!attr)
    return std::nullopt;
  return attr.getValue();
}

//===----------------------------------------------------------------------===//
// Attention-like ops (attention, block_sparse_attention)
//===----------------------------------------------------------------------===//

/// Checks every rule the two attention ops share: element types, the
/// [B, Hq, S, D] / [B, Hkv, T, D] / [B, Hkv, T, Dv] shapes, GQA divisibility,
/// the outputs (o and the optional lse), bias broadcasting, the lengths and
/// the score-dependent attributes.
template <typename OpTy>
static LogicalResult verifyAttentionLike(OpTy op, DimensionBinder &dims) {
  Operation *operation = op.getOperation();
  Value query = op.getQuery(), key = op.getKey(), value = op.getValue();
  if (failed(verifyFloatElementType(operation, "query", query)) ||
      failed(verifySameElementType(operation, "key", key, "query", query)) ||
      failed(verifySameElementType(operation, "value", value, "query", query)))
    return failure();

  if (failed(dims.bind("query", query.getType(),
                       {kBatch, kQueryHeads, kQueryLen, kHeadDim})) ||
      failed(dims.bind("key", key.getType(),
                       {kBatch, kKvHeads, kKeyLen, kHeadDim})) ||
      failed(dims.bind("value", value.getType(),
                       {kBatch, kKvHeads, kKeyLen, kValueDim})))
    return failure();

  int64_t queryHeads = dims.get(kQueryHeads), kvHeads = dims.get(kKvHeads);
  if (isStaticSize(kvHeads) && kvHeads == 0)
    return op.emitOpError() << "expected key/value heads Hkv to be positive";
  if (isStaticSize(queryHeads) && isStaticSize(kvHeads) &&
      queryHeads % kvHeads != 0)
    return op.emitOpError()
           << "expected query heads Hq (" << queryHeads
           << ") to be a multiple of key/value heads Hkv (" << kvHeads << ")";

  ValueRange outputs = op.getOutputs();
  if (outputs.empty() || outputs.size() > 2)
    return op.emitOpError()
           << "expected 1 or 2 outputs (o, then lse), got " << outputs.size();
  if (failed(verifySameElementType(operation, "output", outputs[0], "query",
                                   query)) ||
      failed(dims.bind("output", outputs[0].getType(),
                       {kBatch, kQueryHeads, kQueryLen, kValueDim})))
    return failure();
  if (outputs.size() == 2) {
    if (op.getScore() != ScoreKind::softmax)
      return op.emitOpError() << "expected no lse output with score "
                              << stringifyScoreKind(op.getScore())
                              << " (lse exists only for softmax)";
    Builder builder(op.getContext());
    if (failed(verifyElementType(operation, "lse", outputs[1],
                                 builder.getF32Type())) ||
        failed(dims.bind("lse", outputs[1].getType(),
                         {kBatch, kQueryHeads, kQueryLen})))
      return failure();
  }

  if (Value bias = op.getBias()) {
    if (failed(verifySameElementType(operation, "bias", bias, "query", query)))
      return failure();
    auto biasType = cast<ShapedType>(bias.getType());
    const DimRole biasRoles[] = {kBatch, kQueryHeads, kQueryLen, kKeyLen};
    if (biasType.getRank() != 4)
      return op.emitOpError()
             << "expected bias to have rank 4 (broadcastable to [B, Hq, S, "
                "T]), got rank "
             << biasType.getRank();
    for (auto [dim, role] : llvm::enumerate(biasRoles)) {
      int64_t size = biasType.getDimSize(dim);
      if (!isStaticSize(size) || size == 1)
        continue;
      int64_t full = dims.get(role);
      if (isStaticSize(full) && full != size)
        return op.emitOpError() << "expected bias dim " << dim << " (" << size
                                << ") to be 1 or the " << role.name << " "
                                << role.symbol << " (" << full << ")";
      if (failed(dims.bindDim("bias", dim, size, role)))
        return failure();
    }
  }

  if (failed(verifyLengths(operation, "kv_len", op.getKvLen(), dims)) ||
      failed(verifyLengths(operation, "q_len", op.getQLen(), dims)))
    return failure();

  if (op.getSigmoidBias() && op.getScore() != ScoreKind::sigmoid)
    return op.emitOpError() << "expected sigmoid_bias only with score sigmoid";

  if (std::optional<ArrayRef<int64_t>> window = op.getWindow()) {
    if (window->size() != 2)
      return op.emitOpError()
             << "expected window to hold two values [wl, wr], got "
             << window->size();
    for (int64_t bound : *window)
      if (bound < -1)
        return op.emitOpError() << "expected window values to be >= -1 (-1 "
                                   "is unbounded), got "
                                << bound;
  }

  if (failed(verifyFiniteScalar(operation, "scale",
                                optionalValue(op.getScaleAttr()))) ||
      failed(verifyFiniteScalar(operation, "sigmoid_bias",
                                optionalValue(op.getSigmoidBiasAttr()))))
    return failure();
  if (!op.getScaleAttr() && dims.get(kHeadDim) == 0)
    return op.emitOpError() << "expected an explicit scale when the head dim D "
                               "is 0 (the default 1/sqrt(D) is not finite)";
  return success();
}

LogicalResult AttentionOp::verify() {
  if (failed(verifyNoUnknownAttributes(*this)))
    return failure();
  DimensionBinder dims(*this);
  return verifyAttentionLike(*this, dims);
}

/// ceil(a / b) for a >= 0, b > 0.
static int64_t ceilDiv(int64_t a, int64_t b) { return llvm::divideCeil(a, b); }

LogicalResult BlockSparseAttentionOp::verify() {
  if (failed(verifyNoUnknownAttributes(*this)))
    return failure();
  ArrayRef<int64_t> block = getBlock();
  if (block.size() != 2)
    return emitOpError() << "expected block to hold two sizes [bq, bk], got "
                         << block.size();
  if (block[0] <= 0 || block[1] <= 0)
    return emitOpError() << "expected block sizes to be positive, got ["
                         << block[0] << ", " << block[1] << "]";

  DimensionBinder dims(*this);
  if (failed(verifyAttentionLike(*this, dims)))
    return failure();

  Value layout = getLayout();
  Builder builder(getContext());
  if (failed(verifyElementType(*this, "layout", layout, builder.getI1Type())))
    return failure();
  auto layoutType = cast<ShapedType>(layout.getType());
  if (layoutType.getRank() != 3)
    return emitOpError() << "expected layout to have rank 3 ([Hl, ceil(S / "
                            "bq), ceil(T / bk)]), got rank "
                         << layoutType.getRank();
  int64_t layoutHeads = layoutType.getDimSize(0);
  int64_t queryHeads = dims.get(kQueryHeads);
  if (isStaticSize(layoutHeads) && layoutHeads != 1 &&
      isStaticSize(queryHeads) && layoutHeads != queryHeads)
    return emitOpError() << "expected layout dim 0 (" << layoutHeads
                         << ") to be 1 or the query heads Hq (" << queryHeads
                         << ")";
  const DimRole lengthRoles[] = {kQueryLen, kKeyLen};
  for (unsigned i = 0; i < 2; ++i) {
    int64_t blocks = layoutType.getDimSize(i + 1);
    int64_t length = dims.get(lengthRoles[i]);
    if (!isStaticSize(blocks) || !isStaticSize(length))
      continue;
    int64_t expected = ceilDiv(length, block[i]);
    if (blocks != expected)
      return emitOpError() << "expected layout dim " << i + 1 << " (" << blocks
                           << ") to equal ceil(" << lengthRoles[i].symbol
                           << " / " << (i == 0 ? "bq" : "bk") << ") = ceil("
                           << length << " / " << block[i] << ") (" << expected
                           << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Ops over [B, H, L, D] (routed_attention, combiner)
//===----------------------------------------------------------------------===//

/// q, k, v and the output all have the shape [B, H, L, D] and one element
/// type.
static LogicalResult verifyUniformHeads(Operation *op, Value query, Value key,
                                        Value value, Value init,
                                        DimensionBinder &dims) {
  if (failed(verifyFloatElementType(op, "query", query)) ||
      failed(verifySameElementType(op, "key", key, "query", query)) ||
      failed(verifySameElementType(op, "value", value, "query", query)) ||
      failed(verifySameElementType(op, "output", init, "query", query)))
    return failure();
  const DimRole shape[] = {kBatch, kHeads, kSeqLen, kHeadDim};
  const std::pair<StringRef, Value> operands[] = {
      {"query", query}, {"key", key}, {"value", value}, {"output", init}};
  for (auto [name, operand] : operands)
    if (failed(dims.bind(name, operand.getType(), shape)))
      return failure();
  return success();
}

/// The region rules of routed attention (and of its routing layout): one of
/// region_size or grid and regions, sizes that divide the sequence length
/// `length`, 1 <= topk <= R. Returns R (dynamic when L is).
template <typename OpTy>
static FailureOr<int64_t> verifyRouting(OpTy op, int64_t length) {
  IntegerAttr regionSizeAttr = op.getRegionSizeAttr();
  std::optional<ArrayRef<int64_t>> grid = op.getGrid(),
                                   regions = op.getRegions();
  if (regionSizeAttr && (grid || regions))
    return op.emitOpError() << "expected either region_size (1-D regions) or "
                               "grid and regions (2-D regions), not both";
  if (!regionSizeAttr && !grid && !regions)
    return op.emitOpError() << "expected region_size (1-D regions) or grid and "
                               "regions (2-D regions)";
  if (!regionSizeAttr && (!grid || !regions))
    return op.emitOpError() << "expected grid and regions together (2-D "
                               "regions), got only "
                            << (grid ? "grid" : "regions");

  int64_t regionCount = ShapedType::kDynamic;
  if (regionSizeAttr) {
    int64_t regionSize = regionSizeAttr.getInt();
    if (regionSize <= 0)
      return op.emitOpError()
             << "expected region_size (" << regionSize << ") to be positive";
    if (isStaticSize(length)) {
      if (length % regionSize != 0)
        return op.emitOpError()
               << "expected sequence length L (" << length
               << ") to be divisible by region_size (" << regionSize << ")";
      regionCount = length / regionSize;
    }
  } else {
    if (grid->size() != 2)
      return op.emitOpError()
             << "expected grid to hold two sizes [GH, GW], got "
             << grid->size();
    if (regions->size() != 2)
      return op.emitOpError()
             << "expected regions to hold two sizes [RH, RW], got "
             << regions->size();
    const std::pair<StringRef, ArrayRef<int64_t>> windows[] = {
        {"grid", *grid}, {"regions", *regions}};
    for (auto [name, sizes] : windows)
      if (sizes[0] <= 0 || sizes[1] <= 0)
        return op.emitOpError()
               << "expected " << name << " sizes to be positive, got ["
               << sizes[0] << ", " << sizes[1] << "]";
    const char *axes[] = {"height", "width"};
    for (unsigned i = 0; i < 2; ++i)
      if ((*grid)[i] % (*regions)[i] != 0)
        return op.emitOpError() << "expected grid " << axes[i] << " ("
                                << (*grid)[i] << ") to be divisible by regions "
                                << axes[i] << " (" << (*regions)[i] << ")";
    std::optional<int64_t> tokens = llvm::checkedMul((*grid)[0], (*grid)[1]);
    if (!tokens || (isStaticSize(length) && *tokens != length))
      return op.emitOpError()
             << "expected grid [" << (*grid)[0] << ", " << (*grid)[1]
             << "] to hold exactly the sequence length L (" << length
             << ") tokens";
    regionCount = (*regions)[0] * (*regions)[1];
  }

  int64_t topk = op.getTopk();
  if (topk < 1)
    return op.emitOpError()
           << "expected topk (" << topk << ") to be at least 1";
  if (isStaticSize(regionCount) && topk > regionCount)
    return op.emitOpError()
           << "expected topk (" << topk
           << ") to be at most the number of regions R (" << regionCount << ")";
  return regionCount;
}

LogicalResult RoutedAttentionOp::verify() {
  if (failed(verifyNoUnknownAttributes(*this)))
    return failure();
  DimensionBinder dims(*this);
  if (failed(verifyUniformHeads(*this, getQuery(), getKey(), getValue(),
                                getInit(), dims)))
    return failure();

  if (failed(verifyRouting(*this, dims.get(kSeqLen))))
    return failure();
  return verifyFiniteScalar(*this, "scale", optionalValue(getScaleAttr()));
}

LogicalResult RoutingLayoutOp::verify() {
  auto type = [](Value v) { return cast<ShapedType>(v.getType()); };
  ShapedType query = type(getQuery()), key = type(getKey());
  if (query.getRank() != 4 || key.getRank() != 4)
    return emitOpError() << "expected query and key of rank 4 [B, H, L, D]";
  if (failed(verifyCompatibleShape(query.getShape(), key.getShape())))
    return emitOpError() << "expected query and key of the same shape";
  FailureOr<int64_t> regions = verifyRouting(*this, query.getDimSize(2));
  if (failed(regions))
    return failure();
  ShapedType layout = type(getLayout());
  if (!layout.getElementType().isInteger(1) || layout.getRank() != 3 ||
      failed(verifyCompatibleShape(layout.getShape(),
                                   {query.getDimSize(0), *regions, *regions})))
    return emitOpError() << "expected the layout to be [B, R, R] of i1 (R = "
                         << *regions << " regions)";
  return success();
}

LogicalResult CombinerOp::verify() {
  if (failed(verifyNoUnknownAttributes(*this)))
    return failure();
  DimensionBinder dims(*this);
  if (failed(verifyUniformHeads(*this, getQuery(), getKey(), getValue(),
                                getInit(), dims)))
    return failure();

  CombinerVariant variant = getVariant();
  StringRef variantName = stringifyCombinerVariant(variant);
  std::optional<int64_t> block = getBlock();
  if (variant == CombinerVariant::logsparse) {
    if (block)
      return emitOpError() << "expected no block for the logsparse variant "
                              "(its blocks are dyadic)";
    if (!getCausal())
      return emitOpError() << "expected causal = true for the logsparse "
                              "variant (it is defined only causally)";
  } else {
    if (!block)
      return emitOpError() << "expected a block size for the " << variantName
                           << " variant";
    if (*block <= 0)
      return emitOpError() << "expected block (" << *block
                           << ") to be positive";
    int64_t length = dims.get(kSeqLen);
    if (isStaticSize(length) && length % *block != 0)
      return emitOpError() << "expected sequence length L (" << length
                           << ") to be divisible by block (" << *block << ")";
  }
  return verifyFiniteScalar(*this, "scale", optionalValue(getScaleAttr()));
}

//===----------------------------------------------------------------------===//
// Channel mixers over [B, L, C] (pool_mix, hyena)
//===----------------------------------------------------------------------===//

LogicalResult PoolMixOp::verify() {
  if (failed(verifyNoUnknownAttributes(*this)))
    return failure();
  DimensionBinder dims(*this);
  Value query = getQuery();
  if (failed(verifyFloatElementType(*this, "q", query)))
    return failure();
  SmallVector<std::pair<StringRef, Value>> streams = {{"q", query},
                                                      {"k", getKey()},
                                                      {"o", getGate()},
                                                      {"s", getSegmentStream()},
                                                      {"l", getLocalStream()}};
  if (Value value = getValue())
    streams.push_back({"v", value});
  streams.push_back({"output", getInit()});
  for (auto [name, stream] : streams)
    if (failed(verifySameElementType(*this, name, stream, "q", query)) ||
        failed(dims.bind(name, stream.getType(), {kBatch, kSeqLen, kChannels})))
      return failure();

  Builder builder(getContext());
  if (failed(verifyElementType(*this, "segment_ids", getSegmentIds(),
                               builder.getI32Type())) ||
      failed(dims.bind("segment_ids", getSegmentIds().getType(),
                       {kBatch, kSeqLen})) ||
      failed(verifyLengths(*this, "len", getLen(), dims)))
    return failure();

  int64_t heads = getHeads();
  if (heads <= 0)
    return emitOpError() << "expected heads (" << heads << ") to be positive";
  int64_t channels = dims.get(kChannels);
  if (isStaticSize(channels) && channels % heads != 0)
    return emitOpError() << "expected channels C (" << channels
                         << ") to be divisible by heads (" << heads << ")";
  int64_t window = getWindow();
  if (window <= 0 || window % 2 == 0)
    return emitOpError() << "expected window (" << window
                         << ") to be odd and positive";
  return success();
}

LogicalResult HyenaOp::verify() {
  if (failed(verifyNoUnknownAttributes(*this)))
    return failure();
  if (!getCausal())
    return emitOpError() << "expected causal = true: the non-causal Hyena "
                            "convolution is not supported yet";
  DimensionBinder dims(*this);
  Value input = getInput();
  if (failed(verifyFloatElementType(*this, "v", input)))
    return failure();
  const std::pair<StringRef, Value> operands[] = {{"gates", getGates()},
                                                  {"filters", getFilters()},
                                                  {"skip", getSkip()},
                                                  {"output", getInit()}};
  for (auto [name, operand] : operands)
    if (failed(verifySameElementType(*this, name, operand, "v", input)))
      return failure();

  if (failed(dims.bind("v", input.getType(), {kBatch, kSeqLen, kChannels})) ||
      failed(dims.bind("gates", getGates().getType(),
                       {kOrder, kBatch, kSeqLen, kChannels})))
    return failure();
  int64_t order = dims.get(kOrder);
  if (isStaticSize(order)) {
    if (order < 2)
      return emitOpError() << "expected order N (" << order
                           << "), the leading dim of gates, to be at least 2";
    (void)dims.bindDim("gates", 0, order - 1, kFilterCount);
  }
  if (failed(dims.bind("filters", getFilters().getType(),
                       {kFilterCount, kChannels, kFilterLen})) ||
      failed(
          dims.bind("skip", getSkip().getType(), {kFilterCount, kChannels})) ||
      failed(dims.bind("output", getInit().getType(),
                       {kBatch, kSeqLen, kChannels})))
    return failure();

  int64_t length = dims.get(kSeqLen), filterLength = dims.get(kFilterLen);
  if (isStaticSize(length) && isStaticSize(filterLength) &&
      filterLength < length)
    return emitOpError() << "expected filter length Lf (" << filterLength
                         << ") to be at least the sequence length L (" << length
                         << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// PartialAttentionOp
//===----------------------------------------------------------------------===//

int64_t PartialAttentionOp::getKeyTileLength() {
  return cast<ShapedType>(getKey().getType())
      .getDimSize(getKeyTransposed() ? 3 : 2);
}

/// The operands are tiles of a larger problem, so sizes are compared with
/// each other, not with the lengths, kv_len or the layout (which stay whole).
LogicalResult PartialAttentionOp::verify() {
  if (failed(verifyNoUnknownAttributes(*this)))
    return failure();
  Operation *op = getOperation();
  Value query = getQuery(), key = getKey(), value = getValue();
  // Each of q, k and v may have its own float type: the engine's problems
  // mix the op's inputs with f32 summaries (Combiner), and a tile computes
  // in f32 whatever it reads.
  if (failed(verifyFloatElementType(op, "query", query)) ||
      failed(verifyFloatElementType(op, "key", key)) ||
      failed(verifyFloatElementType(op, "value", value)))
    return failure();
  auto shapeOf = [](Value v) { return cast<ShapedType>(v.getType()); };
  for (auto [name, operand] : {std::pair<StringRef, Value>{"query", query},
                               {"key", key},
                               {"value", value}})
    if (shapeOf(operand).getRank() != 4)
      return emitOpError() << "expected " << name << " to have rank 4";
  ArrayRef<int64_t> q = shapeOf(query).getShape(), k = shapeOf(key).getShape(),
                    v = shapeOf(value).getShape();
  int64_t keyDim = getKeyTransposed() ? 2 : 3;
  auto mismatch = [](int64_t x, int64_t y) {
    return isStaticSize(x) && isStaticSize(y) && x != y;
  };
  if (mismatch(q[0], k[0]) || mismatch(q[0], v[0]) || mismatch(k[1], v[1]))
    return emitOpError() << "expected query, key and value to agree on B and "
                            "key and value on Hkv";
  if (mismatch(q[3], k[keyDim]))
    return emitOpError() << "expected the head dim D of query (" << q[3]
                         << ") and key (" << k[keyDim] << ") to agree";
  if (mismatch(getKeyTileLength(), v[2]))
    return emitOpError() << "expected key and value to hold the same keys";
  if (isStaticSize(q[1]) && isStaticSize(k[1]) &&
      (k[1] == 0 || q[1] % k[1] != 0))
    return emitOpError() << "expected Hq (" << q[1]
                         << ") to be a multiple of Hkv (" << k[1] << ")";

  bool softmax = getScore() == ScoreKind::softmax;
  ValueRange outputs = getOutputs();
  if (outputs.size() != (softmax ? 3u : 1u))
    return emitOpError() << "expected "
                         << (softmax ? "3 outputs (acc, m, l)"
                                     : "1 output (acc)")
                         << " with score " << stringifyScoreKind(getScore());
  Builder builder(getContext());
  for (auto [index, output] : llvm::enumerate(outputs)) {
    if (failed(verifyElementType(op, "state", output, builder.getF32Type())))
      return failure();
    SmallVector<int64_t> expected(q.take_front(3));
    if (index == 0)
      expected.push_back(v[3]);
    ArrayRef<int64_t> shape = shapeOf(output).getShape();
    if (shape.size() != expected.size() ||
        llvm::any_of(llvm::zip_equal(shape, expected), [&](auto pair) {
          return mismatch(std::get<0>(pair), std::get<1>(pair));
        }))
      return emitOpError() << "expected state " << index
                           << " to be shaped [B, Hq, S"
                           << (index == 0 ? ", Dv]" : "]");
  }
  if (Value bias = getBias()) {
    // Any float type too: a tile widens the bias it reads per element, so
    // q, k and v widened before the loops leave the bias as given.
    if (failed(verifyFloatElementType(op, "bias", bias)))
      return failure();
    ArrayRef<int64_t> shape = shapeOf(bias).getShape();
    int64_t full[] = {q[0], q[1], q[2], getKeyTileLength()};
    if (shape.size() != 4)
      return emitOpError() << "expected bias to have rank 4";
    for (auto [size, expected] : llvm::zip_equal(shape, full))
      if (size != 1 && mismatch(size, expected))
        return emitOpError() << "expected bias dims to be 1 or full";
  }
  for (auto [name, lengths] :
       {std::pair<StringRef, Value>{"kv_len", getKvLen()},
        {"q_len", getQLen()}})
    if (lengths &&
        (failed(verifyElementType(op, name, lengths, builder.getI32Type())) ||
         shapeOf(lengths).getRank() != 1))
      return emitOpError() << "expected " << name << " to be a rank-1 i32 "
                           << "tensor";
  if (getLayout()) {
    auto layout = shapeOf(getLayout());
    if (layout.getRank() != 3 || !layout.getElementType().isInteger(1))
      return emitOpError() << "expected layout to be a rank-3 i1 tensor";
    if (!getBlock() || getBlock()->size() != 2 ||
        llvm::any_of(*getBlock(), [](int64_t size) { return size <= 0; }))
      return emitOpError() << "expected block = [bq, bk] of positive sizes "
                              "with a layout";
  } else if (getBlock() || getLayoutPerBatch()) {
    return emitOpError() << "expected block and layout_per_batch only with a "
                            "layout";
  }
  if (!getOffsets().empty() && getOffsets().size() != 4)
    return emitOpError() << "expected 4 offsets (b, h, i, j), got "
                         << getOffsets().size();
  if (getLengths().size() != 2 ||
      llvm::any_of(getLengths(), [](int64_t size) { return size < 0; }))
    return emitOpError() << "expected lengths = [S, T] of sizes >= 0";
  if (std::optional<ArrayRef<int64_t>> window = getWindow())
    if (window->size() != 2 ||
        llvm::any_of(*window, [](int64_t bound) { return bound < -1; }))
      return emitOpError() << "expected window = [wl, wr] with values >= -1";
  if (softmax == static_cast<bool>(getSigmoidBias()))
    return emitOpError() << "expected sigmoid_bias exactly with score sigmoid";
  if (failed(verifyFiniteScalar(op, "scale", optionalValue(getScaleAttr()))) ||
      failed(verifyFiniteScalar(op, "sigmoid_bias",
                                optionalValue(getSigmoidBiasAttr()))))
    return failure();
  Region &mask = getMask();
  if (!mask.empty()) {
    Block &body = mask.front();
    Type i64 = builder.getI64Type();
    if (!mask.hasOneBlock() || body.getNumArguments() != 1 ||
        body.getArgument(0).getType() != i64)
      return emitOpError() << "expected the mask region to be one block with "
                              "an argument (i: i64)";
    auto yield = body.empty() ? YieldOp() : dyn_cast<YieldOp>(body.back());
    if (!yield)
      return emitOpError() << "expected the mask region to end in attn.yield";
    if (yield.getBounds().empty() || yield.getBounds().size() % 2 != 0)
      return emitOpError() << "expected the mask region to yield key "
                              "intervals as (first, end) pairs, got "
                           << yield.getBounds().size() << " values";
  }
  return success();
}
