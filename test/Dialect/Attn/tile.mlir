// attn-tile: flash-style loop nests with the online-softmax state, no S x T
// scores, and key tiles ruled out by the masks never visited.
// The key tiles it leaves are lowered here the CPU's way
// (convert-attn-tiles-to-linalg), with the CPU's tile configuration or one
// with other tile sizes; TILES shows the IR attn-tile itself stops at, GPU
// the same loops with the GPU's configuration.
// RUN: mixir-opt %s -mixir-configure-target -attn-tile -convert-attn-tiles-to-linalg -split-input-file | FileCheck %s
// RUN: mixir-opt %s -mixir-configure-target="query-tile=16 key-tile=32" -attn-tile -convert-attn-tiles-to-linalg -split-input-file | FileCheck %s --check-prefix=OPTION
// RUN: mixir-opt %s -mixir-configure-target -attn-tile -split-input-file | FileCheck %s --check-prefix=TILES
// RUN: mixir-opt %s -mixir-configure-target=target=nvptx -attn-tile -split-input-file | FileCheck %s --check-prefix=GPU

// Top-left causal, S = 100 and T = 70 padded to 128, 64 x 64 tiles, GQA 2/1.
// The whole problem is one attn.partial_attention from the empty state,
// tiled by upstream tiling: an scf.forall over (b, h, query tile), then the
// keys as a reduction (an scf.for carrying the state), whose bounds are
// narrowed to the key tiles the mask leaves.
// CHECK-LABEL: func.func @causal
// CHECK-NOT:     tensor<1x2x100x70xf32>
// CHECK:         %[[QP:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 28, 0]
// CHECK:         %[[KP:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 58, 0]
// K transposed once, so that key tiles are contiguous along the keys
// CHECK:         %[[KT:.+]] = linalg.transpose ins(%[[KP]] : tensor<1x1x128x16xf32>) outs(%{{.+}} : tensor<1x1x16x128xf32>) permutation = [0, 1, 3, 2]
// The whole-size state is only written (each tile inserts its final state),
// so the shared outputs start empty.
// CHECK:         %[[ACCS:.+]] = tensor.empty() : tensor<1x2x128x16xf32>
// CHECK:         %[[OUT:.+]]:4 = scf.forall (%[[B:.+]], %[[H:.+]], %[[ROW0:.+]]) = (0, 0, 0) to (1, 2, 128) step (1, 1, 64) shared_outs(%{{.+}} = %[[ACCS]], %{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}, %[[SHARED:.+]] = %{{.+}})
// CHECK:           %[[KVH:.+]] = arith.divui %[[H]], %c2 : index
// CHECK:           %[[QT:.+]] = tensor.extract_slice %[[QP]][%[[B]], %[[H]], %[[ROW0]], 0] [1, 1, 64, 16]
// CHECK:           %[[KTT:.+]] = tensor.extract_slice %[[KT]][%[[B]], %[[KVH]], 0, 0] [1, 1, 16, 128]
// each query tile starts from its own empty state (acc, m, l) = (0, -inf, 0)
// CHECK:           %[[ACC0:.+]] = linalg.fill ins(%cst{{.*}} : f32) outs(%{{.+}} : tensor<1x1x64x16xf32>)
// CHECK:           %[[M0:.+]] = linalg.fill ins(%cst{{.*}} : f32) outs(%{{.+}} : tensor<1x1x64xf32>)
// CHECK:           %[[L0:.+]] = linalg.fill ins(%cst{{.*}} : f32) outs(%{{.+}} : tensor<1x1x64xf32>)
// The last key any row of the tile sees is its last row: hi = min(T, i0 + 64).
// CHECK:           arith.minsi %{{.+}}, %c70_i64 : i64
// CHECK:           %[[END:.+]] = arith.index_cast %{{.+}} : i64 to index
// CHECK:           %[[STATE:.+]]:3 = scf.for %[[J:.+]] = %c0 to %[[END]] step %c64 iter_args(%[[ACC:.+]] = %[[ACC0]], %[[M:.+]] = %[[M0]], %[[L:.+]] = %[[L0]]) -> (tensor<1x1x64x16xf32>, tensor<1x1x64xf32>, tensor<1x1x64xf32>)
// CHECK:             tensor.extract_slice %[[KTT]][0, 0, 0, %[[J]]] [1, 1, 16, 64]
// A key tile wholly below the diagonal and inside T needs no per-element mask.
// CHECK:             %[[INSIDE:.+]] = arith.cmpi slt, %{{.+}}, %c70_i64 : i64
// CHECK:             %[[BELOW:.+]] = arith.cmpi sle, %{{.+}}, %{{.+}} : i64
// CHECK:             %[[WHOLE:.+]] = arith.andi %[[INSIDE]], %[[BELOW]] : i1
// CHECK:             scf.if %[[WHOLE]]
// CHECK:               linalg.generic {{.+}} outs(%{{.+}} : tensor<64x64xf32>)
// CHECK:               linalg.generic
// CHECK-NOT:             arith.select
// CHECK:               linalg.yield
// CHECK:             } else {
// s = q_t . k_kt^T: one 64 x 64 tile of scores
// CHECK:               linalg.generic {{.+}} outs(%{{.+}} : tensor<64x64xf32>)
// the causal mask on global positions: query i sees the keys
// [0, min(i + 1, T)), none past S
// CHECK:                 %[[AFTER:.+]] = arith.addi %{{.+}}, %c1_i64 : i64
// CHECK:                 %[[END:.+]] = arith.minsi %[[AFTER]], %c70_i64 : i64
// CHECK:                 %[[ROWEND:.+]] = arith.select %{{.+}}, %[[END]], %c0_i64 : i64
// CHECK:                 %[[ALLOWED:.+]] = arith.cmpi slt, %{{.+}}, %[[ROWEND]] : i64
// CHECK:                 arith.select %[[ALLOWED]]
// m' = max(m, rowmax s) and a = exp(m - m') update the state in place
// CHECK:               linalg.generic {{.+}} outs(%{{.+}} : tensor<64xf32>)
// CHECK:               linalg.generic {{.+}} outs(%{{.+}} : tensor<64x16xf32>)
// CHECK:             tensor.insert_slice %{{.+}} into %[[ACC]][0, 0, 0, 0] [1, 1, 64, 16]
// CHECK:             scf.yield
// o_t = acc / l, fused into the parallel loop by upstream consumer fusion
// CHECK:           %[[OT:.+]] = linalg.generic {{.+}} ins(%[[STATE]]#0, %[[STATE]]#2 :
// CHECK:           scf.forall.in_parallel
// CHECK:             tensor.parallel_insert_slice %[[OT]] into %[[SHARED]][%[[B]], %[[H]], %[[ROW0]], 0] [1, 1, 64, 16]
// CHECK:         tensor.extract_slice %[[OUT]]#3[0, 0, 0, 0] [1, 2, 100, 16] [1, 1, 1, 1] : tensor<1x2x128x16xf32> to tensor<1x2x100x16xf32>
// attn-tile stops at IR: the key tiles are attn.partial_attention ops in the
// key loop, at their global offsets, left for the target's lowering.
// TILES-LABEL: func.func @causal
// TILES:         scf.forall (%[[B:.+]], %[[H:.+]], %[[ROW0:.+]]) = (0, 0, 0) to (1, 2, 128) step (1, 1, 64)
// TILES:           scf.for %[[J:.+]] = %c0 to %{{.+}} step %c64
// TILES:             attn.partial_attention ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x1x64x16xf32>, tensor<1x1x16x64xf32>, tensor<1x1x64x16xf32>) offsets(%[[B]], %[[H]], %[[ROW0]], %[[J]])
// TILES-SAME:          key_transposed
// TILES-NOT:         linalg.generic
// TILES:             scf.yield
// The GPU's configuration: the same loops and key bounds, K read as given
// (row-major, no transpose) and nothing padded: the border tiles are
// partial and the kernel masks them.
// GPU-LABEL: func.func @causal
// GPU-NOT:     tensor.pad
// GPU-NOT:     linalg.transpose
// GPU:         scf.forall (%{{.+}}, %{{.+}}, %[[ROW0:.+]]) = (0, 0, 0) to (1, 2, 100) step (1, 1, 64)
// GPU:           %[[ROWS:.+]] = affine.min
// GPU:           arith.minsi %{{.+}}, %c70_i64 : i64
// GPU:           scf.for %{{.+}} = %c0 to %{{.+}} step %c64
// GPU:             %[[KEYS:.+]] = affine.min
// GPU:             attn.partial_attention ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x1x?x16xf32>, tensor<1x1x?x16xf32>, tensor<1x1x?x16xf32>)
// GPU-NOT:           key_transposed
// GPU:             scf.yield
func.func @causal(%q: tensor<1x2x100x16xf32>, %k: tensor<1x1x70x16xf32>, %init: tensor<1x2x100x16xf32>) -> tensor<1x2x100x16xf32> {
  %o = attn.attention ins(%q, %k, %k : tensor<1x2x100x16xf32>, tensor<1x1x70x16xf32>, tensor<1x1x70x16xf32>) outs(%init : tensor<1x2x100x16xf32>)
    {causal = #attn.causal<top_left>} -> tensor<1x2x100x16xf32>
  return %o : tensor<1x2x100x16xf32>
}

// -----

// Block-sparse: tiles are the blocks; a tile whose layout bit is 0 keeps the
// state as it is.
// CHECK-LABEL: func.func @block_sparse
// CHECK-SAME:    %[[LAYOUT:[a-z0-9]+]]: tensor<1x2x2xi1>
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %[[ROW0:.+]]) = (0, 0, 0) to (1, 1, 32) step (1, 1, 16)
// CHECK:           scf.for %[[J:.+]] = %{{.+}} step %c16 iter_args(%[[ACC4:.+]] = %{{.+}}, %[[M3:.+]] = %{{.+}}, %[[L3:.+]] = %{{.+}})
// CHECK:             %[[ACC:.+]] = tensor.extract_slice %[[ACC4]][0, 0, 0, 0] [1, 1, 16, 8] [1, 1, 1, 1] : tensor<1x1x16x8xf32> to tensor<16x8xf32>
// CHECK:             %[[M:.+]] = tensor.extract_slice %[[M3]][0, 0, 0] [1, 1, 16] [1, 1, 1] : tensor<1x1x16xf32> to tensor<16xf32>
// CHECK:             %[[L:.+]] = tensor.extract_slice %[[L3]][0, 0, 0] [1, 1, 16] [1, 1, 1] : tensor<1x1x16xf32> to tensor<16xf32>
// CHECK:             %[[QB:.+]] = arith.divui %[[ROW0]], %c16 : index
// CHECK:             %[[KB:.+]] = arith.divui %[[J]], %c16 : index
// CHECK:             %[[BIT:.+]] = tensor.extract %[[LAYOUT]][%c0, %[[QB]], %[[KB]]] : tensor<1x2x2xi1>
// CHECK:             %[[NEXT:.+]]:3 = scf.if %[[BIT]]
// CHECK:             } else {
// CHECK-NEXT:          scf.yield %[[ACC]], %[[M]], %[[L]]
// CHECK:             tensor.insert_slice %[[NEXT]]#0
// CHECK:             tensor.insert_slice %[[NEXT]]#1
// CHECK:             tensor.insert_slice %[[NEXT]]#2
func.func @block_sparse(%q: tensor<1x1x32x8xf32>, %layout: tensor<1x2x2xi1>, %init: tensor<1x1x32x8xf32>) -> tensor<1x1x32x8xf32> {
  %o = attn.block_sparse_attention ins(%q, %q, %q, %layout : tensor<1x1x32x8xf32>, tensor<1x1x32x8xf32>, tensor<1x1x32x8xf32>, tensor<1x2x2xi1>)
    outs(%init : tensor<1x1x32x8xf32>) {block = array<i64: 16, 16>} -> tensor<1x1x32x8xf32>
  return %o : tensor<1x1x32x8xf32>
}

// -----

// Sigmoid carries acc alone; the tile sizes are options.
// CHECK-LABEL: func.func @sigmoid
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (1, 1, 64) step (1, 1, 64)
// CHECK:           scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x1x64x8xf32>)
// OPTION-LABEL: func.func @sigmoid
// OPTION:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (1, 1, 64) step (1, 1, 16)
// OPTION:           scf.for {{.+}} step %c32 iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x1x16x8xf32>)
// OPTION:             outs(%{{.+}} : tensor<16x32xf32>)
func.func @sigmoid(%q: tensor<1x1x64x8xf32>, %init: tensor<1x1x64x8xf32>) -> tensor<1x1x64x8xf32> {
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x64x8xf32>, tensor<1x1x64x8xf32>, tensor<1x1x64x8xf32>) outs(%init : tensor<1x1x64x8xf32>)
    {score = #attn.score<sigmoid>} -> tensor<1x1x64x8xf32>
  return %o : tensor<1x1x64x8xf32>
}

// -----

// Routed attention with 1-D regions: the routing (attn.routing_layout, which
// each target lowers its own way; decompose-routing-layout.mlir) gives the
// topk = 2 key regions of each query region, and the tile loop (tiles =
// regions of 4) visits only those, reading K and V in place.
// CHECK-LABEL: func.func @routed
// CHECK:         %[[ROUTED:.+]] = attn.routing_layout ins(%{{.+}}, %{{.+}} : tensor<2x1x12x8xf32>, tensor<2x1x12x8xf32>) {region_size = 4 : i64, topk = 2 : i64} -> tensor<2x3x3xi1>
// CHECK:         scf.forall (%[[B:.+]], %{{.+}}, %[[ROW0:.+]]) = (0, 0, 0) to (2, 1, 12) step (1, 1, 4)
// CHECK:           scf.for %[[J:.+]] = %{{.+}} iter_args(
// CHECK:             %[[QB:.+]] = arith.divui %[[ROW0]], %c4 : index
// CHECK:             %[[KB:.+]] = arith.divui %[[J]], %c4 : index
// CHECK:             tensor.extract %[[ROUTED]][%[[B]], %[[QB]], %[[KB]]] : tensor<2x3x3xi1>
// CHECK:             scf.if
func.func @routed(%q: tensor<2x1x12x8xf32>, %init: tensor<2x1x12x8xf32>) -> tensor<2x1x12x8xf32> {
  %o = attn.routed_attention ins(%q, %q, %q : tensor<2x1x12x8xf32>, tensor<2x1x12x8xf32>, tensor<2x1x12x8xf32>) outs(%init : tensor<2x1x12x8xf32>)
    {topk = 2 : i64, region_size = 4 : i64} -> tensor<2x1x12x8xf32>
  return %o : tensor<2x1x12x8xf32>
}

// -----

// Combiner, fixed, causal, segments of 4 over L = 12: segment maxima
// (kbar, qbar), vbar by the engine over each segment (query tiles of one
// abstraction), then the engine over [k; kbar] (12 + 3 keys, padded to 16)
// with query tiles = segments visiting the own segment and the earlier
// abstractions only.
// CHECK-LABEL: func.func @combiner_fixed
// CHECK:         %[[KBAR:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]{{.+}} outs(%{{.+}} : tensor<1x2x3x8xf32>)
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) in (1, 2, 3) shared_outs({{.+}}) -> ({{.+}}, tensor<1x2x3x8xf32>)
// CHECK:         tensor.insert_slice %[[KBAR]] into %{{.+}}[0, 0, 12, 0] [1, 2, 3, 8] [1, 1, 1, 1] : tensor<1x2x3x8xf32> into tensor<1x2x15x8xf32>
// CHECK:         tensor.pad %{{.+}} high[0, 0, 1, 0]
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (1, 2, 12) step (1, 1, 4) shared_outs({{.+}}) -> ({{.+}}, tensor<1x2x12x8xf32>)
// two key ranges chained through the state: the own segment, then the
// abstractions (keys from L = 12 on)
// CHECK:           %[[OWN:.+]]:3 = scf.for
// CHECK:           scf.for %{{.+}} = %c12 to %{{.+}} step %c4 iter_args(%{{.+}} = %[[OWN]]#0, %{{.+}} = %[[OWN]]#1, %{{.+}} = %[[OWN]]#2)
func.func @combiner_fixed(%q: tensor<1x2x12x8xf32>, %init: tensor<1x2x12x8xf32>) -> tensor<1x2x12x8xf32> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x2x12x8xf32>, tensor<1x2x12x8xf32>, tensor<1x2x12x8xf32>) outs(%init : tensor<1x2x12x8xf32>)
    {variant = #attn.variant<fixed>, block = 4 : i64, causal = true} -> tensor<1x2x12x8xf32>
  return %o : tensor<1x2x12x8xf32>
}

// -----

// PoNet in O(L C). GA in token-major passes over k and v in place (no
// per-head copies). Segment max-pooling: a block-major table indexed by
// segment id, [B, C / block, L, block], filled in one pass over the valid
// tokens (the first token of a segment writes its row, found by a pass over
// the ids; later ones take the max), when the ids fit in [0, L) (checked at
// run time; otherwise the quadratic reduction, read by token and transposed
// to the table's layout). Then one scf.forall over (batch, tile of tokens):
// local max-pooling over the w = 5 taps of a per-tile halo copy padded with
// -inf, the segment rows copied by id a block at a time, and
// (G + sp) * o + lp written into the result's tile.
// CHECK-LABEL: func.func @pool_mix
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.+}}, %{{.+}} : tensor<2x2x4xf32>, tensor<2x10x2x4xf32>)
// CHECK:         %[[FITS:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "reduction"]} {{.+}} outs(%{{.+}} : tensor<i1>)
// CHECK:         %[[FIT:.+]] = tensor.extract %[[FITS]][] : tensor<i1>
// CHECK:         %[[SEGMENTS:.+]] = scf.if %[[FIT]] -> (tensor<2x1x10x8xf32>)
// CHECK:           %[[FIRSTS:.+]] = scf.for {{.+}} -> (tensor<2x10xi8>)
// CHECK:             scf.for {{.+}} -> (tensor<2x10xi8>, tensor<10xi8>)
// CHECK:           scf.forall (%{{.+}}, %{{.+}}) in (2, 1) shared_outs({{.+}}) -> (tensor<2x1x10x8xf32>)
// CHECK:             scf.for {{.+}} -> (tensor<10x8xf32>)
// CHECK:               tensor.extract_slice %{{.+}}[%{{.+}}, 0] [1, 8] [1, 1] : tensor<10x8xf32> to tensor<8xf32>
// CHECK:               tensor.extract %[[FIRSTS]]
// CHECK:               arith.maximumf
// CHECK-NEXT:          arith.select
// CHECK:               tensor.insert_slice %{{.+}} into %{{.+}}[%{{.+}}, 0] [1, 8] [1, 1] : tensor<8xf32> into tensor<10x8xf32>
// CHECK:         } else {
// CHECK:           arith.cmpi eq
// CHECK:           arith.maximumf
// CHECK:           linalg.transpose {{.+}} permutation = [0, 2, 1, 3]
// CHECK:         scf.forall (%{{.+}}, %{{.+}}) in (2, 1)
// CHECK:           tensor.pad %{{.+}} low[%{{.+}}, 0] high[%{{.+}}, 0]
// CHECK:           } : tensor<?x8xf32> to tensor<14x8xf32>
// CHECK-COUNT-5:   linalg.generic {{.+}} outs(%{{.+}} : tensor<10x8xf32>)
// CHECK:           scf.for {{.+}} -> (tensor<10x8xf32>)
// CHECK:             scf.for {{.+}} -> (tensor<10x8xf32>)
// CHECK:               tensor.extract_slice %[[SEGMENTS]][%{{.+}}, %{{.+}}, %{{.+}}, 0] [1, 1, 1, 8] [1, 1, 1, 1] : tensor<2x1x10x8xf32> to tensor<1x8xf32>
// CHECK:           linalg.generic
// CHECK:           scf.forall.in_parallel
// CHECK-NOT:     attn.pool_mix
func.func @pool_mix(%x: tensor<2x10x8xf32>, %seg: tensor<2x10xi32>, %n: tensor<2xi32>, %init: tensor<2x10x8xf32>) -> tensor<2x10x8xf32> {
  %y = attn.pool_mix ins(%x, %x, %x, %x, %x, %seg : tensor<2x10x8xf32>, tensor<2x10x8xf32>, tensor<2x10x8xf32>, tensor<2x10x8xf32>, tensor<2x10x8xf32>, tensor<2x10xi32>)
         len(%n : tensor<2xi32>) outs(%init : tensor<2x10x8xf32>) {heads = 2 : i64, window = 5 : i64} -> tensor<2x10x8xf32>
  return %y : tensor<2x10x8xf32>
}

// -----

// Hyena by FFT convolution: one slab of [L, 3] channels per iteration of an
// scf.forall over (batch, channel block); the gated input and the filter are
// zero-padded to n = 128 >= 2L - 1; each transform is log2(n) = 7 Stockham
// stages, [64 x 2 x 3], [32 x 2 x 6], ..., [1 x 2 x 192] (the stride and the
// channels as one contiguous dim), each writing into the buffer of the
// stage before the last.
// CHECK-LABEL: func.func @hyena
// CHECK:         scf.forall (%[[B:.+]], %[[CB:.+]]) in (1, 2) shared_outs(%[[SHARED:.+]] = %{{.+}}) -> (tensor<1x64x6xf32>)
// a chunk's channel blocks one after the other (here one block per chunk),
// so that their slab buffers are reused
// CHECK:           %[[CHUNK:.+]] = scf.for %[[CH:.+]] = %c0 to %c3 step %c3 iter_args(%[[ACC:.+]] = %{{.+}}) -> (tensor<1x64x3xf32>)
// CHECK:           %[[GATED:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<64x3xf32>)
// CHECK:           %[[FILTER:.+]] = linalg.transpose ins(%{{.+}} : tensor<3x64xf32>) outs(%{{.+}} : tensor<64x3xf32>) permutation = [1, 0]
// CHECK:           %[[PADDED:.+]] = tensor.pad %[[GATED]] low[0, 0] high[64, 0]
// CHECK:           linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<64x2x3xf32>, tensor<64x2x3xf32>)
// CHECK:           tensor.collapse_shape %[[PADDED]] {{\[}}[0, 1]] : tensor<128x3xf32> into tensor<384xf32>
// CHECK:           linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<32x2x6xf32>, tensor<32x2x6xf32>)
// CHECK:           linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<16x2x12xf32>, tensor<16x2x12xf32>)
// CHECK:           linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<8x2x24xf32>, tensor<8x2x24xf32>)
// CHECK:           linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<4x2x48xf32>, tensor<4x2x48xf32>)
// CHECK:           linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<2x2x96xf32>, tensor<2x2x96xf32>)
// CHECK:           linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<1x2x192xf32>, tensor<1x2x192xf32>)
// The filter's transform, the product of the spectra, the inverse transform:
// CHECK:           tensor.pad %[[FILTER]] low[0, 0] high[64, 0]
// CHECK-COUNT-7:   linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<{{[0-9]+}}x2x{{[0-9]+}}xf32>, tensor<{{[0-9]+}}x2x{{[0-9]+}}xf32>)
// CHECK:           linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<128x3xf32>, tensor<128x3xf32>)
// CHECK-COUNT-7:   linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<{{[0-9]+}}x2x{{[0-9]+}}xf32>, tensor<{{[0-9]+}}x2x{{[0-9]+}}xf32>)
// The first L of the real part, times 1/n, plus skip * u:
// CHECK:           %[[CONV:.+]] = tensor.extract_slice %{{.+}}[0, 0] [64, 3] [1, 1] : tensor<128x3xf32> to tensor<64x3xf32>
// CHECK:           linalg.generic {{.+}} ins(%[[CONV]], %{{.+}}, %[[GATED]] :
// CHECK:             arith.mulf
// CHECK:             tensor.insert_slice %{{.+}} into %[[ACC]][0, 0, %[[CH]]] [1, 64, 3]
// CHECK:           scf.forall.in_parallel
// CHECK-NEXT:        tensor.parallel_insert_slice %[[CHUNK]] into %[[SHARED]][%[[B]], 0, %{{.+}}] [1, 64, 3]
// CHECK-NOT:     attn.hyena
func.func @hyena(%v: tensor<1x64x6xf32>, %g: tensor<2x1x64x6xf32>, %f: tensor<1x6x70xf32>, %s: tensor<1x6xf32>, %init: tensor<1x64x6xf32>) -> tensor<1x64x6xf32> {
  %y = attn.hyena ins(%v, %g, %f, %s : tensor<1x64x6xf32>, tensor<2x1x64x6xf32>, tensor<1x6x70xf32>, tensor<1x6xf32>) outs(%init : tensor<1x64x6xf32>) -> tensor<1x64x6xf32>
  return %y : tensor<1x64x6xf32>
}

// -----

// Axial Combiner, rows of b = 4 (R = 3 rows). Stage one: the engine over each
// row with values [v | k] (Dv = 16), keeping its partial state; the direct
// keys' state (causal within the row) by the engine again; the columns'
// abstractions by the engine over the transposed layout [B, H * b, R, D] =
// [1, 8, 3, 8]; the two states merged by the split-KV rule.
// CHECK-LABEL: func.func @combiner_axial
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (1, 2, 12) step (1, 1, 4) shared_outs({{.+}}) -> (tensor<1x2x12x16xf32>, tensor<1x2x12xf32>, tensor<1x2x12xf32>)
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (1, 2, 12) step (1, 1, 4) shared_outs({{.+}}) -> (tensor<1x2x12x8xf32>, tensor<1x2x12xf32>, tensor<1x2x12xf32>)
// CHECK:         linalg.transpose ins(%{{.+}} : tensor<1x2x3x4x8xf32>) outs(%{{.+}} : tensor<1x2x4x3x8xf32>) permutation = [0, 1, 3, 2, 4]
// CHECK:         tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x4x3x8xf32> into tensor<1x8x3x8xf32>
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (1, 8, 3) step (1, 1, 3) shared_outs({{.+}}) -> (tensor<1x8x3x8xf32>, tensor<1x8x3xf32>, tensor<1x8x3xf32>)
// The column mask is strict: earlier rows only.
// CHECK:               arith.cmpi slt, %{{.+}}, %c3_i64 : i64
// CHECK:               arith.cmpi slt
// CHECK:         linalg.transpose ins(%{{.+}} : tensor<1x2x4x3x8xf32>) outs(%{{.+}} : tensor<1x2x3x4x8xf32>) permutation = [0, 1, 3, 2, 4]
// CHECK:         %[[MERGED:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x2x12x8xf32>)
// CHECK:           arith.maximumf
// CHECK:           math.exp
// CHECK:           arith.divf
// CHECK:         return %[[MERGED]]
// CHECK-NOT:     attn.combiner
func.func @combiner_axial(%q: tensor<1x2x12x8xf32>, %init: tensor<1x2x12x8xf32>) -> tensor<1x2x12x8xf32> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x2x12x8xf32>, tensor<1x2x12x8xf32>, tensor<1x2x12x8xf32>) outs(%init : tensor<1x2x12x8xf32>)
    {variant = #attn.variant<axial>, block = 4 : i64, causal = true} -> tensor<1x2x12x8xf32>
  return %o : tensor<1x2x12x8xf32>
}

// -----

// Logsparse Combiner, L = 6 (3 levels). Per level: the even blocks (a stride-2
// slice) of kbar, and vbar of the even blocks by the engine (one query per
// block: 2 blocks of 2 keys at level 1, 1 block of 4 at level 2). Then one
// scf.forall over (batch, head, row tile of 8 = the power of two >= L) folds
// the levels into each row's online softmax, reading table row
// i floordiv 2^(l+1).
// CHECK-DAG:   #[[LEVEL0:.+]] = affine_map<(d0, d1) -> (d0 floordiv 2, d1)>
// CHECK-DAG:   #[[LEVEL1:.+]] = affine_map<(d0, d1) -> (d0 floordiv 4, d1)>
// CHECK-DAG:   #[[LEVEL2:.+]] = affine_map<(d0, d1) -> (d0 floordiv 8, d1)>
// CHECK-LABEL: func.func @combiner_logsparse
// CHECK:         tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 1, 3, 8] [1, 1, 2, 1] : tensor<1x1x6x8xf32> to tensor<1x1x3x8xf32>
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) in (1, 1, 2) shared_outs({{.+}}) -> ({{.+}}, tensor<1x1x2x8xf32>)
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) in (1, 1, 1) shared_outs({{.+}}) -> ({{.+}}, tensor<1x1x1x8xf32>)
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) in (1, 1, 1) shared_outs({{.+}}) -> (tensor<1x1x8x8xf32>)
// CHECK:           linalg.generic {indexing_maps = [#{{.+}}, #[[LEVEL0]], #{{.+}}], iterator_types = ["parallel", "reduction"]}
// CHECK:           linalg.generic {indexing_maps = [#{{.+}}, #[[LEVEL1]], #{{.+}}], iterator_types = ["parallel", "reduction"]}
// CHECK:             arith.shrui %{{.+}}, %c1_i64
// CHECK:           linalg.generic {indexing_maps = [#{{.+}}, #[[LEVEL2]], #{{.+}}], iterator_types = ["parallel", "reduction"]}
// CHECK:             arith.shrui %{{.+}}, %c2_i64
// CHECK:           scf.forall.in_parallel
// CHECK:         tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 1, 6, 8] [1, 1, 1, 1] : tensor<1x1x8x8xf32> to tensor<1x1x6x8xf32>
// CHECK-NOT:     attn.combiner
func.func @combiner_logsparse(%q: tensor<1x1x6x8xf32>, %init: tensor<1x1x6x8xf32>) -> tensor<1x1x6x8xf32> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>) outs(%init : tensor<1x1x6x8xf32>)
    {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x1x6x8xf32>
  return %o : tensor<1x1x6x8xf32>
}

// -----

// Routed attention with 2-D regions: Q, K and V are permuted region-major
// ([B, H, (RH, hr, RW, wr), D] -> [B, H, (RH, RW, hr, wr), D]) so that each
// region of 2 x 2 tokens is a contiguous tile; the output is permuted back.
// CHECK-LABEL: func.func @routed_2d
// CHECK:         linalg.transpose ins(%{{.+}} : tensor<1x1x2x2x2x2x4xf32>) outs(%{{.+}} : tensor<1x1x2x2x2x2x4xf32>) permutation = [0, 1, 2, 4, 3, 5, 6]
// CHECK:         %[[OUT:.+]]:4 = scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (1, 1, 16) step (1, 1, 4)
// CHECK:             tensor.extract %{{.+}} : tensor<1x4x4xi1>
// CHECK:         %[[GRID:.+]] = tensor.expand_shape %[[OUT]]#3 {{\[}}[0], [1], [2, 3, 4, 5], [6]] output_shape [1, 1, 2, 2, 2, 2, 4]
// CHECK:         linalg.transpose ins(%[[GRID]] : tensor<1x1x2x2x2x2x4xf32>) {{.+}} permutation = [0, 1, 2, 4, 3, 5, 6]
func.func @routed_2d(%q: tensor<1x1x16x4xf32>, %init: tensor<1x1x16x4xf32>) -> tensor<1x1x16x4xf32> {
  %o = attn.routed_attention ins(%q, %q, %q : tensor<1x1x16x4xf32>, tensor<1x1x16x4xf32>, tensor<1x1x16x4xf32>) outs(%init : tensor<1x1x16x4xf32>)
    {topk = 1 : i64, grid = array<i64: 4, 4>, regions = array<i64: 2, 2>} -> tensor<1x1x16x4xf32>
  return %o : tensor<1x1x16x4xf32>
}

// -----

// bf16 with a bf16 bias: the CPU's configuration (tile_element_type = f32)
// widens q once, before the loops, and each K and V tile once per key step
// (no whole f32 copies of K and V), so every tile matmul is f32 x f32; the
// bias stays bf16 and is widened as a tile reads it. The GPU's
// configuration keeps bf16 tiles for the tensor cores.
// CHECK-LABEL: func.func @bf16_widened_once
// CHECK:         linalg.generic {{.+}} ins(%{{.+}} : tensor<1x1x64x16xbf16>) outs(%{{.+}} : tensor<1x1x64x16xf32>)
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      arith.extf %{{.+}} : bf16 to f32
// CHECK:         scf.forall
// CHECK:           scf.for
// CHECK:             %[[KT:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<16x64xbf16>) outs(%{{.+}} : tensor<16x64xf32>)
// CHECK:             %[[V:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<64x16xbf16>) outs(%{{.+}} : tensor<64x16xf32>)
// CHECK:             linalg.generic {{.*}} ins(%{{.+}}, %[[KT]] : tensor<64x16xf32>, tensor<16x64xf32>)
// CHECK:             linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<64x64xf32>, tensor<64x64xbf16>)
// CHECK:               arith.extf %{{.+}} : bf16 to f32
// CHECK:             linalg.generic {{.*}} ins(%{{.+}}, %[[V]] : tensor<64x64xf32>, tensor<64x16xf32>)
// CHECK:           arith.truncf %{{.+}} : f32 to bf16
// CHECK:           scf.forall.in_parallel
// GPU-LABEL: func.func @bf16_widened_once
// GPU-NOT:       arith.extf
// GPU:           attn.partial_attention ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x1x64x16xbf16>, tensor<1x1x64x16xbf16>, tensor<1x1x64x16xbf16>) bias(%{{.+}} : tensor<1x1x64x64xbf16>)
func.func @bf16_widened_once(%q: tensor<1x1x64x16xbf16>, %b: tensor<1x1x64x64xbf16>, %init: tensor<1x1x64x16xbf16>) -> tensor<1x1x64x16xbf16> {
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x64x16xbf16>, tensor<1x1x64x16xbf16>, tensor<1x1x64x16xbf16>)
         bias(%b : tensor<1x1x64x64xbf16>) outs(%init : tensor<1x1x64x16xbf16>) -> tensor<1x1x64x16xbf16>
  return %o : tensor<1x1x64x16xbf16>
}
