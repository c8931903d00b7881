// mixir-bind-sizes: the size parameters of a function with dynamic dims
// (one per ? dim of its arguments, in order) and, for each ? dim of a
// result, the parameter it provably equals; a result dim equal to none is
// an error.
// RUN: mixir-opt %s -mixir-bind-sizes -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @bound
// CHECK-SAME: mixir.result_sizes = [array<i64: 1, -1>, array<i64: 2, 1>]
// CHECK-SAME: mixir.size_parameters = array<i64: 0, 0, 1, 0, 1, 1>
func.func @bound(%a: tensor<?x4xf32>, %b: tensor<?x?xf32>) -> (tensor<?x4xf32>, tensor<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %b, %c0 : tensor<?x?xf32>
  %cols = tensor.dim %b, %c1 : tensor<?x?xf32>
  %e = tensor.empty(%rows) : tensor<?x4xf32>
  %t = tensor.empty(%cols, %rows) : tensor<?x?xf32>
  return %e, %t : tensor<?x4xf32>, tensor<?x?xf32>
}

// CHECK-LABEL: func.func @static
// CHECK-NOT: mixir.size_parameters
func.func @static(%a: tensor<2x4xf32>) -> tensor<2x4xf32> {
  return %a : tensor<2x4xf32>
}

// -----

// expected-error @+1 {{cannot export 'unbound': dim 0 of result #0 is dynamic and not provably the size of an argument dim (the caller could not size the output)}}
func.func @unbound(%a: tensor<?xf32>, %n: tensor<i64>) -> tensor<?xf32> {
  %v = tensor.extract %n[] : tensor<i64>
  %size = arith.index_cast %v : i64 to index
  %e = tensor.empty(%size) : tensor<?xf32>
  return %e : tensor<?xf32>
}
