//===- TargetDescription.h - the targets Mixir compiles for -----*- C++ -*-===//
//
// One small description per target: which kind (the CPU or NVIDIA GPUs
// through LLVM NVPTX), the processor (a CPU name, a GPU chip), the tile
// configuration it gives the shared loop nests, and the pipeline that
// compiles for it by default. The tools build one from --target, --cpu and
// --chip; the pipeline builders and mixir-configure-target ask it, so no
// pass asks "which target?" through a global.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_TARGETDESCRIPTION_H
#define MIXIR_TARGET_TARGETDESCRIPTION_H

#include "mixir/Dialect/Attn/IR/AttnAttrs.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mixir {

enum class TargetKind { CPU, NVPTX };

struct TargetDescription {
  TargetKind kind = TargetKind::CPU;
  /// The CPU: native, x86-64-v3 or x86-64-v4.
  std::string cpu = "native";
  /// The GPU: sm_80, sm_90 or sm_90a.
  std::string chip = "sm_80";
  /// Tests only: a fault to inject into the GPU kernels
  /// (convert-attn-tiles-to-gpu's test-mutation); empty otherwise.
  std::string kernelTestMutation;

  /// From the tools' --target (cpu, nvptx), --cpu and --chip; an error
  /// names the unknown value and the known ones.
  static llvm::Expected<TargetDescription>
  get(llvm::StringRef target, llvm::StringRef cpu, llvm::StringRef chip);

  /// "cpu" or "nvptx".
  llvm::StringRef name() const;

  /// The tile configuration of this target's loop nests.
  attn::TileConfigAttr tileConfig(mlir::MLIRContext *context) const;

  /// The pipeline a tool uses for this target when none is named.
  llvm::StringRef defaultPipeline() const;

  /// The CPU has AVX-512 (32 vector registers of 16 floats); otherwise the
  /// x86 targets have AVX2 (16 of 8).
  bool hasAVX512() const;

  /// The CPU converts f32 to bf16 in one instruction (AVX-512 BF16); without
  /// it LLVM calls __truncsfbf2, which libgcc and the JIT may lack, so the
  /// pipeline expands the conversion into integer arithmetic instead.
  bool hasNativeBF16Conversion() const;

  /// The PTX ISA version LLVM must at least target for `chip` ("+ptx80" for
  /// sm_90a and the others alike), as gpu-module-to-binary's features.
  llvm::StringRef ptxFeatures() const;
};

/// The C type of a buffer's element type in both targets' headers
/// ("float", "mixir_f16", "int32_t", ...), or an empty string for types the
/// ABI does not cover.
std::string cElementType(mlir::Type type);

/// The most dynamic shared memory a CTA may opt in to on `chip` (CUDA's
/// cudaDevAttrMaxSharedMemoryPerBlockOptin: 163 KiB on sm_80, 227 KiB on
/// sm_90 and sm_90a).
int64_t maxDynamicSharedMemory(llvm::StringRef chip);

/// The CPU names and GPU chips the tools accept.
bool isSupportedCPU(llvm::StringRef cpu);
bool isSupportedChip(llvm::StringRef chip);

} // namespace mixir

#endif // MIXIR_TARGET_TARGETDESCRIPTION_H
