// A result whose dynamic dim is not the size of any argument dim: the
// caller of the C function could not size the output.
func.func @unbound(%a: tensor<?xf32>, %n: tensor<i64>) -> tensor<?xf32> {
  %v = tensor.extract %n[] : tensor<i64>
  %size = arith.index_cast %v : i64 to index
  %e = tensor.empty(%size) : tensor<?xf32>
  return %e : tensor<?xf32>
}
