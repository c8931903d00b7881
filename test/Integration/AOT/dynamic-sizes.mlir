// A graph with a dynamic batch and sequence (?) compiles to an object whose
// C signature takes their sizes after the buffers; the header gives each
// output's extents in those sizes. The object, called with sizes 3 x 37 and
// 1 x 1, agrees with mixir-run specialized to the same sizes (--sizes).
// RUN: rm -rf %t && mkdir -p %t
// RUN: mixir-compile %s -o %t/model.o --emit-header %t/model.h
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/model.h
// RUN: %cxx -O2 -std=c++17 -I%t %S/Inputs/dynamic-driver.cpp %t/model.o %mixir_object_libs -o %t/driver
// RUN: %t/driver 3 37 %t/x.npy %t/y.npy %t/m.npy
// RUN: mixir-run %s --sizes 3,37 --input %t/x.npy --expect %t/y.npy --expect %t/m.npy | FileCheck %s --check-prefix=MATCH
// RUN: %t/driver 1 1 %t/x1.npy %t/y1.npy %t/m1.npy
// RUN: mixir-run %s --sizes 1,1 --input %t/x1.npy --expect %t/y1.npy --expect %t/m1.npy | FileCheck %s --check-prefix=MATCH
// RUN: bash -c 'mixir-run %s --input %t/x.npy; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=NOSIZES
// The same through TOSA (sizes bound after the TOSA lowering).
// RUN: mixir-compile %S/Inputs/dynamic-tosa.mlir -o %t/tosa.o --emit-header %t/tosa.h
// RUN: FileCheck %s --check-prefix=TOSA --input-file=%t/tosa.h
// RUN: mixir-run %S/Inputs/dynamic-tosa.mlir --sizes 2,5 --random-inputs --output %t/t0.npy --output %t/t1.npy

// HEADER: arg0  in  float[arg0_dim0][arg0_dim1][16]  (f32, arg0_dim0xarg0_dim1x16)
// HEADER: res0  out float[arg0_dim0][arg0_dim1][8]
// HEADER: res1  out float[arg0_dim0][8]
// HEADER: int32_t model(const float *arg0, float *res0, float *res1, int64_t arg0_dim0, int64_t arg0_dim1);
// HEADER: {"arg0", "f32", 3, {-1, -1, 16}, 0},
// MATCH: result #0 vs {{.*}}: {{.*}} ok
// MATCH: result #1 vs {{.*}}: {{.*}} ok
// NOSIZES: mixir-run: error: 'model' has 2 size parameters (arg0_dim0,arg0_dim1): give their values with --sizes, got 0
// NOSIZES-NEXT: exit=2
// TOSA: res1  out float[arg0_dim0][1][16]
// TOSA: int32_t f(const float *arg0, float *res0, float *res1, int64_t arg0_dim0, int64_t arg0_dim1);

#x = affine_map<(b, s, n, k) -> (b, s, k)>
#w = affine_map<(b, s, n, k) -> (k, n)>
#y = affine_map<(b, s, n, k) -> (b, s, n)>
#id = affine_map<(b, s, n) -> (b, s, n)>
#sum = affine_map<(b, s, n) -> (b, n)>
func.func @model(%x: tensor<?x?x16xf32>) -> (tensor<?x?x8xf32>, tensor<?x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[0.5, -0.25, 0.125, 1.0, -1.0, 0.75, 0.0, 0.3],
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [-0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8],
      [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0],
      [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0],
      [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2], [0.3, -0.3, 0.3, -0.3, 0.3, -0.3, 0.3, -0.3],
      [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2], [-0.9, 0.8, -0.7, 0.6, -0.5, 0.4, -0.3, 0.2],
      [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75], [1.5, -1.5, 0.5, -0.5, 0.0, 0.0, 0.1, -0.1],
      [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.11, 0.22, 0.33, 0.44, 0.55, 0.66, 0.77, 0.88],
      [-0.11, 0.22, -0.33, 0.44, -0.55, 0.66, -0.77, 0.88]]> : tensor<16x8xf32>
  %b = tensor.dim %x, %c0 : tensor<?x?x16xf32>
  %s = tensor.dim %x, %c1 : tensor<?x?x16xf32>
  %init = tensor.empty(%b, %s) : tensor<?x?x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<?x?x8xf32>) -> tensor<?x?x8xf32>
  %p = linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x?x16xf32>, tensor<16x8xf32>) outs(%acc : tensor<?x?x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %m = arith.mulf %a, %c : f32
    %r = arith.addf %o, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%p : tensor<?x?x8xf32>) outs(%init : tensor<?x?x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.tanh %a : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %minit = tensor.empty(%b) : tensor<?x8xf32>
  %macc = linalg.fill ins(%zero : f32) outs(%minit : tensor<?x8xf32>) -> tensor<?x8xf32>
  %m = linalg.generic {indexing_maps = [#id, #sum], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%t : tensor<?x?x8xf32>) outs(%macc : tensor<?x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %o, %a : f32
    linalg.yield %r : f32
  } -> tensor<?x8xf32>
  return %t, %m : tensor<?x?x8xf32>, tensor<?x8xf32>
}
