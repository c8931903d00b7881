// Calls the compiled `model` of dynamic-sizes.mlir (x [B, S, 16] f32 ->
// y [B, S, 8], m [B, 8]) with B and S from the command line through its C
// signature (size parameters after the buffers), on a deterministic input,
// and writes the input and both outputs as .npy files:
//   driver B S x.npy y.npy m.npy
#include "model.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

static bool writeNpy(const char *path, const std::vector<float> &values,
                     const std::vector<long> &shape) {
  std::string dims;
  for (long dim : shape)
    dims += std::to_string(dim) + ", ";
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  FILE *file = std::fopen(path, "wb");
  if (!file)
    return false;
  std::fwrite("\x93NUMPY\x01\x00", 1, 8, file);
  unsigned char length[2] = {static_cast<unsigned char>(dict.size() & 0xFF),
                             static_cast<unsigned char>(dict.size() >> 8)};
  std::fwrite(length, 1, 2, file);
  std::fwrite(dict.data(), 1, dict.size(), file);
  std::fwrite(values.data(), sizeof(float), values.size(), file);
  return std::fclose(file) == 0;
}

int main(int argc, char **argv) {
  if (argc != 6)
    return 2;
  long batch = std::atol(argv[1]), tokens = std::atol(argv[2]);
  std::vector<float> x(batch * tokens * 16), y(batch * tokens * 8, NAN),
      m(batch * 8, NAN);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = std::sin(0.37 * double(i)) + 0.01 * double(i % 7);
  if (model(x.data(), y.data(), m.data(), batch, tokens) != 0)
    return 1;
  return writeNpy(argv[3], x, {batch, tokens, 16}) &&
                 writeNpy(argv[4], y, {batch, tokens, 8}) &&
                 writeNpy(argv[5], m, {batch, 8})
             ? 0
             : 1;
}
