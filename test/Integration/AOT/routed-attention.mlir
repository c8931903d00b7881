// AOT: mixir-compile's object for routed (2-D regions), linked with a C shim
// and the generic test driver, gives bit-identical results to mixir-run with
// the same pipeline on the same inputs.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: mixir-compile %s -o %t/model.o --emit-header %t/model.h
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c -include %t/model.h -DMIXIR_ENTRY=routed %S/Inputs/shim.c -o %t/shim.o
// RUN: %cxx %t/shim.o %t/model.o %aot_driver_libs -o %t/driver
// RUN: mixir-run %s --random-inputs --seed 3 --save-inputs %t/in --output %t/jit0.npy --check
// RUN: %t/driver %t/in/arg0.npy %t/in/arg1.npy %t/in/arg2.npy %t/aot0.npy
// RUN: cmp %t/jit0.npy %t/aot0.npy

func.func @routed(%q: tensor<1x2x36x16xf32>, %k: tensor<1x2x36x16xf32>, %v: tensor<1x2x36x16xf32>) -> tensor<1x2x36x16xf32> {
  %init = tensor.empty() : tensor<1x2x36x16xf32>
  %y = attn.routed_attention ins(%q, %k, %v : tensor<1x2x36x16xf32>, tensor<1x2x36x16xf32>, tensor<1x2x36x16xf32>)
         outs(%init : tensor<1x2x36x16xf32>) {topk = 2 : i64, grid = array<i64: 6, 6>, regions = array<i64: 3, 2>} -> tensor<1x2x36x16xf32>
  return %y : tensor<1x2x36x16xf32>
}
