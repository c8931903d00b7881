//===- AttnBase.td - attn dialect definition and op base ---*- tablegen -*-===//
//
// The `attn` dialect: attention and the other token mixers of sequence models
// as single ops on tensors, in destination-passing style. This file declares
// the dialect and the base class that every op of it derives from.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_IR_ATTNBASE_TD
#define MIXIR_DIALECT_ATTN_IR_ATTNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Attn_Dialect : Dialect {
  let name = "attn";
  let cppNamespace = "::mixir::attn";
  let summary = "token mixers of sequence models: attention and its relatives";
  let description = [{
    The `attn` dialect holds one op per token mixer: full attention with a
    softmax or sigmoid score (GQA, causal masks in both alignments, sliding
    windows, additive bias, variable lengths), block-sparse attention, BiFormer
    routed attention, Combiner factorized attention, PoNet pooling and the
    Hyena recurrence.

    Every op works on ranked tensors in destination-passing style: the
    operands after `outs` are the initial values of the results, and the ops
    have no side effects. Attention tensors are `[B, H, len, dim]` (PyTorch
    SDPA order); channel mixers use `[B, L, C]`. The semantics, including the
    numerics every lowering must meet, are those of the project's
    specification `spec/MIXERS.md`; each op's description repeats its math.
  }];
  let useDefaultAttributePrinterParser = 1;
  let usePropertiesForAttributes = 1;
}

// Base class of every attn op: side-effect free, destination-passing style on
// tensors. Each op lists its inits (`outs`) in `getDpsInitsMutable`.
class Attn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Attn_Dialect, mnemonic,
         !listconcat([NoMemoryEffect, DestinationStyleOpInterface],
                     traits)> {
  let hasVerifier = 1;
}

#endif // MIXIR_DIALECT_ATTN_IR_ATTNBASE_TD
