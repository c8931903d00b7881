//===- AotDriver.cpp - a generic driver for mixir-compile's objects -------===//
//
// The main() of the AOT integration tests: it calls one function of an
// object compiled by mixir-compile through the packed entry point and buffer
// table of its header (bound by a small C shim compiled at test time, see
// test/Integration/AOT/Inputs/shim.c), reading the inputs from .npy files
// and writing the outputs to .npy files.
//
//   driver in0.npy ... inN.npy out0.npy ... outM.npy
//
//===----------------------------------------------------------------------===//

#include "mixir/Runtime/Npy.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
/// Mirrors mixir_buffer_info of the generated header.
struct MixirBufferInfo {
  const char *name;
  const char *type;
  int32_t rank;
  int64_t shape[8];
  int32_t isOutput;
};
int32_t mixir_driver_call(void **buffers);
const MixirBufferInfo *mixir_driver_buffers(int32_t *count);
}

using namespace mixir;

static std::optional<npy::DType> dtypeOf(llvm::StringRef type) {
  if (type == "f32")
    return npy::DType::F32;
  if (type == "f16")
    return npy::DType::F16;
  if (type == "f64")
    return npy::DType::F64;
  if (type == "i32")
    return npy::DType::I32;
  if (type == "i64")
    return npy::DType::I64;
  if (type == "i1")
    return npy::DType::Bool;
  return std::nullopt;
}

static int fail(const llvm::Twine &message) {
  llvm::errs() << "aot-driver: " << message << "\n";
  return 2;
}

int main(int argc, char **argv) {
  int32_t count = 0;
  const MixirBufferInfo *buffers = mixir_driver_buffers(&count);
  if (argc - 1 != count)
    return fail("expected " + llvm::Twine(count) + " .npy paths, got " +
                llvm::Twine(argc - 1));
  std::vector<npy::Array> arrays(count);
  std::vector<void *> pointers(count);
  for (int32_t i = 0; i < count; ++i) {
    const MixirBufferInfo &info = buffers[i];
    std::optional<npy::DType> dtype = dtypeOf(info.type);
    if (!dtype)
      return fail(llvm::Twine("buffer ") + info.name + " has type " +
                  info.type + ", which .npy files cannot hold");
    std::vector<int64_t> shape(info.shape, info.shape + info.rank);
    if (info.isOutput) {
      arrays[i].dtype = *dtype;
      arrays[i].shape = shape;
      // Poisoned: all bits set.
      arrays[i].bytes.assign(arrays[i].numel() * npy::byteWidth(*dtype), 0xFF);
    } else {
      llvm::Expected<npy::Array> array = npy::readNpy(argv[1 + i]);
      if (!array)
        return fail(llvm::toString(array.takeError()));
      if (array->dtype != *dtype || array->shape != shape)
        return fail(llvm::Twine(argv[1 + i]) + " does not match buffer " +
                    info.name);
      arrays[i] = std::move(*array);
    }
    pointers[i] = arrays[i].bytes.data();
  }
  if (int32_t status = mixir_driver_call(pointers.data()))
    return fail("the function returned " + llvm::Twine(status));
  for (int32_t i = 0; i < count; ++i)
    if (buffers[i].isOutput)
      if (llvm::Error error = npy::writeNpy(argv[1 + i], arrays[i]))
        return fail(llvm::toString(std::move(error)));
  return 0;
}
