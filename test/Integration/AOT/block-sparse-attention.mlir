// AOT: mixir-compile's object for block_sparse (a per-head layout over blocks that divide neither length), linked with a C shim
// and the generic test driver, gives bit-identical results to mixir-run with
// the same pipeline on the same inputs.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: mixir-compile %s -o %t/model.o --emit-header %t/model.h
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c -include %t/model.h -DMIXIR_ENTRY=block_sparse %S/Inputs/shim.c -o %t/shim.o
// RUN: %cxx %t/shim.o %t/model.o %aot_driver_libs -o %t/driver
// RUN: mixir-run %s --random-inputs --seed 3 --save-inputs %t/in --output %t/jit0.npy --check
// RUN: %t/driver %t/in/arg0.npy %t/in/arg1.npy %t/in/arg2.npy %t/in/arg3.npy %t/aot0.npy
// RUN: cmp %t/jit0.npy %t/aot0.npy

func.func @block_sparse(%q: tensor<1x2x37x16xf32>, %k: tensor<1x1x29x16xf32>, %v: tensor<1x1x29x16xf32>, %layout: tensor<2x5x4xi1>) -> (tensor<1x2x37x16xf32>) {
  %init = tensor.empty() : tensor<1x2x37x16xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x2x37x16xf32>, tensor<1x1x29x16xf32>, tensor<1x1x29x16xf32>, tensor<2x5x4xi1>)
         outs(%init : tensor<1x2x37x16xf32>) {block = array<i64: 8, 8>, causal = #attn.causal<top_left>}
         -> tensor<1x2x37x16xf32>
  return %o : tensor<1x2x37x16xf32>
}
