//===- KernelBundle.h - Triton-compatible kernel artifacts ------*- C++ -*-===//
//
// What mixir-compile --target=nvptx writes for each kernel it emits: a bundle
// in the form of Triton 3.x's ahead-of-time compiler (python/triton/tools/
// compile.py), so that Triton's link.py and the programs built around it
// accept ours unchanged. A kernel K, named `<base>_<hash>_<suffix>`, gets
// K.ptx, K.cubin (when ptxas assembled it), K.json (Triton's metadata plus the
// grid) and a C launcher K.h/K.c that embeds the image, loads it with the
// CUDA driver API and launches it with the grid it was compiled for.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_GPU_KERNELBUNDLE_H
#define MIXIR_TARGET_GPU_KERNELBUNDLE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mixir::gpu {

/// One parameter of a kernel's PTX entry, in order.
struct KernelParam {
  enum class Kind { Pointer, I32, I64, F32 };

  /// The C name of the parameter in the launcher (a C identifier).
  std::string name;
  Kind kind;
  /// The kernel assumes the value is a multiple of 16 (for a pointer: the
  /// address is 16-byte aligned). Triton's `d` specialization.
  bool divisibleBy16 = false;
};

/// A compiled kernel and how to launch it.
struct KernelImage {
  /// The name the bundle starts with ("attention"); a C identifier.
  std::string baseName;
  /// The PTX .entry symbol.
  std::string entry;
  std::vector<KernelParam> params;
  /// Blocks in x, y, z; the launch is one grid of 1-D blocks.
  std::array<uint32_t, 3> grid = {1, 1, 1};
  /// Threads per block are numWarps * 32.
  unsigned numWarps = 4;
  unsigned numStages = 1;
  /// Dynamic shared memory per block, in bytes.
  unsigned sharedBytes = 0;
  /// "sm_80", "sm_90", "sm_90a", ...
  std::string chip;
  /// The PTX module text.
  std::string ptx;
  /// The cubin ptxas made of `ptx` for `chip`; without it the launcher
  /// embeds the PTX and the driver compiles it when the kernel is loaded.
  std::optional<std::string> cubin;
};

/// The C type a parameter has in launcher signatures: CUdeviceptr, int32_t,
/// int64_t or float (one token each, as link.py requires).
llvm::StringRef cParamType(KernelParam::Kind kind);

/// Triton's specialization suffix: every parameter index in order, each
/// followed by `d` when the parameter is divisible by 16 ("0d1d2d3").
std::string kernelSuffix(llvm::ArrayRef<KernelParam> params);

/// The SHA-256 of everything that defines the kernel (entry, parameters,
/// grid, warps, stages, shared memory, chip and PTX; not the cubin, so the
/// name does not depend on whether ptxas ran), as 64 lowercase hex digits.
std::string kernelImageHash(const KernelImage &image);

/// `<base>_<hash>_<suffix>`, where the hash is the first 8 hex digits of
/// kernelImageHash, as in Triton's compile.py.
std::string kernelName(const KernelImage &image);

/// The numeric architecture Triton records for a chip: 80 for sm_80, 90 for
/// both sm_90 and sm_90a (Triton compiles 90 as sm_90a). None if `chip` is
/// not of the form sm_<digits>[a].
std::optional<unsigned> chipArchitecture(llvm::StringRef chip);

/// The artifacts of one kernel.
struct KernelBundle {
  /// K, `<base>_<hash>_<suffix>`; the files are K.ptx, K.cubin, K.json,
  /// K.h and K.c.
  std::string name;
  KernelImage image;
  /// K.json: Triton's metadata (name, hash, num_warps, num_ctas, num_stages,
  /// shared, target {backend, arch, warp_size}) plus grid and chip.
  std::string json;
  /// K.h: the declarations and the `// tt-linker:` line link.py reads.
  std::string header;
  /// K.c: the embedded image, load_K/unload_K and the launcher K.
  std::string source;
};

/// Checks `image` (names are C identifiers, the launch fits the chip, ...)
/// and produces its bundle.
llvm::Expected<KernelBundle> buildKernelBundle(KernelImage image);

/// Writes the bundle's files into `directory` (which must exist); K.cubin
/// only when the image has a cubin.
llvm::Error writeKernelBundle(const KernelBundle &bundle,
                              llvm::StringRef directory);

} // namespace mixir::gpu

#endif // MIXIR_TARGET_GPU_KERNELBUNDLE_H
