// AOT: mixir-compile's object for attention (GQA 8/2, bottom-right causal with a window, kv_len and q_len, lse, f32), linked with a C shim
// and the generic test driver, gives bit-identical results to mixir-run with
// the same pipeline on the same inputs.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: mixir-compile %s -o %t/model.o --emit-header %t/model.h
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c -include %t/model.h -DMIXIR_ENTRY=attention %S/Inputs/shim.c -o %t/shim.o
// RUN: %cxx %t/shim.o %t/model.o %aot_driver_libs -o %t/driver
// RUN: mixir-run %s --random-inputs --random-lengths --seed 3 --save-inputs %t/in --output %t/jit0.npy --output %t/jit1.npy --check
// RUN: %t/driver %t/in/arg0.npy %t/in/arg1.npy %t/in/arg2.npy %t/in/arg3.npy %t/in/arg4.npy %t/aot0.npy %t/aot1.npy
// RUN: cmp %t/jit0.npy %t/aot0.npy
// RUN: cmp %t/jit1.npy %t/aot1.npy

func.func @attention(%q: tensor<2x8x19x64xf32>, %k: tensor<2x2x23x64xf32>, %v: tensor<2x2x23x32xf32>, %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> (tensor<2x8x19x32xf32>, tensor<2x8x19xf32>) {
  %init = tensor.empty() : tensor<2x8x19x32xf32>
  %linit = tensor.empty() : tensor<2x8x19xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<2x8x19x64xf32>, tensor<2x2x23x64xf32>, tensor<2x2x23x32xf32>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
         outs(%init, %linit : tensor<2x8x19x32xf32>, tensor<2x8x19xf32>) {causal = #attn.causal<bottom_right>, window = array<i64: 7, 0>}
         -> tensor<2x8x19x32xf32>, tensor<2x8x19xf32>
  return %o, %lse : tensor<2x8x19x32xf32>, tensor<2x8x19xf32>
}
