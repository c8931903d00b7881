//===- AttnAttrs.td - attn attributes ----------------------*- tablegen -*-===//
//
// The attributes of the attn dialect: the enums of the ops (the score
// function of the attention ops, the causal alignment, the Combiner variant:
// `#attn.score<softmax>`, `#attn.causal<top_left>`, `#attn.variant<fixed>`),
// and the tile configuration a target gives the loop nests of the fast paths
// (`#attn.tile_config<...>`).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_IR_ATTNATTRS_TD
#define MIXIR_DIALECT_ATTN_IR_ATTNATTRS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mixir/Dialect/Attn/IR/AttnBase.td"

def Attn_ScoreKind : I32EnumAttr<"ScoreKind", "attention score function", [
    I32EnumAttrCase<"softmax", 0>,
    I32EnumAttrCase<"sigmoid", 1>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mixir::attn";
}

def Attn_ScoreAttr : EnumAttr<Attn_Dialect, Attn_ScoreKind, "score"> {
  let summary = "score function: softmax (row-normalised) or sigmoid";
  let assemblyFormat = "`<` $value `>`";
}

def Attn_CausalMode : I32EnumAttr<"CausalMode", "causal mask alignment", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"top_left", 1>,
    I32EnumAttrCase<"bottom_right", 2>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mixir::attn";
}

def Attn_CausalAttr : EnumAttr<Attn_Dialect, Attn_CausalMode, "causal"> {
  let summary = "causal mask: none, top-left (SDPA) or bottom-right (FA2) "
                "aligned";
  let assemblyFormat = "`<` $value `>`";
}

def Attn_CombinerVariant : I32EnumAttr<"CombinerVariant",
    "Combiner factorization", [
    I32EnumAttrCase<"fixed", 0>,
    I32EnumAttrCase<"axial", 1>,
    I32EnumAttrCase<"logsparse", 2>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mixir::attn";
}

def Attn_CombinerVariantAttr
    : EnumAttr<Attn_Dialect, Attn_CombinerVariant, "variant"> {
  let summary = "Combiner factorization: fixed, axial or logsparse";
  let assemblyFormat = "`<` $value `>`";
}

def Attn_KeyLayout : I32EnumAttr<"KeyLayout",
    "layout of the keys the tiles of the attention loop nests read", [
    I32EnumAttrCase<"row_major", 0>,
    I32EnumAttrCase<"transposed", 1>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mixir::attn";
}

def Attn_TileConfigAttr : AttrDef<Attn_Dialect, "TileConfig"> {
  let mnemonic = "tile_config";
  let summary = "a target's tile configuration of the mixers' loop nests";
  let description = [{
    The tile sizes and layouts one target gives the target-independent loop
    nests (`attn-tile`, `attn-fuse`, `mixir-tile-graph`) and the target's own
    tile lowering. The pipelines choose it from the target description
    (`mixir-configure-target`) and attach it to the module as
    `attn.tile_config`; the passes read it from the nearest enclosing op that
    carries it, so a lit test can set any configuration by hand.

    - `query_tile`, `key_tile`: queries and keys per tile of the attention
      engine (attention, block-sparse with its own blocks aside, routed and
      Combiner attention); the Combiner's row and column tiles are at most
      `query_tile`.
    - `key_layout`: `transposed` transposes K once to `[B, Hkv, D, T]`
      before the loops (the CPU: a key tile is then a plain matmul operand);
      `row_major` reads K as given (the GPU: `ldmatrix` reads it in place).
    - `pad_to_tiles`: zero-pad Q, K, V and the bias to whole tiles before the
      loops (static tiles for the CPU's vectorizer); otherwise border tiles
      are partial and the target's tile lowering masks them.
    - `tile_element_type` (optional, f32 only): convert f16 and bf16 Q to
      this type before the loops (once per query tile after attn-fuse) and
      each K and V tile once per key step in the target's tile lowering, so
      that every tile matmul is a one-type f32 contraction (the CPU without
      a reduced-precision dot product), with no whole converted copies;
      absent, the tiles keep the inputs' type (the GPU's tensor cores).
    - `register_rows`, `register_cols`: the register tile of the linalg ops
      inside the tiles (`mixir-vectorize-tiles`).
    - `graph_rows`, `graph_cols`: the parallel tiles of a graph's own
      matmuls and elementwise ops (`mixir-tile-graph`).
    - `graph_reduction_tile`: a graph's reduction over a long dim whose
      parallel dims fit in one graph tile (a mean over the sequence) runs
      as partial reductions of this many steps in parallel, then a merge
      (`mixir-tile-graph`).
    - `hyena_fft_min_length`: the shortest `attn.hyena` sequence convolved by
      FFT; `hyena_channel_block` channels share one transform slab up to
      transforms of `hyena_long_transform` points, `hyena_long_channel_block`
      beyond; `hyena_chunks` chunks of channel blocks per batch row run in
      parallel.

    ```mlir
    module attributes {attn.tile_config = #attn.tile_config<query_tile = 64,
        key_tile = 64, key_layout = transposed, pad_to_tiles = true,
        tile_element_type = f32, register_rows = 8, register_cols = 32, graph_rows = 32,
        graph_cols = 128, graph_reduction_tile = 1024, hyena_fft_min_length = 64, hyena_channel_block = 4,
        hyena_long_channel_block = 2, hyena_long_transform = 16384,
        hyena_chunks = 8>} {
    }
    ```
  }];
  let parameters = (ins
    "int64_t":$query_tile,
    "int64_t":$key_tile,
    "::mixir::attn::KeyLayout":$key_layout,
    "bool":$pad_to_tiles,
    OptionalParameter<"::mlir::Type">:$tile_element_type,
    "int64_t":$register_rows,
    "int64_t":$register_cols,
    "int64_t":$graph_rows,
    "int64_t":$graph_cols,
    "int64_t":$graph_reduction_tile,
    "int64_t":$hyena_fft_min_length,
    "int64_t":$hyena_channel_block,
    "int64_t":$hyena_long_channel_block,
    "int64_t":$hyena_long_transform,
    "int64_t":$hyena_chunks
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The name of the discardable attribute that carries it.
    static constexpr ::llvm::StringLiteral kAttrName = "attn.tile_config";
    /// The configuration on `op` or its nearest ancestor that has one, or
    /// null.
    static TileConfigAttr lookup(::mlir::Operation *op);
    /// As lookup, but a missing configuration is an error on `op` naming
    /// `pass`.
    static ::mlir::FailureOr<TileConfigAttr> require(::mlir::Operation *op,
                                                     ::llvm::StringRef pass);
    /// This configuration with the attention engine's fields replaced.
    TileConfigAttr withAttention(int64_t queryTile, int64_t keyTile,
                                 KeyLayout keyLayout, bool padToTiles,
                                 ::mlir::Type tileElementType) const;
  }];
}

#endif // MIXIR_DIALECT_ATTN_IR_ATTNATTRS_TD
