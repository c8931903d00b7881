/* A C program that embeds mixir-compile's GPU output: it loads the kernels
 * and launches one host function. It links against CUDA's stub libcuda.so in
 * the tests (no GPU is needed to link; running it needs one). */
#include "model.h"

int main(void) {
  CUresult status = load_model();
  if (status != CUDA_SUCCESS)
    return 1;
  CUdeviceptr buffers[6] = {0};
  status = f16_small(0, buffers[0], buffers[1], buffers[2], buffers[3],
                     buffers[4]);
  unload_model();
  return status == CUDA_SUCCESS && f16_small_workspace_size() == 0 ? 0 : 2;
}
