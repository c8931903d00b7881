// mixir-expand-bf16: f32 -> bf16 rounding (scalar and vector) becomes
// integer arithmetic, so no __truncsfbf2 call is left; other ops, maximumf
// among them, stay as they are.
// RUN: mixir-opt %s -mixir-expand-bf16 | FileCheck %s

// CHECK-LABEL: func.func @round
// CHECK-NOT:     arith.truncf
// CHECK:         arith.bitcast %{{.+}} : f32 to i32
// CHECK:         arith.shrui
// CHECK:         arith.bitcast %{{.+}} : i16 to bf16
// CHECK:         arith.bitcast %{{.+}} : vector<8xf32> to vector<8xi32>
// CHECK:         arith.maximumf
func.func @round(%x: f32, %v: vector<8xf32>, %y: f32) -> (bf16, vector<8xbf16>, f32) {
  %h = arith.truncf %x : f32 to bf16
  %w = arith.truncf %v : vector<8xf32> to vector<8xbf16>
  %m = arith.maximumf %x, %y : f32
  return %h, %w, %m : bf16, vector<8xbf16>, f32
}
