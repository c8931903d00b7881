// mixir-memref-copy-to-linalg: a strided memref.copy (which would lower to
// the runner library's memrefCopy) becomes linalg.copy.
// RUN: mixir-opt %s -mixir-memref-copy-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @strided
// CHECK-SAME:    %[[SRC:.+]]: memref<4x4xf32>, %[[DST:.+]]: memref<4x4xf32, strided<[8, 1]>>
// CHECK-NOT:     memref.copy
// CHECK:         linalg.copy ins(%[[SRC]] : memref<4x4xf32>) outs(%[[DST]] : memref<4x4xf32, strided<[8, 1]>>)
func.func @strided(%src: memref<4x4xf32>, %dst: memref<4x4xf32, strided<[8, 1]>>) {
  memref.copy %src, %dst : memref<4x4xf32> to memref<4x4xf32, strided<[8, 1]>>
  return
}
