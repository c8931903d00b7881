//===- Passes.td - raising attention out of graphs ---------*- tablegen -*-===//
//
// attn-raise: attention spelled out in TOSA or linalg becomes attn.attention.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_RAISING_PASSES_TD
#define MIXIR_DIALECT_ATTN_RAISING_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnRaise : Pass<"attn-raise"> {
  let summary = "replace attention written as TOSA or linalg ops by "
                "attn.attention";
  let description = [{
    Finds attention spelled out in ordinary ops, as model exporters emit it
    (torch-mlir and similar, TOSA or linalg on tensors), and replaces it with
    one `attn.attention`, so that the fast paths apply to exported graphs.

    The chain recognised, from the product with V upwards:

    - `P . V` and `Q . K^T`: `tosa.matmul` (zero zero-points), or a linalg
      contraction (`linalg.matmul`, `linalg.batch_matmul`, a
      `linalg.generic`) into zeros, at rank 2, 3 or 4; K through a transpose
      of its last two dims (`tosa.transpose`, `linalg.transpose`, a
      permuting generic), or read transposed by the contraction's maps;
      reshapes that regroup the batch dims anywhere along the chain;
    - P: a softmax over the key axis, either `linalg.softmax` or spelled out
      as `exp(x - rowmax x)` times the reciprocal of (or divided by) its row
      sum (`tosa.reduce_max`/`sub`/`exp`/`reduce_sum`/`reciprocal`/`mul`, or
      the linalg reductions and generics); or a sigmoid (`tosa.sigmoid`, or
      a generic computing `1 / (1 + exp(-x))`), where a constant added to
      the scores becomes `sigmoid_bias` (0 when none);
    - scores: multiplications or divisions by constants on Q, K or the
      scores (folded into `scale`); an additive tensor: zero is dropped, a
      0 / -inf (or <= -1e9) grid is a mask, anything else is the `bias`
      (broadcast over batch and heads, or a rank-4 tensor over the op's own
      batch and heads); `select(mask, x, -inf)` with a boolean mask. A mask
      is a constant, or a linalg op of positions only (`linalg.index`,
      compares, selects), and is recognised when it equals the spec's rule
      for a causal alignment with a window, or a band (it becomes `causal`
      and `window`);
    - operands: `[B, H, L, D]` tensors (or any batch dims folded into B);
      K and V whose heads are repeats of `Hkv` heads (`tosa.tile` or
      `linalg.broadcast` of a new dim after the heads, then a reshape) are
      taken unrepeated (GQA).

    Left alone (near misses): a softmax over another axis, a scale that is
    not a constant, a mask that depends on data (a select whose condition is
    not a constant grid), a grid that is not a causal/window pattern or
    leaves a row without keys, a bias added under a scale, mixed element
    types. The ops that only fed a raised attention are erased. A product
    whose left operand is a softmax or sigmoid but which is not raised gets a
    remark on its location saying which part did not match.
  }];
  let dependentDialects = [
    "::mixir::attn::AttnDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // MIXIR_DIALECT_ATTN_RAISING_PASSES_TD
