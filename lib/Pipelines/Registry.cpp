//===- Registry.cpp - the named pipelines ---------------------------------===//
//
// The table of Mixir's named pipelines, the choice of one for a target, and
// their registration with mixir-opt.
//
//===----------------------------------------------------------------------===//

#include "mixir/Pipelines/Pipelines.h"

#include "mixir/Target/Passes.h"

#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

void mixir::addConfigureTarget(OpPassManager &pm,
                               const TargetDescription &target) {
  mixir::MixirConfigureTargetOptions options;
  options.target = target.name().str();
  options.cpu = target.cpu;
  options.chip = target.chip;
  pm.addPass(mixir::createMixirConfigureTarget(options));
}

static const mixir::PipelineInfo kPipelines[] = {
    {"mixir-cpu",
     "attn ops on tensors to the LLVM dialect through attn-tile: every "
     "mixer in O(L) memory (attention-like ops flash-style with masked "
     "tiles skipped, PoNet streaming, Hyena by FFT), vectorized, on OpenMP "
     "threads",
     mixir::TargetKind::CPU, mixir::buildCPUPipeline, /*usesOpenMP=*/true},
    {"mixir-cpu-reference",
     "attn ops on tensors to the LLVM dialect through the reference "
     "decomposition (single-threaded loops)",
     mixir::TargetKind::CPU, mixir::buildCPUReferencePipeline,
     /*usesOpenMP=*/false},
    {"mixir-gpu",
     "attn ops on tensors to NVIDIA GPU kernels: attn-tile's loop nests as "
     "kernels (tensor cores for f16/bf16, FMAs for f32), host functions "
     "that launch them, kernels in the LLVM and NVVM dialects",
     mixir::TargetKind::NVPTX, mixir::buildGPUPipeline, /*usesOpenMP=*/false},
};

ArrayRef<mixir::PipelineInfo> mixir::getPipelines() { return kPipelines; }

const mixir::PipelineInfo *mixir::lookupPipeline(StringRef name) {
  for (const PipelineInfo &info : kPipelines)
    if (info.name == name)
      return &info;
  return nullptr;
}

llvm::Expected<const mixir::PipelineInfo *>
mixir::selectPipeline(StringRef name, const TargetDescription &target) {
  if (name.empty())
    name = target.defaultPipeline();
  const PipelineInfo *info = lookupPipeline(name);
  if (!info) {
    std::string known;
    for (const PipelineInfo &info : kPipelines)
      known += (known.empty() ? "" : ", ") + info.name.str();
    return llvm::createStringError("unknown pipeline '%s' (known: %s)",
                                   name.str().c_str(), known.c_str());
  }
  if (info->target != target.kind)
    return llvm::createStringError(
        "pipeline '%s' does not compile for --target=%s (it is a %s "
        "pipeline)",
        name.str().c_str(), target.name().str().c_str(),
        info->target == TargetKind::CPU ? "cpu" : "nvptx");
  return info;
}

namespace {
/// The target description's options on the command line of mixir-opt:
/// `--mixir-gpu="chip=sm_90"`.
struct PipelineCLOptions : public PassPipelineOptions<PipelineCLOptions> {
  Option<std::string> cpu{*this, "cpu",
                          llvm::cl::desc("CPU: native, x86-64-v3, x86-64-v4"),
                          llvm::cl::init("native")};
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("GPU chip: sm_80, sm_90, sm_90a"),
                           llvm::cl::init("sm_80")};
};
} // namespace

void mixir::registerPipelines() {
  for (const PipelineInfo &info : kPipelines) {
    PassPipelineRegistration<PipelineCLOptions>(
        info.name, info.description,
        [&info](OpPassManager &pm, const PipelineCLOptions &options) {
          TargetDescription target;
          target.kind = info.target;
          target.cpu = options.cpu;
          target.chip = options.chip;
          info.build(pm, target, PipelineStage::LLVM);
        });
  }
}
