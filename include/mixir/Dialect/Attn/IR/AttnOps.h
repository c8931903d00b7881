//===- AttnOps.h - attn dialect operations ----------------------*- C++ -*-===//
//
// Declares the ops of the attn dialect (generated from AttnOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_IR_ATTNOPS_H
#define MIXIR_DIALECT_ATTN_IR_ATTNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

#include "mixir/Dialect/Attn/IR/AttnAttrs.h"
#include "mixir/Dialect/Attn/IR/AttnDialect.h"

#define GET_OP_CLASSES
#include "mixir/Dialect/Attn/IR/AttnOps.h.inc"

#endif // MIXIR_DIALECT_ATTN_IR_ATTNOPS_H
