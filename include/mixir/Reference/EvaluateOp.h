//===- EvaluateOp.h - evaluate an attn op with the reference ----*- C++ -*-===//
//
// Glue between the attn dialect and the float64 reference: evaluates one
// `attn` op on reference tensors, reading its attributes through the ODS
// accessors so that the defaults are the spec's, and finding each operand's
// role through the op's own operand accessors.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_REFERENCE_EVALUATEOP_H
#define MIXIR_REFERENCE_EVALUATEOP_H

#include "mixir/Reference/Reference.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir {
class Operation;
} // namespace mlir

namespace mixir {
namespace reference {

/// Evaluates an attn op on `operands`, given in the op's operand order
/// (`op->getOperands()`): e.g. for attn.attention q, k, v, [bias], [kv_len],
/// [q_len], then the outs. The outs (init) tensors are ignored and may be
/// empty. Integer and i1 operands hold their values as doubles. Returns the
/// results in result order (attention: o, then lse when the op has two
/// results). Fails on an op that is not an attn mixer op, on a wrong number
/// of operands, on an operand whose rank or static sizes differ from the
/// op's type, and on attributes the reference does not support
/// (non-causal hyena).
llvm::Expected<std::vector<Tensor>>
evaluateReference(mlir::Operation *op, llvm::ArrayRef<Tensor> operands);

} // namespace reference
} // namespace mixir

#endif // MIXIR_REFERENCE_EVALUATEOP_H
