// A transformer encoder block (pre-norm: LayerNorm, QKV projection, mixer,
// output projection, residual, LayerNorm, MLP with GELU, residual), d_model
// 256, 4 heads, sequence 512, batch 1, f32. Mixer: BiFormer routed attention, regions of 64, top 4 (attn.routed_attention).
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
    // BiFormer routing: regions of 64 tokens, each query region attends to its top 4.
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
    %40 = tensor.empty() : tensor<1x4x512x64xf32>
    %41 = attn.routed_attention ins(%33, %36, %39 : tensor<1x4x512x64xf32>, tensor<1x4x512x64xf32>, tensor<1x4x512x64xf32>) outs(%40 : tensor<1x4x512x64xf32>) {topk = 4 : i64, region_size = 64 : i64} -> tensor<1x4x512x64xf32>
    %42 = tosa.transpose %41 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x512x64xf32>) -> tensor<1x512x4x64xf32>
    %43 = tosa.const_shape {values = dense<[1, 512, 256]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %44 = tosa.reshape %42, %43 : (tensor<1x512x4x64xf32>, !tosa.shape<3>) -> tensor<1x512x256xf32>
    %45 = "tosa.const"() <{values = dense_resource<out_weight> : tensor<1x256x256xf32>}> : () -> tensor<1x256x256xf32>
    %46 = tosa.matmul %44, %45, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x256xf32>
    %47 = "tosa.const"() <{values = dense_resource<out_bias> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %48 = tosa.add %46, %47 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %49 = tosa.add %arg0, %48 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    %50 = "tosa.const"() <{values = dense<3.906250000e-03> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %51 = tosa.reduce_sum %49 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %52 = tosa.mul %51, %50, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %53 = tosa.sub %49, %52 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>) -> tensor<1x512x256xf32>
    %54 = tosa.mul %53, %53, %1 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %55 = tosa.reduce_sum %54 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %56 = tosa.mul %55, %50, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %57 = "tosa.const"() <{values = dense<1.000000000e-05> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %58 = tosa.add %56, %57 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1xf32>
    %59 = tosa.rsqrt %58 : (tensor<1x512x1xf32>) -> tensor<1x512x1xf32>
    %60 = tosa.mul %53, %59, %1 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %61 = "tosa.const"() <{values = dense_resource<ln2_gamma> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %62 = tosa.mul %60, %61, %1 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %63 = "tosa.const"() <{values = dense_resource<ln2_beta> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %64 = tosa.add %62, %63 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %65 = "tosa.const"() <{values = dense_resource<fc1_weight> : tensor<1x256x1024xf32>}> : () -> tensor<1x256x1024xf32>
    %66 = tosa.matmul %64, %65, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x1024xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x1024xf32>
    %67 = "tosa.const"() <{values = dense_resource<fc1_bias> : tensor<1x1x1024xf32>}> : () -> tensor<1x1x1024xf32>
    %68 = tosa.add %66, %67 : (tensor<1x512x1024xf32>, tensor<1x1x1024xf32>) -> tensor<1x512x1024xf32>
    // GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    %69 = tosa.mul %68, %68, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %70 = tosa.mul %69, %68, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %71 = "tosa.const"() <{values = dense<4.471500000e-02> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %72 = tosa.mul %70, %71, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %73 = tosa.add %68, %72 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>) -> tensor<1x512x1024xf32>
    %74 = "tosa.const"() <{values = dense<7.978845608e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %75 = tosa.mul %73, %74, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %76 = "tosa.const"() <{values = dense<5.000000000e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %77 = tosa.mul %68, %76, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %78 = tosa.tanh %75 : (tensor<1x512x1024xf32>) -> tensor<1x512x1024xf32>
    %79 = "tosa.const"() <{values = dense<1.000000000e+00> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %80 = tosa.add %78, %79 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1024xf32>
    %81 = tosa.mul %77, %80, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %82 = "tosa.const"() <{values = dense_resource<fc2_weight> : tensor<1x1024x256xf32>}> : () -> tensor<1x1024x256xf32>
    %83 = tosa.matmul %81, %82, %2, %2 : (tensor<1x512x1024xf32>, tensor<1x1024x256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x256xf32>
    %84 = "tosa.const"() <{values = dense_resource<fc2_bias> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %85 = tosa.add %83, %84 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %86 = tosa.add %49, %85 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    return %86 : tensor<1x512x256xf32>
  }
}
