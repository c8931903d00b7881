// mixir-approximate-math: f32 exp and log, scalar and vector, become
// polynomials (no math op left to turn into a libm call).
// RUN: mixir-opt %s -mixir-approximate-math | FileCheck %s

// CHECK-LABEL: func.func @exp_log
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.log
// CHECK:         math.fma
// CHECK:         return
func.func @exp_log(%x: f32, %v: vector<8xf32>) -> (f32, vector<8xf32>) {
  %e = math.exp %x : f32
  %l = math.log %e : f32
  %ve = math.exp %v : vector<8xf32>
  return %l, %ve : f32, vector<8xf32>
}
