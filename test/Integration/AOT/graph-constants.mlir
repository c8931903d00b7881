// Weights as module constants, both as exporters write them: a dense<...>
// literal and a dense_resource blob. mixir-compile embeds them in the
// object's read-only data (no writable copy, nothing to pass at run time),
// and the compiled graph computes what the reference pipeline computes.
// RUN: rm -rf %t && mkdir -p %t
// RUN: mixir-compile %s -o %t/model.o --emit-header %t/model.h
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/model.h
// RUN: readelf -S -W %t/model.o | FileCheck %s --check-prefix=SECTIONS
// RUN: mixir-run %s --entry model --random-inputs --seed 7 --pipeline mixir-cpu-reference --save-inputs %t --output %t/reference.npy
// RUN: mixir-run %s --entry model --input %t/arg0.npy --expect %t/reference.npy | FileCheck %s --check-prefix=MATCH

// The weights are not parameters.
// HEADER: int32_t model(const float *arg0, float *res0);
// No writable data section holds them.
// SECTIONS: .rodata
// SECTIONS-NOT: {{ \.data }}
// MATCH: result #0 vs {{.*}}reference.npy: {{.*}} ok

func.func @model(%x: tensor<1x4x8xf32>) -> tensor<1x4x6xf32> {
  %w = "tosa.const"() <{values = dense<[[[0.246, 0.484, 0.59, 0.885, 0.48, 0.845], [-0.942, -0.069, 0.887, 0.298, 0.802, -0.774], [-0.062, -0.507, 0.088, 0.148, -0.974, -0.567], [-0.441, 0.833, 0.531, -0.681, 0.594, -0.722], [0.235, -0.747, -0.996, 0.743, -0.581, -0.569], [0.965, 0.745, -0.421, 0.923, 0.078, 0.356], [-0.59, 0.882, 0.381, 0.933, 0.787, -0.402], [-0.278, -0.668, -0.709, -0.87, -0.397, 0.206]]]> : tensor<1x8x6xf32>}> : () -> tensor<1x8x6xf32>
  %b = "tosa.const"() <{values = dense_resource<bias_blob> : tensor<1x1x6xf32>}> : () -> tensor<1x1x6xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x6xf32>
  %z = tosa.add %y, %b : (tensor<1x4x6xf32>, tensor<1x1x6xf32>) -> tensor<1x4x6xf32>
  return %z : tensor<1x4x6xf32>
}

{-#
  dialect_resources: {
    builtin: {
      bias_blob: "0x040000003F357EBFA245B63E54E3A5BE5C8FC2BE6F12233F77BE1FBD"
    }
  }
#-}
