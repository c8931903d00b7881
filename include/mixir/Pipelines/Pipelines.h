//===- Pipelines.h - Mixir's named lowering pipelines -----------*- C++ -*-===//
//
// The pass pipelines that take a module of func + attn (+ upstream) ops on
// tensors down to the LLVM dialect. mixir-opt registers them by name;
// mixir-run and mixir-compile build the same pipelines through these
// functions.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_PIPELINES_PIPELINES_H
#define MIXIR_PIPELINES_PIPELINES_H

#include "mixir/Target/TargetDescription.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace mixir {

/// The stages a pipeline can stop after, for inspection (mixir-compile
/// --dump-stage) and tests.
enum class PipelineStage {
  /// attn ops decomposed into linalg/tensor/arith/math (still tensors).
  Decomposed,
  /// Bufferized, the exported C functions in place (memrefs, linalg).
  Bufferized,
  /// Lowered to loops (scf, memref, arith, math).
  Loops,
  /// The LLVM dialect.
  LLVM,
};

/// The front end every pipeline starts with (after attn-raise in the fast
/// pipelines): TOSA lowered to linalg on tensors, canonicalized, and the
/// size signatures of functions with dynamic dims recorded
/// (mixir-bind-sizes). mixir-compile runs it alone to write the header.
void buildGraphFrontEnd(mlir::OpPassManager &pm);

/// The reference CPU pipeline, `mixir-cpu-reference`: attn-decompose,
/// one-shot bufferization, buffer results to out-parameters, the C function
/// wrappers (int32_t f(const T *in..., T *out...)), deallocation, linalg to
/// loops, polynomial math, and the LLVM dialect with bare-pointer memref
/// arguments. Single-threaded, unvectorized: the executable specification.
void buildCPUReferencePipeline(mlir::OpPassManager &pm,
                               const TargetDescription &target,
                               PipelineStage stopAfter = PipelineStage::LLVM);

/// The default CPU pipeline, `mixir-cpu`: attn-raise, the front end, the
/// CPU's tile configuration (mixir-configure-target), attn-tile's loop nests
/// with their tiles lowered for the CPU (convert-attn-tiles-to-linalg),
/// attn-fuse, then vectorized, threaded (OpenMP) and lowered like the
/// reference pipeline.
void buildCPUPipeline(mlir::OpPassManager &pm, const TargetDescription &target,
                      PipelineStage stopAfter = PipelineStage::LLVM);

/// The GPU pipeline, `mixir-gpu`: attn-raise, the front end, the GPU's tile
/// configuration, attn-tile's loop nests turned into kernels
/// (convert-attn-tiles-to-gpu), the host functions bufferized (each a
/// sequence of kernel launches on the caller's buffers), and the kernels
/// lowered to the LLVM and NVVM dialects for `target.chip`. Stages:
/// Decomposed (kernels built, host on tensors), Bufferized, LLVM (kernels
/// lowered; Loops is the same).
void buildGPUPipeline(mlir::OpPassManager &pm, const TargetDescription &target,
                      PipelineStage stopAfter = PipelineStage::LLVM);

/// mixir-configure-target for `target`: the first pass of every pipeline.
void addConfigureTarget(mlir::OpPassManager &pm,
                        const TargetDescription &target);

/// A named pipeline and its builder.
struct PipelineInfo {
  llvm::StringLiteral name;
  llvm::StringLiteral description;
  /// The target whose code the pipeline produces.
  TargetKind target;
  void (*build)(mlir::OpPassManager &, const TargetDescription &,
                PipelineStage);
  /// The code calls the OpenMP runtime (libomp).
  bool usesOpenMP;
};

/// Every named pipeline.
llvm::ArrayRef<PipelineInfo> getPipelines();

/// The pipeline called `name`, or null.
const PipelineInfo *lookupPipeline(llvm::StringRef name);

/// The pipeline a tool's --pipeline option names, or the target's default
/// when `name` is empty; an error for an unknown name (listing the known
/// ones) or a pipeline of another target.
llvm::Expected<const PipelineInfo *>
selectPipeline(llvm::StringRef name, const TargetDescription &target);

/// Registers every named pipeline with the pass registry (for mixir-opt),
/// with the options `cpu` and `chip` of the target description.
void registerPipelines();

} // namespace mixir

#endif // MIXIR_PIPELINES_PIPELINES_H
