//===- AttnDialect.cpp - attn dialect registration ------------------------===//
//
// Registers the ops and attributes of the attn dialect and holds the
// generated attribute and enum definitions, with the tile configuration's
// verifier and lookup.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnDialect.h"
#include "mixir/Dialect/Attn/IR/AttnAttrs.h"
#include "mixir/Dialect/Attn/IR/AttnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mixir::attn;

#include "mixir/Dialect/Attn/IR/AttnDialect.cpp.inc"
#include "mixir/Dialect/Attn/IR/AttnEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mixir/Dialect/Attn/IR/AttnAttrs.cpp.inc"

void AttnDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mixir/Dialect/Attn/IR/AttnAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "mixir/Dialect/Attn/IR/AttnOps.cpp.inc"
      >();
}

LogicalResult TileConfigAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, int64_t queryTile,
    int64_t keyTile, KeyLayout, bool, Type tileElementType,
    int64_t registerRows, int64_t registerCols, int64_t graphRows,
    int64_t graphCols, int64_t graphReductionTile, int64_t hyenaFftMinLength,
    int64_t hyenaChannelBlock, int64_t hyenaLongChannelBlock,
    int64_t hyenaLongTransform, int64_t hyenaChunks) {
  std::pair<llvm::StringLiteral, int64_t> sizes[] = {
      {"query_tile", queryTile},
      {"key_tile", keyTile},
      {"register_rows", registerRows},
      {"register_cols", registerCols},
      {"graph_rows", graphRows},
      {"graph_cols", graphCols},
      {"graph_reduction_tile", graphReductionTile},
      {"hyena_fft_min_length", hyenaFftMinLength},
      {"hyena_channel_block", hyenaChannelBlock},
      {"hyena_long_channel_block", hyenaLongChannelBlock},
      {"hyena_long_transform", hyenaLongTransform},
      {"hyena_chunks", hyenaChunks}};
  for (auto [name, size] : sizes)
    if (size < 1)
      return emitError() << "expected " << name << " (" << size
                         << ") to be at least 1";
  if (tileElementType && !tileElementType.isF32())
    return emitError() << "expected tile_element_type (" << tileElementType
                       << ") to be f32 or absent";
  return success();
}

TileConfigAttr TileConfigAttr::lookup(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto config = op->getAttrOfType<TileConfigAttr>(kAttrName))
      return config;
  return {};
}

FailureOr<TileConfigAttr> TileConfigAttr::require(Operation *op,
                                                  StringRef pass) {
  if (TileConfigAttr config = lookup(op))
    return config;
  return op->emitError() << pass << " needs a tile configuration: an '"
                         << kAttrName
                         << "' attribute on the op or an enclosing one (the "
                            "pipelines set it with mixir-configure-target)";
}

TileConfigAttr TileConfigAttr::withAttention(int64_t queryTile, int64_t keyTile,
                                             KeyLayout keyLayout,
                                             bool padToTiles,
                                             Type tileElementType) const {
  return get(
      getContext(), queryTile, keyTile, keyLayout, padToTiles, tileElementType,
      getRegisterRows(), getRegisterCols(), getGraphRows(), getGraphCols(),
      getGraphReductionTile(), getHyenaFftMinLength(), getHyenaChannelBlock(),
      getHyenaLongChannelBlock(), getHyenaLongTransform(), getHyenaChunks());
}
