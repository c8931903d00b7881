//===- RoutingKernels.cpp - GPU kernels of routed attention's routing -----===//
//
// Two kernels of 128 threads each:
// - region means: one thread per (batch row, region, h * D + d) column,
//   summing x * (1 / r) over the region's tokens in row-major order (as the
//   CPU's decomposition does), so that equal regions give equal means;
// - topk: one CTA per (batch row, query region). Each thread computes the
//   affinities of some key regions into shared memory (f64, the dot product
//   in column order); after a barrier each thread ranks its key regions by
//   counting those that come before them (larger affinity, or equal and a
//   lower index): a region is routed iff its rank is below topk. O(R) per
//   thread and region instead of topk selection passes, and no sort.
//
//===----------------------------------------------------------------------===//

#include "RoutingKernels.h"

#include "mixir/Target/TargetDescription.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mixir;
using namespace mixir::nvptx;

static constexpr int64_t kThreads = 128;

int64_t RoutingKernelSpec::regionCount() const {
  return tokenDims.size() == 2 ? tokenDims[0] : tokenDims[0] * tokenDims[2];
}

int64_t RoutingKernelSpec::tokensPerRegion() const {
  return tokenDims.size() == 2 ? tokenDims[1] : tokenDims[1] * tokenDims[3];
}

llvm::Error nvptx::checkRoutingKernelSpec(const RoutingKernelSpec &spec,
                                          StringRef chip) {
  int64_t regions = spec.regionCount();
  // Grid y and z are at most 65535 in CUDA (x, the H * D / 128 column
  // blocks of the means, is far from its 2^31 - 1).
  if (spec.batch > 65535 || regions > 65535)
    return llvm::createStringError(
        "expected B (%lld) and the region count (%lld) to be at most 65535 "
        "(the routing kernels' grid)",
        static_cast<long long>(spec.batch), static_cast<long long>(regions));
  int64_t sharedBytes = 8 * regions;
  int64_t limit = mixir::maxDynamicSharedMemory(chip);
  if (sharedBytes > limit)
    return llvm::createStringError(
        "expected the routing's affinity row (%lld regions, %lld bytes) to "
        "fit %s's %lld bytes of shared memory",
        static_cast<long long>(regions), static_cast<long long>(sharedBytes),
        chip.str().c_str(), static_cast<long long>(limit));
  return llvm::Error::success();
}

namespace {

/// The arithmetic both kernels use.
class RoutingBuilder {
public:
  RoutingBuilder(OpBuilder &builder, Location loc) : b(loc, builder) {}

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, value);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, x, index(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, x, index(y));
  }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y);
  }
  Value f64(double value) {
    return arith::ConstantOp::create(b, b.getF64FloatAttr(value));
  }

  /// A kernel of `parameters`, kThreads threads a CTA, its body started.
  gpu::GPUFuncOp startKernel(gpu::GPUModuleOp module, StringRef name,
                             TypeRange parameters) {
    return createKernelFunc(b, b.getLoc(), module, name, parameters, kThreads);
  }

  Value threadId() { return gpu::ThreadIdOp::create(b, gpu::Dimension::x); }
  Value blockId(gpu::Dimension dim) { return gpu::BlockIdOp::create(b, dim); }

  /// x widened to f64 (f16 and bf16 through f32: both conversions exact).
  Value toF64(Value x) {
    if (!x.getType().isF32() && !x.getType().isF64())
      x = arith::ExtFOp::create(b, b.getF32Type(), x);
    if (x.getType().isF32())
      x = arith::ExtFOp::create(b, b.getF64Type(), x);
    return x;
  }

  ImplicitLocOpBuilder b;
};

} // namespace

KernelLaunch nvptx::buildRegionMeansKernel(OpBuilder &builder, Location loc,
                                           gpu::GPUModuleOp module,
                                           StringRef name,
                                           const RoutingKernelSpec &spec) {
  OpBuilder::InsertionGuard guard(builder);
  RoutingBuilder k(builder, loc);
  ImplicitLocOpBuilder &b = k.b;
  int64_t columns = spec.heads * spec.headDim;
  int64_t regions = spec.regionCount(), tokens = spec.tokensPerRegion();
  Type f64 = b.getF64Type();
  KernelLaunch kernel;
  kernel.func = k.startKernel(
      module, name,
      {MemRefType::get({spec.batch, spec.heads, spec.length, spec.headDim},
                       spec.elementType),
       MemRefType::get({spec.batch, regions, columns}, f64)});
  kernel.grid = {(columns + kThreads - 1) / kThreads, regions, spec.batch};
  kernel.threads = kThreads;
  Value x = kernel.func.getArgument(0), means = kernel.func.getArgument(1);

  Value column = k.add(k.mul(k.blockId(gpu::Dimension::x), k.index(kThreads)),
                       k.threadId());
  Value region = k.blockId(gpu::Dimension::y);
  Value batch = k.blockId(gpu::Dimension::z);
  auto inRange = scf::IfOp::create(b, k.ult(column, k.index(columns)),
                                   /*withElseRegion=*/false);
  b.setInsertionPointToStart(inRange.thenBlock());
  Value head = k.div(column, spec.headDim);
  Value dim = k.rem(column, spec.headDim);
  // The region's first token and, for 2-D regions, the grid's row length.
  Value first;
  int64_t regionWidth = 0, gridWidth = 0;
  if (spec.tokenDims.size() == 2) {
    first = k.mul(region, k.index(tokens));
  } else {
    int64_t regionRows = spec.tokenDims[1];
    regionWidth = spec.tokenDims[3];
    gridWidth = spec.tokenDims[2] * regionWidth;
    Value regionRow = k.div(region, spec.tokenDims[2]);
    Value regionColumn = k.rem(region, spec.tokenDims[2]);
    first = k.add(k.mul(regionRow, k.index(regionRows * gridWidth)),
                  k.mul(regionColumn, k.index(regionWidth)));
  }
  Value weight = k.f64(1.0 / static_cast<double>(tokens));
  auto sum = scf::ForOp::create(b, k.index(0), k.index(tokens), k.index(1),
                                ValueRange{k.f64(0.0)});
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(sum.getBody());
    Value step = sum.getInductionVar();
    // Token p of the region, row-major inside it.
    Value token =
        regionWidth == 0
            ? k.add(first, step)
            : k.add(first,
                    k.add(k.mul(k.div(step, regionWidth), k.index(gridWidth)),
                          k.rem(step, regionWidth)));
    Value element =
        memref::LoadOp::create(b, x, ValueRange{batch, head, token, dim});
    Value scaled = arith::MulFOp::create(b, k.toF64(element), weight);
    scf::YieldOp::create(b, ValueRange{arith::AddFOp::create(
                                b, sum.getRegionIterArgs()[0], scaled)});
  }
  memref::StoreOp::create(b, sum.getResult(0), means,
                          ValueRange{batch, region, column});
  b.setInsertionPointAfter(inRange);
  gpu::ReturnOp::create(b);
  return kernel;
}

KernelLaunch nvptx::buildRoutingTopkKernel(OpBuilder &builder, Location loc,
                                           gpu::GPUModuleOp module,
                                           StringRef name,
                                           const RoutingKernelSpec &spec) {
  OpBuilder::InsertionGuard guard(builder);
  RoutingBuilder k(builder, loc);
  ImplicitLocOpBuilder &b = k.b;
  int64_t columns = spec.heads * spec.headDim;
  int64_t regions = spec.regionCount();
  Type f64 = b.getF64Type();
  auto meansType = MemRefType::get({spec.batch, regions, columns}, f64);
  KernelLaunch kernel;
  kernel.func = k.startKernel(
      module, name,
      {meansType, meansType,
       MemRefType::get({spec.batch, regions, regions}, b.getI1Type())});
  kernel.grid = {regions, spec.batch, 1};
  kernel.threads = kThreads;
  kernel.sharedBytes = 8 * regions;
  Value queryMeans = kernel.func.getArgument(0),
        keyMeans = kernel.func.getArgument(1),
        layout = kernel.func.getArgument(2);

  Value queryRegion = k.blockId(gpu::Dimension::x);
  Value batch = k.blockId(gpu::Dimension::y);
  Value thread = k.threadId();
  auto workgroup =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  Value shared = gpu::DynamicSharedMemoryOp::create(
      b, MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                         MemRefLayoutAttrInterface(), workgroup));
  Value affinity = memref::ViewOp::create(
      b,
      MemRefType::get({regions}, f64, MemRefLayoutAttrInterface(), workgroup),
      shared, k.index(0), ValueRange{});

  // A[n, m] for this thread's key regions m.
  auto fill =
      scf::ForOp::create(b, thread, k.index(regions), k.index(kThreads));
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(fill.getBody());
    Value keyRegion = fill.getInductionVar();
    auto dot = scf::ForOp::create(b, k.index(0), k.index(columns), k.index(1),
                                  ValueRange{k.f64(0.0)});
    {
      OpBuilder::InsertionGuard dotGuard(b);
      b.setInsertionPointToStart(dot.getBody());
      Value column = dot.getInductionVar();
      Value q = memref::LoadOp::create(b, queryMeans,
                                       ValueRange{batch, queryRegion, column});
      Value key = memref::LoadOp::create(b, keyMeans,
                                         ValueRange{batch, keyRegion, column});
      scf::YieldOp::create(b, ValueRange{arith::AddFOp::create(
                                  b, dot.getRegionIterArgs()[0],
                                  arith::MulFOp::create(b, q, key))});
    }
    memref::StoreOp::create(b, dot.getResult(0), affinity,
                            ValueRange{keyRegion});
  }
  gpu::BarrierOp::create(b);

  // rank(m) = #{m2 : A[m2] > A[m], or A[m2] == A[m] and m2 < m}; routed iff
  // rank < topk. (A NaN affinity is never routed, as in the CPU's selection
  // passes, where it is never ordered before anything.)
  auto rankLoop =
      scf::ForOp::create(b, thread, k.index(regions), k.index(kThreads));
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(rankLoop.getBody());
    Value keyRegion = rankLoop.getInductionVar();
    Value own = memref::LoadOp::create(b, affinity, ValueRange{keyRegion});
    auto count = scf::ForOp::create(b, k.index(0), k.index(regions), k.index(1),
                                    ValueRange{k.index(0)});
    {
      OpBuilder::InsertionGuard countGuard(b);
      b.setInsertionPointToStart(count.getBody());
      Value other = count.getInductionVar();
      Value value = memref::LoadOp::create(b, affinity, ValueRange{other});
      Value greater =
          arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, value, own);
      Value equal =
          arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, value, own);
      Value before = arith::OrIOp::create(
          b, greater, arith::AndIOp::create(b, equal, k.ult(other, keyRegion)));
      Value rank = count.getRegionIterArgs()[0];
      scf::YieldOp::create(b, ValueRange{arith::SelectOp::create(
                                  b, before, k.add(rank, k.index(1)), rank)});
    }
    Value ordered =
        arith::CmpFOp::create(b, arith::CmpFPredicate::ORD, own, own);
    Value routed = arith::AndIOp::create(
        b, ordered, k.ult(count.getResult(0), k.index(spec.topk)));
    memref::StoreOp::create(b, routed, layout,
                            ValueRange{batch, queryRegion, keyRegion});
  }
  gpu::ReturnOp::create(b);
  return kernel;
}
