// convert-attn-tiles-to-gpu: each flash loop of attn-tile (with the GPU's
// tile configuration) becomes a kernel in a gpu.module of its own and a
// gpu.launch_func on the loop's buffers; the key loop runs in the CTA with
// attn-tile's bounds cloned into the kernel. What the GPU does not lower yet
// is a located error (convert-attn-tiles-to-gpu-invalid.mlir).
// RUN: mixir-opt %s -split-input-file -mixir-configure-target=target=nvptx -attn-tile -convert-attn-tiles-to-gpu -canonicalize | FileCheck %s
// RUN: mixir-opt %s -split-input-file -mixir-configure-target="target=nvptx chip=sm_90a" -attn-tile -convert-attn-tiles-to-gpu=chip=sm_90a -canonicalize | FileCheck %s --check-prefix=WGMMA

// f16, bottom-right causal, GQA 2/1, S = 100 (two query tiles), T = 70.
// The host: the inputs as buffers, the output allocated, one launch of
// (query tiles, heads, batch) = (2, 2, 1) CTAs of 128 threads with the
// kernel's dynamic shared memory (Q 64 x 64 and two stages of K and V:
// 40 KiB).
// CHECK-LABEL: func.func @causal
// CHECK-DAG:     %[[Q:.+]] = bufferization.to_buffer %{{.+}} read_only : tensor<1x2x100x64xf16> to memref<1x2x100x64xf16>
// CHECK-DAG:     %[[O:.+]] = memref.alloc() : memref<1x2x100x64xf16>
// CHECK:         gpu.launch_func @causal_kernel::@causal_kernel blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c40960_i32 args(%[[Q]] : memref<1x2x100x64xf16>, %{{.+}} : memref<1x1x70x64xf16>, %{{.+}} : memref<1x1x70x64xf16>, %[[O]] : memref<1x2x100x64xf16>)
// CHECK:         %[[T:.+]] = bufferization.to_tensor %[[O]] restrict writable
// CHECK:         return %[[T]]
// The kernel: one CTA per (batch, head, query tile), the key loop's bounds
// as attn-tile computed them (here min(T, last row + T - S + 1)).
// CHECK:       gpu.module @causal_kernel
// CHECK:         gpu.func @causal_kernel({{.+}}) kernel attributes {known_block_size = array<i32: 128, 1, 1>
// CHECK-DAG:       gpu.block_id  x
// CHECK-DAG:       gpu.block_id  y
// CHECK-DAG:       gpu.block_id  z
// CHECK-DAG:       arith.minsi %{{.+}}, %c70_i64 : i64
// CHECK:           gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// Q and the first key tile by cp.async, then Q's A fragments once.
// CHECK:           nvgpu.device_async_copy %{{.+}} : memref<1x2x100x64xf16> to memref<64x64xf16, #gpu.address_space<workgroup>>
// CHECK:           nvgpu.device_async_wait %{{.+}} {numGroups = 0 : i32}
// CHECK-NEXT:      gpu.barrier
// CHECK:           nvgpu.ldmatrix %{{.+}} {numTiles = 4 : i32, transpose = false} : memref<64x64xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// The key loop: prefetch the next tile, wait for this one, S = Q K^T on
// tensor cores, the online softmax (quad shuffles, ex2), O += P V with V
// read by ldmatrix.trans.
// CHECK:           scf.for
// CHECK:             nvgpu.device_async_copy
// CHECK:             nvgpu.device_async_wait %{{.+}} {numGroups = 1 : i32}
// CHECK-NEXT:        gpu.barrier
// CHECK:             nvgpu.ldmatrix %{{.+}} {numTiles = 4 : i32, transpose = false} : memref<2x64x64xf16
// CHECK:             nvvm.mma.sync {{.+}} {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32)
// CHECK:             gpu.shuffle  xor %{{.+}}, %c1_i32, %c32_i32 : f32
// CHECK:             gpu.shuffle  xor %{{.+}}, %c2_i32, %c32_i32 : f32
// CHECK:             llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK:             nvgpu.ldmatrix %{{.+}} {numTiles = 4 : i32, transpose = true}
// CHECK:             gpu.barrier
// CHECK:             scf.yield
// CHECK:           nvvm.cp.async.wait.group 0
// CHECK:           memref.store %{{.+}} : memref<1x2x100x64xf16>
// On sm_90a the same loop runs on warpgroup MMA (D = 64): 1 KiB more
// shared memory, for the tiles to start on the 128-byte swizzle's 1024-byte
// atoms (the base rounded up at run time); Q, K and V staged in 64-column
// panels; after the copies' wait each thread's proxy fence, then the
// barrier; S = Q K^T as 4 wgmma m64n64k16 from shared memory (the first
// with scale-d zero), both K-major; P stored to shared memory as pairs, a
// proxy fence and a barrier; O += P V as 4 wgmma with an N-major V; each
// group committed and waited for.
// WGMMA-LABEL: func.func @causal
// WGMMA:         gpu.launch_func @causal_kernel::@causal_kernel {{.+}} dynamic_shared_memory_size %c50176_i32
// WGMMA:       gpu.func @causal_kernel
// WGMMA:         %[[SHARED:.+]] = gpu.dynamic_shared_memory
// WGMMA:         memref.extract_aligned_pointer_as_index %[[SHARED]]
// WGMMA:         memref.view %[[SHARED]][%{{.+}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<49152xi8, #gpu.address_space<workgroup>>
// WGMMA:         nvgpu.device_async_copy {{.+}} to memref<1x64x64xf16, #gpu.address_space<workgroup>>
// WGMMA:         nvgpu.device_async_copy {{.+}} to memref<2x1x64x64xf16, #gpu.address_space<workgroup>>
// WGMMA:         nvgpu.device_async_wait
// WGMMA-NEXT:    nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// WGMMA-NEXT:    gpu.barrier
// WGMMA:         scf.for
// WGMMA:           nvgpu.device_async_wait
// WGMMA-NEXT:      nvvm.fence.proxy
// WGMMA-NEXT:      gpu.barrier
// WGMMA:           nvvm.wgmma.fence.aligned
// WGMMA-COUNT-1:   nvvm.wgmma.mma_async {{.+}} <m = 64, n = 64, k = 16>, D[<f32>, <zero>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// WGMMA-COUNT-3:   nvvm.wgmma.mma_async {{.+}} <m = 64, n = 64, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// WGMMA-NEXT:      nvvm.wgmma.commit.group.sync.aligned
// WGMMA-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// WGMMA:           vector.store {{.+}} {alignment = 4 : i64} : memref<1x64x64xf16, #gpu.address_space<workgroup>>, vector<2xf16>
// WGMMA:           nvvm.fence.proxy
// WGMMA-NEXT:      gpu.barrier
// WGMMA-NEXT:      nvvm.wgmma.fence.aligned
// WGMMA-COUNT-4:   nvvm.wgmma.mma_async {{.+}} <m = 64, n = 64, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <row>]
// WGMMA-NEXT:      nvvm.wgmma.commit.group.sync.aligned
// WGMMA-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// WGMMA-NOT:       nvvm.mma.sync
// WGMMA:           scf.yield
func.func @causal(%q: tensor<1x2x100x64xf16>, %k: tensor<1x1x70x64xf16>, %v: tensor<1x1x70x64xf16>) -> tensor<1x2x100x64xf16> {
  %init = tensor.empty() : tensor<1x2x100x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x100x64xf16>, tensor<1x1x70x64xf16>, tensor<1x1x70x64xf16>) outs(%init : tensor<1x2x100x64xf16>) {causal = #attn.causal<bottom_right>} -> tensor<1x2x100x64xf16>
  return %o : tensor<1x2x100x64xf16>
}

// -----

// bf16 takes packed i32 operands; kv_len is read in the kernel for the key
// bounds; the lse is a second output (written by one lane of a quad).
// CHECK-LABEL: func.func @bf16_lse
// At D = 128 on sm_90a: S from 8 k-steps, O from 4 wgmma m64n128k16.
// WGMMA-LABEL: func.func @bf16_lse
// WGMMA-COUNT-8: nvvm.wgmma.mma_async {{.+}} <m = 64, n = 64, k = 16>, {{.+}} A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// WGMMA-COUNT-4: nvvm.wgmma.mma_async {{.+}} <m = 64, n = 128, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>]
// CHECK:         gpu.launch_func @bf16_lse_kernel::@bf16_lse_kernel {{.+}} args({{.+}} : memref<2xi32>, %{{.+}} : memref<2x1x33x128xbf16>, %{{.+}} : memref<2x1x33xf32>)
// CHECK:       gpu.func @bf16_lse_kernel
// CHECK:         memref.load %{{.+}}[%{{.+}}] : memref<2xi32>
// CHECK:         nvvm.mma.sync {{.+}} {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32)
// CHECK:         llvm.call_intrinsic "llvm.nvvm.lg2.approx.ftz.f"
// CHECK:         memref.store %{{.+}} : memref<2x1x33xf32>
func.func @bf16_lse(%q: tensor<2x1x33x128xbf16>, %k: tensor<2x1x47x128xbf16>, %kl: tensor<2xi32>) -> (tensor<2x1x33x128xbf16>, tensor<2x1x33xf32>) {
  %init = tensor.empty() : tensor<2x1x33x128xbf16>
  %li = tensor.empty() : tensor<2x1x33xf32>
  %o, %l = attn.attention ins(%q, %k, %k : tensor<2x1x33x128xbf16>, tensor<2x1x47x128xbf16>, tensor<2x1x47x128xbf16>) kv_len(%kl : tensor<2xi32>) outs(%init, %li : tensor<2x1x33x128xbf16>, tensor<2x1x33xf32>) -> tensor<2x1x33x128xbf16>, tensor<2x1x33xf32>
  return %o, %l : tensor<2x1x33x128xbf16>, tensor<2x1x33xf32>
}

// -----

// A bias of one row per query and key is staged per key tile in shared
// memory with K and V (cp.async, 16-byte chunks, rows padded by one chunk):
// its rows of T = 83 are first padded on the device to 88 (whole chunks) by
// a copy kernel that writes zeros past T. The causal mask is one interval
// of keys per row, turned into the row's bits of the tile (shifted by the
// thread's first column); each score reads its pair of bias values with one
// 32-bit shared load.
// CHECK-LABEL: func.func @staged_bias
// CHECK:         %[[PADDED:.+]] = memref.alloc() : memref<1x2x70x88xf16>
// CHECK:         gpu.launch_func @staged_bias_bias_pad::@staged_bias_bias_pad {{.+}} args(%{{.+}} : memref<1x2x70x83xf16>, %[[PADDED]] : memref<1x2x70x88xf16>)
// CHECK:         gpu.launch_func @staged_bias_kernel::@staged_bias_kernel {{.+}} args({{.+}}, %[[PADDED]] : memref<1x2x70x88xf16>, %{{.+}} : memref<1x2x70x64xf16>)
// CHECK:       gpu.func @staged_bias_kernel({{.+}}) kernel attributes {{{.+}}mixir.aligned_arguments = 4
// CHECK-COUNT-4: nvgpu.device_async_copy %arg3[%c0, %block_id_y, %{{.+}}, %{{.+}}], %{{.+}}[%c0, %{{.+}}, %{{.+}}], 8, %{{.+}} : memref<1x2x70x88xf16> to memref<2x64x72xf16, #gpu.address_space<workgroup>>
// CHECK:         scf.for
// CHECK:           nvgpu.device_async_copy %arg3
// CHECK:           %[[AFTER:.+]] = arith.addi %{{.+}}, %c1_i64 : i64
// CHECK:           %[[END:.+]] = arith.minsi %[[AFTER]], %c83_i64 : i64
// CHECK:           %[[ROWEND:.+]] = arith.select %{{.+}}, %[[END]], %c0_i64 : i64
// CHECK:           %[[SHIFT:.+]] = arith.shli %c1_i64, %{{.+}} : i64
// CHECK:           %[[ROWBITS:.+]] = arith.select %{{.+}}, %c-1_i64, %{{.+}} : i64
// CHECK:           arith.shrui %[[ROWBITS]], %{{.+}} : i64
// CHECK:           nvvm.mma.sync
// CHECK:           vector.load %{{.+}} {alignment = 4 : i64} : memref<2x64x72xf16, #gpu.address_space<workgroup>>, vector<2xf16>
// CHECK:       gpu.module @staged_bias_bias_pad
// CHECK:           %[[INSIDE:.+]] = arith.cmpi ult, %{{.+}}, %c83 : index
// CHECK:           scf.if %[[INSIDE]] -> (f16) {
// CHECK:             memref.load %{{.+}} : memref<1x2x70x83xf16>
// CHECK:           } else {
// CHECK:             scf.yield %cst : f16
// CHECK:           memref.store %{{.+}} : memref<1x2x70x88xf16>
func.func @staged_bias(%q: tensor<1x2x70x64xf16>, %b: tensor<1x2x70x83xf16>, %k: tensor<1x2x83x64xf16>) -> tensor<1x2x70x64xf16> {
  %init = tensor.empty() : tensor<1x2x70x64xf16>
  %o = attn.attention ins(%q, %k, %k : tensor<1x2x70x64xf16>, tensor<1x2x83x64xf16>, tensor<1x2x83x64xf16>) bias(%b : tensor<1x2x70x83xf16>) outs(%init : tensor<1x2x70x64xf16>) {causal = #attn.causal<top_left>} -> tensor<1x2x70x64xf16>
  return %o : tensor<1x2x70x64xf16>
}

// -----

// f32 runs on FMAs: no tensor cores, P through shared memory.
// CHECK-LABEL: func.func @f32_sigmoid
// CHECK:       gpu.func @f32_sigmoid_kernel
// CHECK-NOT:     nvvm.mma.sync
// CHECK:         llvm.intr.fma
// CHECK-NOT:     nvvm.mma.sync
func.func @f32_sigmoid(%q: tensor<1x1x5x16xf32>, %init: tensor<1x1x5x16xf32>) -> tensor<1x1x5x16xf32> {
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x5x16xf32>, tensor<1x1x5x16xf32>, tensor<1x1x5x16xf32>) outs(%init : tensor<1x1x5x16xf32>) {score = #attn.score<sigmoid>} -> tensor<1x1x5x16xf32>
  return %o : tensor<1x1x5x16xf32>
}

// -----

// Block-sparse, blocks of 128 x 128 (two 64 x 64 tiles each way), a layout
// per head: the layout is the kernel's argument after the lengths; the
// threads mark the key tiles whose block's bit is set in shared memory
// (after the tiles: 4 slots and the count, 20 bytes), thread 0 compacts the
// marks into the list, and the key loop and its prefetches visit only
// those: a skipped tile is never loaded.
// CHECK-LABEL: func.func @block_sparse
// CHECK:         %[[LAYOUT:.+]] = bufferization.to_buffer %{{.+}} read_only : tensor<2x1x2xi1> to memref<2x1x2xi1>
// CHECK:         gpu.launch_func @block_sparse_kernel::@block_sparse_kernel {{.+}} dynamic_shared_memory_size %c40980_i32 args({{.+}}, %[[LAYOUT]] : memref<2x1x2xi1>, %{{.+}} : memref<1x2x100x64xf16>)
// CHECK:       gpu.func @block_sparse_kernel({{.+}}, %[[BITS:.+]]: memref<2x1x2xi1>, %{{.+}}: memref<1x2x100x64xf16>)
// CHECK-DAG:     %[[HEAD:.+]] = gpu.block_id  y
// CHECK:         %[[LIST:.+]] = memref.view %{{.+}}[%c40960][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<5xi32, #gpu.address_space<workgroup>>
// CHECK:         scf.for %[[TILE:.+]] = %thread_id_x to %{{.+}} step %c128 {
// CHECK:           %[[KEY:.+]] = arith.muli %[[TILE]], %c64 : index
// CHECK:           %[[KBLOCK:.+]] = arith.divui %[[KEY]], %c128 : index
// CHECK:           %[[BIT:.+]] = memref.load %[[BITS]][%[[HEAD]], %{{.+}}, %[[KBLOCK]]] : memref<2x1x2xi1>
// CHECK:           %[[MARK:.+]] = arith.select %[[BIT]], %{{.+}}, %c-1_i32 : i32
// CHECK:           memref.store %[[MARK]], %[[LIST]][%[[TILE]]]
// CHECK:         gpu.barrier
// CHECK:         scf.if
// CHECK:           %[[LISTED:.+]] = scf.for %{{.+}} = %c0 to %{{.+}} step %c1 iter_args(%[[N:.+]] = %c0) -> (index)
// CHECK:             scf.if
// CHECK:               memref.store %{{.+}}, %[[LIST]][%[[N]]]
// CHECK:           memref.store %{{.+}}, %[[LIST]][%c4]
// CHECK:         gpu.barrier
// CHECK:         %[[COUNT:.+]] = memref.load %[[LIST]][%c4]
// CHECK:         %[[TILES:.+]] = arith.index_cast %[[COUNT]] : i32 to index
// CHECK:         scf.for %{{.+}} = %c0 to %[[TILES]] step %c1
// CHECK:           memref.load %[[LIST]]
// CHECK:           nvgpu.device_async_copy
// CHECK:           nvvm.mma.sync
func.func @block_sparse(%q: tensor<1x2x100x64xf16>, %k: tensor<1x2x200x64xf16>, %layout: tensor<2x1x2xi1>) -> tensor<1x2x100x64xf16> {
  %init = tensor.empty() : tensor<1x2x100x64xf16>
  %o = attn.block_sparse_attention ins(%q, %k, %k, %layout : tensor<1x2x100x64xf16>, tensor<1x2x200x64xf16>, tensor<1x2x200x64xf16>, tensor<2x1x2xi1>) outs(%init : tensor<1x2x100x64xf16>)
    {block = array<i64: 128, 128>} -> tensor<1x2x100x64xf16>
  return %o : tensor<1x2x100x64xf16>
}

// -----

// Routed attention (1-D regions of 128, R = 2): the routing's kernels run
// first: the region means of q and of k (f64 workspaces [B, R, H * D]), then
// one CTA per (query region, batch row) ranks the key regions into the
// layout [B, R, R], which the attention kernel reads per batch row with
// blocks of 128 x 128 (its 64 x 64 tiles inside them).
// CHECK-LABEL: func.func @routed
// D = 16 keeps mma.sync on sm_90a.
// WGMMA-LABEL: func.func @routed
// WGMMA-NOT:   nvvm.wgmma.mma_async
// WGMMA:       nvvm.mma.sync
// WGMMA-NOT:   nvvm.wgmma.mma_async
// WGMMA-LABEL: func.func @routed_grid
// CHECK-DAG:     %[[LAYOUT:.+]] = memref.alloc() : memref<1x2x2xi1>
// CHECK-DAG:     %[[QR:.+]] = memref.alloc() : memref<1x2x32xf64>
// CHECK-DAG:     %[[KR:.+]] = memref.alloc() : memref<1x2x32xf64>
// CHECK:         gpu.launch_func @routed_region_means::@routed_region_means blocks in (%c1, %c2, %c1) threads in (%c128, %c1, %c1) {{.+}} args(%{{.+}} : memref<1x2x256x16xf16>, %[[QR]] : memref<1x2x32xf64>)
// CHECK:         gpu.launch_func @routed_region_means::@routed_region_means {{.+}} args(%{{.+}} : memref<1x2x256x16xf16>, %[[KR]] : memref<1x2x32xf64>)
// CHECK:         gpu.launch_func @routed_routing_topk::@routed_routing_topk blocks in (%c2, %c1, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c16_i32 args(%[[QR]] : memref<1x2x32xf64>, %[[KR]] : memref<1x2x32xf64>, %[[LAYOUT]] : memref<1x2x2xi1>)
// CHECK:         gpu.launch_func @routed_kernel::@routed_kernel blocks in (%c4, %c2, %c1) {{.+}} args({{.+}}, %[[LAYOUT]] : memref<1x2x2xi1>, %{{.+}} : memref<1x2x256x16xf16>)
// The means: one thread per column h * D + d, summing x * (1 / 128) in f64.
// CHECK:       gpu.func @routed_region_means(%{{.+}}: memref<1x2x256x16xf16>, %{{.+}}: memref<1x2x32xf64>) kernel
// CHECK:         scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}) -> (f64)
// CHECK:           arith.extf %{{.+}} : f16 to f32
// CHECK:           arith.extf %{{.+}} : f32 to f64
// CHECK:           arith.mulf %{{.+}}, %cst{{.*}} : f64
// The topk: the affinities into shared memory, a barrier, then each key
// region's rank (larger first, ties to the lower index) against topk = 2.
// CHECK:       gpu.func @routed_routing_topk(%{{.+}}: memref<1x2x32xf64>, %{{.+}}: memref<1x2x32xf64>, %[[OUT:.+]]: memref<1x2x2xi1>) kernel
// CHECK:         memref.store %{{.+}} : memref<2xf64, #gpu.address_space<workgroup>>
// CHECK:         gpu.barrier
// CHECK:           arith.cmpf ogt
// CHECK:           arith.cmpf oeq
// CHECK:         arith.cmpi ult, %{{.+}}, %c2
// CHECK:         memref.store %{{.+}}, %[[OUT]]
// The attention kernel reads the layout bit of (batch row, query region,
// key region).
// CHECK:       gpu.func @routed_kernel
// CHECK:         memref.load %{{.+}} : memref<1x2x2xi1>
func.func @routed(%q: tensor<1x2x256x16xf16>, %k: tensor<1x2x256x16xf16>) -> tensor<1x2x256x16xf16> {
  %init = tensor.empty() : tensor<1x2x256x16xf16>
  %o = attn.routed_attention ins(%q, %k, %k : tensor<1x2x256x16xf16>, tensor<1x2x256x16xf16>, tensor<1x2x256x16xf16>) outs(%init : tensor<1x2x256x16xf16>)
    {topk = 2 : i64, region_size = 128 : i64} -> tensor<1x2x256x16xf16>
  return %o : tensor<1x2x256x16xf16>
}

// -----

// 2-D regions (a 16 x 16 grid in 2 x 2 regions of 8 x 8): q, k and v are
// permuted region-major by a copy kernel (one launch each, one kernel; k
// and v here, one tensor, share a launch), attention runs on the permuted
// buffers, and a second kernel permutes the output back.
// CHECK-LABEL: func.func @routed_grid
// CHECK:         gpu.launch_func @routed_grid_region_means
// CHECK:         gpu.launch_func @routed_grid_region_means
// CHECK:         gpu.launch_func @routed_grid_routing_topk
// CHECK:         gpu.launch_func @routed_grid_transpose::@routed_grid_transpose blocks in (%c16, %c1, %c1) threads in (%c256, %c1, %c1) {{.+}} args(%{{.+}} : memref<1x1x256x16xf32>, %[[PQ:.+]] : memref<1x1x256x16xf32>)
// CHECK:         gpu.launch_func @routed_grid_transpose::@routed_grid_transpose {{.+}} args(%{{.+}} : memref<1x1x256x16xf32>, %[[PK:.+]] : memref<1x1x256x16xf32>)
// CHECK-NOT:     gpu.launch_func @routed_grid_transpose::
// CHECK:         gpu.launch_func @routed_grid_kernel::@routed_grid_kernel {{.+}} args(%[[PQ]] : memref<1x1x256x16xf32>, %[[PK]] : memref<1x1x256x16xf32>, %[[PK]] : memref<1x1x256x16xf32>, %{{.+}} : memref<1x4x4xi1>, %[[PO:.+]] : memref<1x1x256x16xf32>)
// CHECK:         gpu.launch_func @routed_grid_transpose_0::@routed_grid_transpose_0 {{.+}} args(%[[PO]] : memref<1x1x256x16xf32>, %[[O:.+]] : memref<1x1x256x16xf32>)
// CHECK:         %[[T:.+]] = bufferization.to_tensor %[[O]]
// CHECK:         return %[[T]]
// CHECK-NOT:     linalg.transpose
func.func @routed_grid(%q: tensor<1x1x256x16xf32>, %k: tensor<1x1x256x16xf32>) -> tensor<1x1x256x16xf32> {
  %init = tensor.empty() : tensor<1x1x256x16xf32>
  %o = attn.routed_attention ins(%q, %k, %k : tensor<1x1x256x16xf32>, tensor<1x1x256x16xf32>, tensor<1x1x256x16xf32>) outs(%init : tensor<1x1x256x16xf32>)
    {topk = 1 : i64, grid = array<i64: 16, 16>, regions = array<i64: 2, 2>} -> tensor<1x1x256x16xf32>
  return %o : tensor<1x1x256x16xf32>
}

// -----

// Blocks that do not hold whole tiles (16 x 16 in 64 x 64 tiles): every
// thread marks its key tiles that meet a set block (a loop over the 4 x 4
// blocks of the tile), thread 0 compacts the marks into the list; in the
// key loop one thread per query row ORs the row's block bits of the tile
// into an i64 in shared memory (one bit per key), and each score reads its
// bit from its two rows' masks. At D = 128 Q's fragments are read from
// shared memory again per key tile (registers).
// CHECK-LABEL: func.func @small_blocks
// CHECK:         gpu.launch_func @small_blocks_kernel::@small_blocks_kernel blocks in (%c2, %c1, %c1) {{.+}} args({{.+}}, %{{.+}} : memref<1x7x7xi1>, %{{.+}} : memref<1x1x100x128xf16>)
// CHECK:       gpu.func @small_blocks_kernel
// CHECK-DAG:     %[[MASKS:.+]] = memref.view %{{.+}} : memref<?xi8, #gpu.address_space<workgroup>> to memref<64xi64, #gpu.address_space<workgroup>>
// CHECK-DAG:     %[[LIST:.+]] = memref.view %{{.+}} : memref<?xi8, #gpu.address_space<workgroup>> to memref<3xi32, #gpu.address_space<workgroup>>
// CHECK:         scf.for %{{.+}} = %thread_id_x to %{{.+}} step %c128 {
// CHECK:           scf.for {{.+}} -> (i1) {
// CHECK:             scf.for {{.+}} -> (i1) {
// CHECK:               memref.load %{{.+}} : memref<1x7x7xi1>
// CHECK:           memref.store %{{.+}}, %[[LIST]][%{{.+}}]
// CHECK:         gpu.barrier
// CHECK:         scf.if
// CHECK:           scf.for {{.+}} -> (index) {
// CHECK:         scf.for
// CHECK:           scf.if
// CHECK:             scf.for {{.+}} -> (i64) {
// CHECK:               memref.load %{{.+}} : memref<1x7x7xi1>
// CHECK:             memref.store %{{.+}}, %[[MASKS]][%thread_id_x]
// CHECK:           gpu.barrier
// CHECK:           nvgpu.ldmatrix {{.+}} : memref<64x128xf16, #gpu.address_space<workgroup>>
// CHECK:           memref.load %[[MASKS]]
// CHECK:           arith.shrui %{{.+}}, %{{.+}} : i64
func.func @small_blocks(%q: tensor<1x1x100x128xf16>, %layout: tensor<1x7x7xi1>) -> tensor<1x1x100x128xf16> {
  %init = tensor.empty() : tensor<1x1x100x128xf16>
  %o = attn.block_sparse_attention ins(%q, %q, %q, %layout : tensor<1x1x100x128xf16>, tensor<1x1x100x128xf16>, tensor<1x1x100x128xf16>, tensor<1x7x7xi1>) outs(%init : tensor<1x1x100x128xf16>)
    {block = array<i64: 16, 16>} -> tensor<1x1x100x128xf16>
  return %o : tensor<1x1x100x128xf16>
}

// -----

// Tensor ops left on the host become element kernels (one thread per
// element of the result, 256 a CTA), launched where the ops were: a row
// maximum (the init read from the fill's constant, so the fill itself is
// dropped; a loop over the reduced dim in the thread), and a chain of two
// insert_slice ops into an empty tensor as one kernel that reads the slice
// holding each element (nothing read from the empty tensor). (The kernels
// are built consumers first.)
// CHECK-LABEL: func.func @host_ops
// CHECK-NOT:     linalg.
// CHECK-NOT:     tensor.insert_slice
// CHECK:         gpu.launch_func @host_ops_generic::@host_ops_generic blocks in (%c1, %c1, %c1) threads in (%c256, %c1, %c1) {{.+}} args(%{{.+}} : memref<3x5xf32>, %{{.+}} : memref<3xf32>)
// CHECK:         gpu.launch_func @host_ops_insert_slice::@host_ops_insert_slice blocks in (%c1, %c1, %c1) threads in (%c256, %c1, %c1) {{.+}} args(%{{.+}} : memref<3x5xf32>, %{{.+}} : memref<2x5xf32>, %{{.+}} : memref<5x5xf32>)
// CHECK-NOT:   gpu.module @host_ops_fill
// CHECK:       gpu.func @host_ops_insert_slice(%[[TOP:.+]]: memref<3x5xf32>, %[[BOTTOM:.+]]: memref<2x5xf32>, %[[OUT:.+]]: memref<5x5xf32>)
// CHECK:           %[[ROW:.+]] = arith.subi %{{.+}}, %c3 : index
// CHECK:           scf.if %{{.+}} -> (f32) {
// CHECK:             memref.load %[[BOTTOM]][%[[ROW]], %{{.+}}]
// CHECK:           } else {
// CHECK:             memref.load %[[TOP]]
// CHECK:           memref.store %{{.+}}, %[[OUT]]
// CHECK:       gpu.func @host_ops_generic(%[[X:.+]]: memref<3x5xf32>, %[[M:.+]]: memref<3xf32>)
// CHECK-DAG:     %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG:     %[[ID:.+]] = arith.addi %{{.+}}, %thread_id_x : index
// CHECK:         scf.if
// CHECK:           %[[MAX:.+]] = scf.for %[[J:.+]] = %c0 to %c5 step %c1 iter_args(%[[ACC:.+]] = %[[NINF]]) -> (f32) {
// CHECK:             %[[XJ:.+]] = memref.load %[[X]][%[[ID]], %[[J]]]
// CHECK:             arith.maximumf %[[XJ]], %[[ACC]] : f32
// CHECK:           memref.store %[[MAX]], %[[M]][%[[ID]]]
func.func @host_ops(%x: tensor<3x5xf32>, %y: tensor<2x5xf32>) -> (tensor<3xf32>, tensor<5x5xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<3xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<3x5xf32>) outs(%f : tensor<3xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.maximumf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<3xf32>
  %c = tensor.empty() : tensor<5x5xf32>
  %c0 = tensor.insert_slice %x into %c[0, 0] [3, 5] [1, 1] : tensor<3x5xf32> into tensor<5x5xf32>
  %c1 = tensor.insert_slice %y into %c0[3, 0] [2, 5] [1, 1] : tensor<2x5xf32> into tensor<5x5xf32>
  return %m, %c1 : tensor<3xf32>, tensor<5x5xf32>
}

// -----

// The fixed Combiner (f16, causal, L = 40, blocks of 8): stage one's kernel
// (5 segment maxima of q, one query tile, keys [0, 40) by their segment:
// the mask region's interval [8 n, 8 n + 8) per row), then stage two's over
// [k; kbar] (padded to 64 + 5 keys). Its mask region's two intervals per
// row (the own segment's keys up to the row, the earlier segments'
// abstractions) are computed once, a thread a row, into shared memory; its
// two key ranges (the rows' segments from key 0, the abstractions from key
// 64) go into a table in shared memory (first key, tiles before), published
// by a barrier; per key tile the start is looked up in the table and each
// row joins its intervals into its mask bits.
// CHECK-LABEL: func.func @combiner_fixed
// CHECK:         gpu.launch_func @combiner_fixed_kernel::@combiner_fixed_kernel blocks in (%c1, %c2, %c1) {{.+}} args(%{{.+}} : memref<1x2x5x32xf16>, %{{.+}} : memref<1x2x40x32xf16>, %{{.+}} : memref<1x2x40x32xf16>, %{{.+}} : memref<1x2x5x32xf16>)
// CHECK:         gpu.launch_func @combiner_fixed_kernel_0::@combiner_fixed_kernel_0 blocks in (%c1, %c2, %c1) {{.+}} args(%{{.+}} : memref<1x2x40x32xf16>, %{{.+}} : memref<1x2x69x32xf16>, %{{.+}} : memref<1x2x69x32xf16>, %{{.+}} : memref<1x2x40x32xf16>)
// CHECK:       gpu.func @combiner_fixed_kernel(
// CHECK:         arith.muli %{{.+}}, %c8_i64 : i64
// CHECK:       gpu.func @combiner_fixed_kernel_0(
// CHECK:         %[[INTERVALS:.+]] = memref.view {{.+}} to memref<64x4xi32, #gpu.address_space<workgroup>>
// CHECK:         memref.store %{{.+}}, %[[INTERVALS]][%thread_id_x, %c0]
// CHECK:         %[[RANGES:.+]] = memref.view {{.+}} to memref<2x2xi64, #gpu.address_space<workgroup>>
// CHECK:         memref.store %c64_i64, %[[RANGES]][%c1, %c0]
// CHECK:         gpu.barrier
// CHECK:         scf.for
// CHECK:           scf.for %{{.+}} = %c0 to %c2 step %c1 iter_args(%{{.+}} = %c0) -> (index) {
// CHECK:             memref.load %[[RANGES]]
// CHECK:             arith.cmpi uge
// CHECK:           scf.for %{{.+}} = %c0 to %c2 step %c1 iter_args(%{{.+}} = %c0_i64) -> (i64) {
// CHECK:             memref.load %[[INTERVALS]]
func.func @combiner_fixed(%q: tensor<1x2x40x32xf16>, %k: tensor<1x2x40x32xf16>, %v: tensor<1x2x40x32xf16>) -> tensor<1x2x40x32xf16> {
  %init = tensor.empty() : tensor<1x2x40x32xf16>
  %y = attn.combiner ins(%q, %k, %v : tensor<1x2x40x32xf16>, tensor<1x2x40x32xf16>, tensor<1x2x40x32xf16>) outs(%init : tensor<1x2x40x32xf16>) {variant = #attn.variant<fixed>, block = 8 : i64, causal = true} -> tensor<1x2x40x32xf16>
  return %y : tensor<1x2x40x32xf16>
}
