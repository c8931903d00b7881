// A transformer encoder block (pre-norm: LayerNorm, QKV projection, mixer,
// output projection, residual, LayerNorm, MLP with GELU, residual), d_model
// 256, 4 heads, sequence 512, batch 1, f32. Mixer: Hyena of order 2 with its long filters as constants (attn.hyena).
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
    // Hyena of order 2: value and two gates projected, one long causal filter per channel (a constant).
    %18 = "tosa.const"() <{values = dense_resource<hyena_proj_weight> : tensor<1x256x768xf32>}> : () -> tensor<1x256x768xf32>
    %19 = tosa.matmul %17, %18, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x768xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x768xf32>
    %20 = "tosa.const"() <{values = dense_resource<hyena_proj_bias> : tensor<1x1x768xf32>}> : () -> tensor<1x1x768xf32>
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
    %31 = tosa.const_shape {values = dense<[1, 1, 512, 256]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %32 = tosa.reshape %27, %31 : (tensor<1x512x256xf32>, !tosa.shape<4>) -> tensor<1x1x512x256xf32>
    %33 = tosa.const_shape {values = dense<[1, 1, 512, 256]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %34 = tosa.reshape %30, %33 : (tensor<1x512x256xf32>, !tosa.shape<4>) -> tensor<1x1x512x256xf32>
    %35 = tosa.concat %32, %34 {axis = 0 : i32} : (tensor<1x1x512x256xf32>, tensor<1x1x512x256xf32>) -> tensor<2x1x512x256xf32>
    %36 = "tosa.const"() <{values = dense_resource<hyena_filter> : tensor<1x256x512xf32>}> : () -> tensor<1x256x512xf32>
    %37 = "tosa.const"() <{values = dense_resource<hyena_skip_bias> : tensor<1x256xf32>}> : () -> tensor<1x256xf32>
    %38 = tensor.empty() : tensor<1x512x256xf32>
    %39 = attn.hyena ins(%24, %35, %36, %37 : tensor<1x512x256xf32>, tensor<2x1x512x256xf32>, tensor<1x256x512xf32>, tensor<1x256xf32>) outs(%38 : tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    %40 = "tosa.const"() <{values = dense_resource<out_weight> : tensor<1x256x256xf32>}> : () -> tensor<1x256x256xf32>
    %41 = tosa.matmul %39, %40, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x256xf32>
    %42 = "tosa.const"() <{values = dense_resource<out_bias> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %43 = tosa.add %41, %42 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %44 = tosa.add %arg0, %43 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    %45 = "tosa.const"() <{values = dense<3.906250000e-03> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %46 = tosa.reduce_sum %44 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %47 = tosa.mul %46, %45, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %48 = tosa.sub %44, %47 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>) -> tensor<1x512x256xf32>
    %49 = tosa.mul %48, %48, %1 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %50 = tosa.reduce_sum %49 {axis = 2 : i32} : (tensor<1x512x256xf32>) -> tensor<1x512x1xf32>
    %51 = tosa.mul %50, %45, %1 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1xf32>
    %52 = "tosa.const"() <{values = dense<1.000000000e-05> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %53 = tosa.add %51, %52 : (tensor<1x512x1xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1xf32>
    %54 = tosa.rsqrt %53 : (tensor<1x512x1xf32>) -> tensor<1x512x1xf32>
    %55 = tosa.mul %48, %54, %1 : (tensor<1x512x256xf32>, tensor<1x512x1xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %56 = "tosa.const"() <{values = dense_resource<ln2_gamma> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %57 = tosa.mul %55, %56, %1 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>, tensor<1xi8>) -> tensor<1x512x256xf32>
    %58 = "tosa.const"() <{values = dense_resource<ln2_beta> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %59 = tosa.add %57, %58 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %60 = "tosa.const"() <{values = dense_resource<fc1_weight> : tensor<1x256x1024xf32>}> : () -> tensor<1x256x1024xf32>
    %61 = tosa.matmul %59, %60, %2, %2 : (tensor<1x512x256xf32>, tensor<1x256x1024xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x1024xf32>
    %62 = "tosa.const"() <{values = dense_resource<fc1_bias> : tensor<1x1x1024xf32>}> : () -> tensor<1x1x1024xf32>
    %63 = tosa.add %61, %62 : (tensor<1x512x1024xf32>, tensor<1x1x1024xf32>) -> tensor<1x512x1024xf32>
    // GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    %64 = tosa.mul %63, %63, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %65 = tosa.mul %64, %63, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %66 = "tosa.const"() <{values = dense<4.471500000e-02> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %67 = tosa.mul %65, %66, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %68 = tosa.add %63, %67 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>) -> tensor<1x512x1024xf32>
    %69 = "tosa.const"() <{values = dense<7.978845608e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %70 = tosa.mul %68, %69, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %71 = "tosa.const"() <{values = dense<5.000000000e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %72 = tosa.mul %63, %71, %1 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %73 = tosa.tanh %70 : (tensor<1x512x1024xf32>) -> tensor<1x512x1024xf32>
    %74 = "tosa.const"() <{values = dense<1.000000000e+00> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %75 = tosa.add %73, %74 : (tensor<1x512x1024xf32>, tensor<1x1x1xf32>) -> tensor<1x512x1024xf32>
    %76 = tosa.mul %72, %75, %1 : (tensor<1x512x1024xf32>, tensor<1x512x1024xf32>, tensor<1xi8>) -> tensor<1x512x1024xf32>
    %77 = "tosa.const"() <{values = dense_resource<fc2_weight> : tensor<1x1024x256xf32>}> : () -> tensor<1x1024x256xf32>
    %78 = tosa.matmul %76, %77, %2, %2 : (tensor<1x512x1024xf32>, tensor<1x1024x256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x512x256xf32>
    %79 = "tosa.const"() <{values = dense_resource<fc2_bias> : tensor<1x1x256xf32>}> : () -> tensor<1x1x256xf32>
    %80 = tosa.add %78, %79 : (tensor<1x512x256xf32>, tensor<1x1x256xf32>) -> tensor<1x512x256xf32>
    %81 = tosa.add %44, %80 : (tensor<1x512x256xf32>, tensor<1x512x256xf32>) -> tensor<1x512x256xf32>
    return %81 : tensor<1x512x256xf32>
  }
}
