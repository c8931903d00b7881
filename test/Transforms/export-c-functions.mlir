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

// expected-error @+1 {{cannot export 'dynamic': argument #0 has type 'memref<?xf32>' (expected a static, identity-layout memref)}}
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
