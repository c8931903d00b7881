//===- Passes.td - each target's lowering of the tiles -----*- tablegen -*-===//
//
// The conversions that take the target-independent loop nests of attn-tile
// to one target: each lowers the attn.partial_attention key tiles (and, for
// the GPU, the loops around them) its own way.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_CONVERSION_PASSES_TD
#define MIXIR_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAttnTilesToLinalg : Pass<"convert-attn-tiles-to-linalg"> {
  let summary = "the CPU's lowering of attention tiles: the online-softmax "
                "step on linalg ops over static tiles";
  let description = [{
    Lowers each `attn.partial_attention` key tile inside the loop nests of
    `attn-tile` (one batch row, one head, `Br` queries, `Bc` keys; keys
    transposed and every tile padded to whole size, as the CPU's tile
    configuration asks) to the spec's online-softmax step on linalg ops:

    ```mlir
    // k' = scale * k^T tile        (packed: contiguous, f32, once a step)
    // s = q . k'                   (loops r, c, d)
    // x = s + bias                 masked -> -inf (sigmoid: 0 after it)
    // m' = max(m, rowmax x); a = exp(m - m'); p = exp(x - m')
    // l' = a l + rowsum p; acc' = a acc + p . v
    ```

    The key tile is packed because the rows of K^T lie a key length apart
    (at T = 4096 a tile's rows fall in the same L1 sets and on 64 pages);
    the scale rides on the packing, so unmasked softmax tiles without a
    bias take the scores as they are. `scale * (q . k)` becomes
    `q . (scale * k)`: one more rounding of each key element, none when the scale
    is a power of two.

    Tiles that lie wholly inside the allowed region (`isWholeTileAllowed`)
    skip the per-element mask through an `scf.if`; a tile of a block layout
    whose bit is 0 keeps its state. The state is updated in place (each
    update writes into the carried tensor) so that bufferization keeps it
    in the loop. Tiles it cannot lower (dynamic shapes, keys not
    transposed) are an error on the tile.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def AttnCheckGPUSupport : Pass<"attn-check-gpu-support", "::mlir::ModuleOp"> {
  let summary = "reject, with the op's location, attn ops the GPU target "
                "does not lower yet";
  let description = [{
    Runs first in mixir-gpu, before attn-tile turns the ops into loops: an
    attn op the GPU kernels do not cover yet is a located error naming the
    op and the target, instead of a failure deep in the lowering. Covered:
    `attn.attention` with static shapes and one element type (f16, bf16 or
    f32) for q, k and v; `attn.block_sparse_attention` with blocks, and
    `attn.routed_attention` with regions (1-D, or 2-D windows), of
    multiples of the GPU's 64 x 64 tiles. The other ops (Combiner
    attention, PoNet, Hyena) are not lowered for the GPU yet.
  }];
}

def ConvertAttnTilesToGPU
    : Pass<"convert-attn-tiles-to-gpu", "::mlir::ModuleOp"> {
  let summary = "the GPU's lowering of attention tile loops: one kernel per "
                "flash loop, launched from the host function";
  let description = [{
    Each flash loop (`attn.flash_loop`) that `attn-tile` built with the
    GPU's tile configuration (keys row-major, partial border tiles) becomes
    a kernel in a `gpu.module` of its own, and the loop in the host function
    a `gpu.launch_func` on its tensors' buffers
    (`bufferization.to_buffer` / `to_tensor`, outputs `memref.alloc`):

    - the scf.forall over (batch, query head, query tile) is the grid: one
      CTA of 4 warps (128 threads) per 64 query rows;
    - the key loop runs in the CTA with the bounds attn-tile computed: the
      ops that compute them are cloned into the kernel (kv_len / q_len read
      from its arguments), so the tile skipping is the CPU's;
    - each key tile is lowered on tensor cores for f16 and bf16: Q fragments
      loaded once (`nvgpu.ldmatrix`), K and V tiles staged global -> shared
      with `cp.async` (`nvgpu.device_async_copy`, double-buffered, chunks
      XOR-swizzled by row so that `ldmatrix` reads hit distinct banks),
      S = Q K^T and O += P V on `nvvm.mma.sync` m16n8k16 with f32
      accumulators, the online softmax (TileRules.h) on the accumulator
      fragments with quad shuffles, P taken from S's accumulators as A
      fragments; on FMAs for f32 (two threads a row, P through shared
      memory); exp is `ex2.approx.ftz.f32` with scale * log2 e folded into
      the logits;
    - where a key tile may need the per-element mask (a mask, a partial last
      tile), each query row's interval of allowed keys
      (buildSpecMaskInterval, the rule buildSpecMask tests) and its block
      bits become an i64 of the tile's keys, one bit test per score;
    - with a block layout (block-sparse attention), the CTA's threads mark
      the key tiles of the loop's bounds that meet a block whose bit is set
      and thread 0 compacts them into a list in shared memory, so that the
      key loop and its prefetches visit only those: a tile that meets no
      set block is never loaded or computed. Blocks that are multiples of
      the 64 x 64 tiles hold whole tiles; with others (smaller, or not
      multiples) one thread per query row also ORs the row's block bits of
      each key tile into an i64 in shared memory, which masks the scores
      per element;
    - routed attention's routing (`attn.routing_layout`) becomes kernels
      launched before the attention's (RoutingKernels.h): the region means
      of q and of k (f64 workspaces), then one CTA per (query region, batch
      row) computes the row of region affinities (f64, in shared memory)
      and ranks each key region in it (larger first, ties to the lower
      index) into the layout [B, R, R], which the attention kernel reads
      per batch row with the regions as blocks;
    - a `linalg.transpose` left in the host function (2-D regions permuted
      region-major, and the output back), with the reshapes around it,
      becomes a copy kernel between whole buffers (CopyKernel.h);
    - a bias of one row per query and key whose rows are not whole 16-byte
      chunks (T not a multiple of 8) is copied into a padded buffer by a
      copy kernel: the tensor-core kernels stage bias tiles by cp.async.
    - the tensor ops left in a host function around the loops (elementwise
      and reduction `linalg` ops and the named ops that generalize to them,
      fills, pads, slices, chains of insert_slice and concatenations, all
      static) become element kernels, one thread per element of the result
      (HostElementKernels.h): a reduction loops over its reduced dims in the
      thread from its init (a fill's constant is read as a constant, and the
      fill dropped); reshapes stay on the host as views of whole buffers.
      Contractions and convolutions (a graph's matmuls) and payloads with
      math functions (libdevice calls) are not lowered yet and are a
      located error.

    The kernel is built as a `gpu.func` directly rather than outlined from
    a `gpu.launch` by `gpu-kernel-outlining`, which orders the parameters by
    first use and drops discardable attributes: the parameter list (q, k, v,
    bias, kv_len, q_len, o, lse) is the bundles' ABI, and `nvvm.minctasm`
    keeps ptxas from capping registers (docs/design.md).

    On sm_90a the tensor-core kernels with D and Dv multiples of 64 run
    Q.K^T and P.V on warpgroup MMA (`nvvm.wgmma.mma_async` m64nNk16, both
    multiplicands in shared memory through matrix descriptors): Q, K and V
    are staged by cp.async in 64-column panels of 128-byte-swizzled rows,
    P is written to shared memory in the same layout, and a
    `fence.proxy.async` orders those writes before the MMAs read them. The
    other head dims, and sm_80/sm_90, keep mma.sync.

    The kernels read one MMA fragment-layout table (MMAFragments.h). The
    `test-mutation` option injects a fault (a wrong fragment table, a
    missing barrier, a missing cp.async wait, a missing rescale, a missing
    proxy fence) for the tests that show the kernel interpreter catches
    each.

    Loops with several key ranges, one softmax state through them, and a
    mask region (the Combiner's) become one kernel that visits the ranges'
    tiles in order; the region, cloned in, gives each query row its key
    intervals once (into shared memory), which join the row's mask bits per
    key tile. Loops this does not cover (partial states used after the
    loop, head dims above 128) are a located error.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_80\"",
           "The GPU chip: sm_80, sm_90 or sm_90a">,
    Option<"testMutation", "test-mutation", "std::string", /*default=*/"\"\"",
           "Tests only: inject fragment-layout, no-barrier, no-async-wait, "
           "no-rescale or no-proxy-fence">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // MIXIR_CONVERSION_PASSES_TD
