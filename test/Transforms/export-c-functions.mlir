// mixir-export-c-functions: each public function becomes an internal
// implementation and a public wrapper with an i32 status.
// RUN: mixir-opt %s -mixir-export-c-functions -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func private @__mixir_impl_scale
// CHECK-SAME:    (%{{.+}}: memref<4xf32>, %{{.+}}: memref<4xf32>) attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK:       func.func @scale(%[[IN:.+]]: memref<4xf32>, %[[OUT:.+]]: memref<4xf32>) -> i32
// CHECK-NEXT:    call @__mixir_impl_scale(%[[IN]], %[[OUT]]) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT:    %[[OK:.+]] = arith.constant 0 : i32
// CHECK-NEXT:    return %[[OK]] : i32
// Private functions and declarations stay as they are.
// CHECK:       func.func private @helper
// CHECK:       func.func private @external
func.func @scale(%in: memref<4xf32>, %out: memref<4xf32>) {
  memref.copy %in, %out : memref<4xf32> to memref<4xf32>
  return
}
func.func private @helper(%in: memref<4xf32>) {
  return
}
func.func private @external(memref<4xf32>)

// -----

// expected-error @+1 {{cannot export 'dynamic': argument #0 has type 'memref<?xf32>' (expected an identity-layout memref, static unless the function has size parameters)}}
func.func @dynamic(%in: memref<?xf32>) {
  return
}

// -----

// expected-error @+1 {{cannot export 'returns': it still returns values after bufferization}}
func.func @returns(%in: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %x = memref.load %in[%c0] : memref<4xf32>
  return %x : f32
}

// -----

// Size parameters (recorded by mixir-bind-sizes): buffers with a ? dim come
// in as bare pointers (0-d memrefs) and are rebuilt from the sizes that
// follow them; the body moves into the wrapper.
// CHECK-LABEL: func.func @rows(%{{.+}}: memref<f32>, %{{.+}}: memref<f32>, %{{.+}}: i64) -> i32
// CHECK:         %[[N:.+]] = arith.index_cast %{{.+}} : i64 to index
// CHECK:         %[[IN:.+]] = memref.reinterpret_cast %{{.+}} to offset: [0], sizes: [%[[N]], 4], strides: [4, 1] : memref<f32> to memref<?x4xf32>
// CHECK:         %[[OUT:.+]] = memref.reinterpret_cast %{{.+}} to offset: [0], sizes: [%{{.+}}, 4], strides: [4, 1] : memref<f32> to memref<?x4xf32>
// CHECK:         memref.copy %[[IN]], %[[OUT]]
// CHECK-NOT:     call
// CHECK:         return %{{.+}} : i32
// CHECK-NOT:     __mixir_impl_rows
func.func @rows(%in: memref<?x4xf32>, %out: memref<?x4xf32>) attributes {mixir.size_parameters = array<i64: 0, 0>, mixir.result_sizes = [array<i64: 0, -1>]} {
  memref.copy %in, %out : memref<?x4xf32> to memref<?x4xf32>
  return
}
