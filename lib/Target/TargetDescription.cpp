//===- TargetDescription.cpp - the targets Mixir compiles for -------------===//
//
// The CPU and NVPTX target descriptions: names, tile configurations and
// default pipelines.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/TargetDescription.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

using namespace mixir;

bool mixir::isSupportedCPU(llvm::StringRef cpu) {
  return cpu == "native" || cpu == "x86-64-v3" || cpu == "x86-64-v4";
}

bool mixir::isSupportedChip(llvm::StringRef chip) {
  return chip == "sm_80" || chip == "sm_90" || chip == "sm_90a";
}

llvm::Expected<TargetDescription> TargetDescription::get(llvm::StringRef target,
                                                         llvm::StringRef cpu,
                                                         llvm::StringRef chip) {
  TargetDescription description;
  if (target == "cpu")
    description.kind = TargetKind::CPU;
  else if (target == "nvptx")
    description.kind = TargetKind::NVPTX;
  else
    return llvm::createStringError("unknown target '%s' (known: cpu, nvptx)",
                                   target.str().c_str());
  if (!isSupportedCPU(cpu))
    return llvm::createStringError(
        "unsupported --cpu '%s' (expected native, x86-64-v3 or x86-64-v4)",
        cpu.str().c_str());
  if (!isSupportedChip(chip))
    return llvm::createStringError(
        "unsupported --chip '%s' (expected sm_80, sm_90 or sm_90a)",
        chip.str().c_str());
  description.cpu = cpu.str();
  description.chip = chip.str();
  return description;
}

llvm::StringRef TargetDescription::name() const {
  return kind == TargetKind::CPU ? "cpu" : "nvptx";
}

attn::TileConfigAttr
TargetDescription::tileConfig(mlir::MLIRContext *context) const {
  using attn::KeyLayout;
  // Register tiles of the tiles' matmuls: 8 x 32 keeps 16 accumulators in
  // AVX-512's 32 registers; on AVX2 (16 registers) it spills every
  // accumulator at every step, and 4 x 16 (8 accumulators, 2 loads of the
  // right operand and 4 broadcasts of the left per step) is 2.4x faster
  // (bench/RESULTS.md, "Reduced precision, sigmoid and AVX2 register tiles").
  bool avx512 = kind == TargetKind::CPU && hasAVX512();
  int64_t registerRows = avx512 ? 8 : 4, registerCols = avx512 ? 32 : 16;
  // The CPU: Br = Bc = 64 with K transposed once and static (padded)
  // tiles, f16 and bf16 Q widened to f32 per query tile and K, V per key
  // tile (no tile matmul converts per element; the x86 targets have no
  // reduced-precision dot product in use yet), what the vectorizer's 8 x 32
  // register tiles reach 0.8 of SGEMM with on AVX-512 (TOOLCHAIN.md); graph ops
  // in 32 x 128 tiles, long reductions of few outputs (PoNet's means over the
  // sequence) in partial reductions of 1024 steps; Hyena slabs of 4 channels up
  // to 16384-point transforms, 2 beyond, 8 chunks per batch row (measured on 2
  // threads, bench/RESULTS.md).
  auto cpu = attn::TileConfigAttr::get(
      context, /*queryTile=*/64, /*keyTile=*/64, KeyLayout::transposed,
      /*padToTiles=*/true, mlir::Float32Type::get(context), registerRows,
      registerCols,
      /*graphRows=*/32, /*graphCols=*/128, /*graphReductionTile=*/1024,
      /*hyenaFftMinLength=*/64,
      /*hyenaChannelBlock=*/4, /*hyenaLongChannelBlock=*/2,
      /*hyenaLongTransform=*/16384, /*hyenaChunks=*/8);
  if (kind == TargetKind::CPU)
    return cpu;
  // The GPU: one CTA of 4 warps per 64 query rows (16 rows a warp, one m16
  // MMA row block), key tiles of 64 staged in shared memory; K read
  // row-major by ldmatrix in place, border tiles masked in the kernel
  // instead of padded copies. The graph and Hyena fields stay the CPU's
  // until the GPU lowers those ops.
  return cpu.withAttention(/*queryTile=*/64, /*keyTile=*/64,
                           KeyLayout::row_major, /*padToTiles=*/false,
                           /*tileElementType=*/{});
}

llvm::StringRef TargetDescription::defaultPipeline() const {
  return kind == TargetKind::CPU ? "mixir-cpu" : "mixir-gpu";
}

bool TargetDescription::hasAVX512() const {
  if (kind != TargetKind::CPU || cpu == "x86-64-v3")
    return false;
  if (cpu == "x86-64-v4")
    return true;
  return llvm::sys::getHostCPUFeatures().lookup("avx512f");
}

bool TargetDescription::hasNativeBF16Conversion() const {
  if (kind != TargetKind::CPU || cpu != "native")
    return false; // neither x86-64-v3 nor x86-64-v4 includes AVX-512 BF16
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("avx512bf16");
}

llvm::StringRef TargetDescription::ptxFeatures() const {
  // LLVM 22 picks PTX 7.0 for sm_80 and 7.8 for sm_90 by itself; sm_90a
  // (wgmma) needs 8.0. ptxas 13 accepts 7.0 to 9.0, so one version serves.
  return "+ptx80";
}

std::string mixir::cElementType(mlir::Type type) {
  if (type.isF32())
    return "float";
  if (type.isF64())
    return "double";
  if (type.isF16())
    return "mixir_f16";
  if (type.isBF16())
    return "mixir_bf16";
  if (type.isSignlessInteger(1))
    return "bool";
  if (type.isSignlessInteger(32))
    return "int32_t";
  if (type.isSignlessInteger(64))
    return "int64_t";
  return "";
}

int64_t mixir::maxDynamicSharedMemory(llvm::StringRef chip) {
  return chip == "sm_80" ? 166912 : 232448;
}
