// The kernel interpreter catches the faults a GPU kernel can have: each
// mutation is injected into the kernels (convert-attn-tiles-to-gpu's
// test-mutation) and must make the run fail, by its numbers (--check) or by
// the interpreter's error naming the op:
// - a wrong fragment-layout table (the accumulator's row halves swapped):
//   the emitter agrees with itself, the interpreter's ISA-derived mma and
//   ldmatrix do not;
// - a missing barrier between a key tile's cp.async wait and its reads by
//   other threads: a data race;
// - a missing cp.async wait: a read of a copy's destination before it lands;
// - a missing rescale of the running sum and output: wrong results once a
//   later key tile raises a row's maximum;
// - (sm_90a) a missing proxy fence before wgmma reads shared memory.
// The unmutated kernels pass on the same inputs.
// RUN: mixir-run %s --target=nvptx --entry f16 --random-inputs --random-scale 3,3,1 --seed 7 --check | FileCheck %s --check-prefix=PASS
// RUN: mixir-run %s --target=nvptx --entry f32 --random-inputs --random-scale 3,3,1 --seed 7 --check | FileCheck %s --check-prefix=PASS
// PASS-NOT: FAILED
// PASS: ok

// RUN: not mixir-run %s --target=nvptx --entry f16 --random-inputs --seed 7 --check --gpu-test-mutation=fragment-layout | FileCheck %s --check-prefix=NUMBERS
// RUN: not mixir-run %s --target=nvptx --entry f16 --random-inputs --random-scale 3,3,1 --seed 7 --check --gpu-test-mutation=no-rescale | FileCheck %s --check-prefix=NUMBERS
// RUN: not mixir-run %s --target=nvptx --entry f32 --random-inputs --random-scale 3,3,1 --seed 7 --check --gpu-test-mutation=no-rescale | FileCheck %s --check-prefix=NUMBERS
// NUMBERS: result #0: {{.*}} FAILED

// RUN: not mixir-run %s --target=nvptx --entry f16 --random-inputs --seed 7 --check --gpu-test-mutation=no-barrier 2>&1 | FileCheck %s --check-prefix=RACE
// RUN: not mixir-run %s --target=nvptx --entry f32 --random-inputs --seed 7 --check --gpu-test-mutation=no-barrier 2>&1 | FileCheck %s --check-prefix=RACE
// RACE: mixir-run: error: interpreting '{{f16|f32}}': kernel '{{f16|f32}}_kernel': {{.*}}mutations.mlir{{.*}}: '{{nvvm.ldmatrix|llvm.load}}' {{.*}} data race: reads a byte that thread ({{[0-9]+}},0,0) wrote since the last barrier

// RUN: not mixir-run %s --target=nvptx --entry f16 --random-inputs --seed 7 --check --gpu-test-mutation=no-async-wait 2>&1 | FileCheck %s --check-prefix=WAIT
// RUN: not mixir-run %s --target=nvptx --entry f32 --random-inputs --seed 7 --check --gpu-test-mutation=no-async-wait 2>&1 | FileCheck %s --check-prefix=WAIT
// WAIT: mixir-run: error: interpreting '{{f16|f32}}': kernel '{{f16|f32}}_kernel': {{.*}}: '{{nvvm.ldmatrix|llvm.load}}' {{.*}} shared-memory read of a cp.async destination before its wait

// The warpgroup-MMA kernel (sm_90a): the same faults, caught at the wgmma
// that reads the shared memory; and a missing fence.proxy.async after the
// threads' writes to shared memory (cp.async, P's stores), which the
// interpreter tracks per byte until the writer's fence.
// RUN: mixir-run %s --target=nvptx --chip=sm_90a --entry f16 --random-inputs --random-scale 3,3,1 --seed 7 --check | FileCheck %s --check-prefix=PASS
// RUN: not mixir-run %s --target=nvptx --chip=sm_90a --entry f16 --random-inputs --random-scale 3,3,1 --seed 7 --check --gpu-test-mutation=no-rescale | FileCheck %s --check-prefix=NUMBERS
// RUN: not mixir-run %s --target=nvptx --chip=sm_90a --entry f16 --random-inputs --seed 7 --check --gpu-test-mutation=no-barrier 2>&1 | FileCheck %s --check-prefix=WGRACE
// WGRACE: mixir-run: error: interpreting 'f16': kernel 'f16_kernel': {{.*}}mutations.mlir{{.*}}: 'nvvm.wgmma.mma_async' B of wgmma.mma_async at shared memory + {{[0-9]+}}: data race: reads a byte that thread ({{[0-9]+}},0,0) wrote since the last barrier
// RUN: not mixir-run %s --target=nvptx --chip=sm_90a --entry f16 --random-inputs --seed 7 --check --gpu-test-mutation=no-async-wait 2>&1 | FileCheck %s --check-prefix=WGWAIT
// WGWAIT: mixir-run: error: interpreting 'f16': kernel 'f16_kernel': {{.*}}: 'nvvm.wgmma.mma_async' B of wgmma.mma_async at shared memory + {{[0-9]+}}: shared-memory read of a cp.async destination before its wait
// RUN: not mixir-run %s --target=nvptx --chip=sm_90a --entry f16 --random-inputs --seed 7 --check --gpu-test-mutation=no-proxy-fence 2>&1 | FileCheck %s --check-prefix=FENCE
// FENCE: mixir-run: error: interpreting 'f16': kernel 'f16_kernel': {{.*}}: 'nvvm.wgmma.mma_async' A of wgmma.mma_async at shared memory + {{[0-9]+}} was written through the generic proxy by thread ({{[0-9]+}},0,0) with no fence.proxy.async by the writer since

// RUN: not mixir-run %s --target=nvptx --entry f16 --random-inputs --gpu-test-mutation=no-such-fault 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: unknown test-mutation 'no-such-fault'

func.func @f16(%q: tensor<1x2x70x64xf16>, %k: tensor<1x2x300x64xf16>, %v: tensor<1x2x300x64xf16>) -> tensor<1x2x70x64xf16> {
  %init = tensor.empty() : tensor<1x2x70x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x70x64xf16>, tensor<1x2x300x64xf16>, tensor<1x2x300x64xf16>) outs(%init : tensor<1x2x70x64xf16>) -> tensor<1x2x70x64xf16>
  return %o : tensor<1x2x70x64xf16>
}

func.func @f32(%q: tensor<1x2x70x32xf32>, %k: tensor<1x2x300x32xf32>, %v: tensor<1x2x300x32xf32>) -> tensor<1x2x70x32xf32> {
  %init = tensor.empty() : tensor<1x2x70x32xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x70x32xf32>, tensor<1x2x300x32xf32>, tensor<1x2x300x32xf32>) outs(%init : tensor<1x2x70x32xf32>) -> tensor<1x2x70x32xf32>
  return %o : tensor<1x2x70x32xf32>
}
