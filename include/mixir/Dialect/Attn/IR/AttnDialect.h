//===- AttnDialect.h - attn dialect declaration -----------------*- C++ -*-===//
//
// Declares the attn dialect class. Include AttnOps.h for the ops and
// AttnAttrs.h for the enum attributes.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_IR_ATTNDIALECT_H
#define MIXIR_DIALECT_ATTN_IR_ATTNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "mixir/Dialect/Attn/IR/AttnDialect.h.inc"

#endif // MIXIR_DIALECT_ATTN_IR_ATTNDIALECT_H
