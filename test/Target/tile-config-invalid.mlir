// The tile configuration's verifier: every size at least 1, tiles widened to f32 only.
// RUN: mixir-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{expected key_tile (0) to be at least 1}}
module attributes {attn.tile_config = #attn.tile_config<query_tile = 64, key_tile = 0, key_layout = transposed, pad_to_tiles = true, register_rows = 8, register_cols = 32, graph_rows = 32, graph_cols = 128, graph_reduction_tile = 1024, hyena_fft_min_length = 64, hyena_channel_block = 4, hyena_long_channel_block = 2, hyena_long_transform = 16384, hyena_chunks = 8>} {
}

// -----

// expected-error @+1 {{expected register_cols (-4) to be at least 1}}
module attributes {attn.tile_config = #attn.tile_config<query_tile = 64, key_tile = 64, key_layout = row_major, pad_to_tiles = false, register_rows = 8, register_cols = -4, graph_rows = 32, graph_cols = 128, graph_reduction_tile = 1024, hyena_fft_min_length = 64, hyena_channel_block = 4, hyena_long_channel_block = 2, hyena_long_transform = 16384, hyena_chunks = 8>} {
}

// -----

// expected-error @+1 {{expected tile_element_type ('f16') to be f32 or absent}}
module attributes {attn.tile_config = #attn.tile_config<query_tile = 64, key_tile = 64, key_layout = transposed, pad_to_tiles = true, tile_element_type = f16, register_rows = 8, register_cols = 32, graph_rows = 32, graph_cols = 128, graph_reduction_tile = 1024, hyena_fft_min_length = 64, hyena_channel_block = 4, hyena_long_channel_block = 2, hyena_long_transform = 16384, hyena_chunks = 8>} {
}
