// AOT: mixir-compile's object for attention_f16 (sigmoid score with a bias on f16 inputs), linked with a C shim
// and the generic test driver, gives bit-identical results to mixir-run with
// the same pipeline on the same inputs.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: mixir-compile %s -o %t/model.o --emit-header %t/model.h
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c -include %t/model.h -DMIXIR_ENTRY=attention_f16 %S/Inputs/shim.c -o %t/shim.o
// RUN: %cxx %t/shim.o %t/model.o %aot_driver_libs -o %t/driver
// RUN: mixir-run %s --random-inputs --seed 3 --save-inputs %t/in --output %t/jit0.npy --check
// RUN: %t/driver %t/in/arg0.npy %t/in/arg1.npy %t/in/arg2.npy %t/in/arg3.npy %t/aot0.npy
// RUN: cmp %t/jit0.npy %t/aot0.npy

func.func @attention_f16(%q: tensor<1x4x17x16xf16>, %k: tensor<1x4x13x16xf16>, %v: tensor<1x4x13x16xf16>, %b: tensor<1x4x17x13xf16>) -> (tensor<1x4x17x16xf16>) {
  %init = tensor.empty() : tensor<1x4x17x16xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x17x16xf16>, tensor<1x4x13x16xf16>, tensor<1x4x13x16xf16>) bias(%b : tensor<1x4x17x13xf16>)
         outs(%init : tensor<1x4x17x16xf16>) {score = #attn.score<sigmoid>}
         -> tensor<1x4x17x16xf16>
  return %o : tensor<1x4x17x16xf16>
}
