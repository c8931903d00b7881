//===- Passes.td - Mixir passes outside the attn dialect ---*- tablegen -*-===//
//
// Passes the lowering pipelines need that upstream MLIR offers only as test
// passes or not at all.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TRANSFORMS_PASSES_TD
#define MIXIR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MixirApproximateMath : Pass<"mixir-approximate-math"> {
  let summary = "replace f32 math functions by polynomial approximations";
  let description = [{
    Applies upstream's polynomial approximations of math.exp, math.log,
    math.tanh, math.erf and friends (scalar and vector f32), so that CPU code
    computes them inline instead of calling libm once per element. Upstream
    exposes these patterns on the command line only as a test pass.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def MixirExpandBF16 : Pass<"mixir-expand-bf16"> {
  let summary = "round f32 to bf16 with integer arithmetic";
  let description = [{
    Rewrites `arith.truncf` to bf16 (and `arith.extf` from it), scalar or
    vector, into integer arithmetic on the bits (round to nearest even, NaN
    kept quiet), with upstream's bf16 expansion patterns. Without AVX-512
    BF16 LLVM lowers the truncation to a call of `__truncsfbf2`, which
    neither the JIT nor older libgcc provide; the CPU pipelines run this
    pass unless the target CPU has the instruction.

    ```mlir
    %h = arith.truncf %x : f32 to bf16
    // becomes bitcast, shifts, adds and a select on i32, then a trunci to
    // i16 and a bitcast to bf16
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def MixirExportCFunctions : Pass<"mixir-export-c-functions", "::mlir::ModuleOp"> {
  let summary = "give public functions the C ABI that mixir-compile's "
                "headers declare";
  let description = [{
    Runs after bufferization and buffer-results-to-out-params, on functions
    whose arguments are static, identity-layout memrefs (inputs, then the
    outputs). Each public function `@f` becomes private `@__mixir_impl_f`,
    and a new public `@f` with the same arguments calls it and returns an
    `i32` status (0 on success). With the bare-pointer calling convention
    of the LLVM lowering this is `int32_t f(const T *arg0, ..., T *res0)`.

    ```mlir
    // before
    func.func @f(%a: memref<4xf32>, %r: memref<4xf32>)
    // after
    func.func private @__mixir_impl_f(%a: memref<4xf32>, %r: memref<4xf32>)
    func.func @f(%a: memref<4xf32>, %r: memref<4xf32>) -> i32 {
      call @__mixir_impl_f(%a, %r) : (memref<4xf32>, memref<4xf32>) -> ()
      %c0 = arith.constant 0 : i32
      return %c0 : i32
    }
    ```

    Dynamic dims: a function with the size signature of mixir-bind-sizes
    takes each buffer with a `?` dim as a 0-d memref (a bare pointer), then
    one `i64` per size parameter, and rebuilds the buffer's memref from the
    pointer and the sizes (`memref.reinterpret_cast`, row-major strides):
    `int32_t f(const float *arg0, float *res0, int64_t arg0_dim0)`.

    A public function with a non-memref argument, a strided memref, a
    dynamic memref without a recorded size signature, or results left is
    reported as an error.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def MixirReadOnlyInputs : Pass<"mixir-read-only-inputs", "::mlir::ModuleOp"> {
  let summary = "mark the tensor arguments of public functions read-only for "
                "one-shot bufferization";
  let description = [{
    The exported C functions take their inputs as `const T *`: the compiled
    code must never write into them. One-shot bufferization with function
    boundaries treats tensor arguments as writable, and reuses an argument's
    buffer in place when an op writes into (a value that folds to) an
    argument; this pass sets `bufferization.writable = false` on every tensor
    argument of every public function so that such writes get a copy.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def MixirMemrefCopyToLinalg : Pass<"mixir-memref-copy-to-linalg"> {
  let summary = "rewrite memref.copy as linalg.copy";
  let description = [{
    memref.copy between strided memrefs lowers to a call of `memrefCopy` from
    MLIR's runner library; emitted objects must not depend on it. As
    linalg.copy it lowers to plain loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def MixirVectorizeTiles : Pass<"mixir-vectorize-tiles"> {
  let summary = "tile the linalg ops inside parallel tile loops to register "
                "tiles and vectorize them";
  let description = [{
    For every linalg op with static shapes nested in an scf.forall (the
    tile loops that attn-tile creates), tiles it once more to register-sized
    tiles with upstream's TilingInterface driver (scf::tileUsingSCF) and
    vectorizes each with upstream's linalg vectorizer: contractions become
    `register_rows` x `register_cols` vector.contract steps (the module's
    tile configuration, 8 x 32 on the CPU) over their reduction dim taken
    one at a time (outer products once lowered), elementwise ops and row
    reductions vector ops of the same tile. The elementwise producer of a
    contraction's accumulator (a zero fill, the online softmax's rescale of
    acc), when used only there, is fused into the contraction's register
    tiles (upstream's tile-and-fuse driver) instead of taking a pass of its
    own over the tile. Tile sizes divide the dims they tile, so no masking
    is needed. Ops the vectorizer rejects stay scalar (loops), and so do
    reductions over an outer dim other than contractions (a column sum, the
    partial sums of mixir-tile-graph): their register tile would keep the
    accumulator in memory across the reduction, where LLVM's loop vectorizer
    keeps the innermost dim's running sums in registers.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def MixirBindSizes : Pass<"mixir-bind-sizes", "::mlir::ModuleOp"> {
  let summary = "record the size parameters of the public functions with "
                "dynamic dims";
  let description = [{
    A public function whose tensors have dynamic (`?`) dims is called from C
    with one `int64_t` after its buffers per `?` dim of its arguments, in
    argument order and dim order within each. Each `?` dim of a result must
    provably equal one of those argument dims (upstream's value-bounds
    analysis on tensors), so that the caller knows the size of the output;
    otherwise the function cannot be exported and the pass fails with an
    error naming the result and dim. The signature is recorded as the
    `mixir.size_parameters` (argument, dim pairs) and `mixir.result_sizes`
    (per result, the parameter of each dim, -1 for static dims) attributes,
    which mixir-export-c-functions and the C header read. Runs on tensors,
    after TOSA is lowered to linalg.
  }];
}

def MixirFuseElementwise : Pass<"mixir-fuse-elementwise"> {
  let summary = "fuse chains of elementwise linalg ops, never into a "
                "reduction";
  let description = [{
    Upstream's elementwise fusion (`linalg::populateElementwiseOpsFusionPatterns`)
    with one rule of ours: a producer is fused only into a consumer whose
    loops are all parallel. Chains of elementwise ops (an activation after a
    bias, a norm's steps) become one op each, as with
    `linalg-fuse-elementwise-ops`, but an elementwise producer of a
    contraction or a row reduction stays an op of its own: fused, it would
    be recomputed for every point of the reduced dim (a sigmoid attention
    tile's scores once per value column) and the contraction would no longer
    be a matmul that `mixir-vectorize-tiles` turns into `vector.contract`.
    Like upstream's pass, it fuses only producers whose result has no other
    use.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def MixirTileGraph : Pass<"mixir-tile-graph"> {
  let summary = "tile the linalg ops of a model graph outside the mixer "
                "loops into parallel tiles";
  let description = [{
    The ops of a graph around its mixers (projections, MLPs, norms,
    activations, transposes) are linalg ops on whole tensors. This pass cuts
    each one that is not already inside a loop into an scf.forall of tiles
    over its parallel dims with upstream's tile-and-fuse driver
    (`scf::tileConsumerAndFuseProducersUsingSCF`): the loops run on threads,
    and mixir-vectorize-tiles then register-tiles and vectorizes each tile
    like the mixers' own. The linalg.fill that zeroes an accumulator is
    fused into the tiles; other producers are not (a tile of a matmul reads
    a whole panel of its operands, so fusing them would recompute them per
    tile).

    Tile sizes, from the module's tile configuration (`attn.tile_config`:
    `graph_rows`, `graph_cols`): `graph_rows` of the second innermost
    parallel dim, `graph_cols` of the innermost, one of every other parallel
    dim; reduction dims whole. Only
    elementwise ops (all loops parallel) and contractions are tiled; other
    reductions, ops with dynamic shapes and ops inside loops are left alone,
    with one exception: a reduction with one reduction dim of at least two
    `graph_reduction_tile` steps whose outputs fit in one graph tile (a mean
    over the sequence, which the parallel tiles would leave on one thread)
    is split into partial reductions of `graph_reduction_tile` steps in an
    scf.forall and their merge (upstream's partial-reduction tiling, with
    the split dim's `linalg.index` offset to the chunk, which MLIR 22 leaves
    chunk-local).
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // MIXIR_TRANSFORMS_PASSES_TD
