// A transformer encoder block (pre-norm: LayerNorm, QKV projection, mixer,
// output projection, residual, LayerNorm, MLP with GELU, residual), d_model
// 256, 4 heads, sequence 512, batch 1, f32. Mixer: full softmax attention, written in TOSA as an exporter emits it (no attn op: attn-raise finds it).
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
    // Multi-head attention as an exporter writes it: attn-raise finds it.
    %18 = "tosa.const"() <{values = dense_resource<qkv_weight> : tensor<1x256x768xf32>}> : () -> tensor<1x256x768xf32>
    %19 = tosa.matmul %17, %18, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x768xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x768xf32>
    %20 = "tosa.const"() <{values = dense_resource<qkv_bias> : tensor<1x1x768xf32>}> : () -> tensor<1x1x768xf32>
    %21 = tosa.add %19, %20 : (tensor<1x512x768xf32>, tensor<1x1x768xf32>) -> tensor<1x512x768xf32>
    %22 = tosa.const_shape {values = dense<[0, 0, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %23 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %24 = tosa.slice %21, %22, %23 : (tensor<1x512x768xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %25 = tosa.const_shape {values = dense<[0, 0, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %26 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %27 = tosa.slice %21, %25, %26 : (tensor<1x512x768xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %28 = tosa.const_shape {values = dense<[0, 0, 512]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %29 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %30 = tosa.slice %21, %28, %29 : (tensor<1x512x768xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %31 = tosa.const_shape {values = dense<[1, 512, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %32 = tosa.reshape %24, %31 : (tensor<1x512x256xf32>, !tosa.shape<4>) -> tensor<1x512x4x64xf32>
    %33 = tosa.transpose %32 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x512x4x64xf32>) -> tensor<1x4x512x64xf32>
    %34 = tosa.const_shape {values = dense<[1, 512, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %35 = tosa.reshape %27, %34 : (tensor<1x512x256xf32>, !tosa.shape<4>) -> tensor<1x512x4x64xf32>
    %36 = tosa.transpose %35 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x512x4x64xf32>) -> tensor<1x4x512x64xf32>
    %37 = tosa.const_shape {values = dense<[1, 512, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %38 = tosa.reshape %30, %37 : (tensor<1x512x256xf32>, !tosa.shape<4>) -> tensor<1x512x4x64xf32>
    %39 = tosa.transpose %38 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x512x4x64xf32>) -> tensor<1x4x512x64xf32>
    %40 = tosa.transpose %36 {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x4x512x64xf32>) -> tensor<1x4x64x512xf32>
    %41 = tosa.const_shape {values = dense<[4, 512, 64]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %42 = tosa.reshape %33, %41 : (tensor<1x4x512x64xf32>, !tosa.shape<3>) -> tensor<4x512x64xf32>
    %43 = tosa.const_shape {values = dense<[4, 64, 512]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %44 = tosa.reshape %40, %43 : (tensor<1x4x64x512xf32>, !tosa.shape<3>) -> tensor<4x64x512xf32>
    %45 = tosa.matmul %42, %44, %2, %2 : (tensor<4x512x64xf32>, tensor<4x64x512xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x512x512xf32>
    %46 = tosa.const_shape {values = dense<[1, 4, 512, 512]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %47 = tosa.reshape %45, %46 : (tensor<4x512x512xf32>, !tosa.shape<4>) -> tensor<1x4x512x512xf32>
    %48 = "tosa.const"() <{values = dense<1.250000000e-01> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
    %49 = tosa.mul %47, %48, %1 : (tensor<1x4x512x512xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x4x512x512xf32>
    %50 = tosa.reduce_max %49 {axis = 3 : i32} : (tensor<1x4x512x512xf32>) -> tensor<1x4x512x1xf32>
    %51 = tosa.sub %49, %50 : (tensor<1x4x512x512xf32>, tensor<1x4x512x1xf32>) -> tensor<1x4x512x512xf32>
    %52 = tosa.exp %51 : (tensor<1x4x512x512xf32>) -> tensor<1x4x512x512xf32>
    %53 = tosa.reduce_sum %52 {axis = 3 : i32} : (tensor<1x4x512x512xf32>) -> tensor<1x4x512x1xf32>
    %54 = tosa.reciprocal %53 : (tensor<1x4x512x1xf32>) -> tensor<1x4x512x1xf32>
    %55 = tosa.mul %52, %54, %1 : (tensor<1x4x512x512xf32>, tensor<1x4x512x1xf32>, tensor<1xi8>) -> tensor<1x4x512x512xf32>
    %56 = tosa.const_shape {values = dense<[4, 512, 512]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %57 = tosa.reshape %55, %56 : (tensor<1x4x512x512xf32>, !tosa.shape<3>) -> tensor<4x512x512xf32>
    %58 = tosa.const_shape {values = dense<[4, 512, 64]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %59 = tosa.reshape %39, %58 : (tensor<1x4x512x64xf32>, !tosa.shape<3>) -> tensor<4x512x64xf32>
    %60 = tosa.matmul %57, %59, %2, %2 : (tensor<4x512x512xf32>, tensor<4x512x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x512x64xf32>
    %61 = tosa.const_shape {values = dense<[1, 4, 512, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %62 = tosa.reshape %60, %61 : (tensor<4x512x64xf32>, !tosa.shape<4>) -> tensor<1x4x512x64xf32>
    %63 = tosa.transpose %62 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x512x64xf32>) -> tensor<1x512x4x64xf32>
    %64 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %65 = tosa.reshape %63, %64 : (tensor<1x512x4x64xf32>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %66 = "tosa.const"() <{values = dense_resource<out_weight> : tensor<1x256x256xf32>}> : () -> tensor<1x256x256xf32>
    %67 = tosa.matmul %65, %66, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x256xf32>
    %68 = "tosa.const"() <{values = dense_resource<out_bias> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %69 = tosa.add %67, %68 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %70 = tosa.add %arg0, %69 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    %71 = "tosa.const"() <{values = dense<3.906250000e-03> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %72 = tosa.reduce_sum %70 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %73 = tosa.mul %72, %71, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %74 = tosa.sub %70, %73 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>) -> tensor<1x512x256xf32>
    %75 = tosa.mul %74, %74, %1 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %76 = tosa.reduce_sum %75 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %77 = tosa.mul %76, %71, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %78 = "tosa.const"() <{values = dense<1.000000000e-05> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %79 = tosa.add %77, %78 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1xf32>
    %80 = tosa.rsqrt %79 : (tensor<1x512x1xf32>) -> tensor<1x512x1xf32>
    %81 = tosa.mul %74, %80, %1 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %82 = "tosa.const"() <{values = dense_resource<ln2_gamma> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %83 = tosa.mul %81, %82, %1 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %84 = "tosa.const"() <{values = dense_resource<ln2_beta> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %85 = tosa.add %83, %84 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %86 = "tosa.const"() <{values = dense_resource<fc1_weight> : tensor<1x256x1024xf32>}> : () -> tensor<1x256x1024xf32>
    %87 = tosa.matmul %85, %86, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x1024xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x1024xf32>
    %88 = "tosa.const"() <{values = dense_resource<fc1_bias> : tensor<1x1x1024xf32>}> : () -> tensor<1x1x1024xf32>
    %89 = tosa.add %87, %88 : (tensor<1x512x1024xf32>, tensor<1x1x1024xf32>) -> tensor<1x512x1024xf32>
    // GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    %90 = tosa.mul %89, %89, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %91 = tosa.mul %90, %89, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %92 = "tosa.const"() <{values = dense<4.471500000e-02> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %93 = tosa.mul %91, %92, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %94 = tosa.add %89, %93 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>) -> tensor<1x512x1024xf32>
    %95 = "tosa.const"() <{values = dense<7.978845608e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %96 = tosa.mul %94, %95, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %97 = "tosa.const"() <{values = dense<5.000000000e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %98 = tosa.mul %89, %97, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %99 = tosa.tanh %96 : (tensor<1x512x1024xf32>) -> tensor<1x512x1024xf32>
    %100 = "tosa.const"() <{values = dense<1.000000000e+00> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %101 = tosa.add %99, %100 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1024xf32>
    %102 = tosa.mul %98, %101, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %103 = "tosa.const"() <{values = dense_resource<fc2_weight> : tensor<1x1024x256xf32>}> : () -> tensor<1x1024x256xf32>
    %104 = tosa.matmul %102, %103, %2, %2 : (tensor<1x512x1024xf32>, tensor<1x1024x256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x256xf32>
    %105 = "tosa.const"() <{values = dense_resource<fc2_bias> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %106 = tosa.add %104, %105 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %107 = tosa.add %70, %106 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    return %107 : tensor<1x512x256xf32>
  }
}
