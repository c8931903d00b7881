//===- npy-fuzzer.cpp - libFuzzer target for the .npy reader --------------===//
//
// Feeds arbitrary bytes to mixir::npy::parseNpy, the reader behind
// mixir-run's --input and --expect. Every input must either be refused with
// an error or give an array whose byte count matches its shape and type;
// a crash, a hang or a sanitizer report is a bug. A parsed array is also
// written back and read again, which must give the same array.
// Built in the MIXIR_FUZZ build and run by scripts/fuzz.sh.
//
//===----------------------------------------------------------------------===//

#include "mixir/Runtime/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <unistd.h>

/// Reads of more than this are refused, so that a header claiming a huge
/// array costs nothing.
static constexpr uint64_t kMaxBytes = uint64_t(1) << 22;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<mixir::npy::Array> array = mixir::npy::parseNpy(
      llvm::ArrayRef<uint8_t>(data, size), "fuzz input", kMaxBytes);
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  int64_t numel = array->numel();
  if (numel < 0 || uint64_t(numel) * mixir::npy::byteWidth(array->dtype) !=
                       array->bytes.size())
    std::abort(); // An accepted array whose bytes do not match its shape.

  // Round trip through a file.
  static std::string path =
      "/tmp/mixir-npy-fuzzer-" + std::to_string(getpid()) + ".npy";
  if (llvm::Error error = mixir::npy::writeNpy(path, *array)) {
    llvm::consumeError(std::move(error));
    std::abort(); // An array the reader accepted must be writable.
  }
  llvm::Expected<mixir::npy::Array> again =
      mixir::npy::readNpy(path, kMaxBytes);
  if (!again || again->dtype != array->dtype || again->shape != array->shape ||
      again->bytes != array->bytes)
    std::abort();
  return 0;
}
