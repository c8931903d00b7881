// mixir-configure-target: the module gets its target's tile configuration,
// which attn-tile, mixir-tile-graph and mixir-vectorize-tiles read (register
// tiles by the CPU's vector registers); tests may override the attention
// tiles. Without a configuration those passes fail
// with an error on the op.
// RUN: mixir-opt %s -mixir-configure-target=cpu=x86-64-v4 | FileCheck %s --check-prefix=CPU
// RUN: mixir-opt %s -mixir-configure-target=cpu=x86-64-v3 | FileCheck %s --check-prefix=AVX2
// RUN: mixir-opt %s -mixir-configure-target="target=nvptx chip=sm_90" | FileCheck %s --check-prefix=GPU
// RUN: mixir-opt %s -mixir-configure-target="query-tile=16 key-tile=32" | FileCheck %s --check-prefix=SIZES
// RUN: mixir-opt %s -mixir-configure-target=cpu=x86-64-v4 | mixir-opt -mlir-print-op-generic | mixir-opt | FileCheck %s --check-prefix=CPU
// RUN: not mixir-opt %s -mixir-configure-target=target=tpu 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not mixir-opt %s -mixir-configure-target="target=nvptx chip=sm_70" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not mixir-opt %s -mixir-configure-target="cpu=znver9" 2>&1 | FileCheck %s --check-prefix=BADCPU
// RUN: not mixir-opt %s -attn-tile 2>&1 | FileCheck %s --check-prefix=NONE

// CPU: module attributes {attn.tile_config = #attn.tile_config<query_tile = 64, key_tile = 64, key_layout = transposed, pad_to_tiles = true, tile_element_type = f32, register_rows = 8, register_cols = 32, graph_rows = 32, graph_cols = 128, graph_reduction_tile = 1024, hyena_fft_min_length = 64, hyena_channel_block = 4, hyena_long_channel_block = 2, hyena_long_transform = 16384, hyena_chunks = 8>}
// AVX2: tile_element_type = f32, register_rows = 4, register_cols = 16, graph_rows = 32,
// GPU: module attributes {attn.tile_config = #attn.tile_config<query_tile = 64, key_tile = 64, key_layout = row_major, pad_to_tiles = false, register_rows = 4,
// SIZES: #attn.tile_config<query_tile = 16, key_tile = 32, key_layout = transposed, pad_to_tiles = true, tile_element_type = f32,
// UNKNOWN: error: mixir-configure-target: unknown target 'tpu' (known: cpu, nvptx)
// BADCPU: error: mixir-configure-target: unsupported --cpu 'znver9' (expected native, x86-64-v3 or x86-64-v4)
// CHIP: error: mixir-configure-target: unsupported --chip 'sm_70' (expected sm_80, sm_90 or sm_90a)
// NONE: error: attn-tile needs a tile configuration: an 'attn.tile_config' attribute on the op or an enclosing one (the pipelines set it with mixir-configure-target)
func.func @attention(%q: tensor<1x1x8x4xf32>) -> tensor<1x1x8x4xf32> {
  %init = tensor.empty() : tensor<1x1x8x4xf32>
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) outs(%init : tensor<1x1x8x4xf32>) -> tensor<1x1x8x4xf32>
  return %o : tensor<1x1x8x4xf32>
}
