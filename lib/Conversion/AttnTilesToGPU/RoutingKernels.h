//===- RoutingKernels.h - GPU kernels of the routing ------------*- C++ -*-===//
//
// The kernels convert-attn-tiles-to-gpu emits for attn.routing_layout (the
// routing prologue of attn.routed_attention): the region means of q and of
// k, then for each (batch row, query region) the row of region affinities
// and its topk. Both compute in f64 and in the order of the CPU's
// decomposition (DecomposeRoutedAttention.cpp), so that near ties pick the
// regions the float64 reference picks.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ROUTINGKERNELS_H
#define MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ROUTINGKERNELS_H

#include "KernelLaunch.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

namespace mixir::nvptx {

/// One attn.routing_layout: q and k [B, H, L, D], the layout [B, R, R].
struct RoutingKernelSpec {
  int64_t batch = 0, heads = 0, length = 0, headDim = 0;
  /// q and k element type: f16, bf16 or f32.
  mlir::Type elementType;
  /// The token axis split row-major: [R, r] (1-D regions) or [RH, hr, RW,
  /// wr] (a grid of RH x RW regions of hr x wr tokens).
  llvm::SmallVector<int64_t, 4> tokenDims;
  int64_t topk = 0;

  int64_t regionCount() const;
  int64_t tokensPerRegion() const;
};

/// Whether the kernels cover the spec; an error message otherwise.
llvm::Error checkRoutingKernelSpec(const RoutingKernelSpec &spec,
                                   llvm::StringRef chip);

/// xr[b, n, h * D + d] = mean over the tokens of region n of x[b, h, t, d]
/// (f64). Parameters: x [B, H, L, D], xr [B, R, H * D] (f64). Launched once
/// for q and once for k.
KernelLaunch buildRegionMeansKernel(mlir::OpBuilder &builder,
                                    mlir::Location loc,
                                    mlir::gpu::GPUModuleOp module,
                                    llvm::StringRef name,
                                    const RoutingKernelSpec &spec);

/// layout[b, n, m] = key region m is among the topk of A[b, n, :], where
/// A[b, n, m] = qr[b, n, :] . kr[b, m, :] (f64), larger first and ties to
/// the lower index. Parameters: qr, kr [B, R, H * D] (f64), layout [B, R, R]
/// (i1).
KernelLaunch buildRoutingTopkKernel(mlir::OpBuilder &builder,
                                    mlir::Location loc,
                                    mlir::gpu::GPUModuleOp module,
                                    llvm::StringRef name,
                                    const RoutingKernelSpec &spec);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_ROUTINGKERNELS_H
