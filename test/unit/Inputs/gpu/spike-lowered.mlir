module attributes {gpu.container_module} {
  gpu.module @kernels [#nvvm.target<O = 3, chip = "sm_80">] {
    llvm.mlir.global internal @__wg_k_0() {addr_space = 3 : i32} : !llvm.array<4096 x f16>
    llvm.func @k(%arg0: !llvm.ptr, %arg1: !llvm.ptr) attributes {gpu.kernel, gpu.known_block_size = array<i32: 128, 1, 1>, nvvm.kernel, nvvm.maxntid = array<i32: 128, 1, 1>} {
      %0 = llvm.mlir.constant(-1 : i32) : i32
      %1 = llvm.mlir.constant(8 : index) : i64
      %2 = llvm.mlir.constant(0 : i32) : i32
      %3 = llvm.mlir.constant(dense<0.000000e+00> : vector<2x2xf32>) : !llvm.array<2 x vector<2xf32>>
      %4 = llvm.mlir.constant(0 : i64) : i64
      %5 = llvm.mlir.constant(1 : i64) : i64
      %6 = llvm.mlir.poison : vector<2xf32>
      %7 = llvm.mlir.constant(1 : i32) : i32
      %8 = llvm.mlir.constant(32 : i32) : i32
      %9 = llvm.mlir.addressof @__wg_k_0 : !llvm.ptr<3>
      %10 = llvm.mlir.constant(64 : index) : i64
      %11 = llvm.mlir.constant(0 : index) : i64
      %12 = llvm.getelementptr %9[0, 0] : (!llvm.ptr<3>) -> !llvm.ptr<3>, !llvm.array<4096 x f16>
      %13 = nvvm.read.ptx.sreg.tid.x range <i32, 0, 128> : i32
      %14 = llvm.sext %13 : i32 to i64
      %15 = llvm.udiv %14, %1 : i64
      %16 = llvm.urem %14, %1 : i64
      %17 = llvm.mul %16, %1 : i64
      %18 = llvm.mul %15, %10 : i64
      %19 = llvm.add %18, %17 : i64
      %20 = llvm.getelementptr %12[%19] : (!llvm.ptr<3>, i64) -> !llvm.ptr<3>, f16
      %21 = llvm.getelementptr %arg0[%19] : (!llvm.ptr, i64) -> !llvm.ptr, f16
      %22 = llvm.addrspacecast %21 : !llvm.ptr to !llvm.ptr<1>
      nvvm.cp.async.shared.global %20, %22, 16, cache =  ca : !llvm.ptr<3>, !llvm.ptr<1>
      nvvm.cp.async.commit.group
      nvvm.cp.async.wait.group 0
      nvvm.barrier0
      %23 = llvm.mul %16, %10 : i64
      %24 = llvm.add %23, %11 : i64
      %25 = llvm.getelementptr %12[%24] : (!llvm.ptr<3>, i64) -> !llvm.ptr<3>, f16
      %26 = nvvm.ldmatrix %25 {eltType = #nvvm.ld_st_matrix_elt_type<b16>, layout = #nvvm.mma_layout<row>, num = 4 : i32, shape = #nvvm.ld_st_matrix_shape<m = 8, n = 8>} : (!llvm.ptr<3>) -> !llvm.struct<(i32, i32, i32, i32)>
      %27 = llvm.extractvalue %26[0] : !llvm.struct<(i32, i32, i32, i32)> 
      %28 = llvm.bitcast %27 : i32 to vector<2xf16>
      %29 = llvm.extractvalue %26[1] : !llvm.struct<(i32, i32, i32, i32)> 
      %30 = llvm.bitcast %29 : i32 to vector<2xf16>
      %31 = llvm.extractvalue %26[2] : !llvm.struct<(i32, i32, i32, i32)> 
      %32 = llvm.bitcast %31 : i32 to vector<2xf16>
      %33 = llvm.extractvalue %26[3] : !llvm.struct<(i32, i32, i32, i32)> 
      %34 = llvm.bitcast %33 : i32 to vector<2xf16>
      %35 = llvm.add %23, %1 : i64
      %36 = llvm.getelementptr %12[%35] : (!llvm.ptr<3>, i64) -> !llvm.ptr<3>, f16
      %37 = nvvm.ldmatrix %36 {eltType = #nvvm.ld_st_matrix_elt_type<b16>, layout = #nvvm.mma_layout<col>, num = 2 : i32, shape = #nvvm.ld_st_matrix_shape<m = 8, n = 8>} : (!llvm.ptr<3>) -> !llvm.struct<(i32, i32)>
      %38 = llvm.extractvalue %37[0] : !llvm.struct<(i32, i32)> 
      %39 = llvm.bitcast %38 : i32 to vector<2xf16>
      %40 = llvm.extractvalue %37[1] : !llvm.struct<(i32, i32)> 
      %41 = llvm.bitcast %40 : i32 to vector<2xf16>
      %42 = llvm.extractvalue %3[0] : !llvm.array<2 x vector<2xf32>> 
      %43 = llvm.extractelement %42[%4 : i64] : vector<2xf32>
      %44 = llvm.extractelement %42[%5 : i64] : vector<2xf32>
      %45 = llvm.extractvalue %3[1] : !llvm.array<2 x vector<2xf32>> 
      %46 = llvm.extractelement %45[%4 : i64] : vector<2xf32>
      %47 = llvm.extractelement %45[%5 : i64] : vector<2xf32>
      %48 = nvvm.mma.sync A[%28, %30, %32, %34]  B[%39, %41]  C[%43, %44, %46, %47]  {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
      %49 = llvm.extractvalue %48[0] : !llvm.struct<(f32, f32, f32, f32)> 
      %50 = llvm.extractvalue %48[1] : !llvm.struct<(f32, f32, f32, f32)> 
      %51 = llvm.insertelement %49, %6[%2 : i32] : vector<2xf32>
      %52 = llvm.insertelement %50, %51[%7 : i32] : vector<2xf32>
      %53 = llvm.extractelement %52[%4 : i64] : vector<2xf32>
      %54 = llvm.sub %8, %8 : i32
      %55 = llvm.lshr %0, %54 : i32
      %56 = llvm.sub %8, %7 : i32
      %57 = nvvm.shfl.sync  bfly %55, %53, %7, %56 : f32 -> f32
      %58 = llvm.intr.maximum(%53, %57) : (f32, f32) -> f32
      %59 = llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"(%58) : (f32) -> f32
      %60 = llvm.mul %15, %10 overflow<nsw, nuw> : i64
      %61 = llvm.add %60, %17 overflow<nsw, nuw> : i64
      %62 = llvm.getelementptr inbounds|nuw %arg1[%61] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      llvm.store %59, %62 : f32, !llvm.ptr
      llvm.return
    }
  }
}

