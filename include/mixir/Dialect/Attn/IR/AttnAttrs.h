//===- AttnAttrs.h - attn enum attributes -----------------------*- C++ -*-===//
//
// The enums (ScoreKind, CausalMode, CombinerVariant) and the attributes that
// wrap them (#attn.score, #attn.causal, #attn.variant).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_IR_ATTNATTRS_H
#define MIXIR_DIALECT_ATTN_IR_ATTNATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "mixir/Dialect/Attn/IR/AttnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mixir/Dialect/Attn/IR/AttnAttrs.h.inc"

#endif // MIXIR_DIALECT_ATTN_IR_ATTNATTRS_H
