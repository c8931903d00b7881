module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @k(%q: memref<64x64xf16>, %out: memref<64x64xf32>) workgroup(%smem: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %tid = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %row = arith.divui %tid, %c8 : index
      %col8 = arith.remui %tid, %c8 : index
      %col = arith.muli %col8, %c8 : index
      %t = nvgpu.device_async_copy %q[%row, %col], %smem[%row, %col], 8 : memref<64x64xf16> to memref<64x64xf16, #gpu.address_space<workgroup>>
      %g = nvgpu.device_async_create_group %t
      nvgpu.device_async_wait %g {numGroups = 0 : i32}
      gpu.barrier
      %lane = arith.remui %tid, %c8 : index
      %a = nvgpu.ldmatrix %smem[%lane, %c0] {numTiles = 4 : i32, transpose = false} : memref<64x64xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
      %b = nvgpu.ldmatrix %smem[%lane, %c8] {numTiles = 2 : i32, transpose = true} : memref<64x64xf16, #gpu.address_space<workgroup>> -> vector<2x2xf16>
      %cz = arith.constant dense<0.0> : vector<2x2xf32>
      %d = nvgpu.mma.sync(%a, %b, %cz) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
      %e = vector.extract %d[0, 0] : f32 from vector<2x2xf32>
      %c1 = arith.constant 1 : i32
      %w = arith.constant 32 : i32
      %s, %valid = gpu.shuffle xor %e, %c1, %w : f32
      %m = arith.maximumf %e, %s : f32
      %x = llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"(%m) : (f32) -> f32
      memref.store %x, %out[%row, %col] : memref<64x64xf32>
      gpu.return
    }
  }
}
