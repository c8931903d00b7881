//===- Passes.td - target selection passes -----------------*- tablegen -*-===//
//
// mixir-configure-target: the pipelines' first step, which gives the module
// the tile configuration of the target it is compiled for.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_PASSES_TD
#define MIXIR_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

def MixirConfigureTarget : Pass<"mixir-configure-target", "::mlir::ModuleOp"> {
  let summary = "attach a target's tile configuration to the module";
  let description = [{
    Sets `attn.tile_config` on the module to the tile configuration of the
    target (IREE's `lowering_config` is the precedent): the tile sizes,
    key layout, padding, register and graph tiles and Hyena slabs that
    `attn-tile`, `attn-fuse`, `mixir-tile-graph`, `mixir-vectorize-tiles`
    and the target's tile lowering read. Tests may override the attention
    tile sizes.

    ```mlir
    // -mixir-configure-target="target=nvptx"
    module attributes {attn.tile_config = #attn.tile_config<query_tile = 64,
        key_tile = 64, key_layout = row_major, pad_to_tiles = false, ...>}
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "The target: cpu or nvptx">,
    Option<"cpu", "cpu", "std::string", /*default=*/"\"native\"",
           "The CPU (cpu): native, x86-64-v3 or x86-64-v4 (the register "
           "tiles follow its vector registers)">,
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_80\"",
           "The GPU chip (nvptx): sm_80, sm_90 or sm_90a">,
    Option<"queryTile", "query-tile", "int64_t", /*default=*/"0",
           "Override the target's query tile (0: keep it)">,
    Option<"keyTile", "key-tile", "int64_t", /*default=*/"0",
           "Override the target's key tile (0: keep it)">
  ];
}

#endif // MIXIR_TARGET_PASSES_TD
