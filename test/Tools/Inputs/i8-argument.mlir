// An argument of an element type the C ABI does not offer.
func.func @bytes(%a: tensor<4xi8>) -> tensor<4xi8> {
  return %a : tensor<4xi8>
}
