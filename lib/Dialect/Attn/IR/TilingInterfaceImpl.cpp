//===- TilingInterfaceImpl.cpp - TilingInterface of the attn ops ----------===//
//
// attn.partial_attention as a TilingInterface op: the iteration space is
// (b, h, i, j), parallel in the batch row, query head and query, a reduction
// over the keys. A tile slices q, k, v, the bias and the state; kv_len,
// q_len, the layout and the mask region stay whole and are read at global
// positions, which the tile carries as its offsets.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mixir::attn;

SmallVector<Range> PartialAttentionOp::getIterationDomain(OpBuilder &builder) {
  auto dim = [&](Value value, int64_t index) -> OpFoldResult {
    return tensor::getMixedSize(builder, getLoc(), value, index);
  };
  OpFoldResult zero = builder.getIndexAttr(0), one = builder.getIndexAttr(1);
  Value query = getQuery();
  return {Range{zero, dim(query, 0), one}, Range{zero, dim(query, 1), one},
          Range{zero, dim(query, 2), one},
          Range{zero, dim(getKey(), getKeyTransposed() ? 3 : 2), one}};
}

SmallVector<utils::IteratorType> PartialAttentionOp::getLoopIteratorTypes() {
  return {utils::IteratorType::parallel, utils::IteratorType::parallel,
          utils::IteratorType::parallel, utils::IteratorType::reduction};
}

/// The offsets and sizes of state `resultNumber` (acc [b, h, i, Dv], m and l
/// [b, h, i]) for the iteration tile (offsets, sizes).
static void stateTile(PartialAttentionOp op, OpBuilder &builder,
                      unsigned resultNumber, ArrayRef<OpFoldResult> offsets,
                      ArrayRef<OpFoldResult> sizes,
                      SmallVector<OpFoldResult> &stateOffsets,
                      SmallVector<OpFoldResult> &stateSizes) {
  stateOffsets.assign(offsets.begin(), offsets.begin() + 3);
  stateSizes.assign(sizes.begin(), sizes.begin() + 3);
  if (resultNumber == 0) {
    stateOffsets.push_back(builder.getIndexAttr(0));
    stateSizes.push_back(
        tensor::getMixedSize(builder, op.getLoc(), op.getValue(), 3));
  }
}

LogicalResult PartialAttentionOp::getResultTilePosition(
    OpBuilder &builder, unsigned resultNumber, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  stateTile(*this, builder, resultNumber, offsets, sizes, resultOffsets,
            resultSizes);
  return success();
}

FailureOr<TilingResult>
PartialAttentionOp::getTiledImplementation(OpBuilder &builder,
                                           ArrayRef<OpFoldResult> offsets,
                                           ArrayRef<OpFoldResult> sizes) {
  Location loc = getLoc();
  OpFoldResult zero = builder.getIndexAttr(0), one = builder.getIndexAttr(1);
  SmallVector<Operation *> slices;
  auto slice = [&](Value source, ArrayRef<OpFoldResult> sliceOffsets,
                   ArrayRef<OpFoldResult> sliceSizes) -> Value {
    SmallVector<OpFoldResult> strides(sliceOffsets.size(), one);
    auto op = tensor::ExtractSliceOp::create(builder, loc, source, sliceOffsets,
                                             sliceSizes, strides);
    slices.push_back(op);
    return op.getResult();
  };
  auto size = [&](Value value, int64_t index) {
    return tensor::getMixedSize(builder, loc, value, index);
  };

  // Key/value heads: with GQA a tile takes the heads of its query heads'
  // groups, which needs the query head tile to hold whole groups (or one
  // query head).
  auto queryType = cast<ShapedType>(getQuery().getType());
  auto keyType = cast<ShapedType>(getKey().getType());
  int64_t queryHeads = queryType.getDimSize(1), kvHeads = keyType.getDimSize(1);
  OpFoldResult kvHeadOffset = offsets[1], kvHeadSize = sizes[1];
  if (ShapedType::isDynamic(queryHeads) || ShapedType::isDynamic(kvHeads))
    return emitOpError() << "cannot tile dynamic head counts (the GQA group "
                            "is unknown)";
  if (queryHeads != kvHeads) {
    int64_t group = queryHeads / kvHeads;
    if (group == 0)
      return emitOpError() << "cannot tile " << queryHeads
                           << " query heads over " << kvHeads
                           << " key/value heads";
    std::optional<int64_t> headSize = getConstantIntValue(sizes[1]);
    std::optional<int64_t> headOffset = getConstantIntValue(offsets[1]);
    Value groupValue = arith::ConstantIndexOp::create(builder, loc, group);
    if (headSize == 1) {
      kvHeadOffset = arith::DivUIOp::create(builder, loc,
                                            getValueOrCreateConstantIndexOp(
                                                builder, loc, offsets[1]),
                                            groupValue)
                         .getResult();
      kvHeadSize = one;
    } else if (headSize && *headSize % group == 0 && headOffset &&
               *headOffset % group == 0) {
      kvHeadOffset = builder.getIndexAttr(*headOffset / group);
      kvHeadSize = builder.getIndexAttr(*headSize / group);
    } else {
      return emitOpError() << "cannot tile the query heads into a tile that "
                              "splits a GQA group of "
                           << group;
    }
  }

  // Operands may be the same value (self-attention), so the tile's operands
  // are set one by one rather than through a value mapping.
  Value querySlice =
      slice(getQuery(), {offsets[0], offsets[1], offsets[2], zero},
            {sizes[0], sizes[1], sizes[2], size(getQuery(), 3)});
  Value keySlice =
      getKeyTransposed()
          ? slice(getKey(), {offsets[0], kvHeadOffset, zero, offsets[3]},
                  {sizes[0], kvHeadSize, size(getKey(), 2), sizes[3]})
          : slice(getKey(), {offsets[0], kvHeadOffset, offsets[3], zero},
                  {sizes[0], kvHeadSize, sizes[3], size(getKey(), 3)});
  Value valueSlice =
      slice(getValue(), {offsets[0], kvHeadOffset, offsets[3], zero},
            {sizes[0], kvHeadSize, sizes[3], size(getValue(), 3)});
  Value biasSlice;
  if (Value bias = getBias()) {
    // Broadcast dims (static size 1) stay whole. A dynamic dim is a full
    // one: attn-tile builds partial_attention from static ops only, and its
    // tiles' dims are dynamic only where a border tile is partial.
    ArrayRef<int64_t> shape = cast<ShapedType>(bias.getType()).getShape();
    SmallVector<OpFoldResult> biasOffsets, biasSizes;
    for (auto [dim, extent] : llvm::enumerate(shape)) {
      biasOffsets.push_back(extent == 1 ? zero : offsets[dim]);
      biasSizes.push_back(extent == 1 ? one : sizes[dim]);
    }
    biasSlice = slice(bias, biasOffsets, biasSizes);
  }
  SmallVector<Value> stateSlices;
  for (auto [index, output] : llvm::enumerate(getOutputs())) {
    SmallVector<OpFoldResult> stateOffsets, stateSizes;
    stateTile(*this, builder, index, offsets, sizes, stateOffsets, stateSizes);
    stateSlices.push_back(slice(output, stateOffsets, stateSizes));
  }

  // The tile's origin in the whole problem.
  SmallVector<Value> newOffsets;
  for (auto [dim, offset] : llvm::enumerate(offsets)) {
    Value tileOffset = getValueOrCreateConstantIndexOp(builder, loc, offset);
    if (!getOffsets().empty())
      tileOffset =
          arith::AddIOp::create(builder, loc, getOffsets()[dim], tileOffset);
    newOffsets.push_back(tileOffset);
  }

  Operation *tiled = builder.clone(*getOperation());
  auto tiledOp = cast<PartialAttentionOp>(tiled);
  tiledOp.getQueryMutable().assign(querySlice);
  tiledOp.getKeyMutable().assign(keySlice);
  tiledOp.getValueMutable().assign(valueSlice);
  if (biasSlice)
    tiledOp.getBiasMutable().assign(biasSlice);
  tiledOp.getOutputsMutable().assign(stateSlices);
  tiledOp.getOffsetsMutable().assign(newOffsets);
  for (auto [result, output] :
       llvm::zip_equal(tiledOp->getResults(), tiledOp.getOutputs()))
    result.setType(output.getType());
  return TilingResult{{tiled}, SmallVector<Value>(tiled->getResults()), slices};
}
