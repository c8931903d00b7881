//===- Passes.td - the reference decomposition -------------*- tablegen -*-===//
//
// attn-decompose: the reference lowering of every attn op to upstream ops on
// tensors (the executable specification, and the fallback of the fast paths).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_DECOMPOSITION_PASSES_TD
#define MIXIR_DIALECT_ATTN_DECOMPOSITION_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnDecompose : Pass<"attn-decompose"> {
  let summary = "rewrite every attn op into linalg, tensor, arith and math on "
                "tensors";
  let description = [{
    The reference lowering of the attn dialect: each op becomes upstream ops
    on tensors that compute exactly the semantics of spec/MIXERS.md, in the
    op's element type with f32 accumulation. The S x T scores are
    materialised (O(S*T) memory): this is the executable specification that
    the tiled fast paths are tested against, and their fallback.

    Attention (and block-sparse, routed and Combiner attention, which reuse
    it) decomposes into one masked-softmax chain:

    ```mlir
    // z = q . k^T                 linalg.generic, reduction over D (GQA by
    //                             reading k at h floordiv (Hq/Hkv))
    // x = scale * z + bias        linalg.generic; masked entries -> -inf
    // m = rowmax x, p = exp(x - m), l = rowsum p, acc = p . v
    // o = acc / l (0 when l == 0), lse = m + log l
    ```

    Preconditions: static shapes (a dynamic one is reported on the op).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // MIXIR_DIALECT_ATTN_DECOMPOSITION_PASSES_TD
