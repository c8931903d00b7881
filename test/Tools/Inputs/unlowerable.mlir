// A graph with an op no pass of the CPU pipelines lowers (tosa.custom).
func.func @model(%x: tensor<1x8x8xf32>) -> tensor<1x8x8xf32> {
  %y = tosa.erf %x : (tensor<1x8x8xf32>) -> tensor<1x8x8xf32>
  %z = "tosa.custom"(%y) {domain_name = "acme", operator_name = "magic", implementation_attrs = ""} : (tensor<1x8x8xf32>) -> tensor<1x8x8xf32>
  return %z : tensor<1x8x8xf32>
}
