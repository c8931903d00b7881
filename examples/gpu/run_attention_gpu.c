/* run_attention_gpu.c - runs the kernels mixir-compile wrote for
 * examples/gpu/attention.mlir (--target=nvptx -o DIR --emit-header DIR/model.h)
 * on a GPU: allocates device buffers, launches `prefill` on a stream, and
 * prints one output element. Build: cc -IDIR -I<cuda>/include
 * run_attention_gpu.c DIR/K.c ... -lcuda (every .c file mixir-compile wrote).
 * Without a GPU it links but reports that
 * no device is there (the kernels are checked on the CPU by
 * `mixir-run --target=nvptx --check` instead). */
#include "model.h"

#include <stdio.h>
#include <string.h>

static int check(CUresult status, const char *what) {
  if (status == CUDA_SUCCESS)
    return 0;
  const char *name = "unknown";
  cuGetErrorName(status, &name);
  fprintf(stderr, "%s: %s\n", what, name);
  return 1;
}

int main(void) {
  CUdevice device;
  CUcontext context;
  if (check(cuInit(0), "cuInit") || check(cuDeviceGet(&device, 0), "device") ||
      check(cuCtxCreate(&context, NULL, 0, device), "context"))
    return 1;
  if (check(load_model(), "loading the kernels"))
    return 1;
  /* Shapes from model.h: q [1][8][257][128], k and v [1][2][257][128] (bf16),
   * o like q, lse [1][8][257] (f32). */
  size_t q = 8 * 257 * 128 * 2, kv = 2 * 257 * 128 * 2, lse = 8 * 257 * 4;
  CUdeviceptr dq, dk, dv, dout, dlse, workspace = 0;
  if (check(cuMemAlloc(&dq, q), "alloc") || check(cuMemAlloc(&dk, kv), "alloc") ||
      check(cuMemAlloc(&dv, kv), "alloc") || check(cuMemAlloc(&dout, q), "alloc") ||
      check(cuMemAlloc(&dlse, lse), "alloc"))
    return 1;
  /* bf16 1.0 is 0x3F80: every input element 1, so every output element is 1. */
  if (check(cuMemsetD16(dq, 0x3F80, q / 2), "fill") ||
      check(cuMemsetD16(dk, 0x3F80, kv / 2), "fill") ||
      check(cuMemsetD16(dv, 0x3F80, kv / 2), "fill"))
    return 1;
  if (prefill_workspace_size() != 0 &&
      check(cuMemAlloc(&workspace, prefill_workspace_size()), "workspace"))
    return 1;
  CUstream stream;
  if (check(cuStreamCreate(&stream, 0), "stream") ||
      check(prefill(stream, dq, dk, dv, dout, dlse, workspace), "prefill") ||
      check(cuStreamSynchronize(stream), "synchronize"))
    return 1;
  unsigned short first;
  if (check(cuMemcpyDtoH(&first, dout, sizeof first), "copy"))
    return 1;
  printf("prefill: o[0][0][0][0] = 0x%04x (bf16; 0x3f80 is 1.0)\n", first);
  unload_model();
  cuCtxDestroy(context);
  return first == 0x3F80 ? 0 : 1;
}
