//===- AttentionKernel.h - GPU kernels of attention tile loops --*- C++ -*-===//
//
// The kernels convert-attn-tiles-to-gpu emits for one flash loop of
// attn-tile: one CTA per (batch row, query head, query tile), the key loop
// inside it. f16 and bf16 run on mma.sync m16n8k16 with f32 accumulators,
// K and V staged in shared memory by cp.async (double-buffered, swizzled for
// ldmatrix); on sm_90a, where D and Dv are multiples of 64, on warpgroup
// MMA (wgmma m64nNk16) with Q, K, V and P in 128-byte-swizzled shared
// memory instead; f32 runs on FMAs. Both share the tile rules of
// mixir/Dialect/Attn/Tiling/TileRules.h with the CPU: the key bounds (cloned
// from the loop), the whole-tile test, the mask, the online-softmax update.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ATTENTIONKERNEL_H
#define MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ATTENTIONKERNEL_H

#include "KernelLaunch.h"
#include "MMAFragments.h"

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "llvm/Support/Error.h"

#include <functional>

namespace mixir::nvptx {

/// Faults a test can inject into the kernels, to show that the interpreter
/// of the kernels catches them (never used outside the mutation tests).
enum class KernelMutation {
  None,
  /// The accumulator rows of the fragment table swapped.
  FragmentLayout,
  /// No barrier between the wait for a key tile's copies and its reads.
  NoBarrier,
  /// No wait for a key tile's copies before they are read.
  NoAsyncWait,
  /// The running sum and output not rescaled when the row maximum grows.
  NoRescale,
  /// No fence.proxy.async between shared-memory writes and the wgmma that
  /// reads them (sm_90a).
  NoProxyFence,
};

/// Reads lengths[batch] (the i32 element; index batch) inside a kernel.
using LengthLoader =
    std::function<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value)>;

/// The key loops' bounds (index), one pair per key range in the order the
/// ranges are visited, for the query tile of one CTA, from its (batch, head,
/// first query) (index) and the kernel's kv_len / q_len: what attn-tile
/// computed for the loops, rebuilt inside the kernel.
using KeyLoopBoundsBuilder =
    std::function<llvm::SmallVector<std::pair<mlir::Value, mlir::Value>>(
        mlir::OpBuilder &, mlir::Location, mlir::Value batch, mlir::Value head,
        mlir::Value queryStart, const LengthLoader &kvLen,
        const LengthLoader &qLen)>;

/// The keys query `i` (i64) may see as intervals [first, end) (i64), by
/// the tile's own mask region (the Combiner's), rebuilt inside the kernel.
using KeyIntervalsBuilder =
    std::function<llvm::SmallVector<std::pair<mlir::Value, mlir::Value>>(
        mlir::OpBuilder &, mlir::Location, mlir::Value i)>;

/// One flash loop of attn-tile, as a kernel computes it.
struct AttentionKernelSpec {
  std::string name;
  int64_t batch = 0, queryHeads = 0, kvHeads = 0;
  int64_t queryLen = 0, keyLen = 0, headDim = 0, valueDim = 0;
  /// The loops' tiles (the tile configuration's).
  int64_t queryTile = 0, keyTile = 0;
  /// q, k, v (and bias, o) element type: f16, bf16 or f32.
  mlir::Type elementType;
  bool softmax = true;
  double scale = 1.0, sigmoidBias = 0.0;
  attn::decompose::AttentionMaskParams mask;
  /// [B or 1, Hq or 1, S or 1, T or 1]; null without a bias. With
  /// `stageBias`, [B or 1, Hq or 1, S, T'] with T' >= T a multiple of 8.
  mlir::RankedTensorType biasType;
  /// The tensor-core kernel stages the bias tile of each key step in shared
  /// memory by cp.async with K and V (16-byte chunks: rows of T' elements,
  /// padded by the host where T is not a multiple of 8) instead of reading
  /// it score by score from global memory (stageableBiasKeyLen()).
  bool stageBias = false;
  /// The block layout [Hq or 1 (or B with `layoutPerBatch`), S / bq,
  /// T / bk] (i1) of block-sparse attention with blocks `layoutBlock` =
  /// [bq, bk] (any sizes: where they do not hold whole tiles the scores
  /// check their bits); null without one.
  mlir::RankedTensorType layoutType;
  bool layoutPerBatch = false;
  std::array<int64_t, 2> layoutBlock = {0, 0};
  bool writeOut = true, writeLse = false;
  KeyLoopBoundsBuilder keyLoopBounds;
  /// The key ranges keyLoopBounds gives (several: the Combiner's direct keys
  /// and abstractions, one softmax state across them).
  int64_t keyRangeCount = 1;
  /// With a mask region, its intervals join each row's mask bits (null:
  /// the spec's mask alone); `keyIntervalCount` of them per row.
  KeyIntervalsBuilder keyIntervals;
  int64_t keyIntervalCount = 0;
  /// Q K^T and P V on wgmma.mma_async (sm_90a; selectsWarpgroupMMA()).
  bool warpgroupMMA = false;
  KernelMutation mutation = KernelMutation::None;
};

/// Whether the tensor-core kernel of `spec` on `chip` runs on warpgroup MMA:
/// sm_90a (wgmma needs the architecture-specific target), f16 or bf16, and
/// D and Dv multiples of 64 (Q, K, V in 64-column panels of 128-byte
/// swizzled rows, the layout the interpreter models). Other head dims keep
/// mma.sync on sm_90a.
bool selectsWarpgroupMMA(const AttentionKernelSpec &spec, llvm::StringRef chip);

/// The row length T' of the staged bias buffer (T rounded up to whole
/// 16-byte chunks) when the kernel of `spec` stages its bias tiles (a bias
/// of one row per query and one column per key, on the tensor-core kernel);
/// 0 when it reads the bias per score. (Per-score reads of 32 scores left
/// ptxas 24-68 bytes short of registers at D = 128.)
int64_t stageableBiasKeyLen(const AttentionKernelSpec &spec);

/// Whether the spec is one the kernels cover; an error message otherwise.
llvm::Error checkAttentionKernelSpec(const AttentionKernelSpec &spec,
                                     llvm::StringRef chip);

/// Builds the kernel `spec.name` in `module`. Its parameters, in order: q,
/// k, v, [bias], [kv_len], [q_len], [layout], [o], [lse] (static memrefs).
/// Its grid: x query tiles, y query heads, z batch rows.
KernelLaunch buildAttentionKernel(mlir::OpBuilder &builder, mlir::Location loc,
                                  mlir::gpu::GPUModuleOp module,
                                  const AttentionKernelSpec &spec);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ATTENTIONKERNEL_H
