// AOT: mixir-compile's object for hyena (order 3), linked with a C shim
// and the generic test driver, gives bit-identical results to mixir-run with
// the same pipeline on the same inputs.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: mixir-compile %s -o %t/model.o --emit-header %t/model.h
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c -include %t/model.h -DMIXIR_ENTRY=hyena %S/Inputs/shim.c -o %t/shim.o
// RUN: %cxx %t/shim.o %t/model.o %aot_driver_libs -o %t/driver
// RUN: mixir-run %s --random-inputs --seed 3 --save-inputs %t/in --output %t/jit0.npy --check
// RUN: %t/driver %t/in/arg0.npy %t/in/arg1.npy %t/in/arg2.npy %t/in/arg3.npy %t/aot0.npy
// RUN: cmp %t/jit0.npy %t/aot0.npy

func.func @hyena(%v: tensor<2x31x8xf32>, %gates: tensor<3x2x31x8xf32>, %filters: tensor<2x8x40xf32>, %skip: tensor<2x8xf32>) -> tensor<2x31x8xf32> {
  %init = tensor.empty() : tensor<2x31x8xf32>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x31x8xf32>, tensor<3x2x31x8xf32>, tensor<2x8x40xf32>, tensor<2x8xf32>)
         outs(%init : tensor<2x31x8xf32>) -> tensor<2x31x8xf32>
  return %y : tensor<2x31x8xf32>
}
