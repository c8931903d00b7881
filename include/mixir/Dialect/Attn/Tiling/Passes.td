//===- Passes.td - target-independent tiling ---------------*- tablegen -*-===//
//
// attn-tile and attn-fuse: the loop nests of the fast paths, shared by every
// target; the tiles they leave are lowered by each target's conversion.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_TILING_PASSES_TD
#define MIXIR_DIALECT_ATTN_TILING_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnTile : Pass<"attn-tile"> {
  let summary = "the fast path of every attn op, for any target: flash-style "
                "loop nests with online softmax, O(L) memory, masked-out "
                "tiles skipped; streaming PoNet; FFT Hyena";
  let description = [{
    Rewrites the attn ops into loop nests on tensors that never materialise
    the S x T scores, with the tile sizes and layouts of the tile
    configuration the module carries (`attn.tile_config`, set by
    `mixir-configure-target`; a missing one is an error). The pass is the
    same for every target: it stops at IR, and each target lowers the tiles
    it leaves (`convert-attn-tiles-to-linalg` for the CPU,
    `convert-attn-tiles-to-gpu` for NVIDIA GPUs).

    One tile engine serves the attention-like ops: each problem becomes one
    internal `attn.partial_attention` from the empty state, which upstream
    tiling (`scf::tileUsingSCF`, through the op's TilingInterface) turns into
    an scf.forall over (batch, query head, query tile) and, inside, an
    scf.for over the key tiles (the key dim is a reduction) that carries the
    online-softmax state (acc, m, l) of the spec's tiled form; the key-tile
    `attn.partial_attention` ops stay in the loop for the target to lower.
    The normalisation (acc / l, lse) is fused into the parallel loop by
    upstream consumer fusion (sigmoid attention carries acc only). Key tiles
    that the causal alignment, the window or kv_len rule out for a whole
    query tile are never visited (the key loop's bounds are narrowed per
    query tile, `keyBounds` of TileRules.h); a query tile past q_len visits
    none. GQA reads the shared key/value head in place. With
    `key_layout = transposed` K is transposed once so key tiles are
    contiguous; with `pad_to_tiles` Q, K, V are zero-padded to whole tiles
    (O(L)), otherwise border tiles are partial.

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

#endif // MIXIR_DIALECT_ATTN_TILING_PASSES_TD
