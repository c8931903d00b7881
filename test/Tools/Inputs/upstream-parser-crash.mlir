// MLIR 22's linalg.transpose parser crashes (a null attribute) when its
// `permutation` list is broken: found by the mlir fuzzer.
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %t = linalg.transpose ins(%a : tensor<2x3xf32>) outs(%b : tensor<3x2xf32>) permutation = [ x
  return %t : tensor<3x2xf32>
}
