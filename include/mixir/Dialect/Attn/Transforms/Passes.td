//===- Passes.td - attn dialect transformation passes ------*- tablegen -*-===//
//
// The passes that transform attn ops. attn-decompose is the reference
// lowering: it rewrites every attn op into upstream ops on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_TRANSFORMS_PASSES_TD
#define MIXIR_DIALECT_ATTN_TRANSFORMS_PASSES_TD

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

def AttnTile : Pass<"attn-tile"> {
  let summary = "the CPU fast path of every attn op: flash-style tiling with "
                "online softmax, O(L) memory, masked-out tiles skipped; "
                "streaming PoNet; FFT Hyena";
  let description = [{
    Rewrites the attn ops into loop nests on tensors that never materialise
    the S x T scores. One tile engine serves the attention-like ops: each
    problem becomes one internal `attn.partial_attention` from the empty
    state, which upstream tiling (`scf::tileUsingSCF`, through the op's
    TilingInterface) turns into an scf.forall over (batch, query head, query
    tile) and, inside, an scf.for over the key tiles (the key dim is a
    reduction) that carries the online-softmax state (acc, m, l) of the
    spec's tiled form. Each key tile is then lowered to the online-softmax
    step on linalg ops, and the normalisation (acc / l, lse) is fused into
    the parallel loop by upstream consumer fusion (sigmoid attention carries
    acc only). Key tiles that the causal alignment, the window or kv_len
    rule out for a whole query tile are never visited (the key loop's bounds
    are narrowed per query tile); a query tile past q_len visits none; key
    tiles wholly inside the allowed region skip the per-element mask. GQA
    reads the shared key/value head in place; K is transposed once so key
    tiles are contiguous; Q, K, V are zero-padded to whole tiles (O(L)).

    - attn.block_sparse_attention: tiles are the blocks; only tiles whose
      layout bit is set are visited.
    - attn.routed_attention: a routing prologue (region means and affinities
      in f64, ranks) builds a per-batch layout; tiles are the regions, and
      only the topk routed regions are visited. 2-D regions are first
      permuted region-major (one O(L D) transpose).
    - attn.combiner: fixed, abstractions appended to K/V and visited as key
      ranges with the variant's structure as the mask; axial, the engine
      over rows for (u, kt) and two partial states (row, column over the
      transposed layout) merged by the split-KV rule; logsparse, per-level
      tables (max-pooling, the engine for vbar) and a per-row-tile fold of
      one abstraction per level. Never O(L^2).
    - attn.pool_mix: windowed local max-pooling and a segment-id table for
      segment max-pooling, O(L C).
    - attn.hyena: every convolution by FFT (Stockham radix-2 stages as
      linalg.generic ops; an scf.forall over (batch, chunk) and, per chunk,
      an scf.for over its channel blocks, which reuse one set of slab buffers),
      O(L log L); below hyena-fft-min-length the direct convolution of the
      reference decomposition is used.

    Ops with dynamic shapes stay for attn-decompose, with a remark saying so.

    ```mlir
    scf.forall (%b, %h, %i) = (0, 0, 0) to (B, Hq, S) step (1, 1, Br) ... {
      %state = scf.for %j = %lo to %hi step %Bc iter_args(%acc, %m, %l) {
        // s = scale * q_t . k_kt^T (+ bias), masked -> -inf (border tiles)
        // m' = max(m, rowmax s); a = exp(m - m'); p = exp(s - m')
        // l' = a l + rowsum p; acc' = a acc + p . v_kt
      }
      // o_t = acc / l (0 where l = 0); lse_t = m + log l
    }
    ```
  }];
  let options = [
    Option<"queryTile", "query-tile", "int64_t", /*default=*/"64",
           "Query rows per tile (attn.attention)">,
    Option<"keyTile", "key-tile", "int64_t", /*default=*/"64",
           "Keys per tile (attn.attention)">,
    Option<"hyenaFFTMinLength", "hyena-fft-min-length", "int64_t",
           /*default=*/"64",
           "Shortest attn.hyena sequence convolved by FFT (shorter ones keep "
           "the direct convolution)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def AttnFuse : Pass<"attn-fuse"> {
  let summary = "fuse the neighbours of the attention tile loops into them";
  let description = [{
    Runs after attn-tile and pulls the ops around each flash-style loop nest
    into it with upstream tile-and-fuse (`scf::tileAndFuseProducerOfSlice`,
    `scf::tileAndFuseConsumer`), so that no full-size intermediate is
    materialised for them:

    - producers of the query-side operands (the slices that differ per
      query tile): the transpose or reshape from `[B, S, H, D]`, a scale,
      the padding to whole tiles; producers of the bias, per query tile and
      then per key tile (a bias built from positions, such as ALiBi, is
      computed tile by tile inside the key loop);
    - consumers of the output: the transpose back to `[B, S, H, D]`, a
      gating multiply, a residual add, chains of them.

    Producers of K and V are not fused: every query tile reads all of them,
    so fusing would recompute them once per query tile. A consumer that
    reads the output through a slice (rows padded to whole query tiles) is
    left outside. The loops attn-tile builds carry the `attn.flash_loop`
    attribute; other loops are left alone.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // MIXIR_DIALECT_ATTN_TRANSFORMS_PASSES_TD
