// A TOSA graph with a dynamic batch and sequence (see dynamic-sizes.mlir).
func.func @f(%x: tensor<?x?x16xf32>) -> (tensor<?x?x16xf32>, tensor<?x1x16xf32>) {
  %c = "tosa.const"() <{values = dense<0.5> : tensor<1x1x16xf32>}> : () -> tensor<1x1x16xf32>
  %a = tosa.add %x, %c : (tensor<?x?x16xf32>, tensor<1x1x16xf32>) -> tensor<?x?x16xf32>
  %t = tosa.tanh %a : (tensor<?x?x16xf32>) -> tensor<?x?x16xf32>
  %s = tosa.reduce_sum %t {axis = 1 : i32} : (tensor<?x?x16xf32>) -> tensor<?x1x16xf32>
  return %t, %s : tensor<?x?x16xf32>, tensor<?x1x16xf32>
}
