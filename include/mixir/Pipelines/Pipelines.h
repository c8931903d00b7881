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

/// The reference CPU pipeline, `mixir-cpu-reference`: attn-decompose,
/// one-shot bufferization, buffer results to out-parameters, the C function
/// wrappers (int32_t f(const T *in..., T *out...)), deallocation, linalg to
/// loops, polynomial math, and the LLVM dialect with bare-pointer memref
/// arguments. Single-threaded, unvectorized: the executable specification.
/// The front end both CPU pipelines start with (after attn-raise in
/// mixir-cpu): TOSA lowered to linalg on tensors, canonicalized, and the
/// size signatures of functions with dynamic dims recorded
/// (mixir-bind-sizes). mixir-compile runs it alone to write the header.
void buildGraphFrontEnd(mlir::OpPassManager &pm);

void buildCPUReferencePipeline(mlir::OpPassManager &pm,
                               PipelineStage stopAfter = PipelineStage::LLVM);

/// The default CPU pipeline, `mixir-cpu`: attn-tile turns attention and
/// block-sparse attention into flash-style loop nests (online softmax over
/// key tiles, O(L) memory, masked-out tiles skipped) whose parallel loop runs
/// on OpenMP threads; the other mixers take the reference decomposition (with
/// a remark); then the same lowering as the reference pipeline.
void buildCPUPipeline(mlir::OpPassManager &pm,
                      PipelineStage stopAfter = PipelineStage::LLVM);

/// A named pipeline and its builder.
struct PipelineInfo {
  llvm::StringLiteral name;
  llvm::StringLiteral description;
  void (*build)(mlir::OpPassManager &, PipelineStage);
  /// The code calls the OpenMP runtime (libomp).
  bool usesOpenMP;
};

/// Every named pipeline; the first is the default.
llvm::ArrayRef<PipelineInfo> getPipelines();

/// The pipeline called `name`, or null.
const PipelineInfo *lookupPipeline(llvm::StringRef name);

/// The pipeline a tool's --pipeline option names (the default when `name`
/// is empty), or an error listing the known names.
llvm::Expected<const PipelineInfo *> selectPipeline(llvm::StringRef name);

/// Registers every named pipeline with the pass registry (for mixir-opt).
void registerPipelines();

} // namespace mixir

#endif // MIXIR_PIPELINES_PIPELINES_H
