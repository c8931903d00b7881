// A transformer encoder block (pre-norm: LayerNorm, QKV projection, mixer,
// output projection, residual, LayerNorm, MLP with GELU, residual), d_model
// 256, 4 heads, sequence 512, batch 1, f32. Mixer: block-sparse attention: sliding window plus a global block (attn.block_sparse_attention).
//
// Weights are module constants given as dense_resource blobs, the way
// exporters write them; the blobs are not kept in the repository:
// examples/encoder/example_weights.cpp appends deterministic ones (the
// build does it, into build/examples/encoder/).
module {
  func.func @encoder(%arg0: tensor<1x512x256xf32>) -> tensor<1x512x256xf32> {
    %1 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %2 = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    // Pre-norm block: x + mixer(LN1(x)), then + MLP(LN2(.)).
    %3 = "tosa.const"() <{values = dense<3.906250000e-03> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %4 = tosa.reduce_sum %arg0 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %5 = tosa.mul %4, %3, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %6 = tosa.sub %arg0, %5 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>) -> tensor<1x512x256xf32>
    %7 = tosa.mul %6, %6, %1 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %8 = tosa.reduce_sum %7 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %9 = tosa.mul %8, %3, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %10 = "tosa.const"() <{values = dense<1.000000000e-05> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %11 = tosa.add %9, %10 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1xf32>
    %12 = tosa.rsqrt %11 : (tensor<1x512x1xf32>) -> tensor<1x512x1xf32>
    %13 = tosa.mul %6, %12, %1 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %14 = "tosa.const"() <{values = dense_resource<ln1_gamma> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %15 = tosa.mul %13, %14, %1 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %16 = "tosa.const"() <{values = dense_resource<ln1_beta> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %17 = tosa.add %15, %16 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    // Sliding window of one block each side plus one global block (rows and columns), blocks of 64.
    %18 = arith.constant dense<[[[true, true, true, true, true, true, true, true], [true, true, true, false, false, false, false, false], [true, true, true, true, false, false, false, false], [true, false, true, true, true, false, false, false], [true, false, false, true, true, true, false, false], [true, false, false, false, true, true, true, false], [true, false, false, false, false, true, true, true], [true, false, false, false, false, false, true, true]]]> : tensor<1x8x8xi1>
    %19 = "tosa.const"() <{values = dense_resource<qkv_weight> : tensor<1x256x768xf32>}> : () -> tensor<1x256x768xf32>
    %20 = tosa.matmul %17, %19, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x768xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x768xf32>
    %21 = "tosa.const"() <{values = dense_resource<qkv_bias> : tensor<1x1x768xf32>}> : () -> tensor<1x1x768xf32>
    %22 = tosa.add %20, %21 : (tensor<1x512x768xf32>, tensor<1x1x768xf32>) -> tensor<1x512x768xf32>
    %23 = tosa.const_shape {values = dense<[0, 0, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %24 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %25 = tosa.slice %22, %23, %24 : (tensor<1x512x768xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %26 = tosa.const_shape {values = dense<[0, 0, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %27 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %28 = tosa.slice %22, %26, %27 : (tensor<1x512x768xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %29 = tosa.const_shape {values = dense<[0, 0, 512]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %30 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %31 = tosa.slice %22, %29, %30 : (tensor<1x512x768xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %32 = tosa.const_shape {values = dense<[1, 512, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %33 = tosa.reshape %25, %32 : (tensor<1x512x256xf32>, !tosa.shape<4>) -> tensor<1x512x4x64xf32>
    %34 = tosa.transpose %33 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x512x4x64xf32>) -> tensor<1x4x512x64xf32>
    %35 = tosa.const_shape {values = dense<[1, 512, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %36 = tosa.reshape %28, %35 : (tensor<1x512x256xf32>, !tosa.shape<4>) -> tensor<1x512x4x64xf32>
    %37 = tosa.transpose %36 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x512x4x64xf32>) -> tensor<1x4x512x64xf32>
    %38 = tosa.const_shape {values = dense<[1, 512, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %39 = tosa.reshape %31, %38 : (tensor<1x512x256xf32>, !tosa.shape<4>) -> tensor<1x512x4x64xf32>
    %40 = tosa.transpose %39 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x512x4x64xf32>) -> tensor<1x4x512x64xf32>
    %41 = tensor.empty() : tensor<1x4x512x64xf32>
    %42 = attn.block_sparse_attention ins(%34, %37, %40, %18 : tensor<1x4x512x64xf32>, tensor<1x4x512x64xf32>, tensor<1x4x512x64xf32>, tensor<1x8x8xi1>) outs(%41 : tensor<1x4x512x64xf32>) {block = array<i64: 64, 64>} -> tensor<1x4x512x64xf32>
    %43 = tosa.transpose %42 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x512x64xf32>) -> tensor<1x512x4x64xf32>
    %44 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %45 = tosa.reshape %43, %44 : (tensor<1x512x4x64xf32>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %46 = "tosa.const"() <{values = dense_resource<out_weight> : tensor<1x256x256xf32>}> : () -> tensor<1x256x256xf32>
    %47 = tosa.matmul %45, %46, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x256xf32>
    %48 = "tosa.const"() <{values = dense_resource<out_bias> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %49 = tosa.add %47, %48 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %50 = tosa.add %arg0, %49 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    %51 = "tosa.const"() <{values = dense<3.906250000e-03> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %52 = tosa.reduce_sum %50 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %53 = tosa.mul %52, %51, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %54 = tosa.sub %50, %53 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>) -> tensor<1x512x256xf32>
    %55 = tosa.mul %54, %54, %1 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %56 = tosa.reduce_sum %55 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %57 = tosa.mul %56, %51, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %58 = "tosa.const"() <{values = dense<1.000000000e-05> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %59 = tosa.add %57, %58 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1xf32>
    %60 = tosa.rsqrt %59 : (tensor<1x512x1xf32>) -> tensor<1x512x1xf32>
    %61 = tosa.mul %54, %60, %1 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %62 = "tosa.const"() <{values = dense_resource<ln2_gamma> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %63 = tosa.mul %61, %62, %1 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %64 = "tosa.const"() <{values = dense_resource<ln2_beta> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %65 = tosa.add %63, %64 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %66 = "tosa.const"() <{values = dense_resource<fc1_weight> : tensor<1x256x1024xf32>}> : () -> tensor<1x256x1024xf32>
    %67 = tosa.matmul %65, %66, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x1024xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x1024xf32>
    %68 = "tosa.const"() <{values = dense_resource<fc1_bias> : tensor<1x1x1024xf32>}> : () -> tensor<1x1x1024xf32>
    %69 = tosa.add %67, %68 : (tensor<1x512x1024xf32>, tensor<1x1x1024xf32>) -> tensor<1x512x1024xf32>
    // GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    %70 = tosa.mul %69, %69, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %71 = tosa.mul %70, %69, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %72 = "tosa.const"() <{values = dense<4.471500000e-02> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %73 = tosa.mul %71, %72, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %74 = tosa.add %69, %73 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>) -> tensor<1x512x1024xf32>
    %75 = "tosa.const"() <{values = dense<7.978845608e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %76 = tosa.mul %74, %75, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %77 = "tosa.const"() <{values = dense<5.000000000e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %78 = tosa.mul %69, %77, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %79 = tosa.tanh %76 : (tensor<1x512x1024xf32>) -> tensor<1x512x1024xf32>
    %80 = "tosa.const"() <{values = dense<1.000000000e+00> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %81 = tosa.add %79, %80 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1024xf32>
    %82 = tosa.mul %78, %81, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %83 = "tosa.const"() <{values = dense_resource<fc2_weight> : tensor<1x1024x256xf32>}> : () -> tensor<1x1024x256xf32>
    %84 = tosa.matmul %82, %83, %2, %2 : (tensor<1x512x1024xf32>, tensor<1x1024x256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x256xf32>
    %85 = "tosa.const"() <{values = dense_resource<fc2_bias> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %86 = tosa.add %84, %85 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %87 = tosa.add %50, %86 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    return %87 : tensor<1x512x256xf32>
  }
}
