//===- AttnDialect.cpp - attn dialect registration ------------------------===//
//
// Registers the ops and enum attributes of the attn dialect and holds the
// generated attribute and enum definitions.
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
