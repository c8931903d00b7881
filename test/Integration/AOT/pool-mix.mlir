// AOT: mixir-compile's object for pool_mix (with v and len), linked with a C shim
// and the generic test driver, gives bit-identical results to mixir-run with
// the same pipeline on the same inputs.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: mixir-compile %s -o %t/model.o --emit-header %t/model.h
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c -include %t/model.h -DMIXIR_ENTRY=pool_mix %S/Inputs/shim.c -o %t/shim.o
// RUN: %cxx %t/shim.o %t/model.o %aot_driver_libs -o %t/driver
// RUN: mixir-run %s --random-inputs --random-lengths --seed 3 --save-inputs %t/in --output %t/jit0.npy --check
// RUN: %t/driver %t/in/arg0.npy %t/in/arg1.npy %t/in/arg2.npy %t/in/arg3.npy %t/in/arg4.npy %t/in/arg5.npy %t/in/arg6.npy %t/in/arg7.npy %t/aot0.npy
// RUN: cmp %t/jit0.npy %t/aot0.npy

func.func @pool_mix(%q: tensor<2x19x12xf32>, %k: tensor<2x19x12xf32>, %o: tensor<2x19x12xf32>, %s: tensor<2x19x12xf32>, %l: tensor<2x19x12xf32>, %seg: tensor<2x19xi32>, %v: tensor<2x19x12xf32>, %n: tensor<2xi32>) -> tensor<2x19x12xf32> {
  %init = tensor.empty() : tensor<2x19x12xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x19x12xf32>, tensor<2x19x12xf32>, tensor<2x19x12xf32>, tensor<2x19x12xf32>, tensor<2x19x12xf32>, tensor<2x19xi32>) v(%v : tensor<2x19x12xf32>) len(%n : tensor<2xi32>)
         outs(%init : tensor<2x19x12xf32>) {heads = 3 : i64} -> tensor<2x19x12xf32>
  return %y : tensor<2x19x12xf32>
}
