// mixir-read-only-inputs: every tensor argument of a public function is marked
// non-writable for one-shot bufferization (the C ABI passes `const T *`);
// private functions and non-tensor arguments are left alone.
// RUN: mixir-opt %s -mixir-read-only-inputs | FileCheck %s
// Bufferized: an op that would write into the input in place gets its own
// buffer instead (without the pass, the fill writes into the argument).
// RUN: mixir-opt %s -mixir-read-only-inputs -one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s --check-prefix=BUFFERS

// CHECK-LABEL: func.func @public
// CHECK-SAME:    (%{{.+}}: tensor<4xf32> {bufferization.writable = false}, %{{.+}}: i32)
// BUFFERS-LABEL: func.func @public
// BUFFERS-SAME:    (%[[IN:.+]]: memref<4xf32, strided<[?], offset: ?>>, %{{.+}}: i32)
// BUFFERS:         %[[OWN:.+]] = memref.alloc() {{.*}}: memref<4xf32>
// BUFFERS-NOT:     outs(%[[IN]]
// BUFFERS:         linalg.fill {{.+}} outs(%[[OWN]] : memref<4xf32>)
func.func @public(%x: tensor<4xf32>, %n: i32) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %filled = linalg.fill ins(%zero : f32) outs(%x : tensor<4xf32>) -> tensor<4xf32>
  return %filled : tensor<4xf32>
}

// CHECK-LABEL: func.func private @helper
// CHECK-SAME:    (%{{.+}}: tensor<4xf32>)
// CHECK-NOT:     writable
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
