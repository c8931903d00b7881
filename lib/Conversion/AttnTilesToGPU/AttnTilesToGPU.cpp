//===- AttnTilesToGPU.cpp - the GPU's lowering of attention tile loops ----===//
//
// convert-attn-tiles-to-gpu: each flash loop attn-tile built with the GPU's
// tile configuration becomes one kernel in a gpu.module of its own and, in
// the host function, a gpu.launch_func on the loop's buffers: the loop's
// scf.forall is the grid (one CTA per batch row, query head and query tile),
// its key loop runs inside the CTA with the bounds attn-tile computed
// (cloned into the kernel), and its key tiles are lowered by the kernels of
// AttentionKernel.h.
//
//===----------------------------------------------------------------------===//

#include "mixir/Conversion/Passes.h"

#include "AttentionKernel.h"
#include "CopyKernel.h"
#include "HostElementKernels.h"
#include "RoutingKernels.h"

#include "mixir/Dialect/Attn/Tiling/TileRules.h"
#include "mixir/Target/TargetDescription.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mixir {
#define GEN_PASS_DEF_CONVERTATTNTILESTOGPU
#include "mixir/Conversion/Passes.h.inc"
} // namespace mixir

using namespace mlir;
using namespace mixir;
using namespace mixir::attn;

namespace {

/// One flash loop of attn-tile, read back from the IR.
struct FlashLoop {
  scf::ForallOp forall;
  /// The key loops, one per key range, in order (the state of each is the
  /// next one's init); `keyLoop` is the last, `tile` the first's tile.
  SmallVector<scf::ForOp> keyLoops;
  scf::ForOp keyLoop;
  PartialAttentionOp tile;
  /// The whole tensors the tiles are slices of (defined outside the loop).
  Value query, key, value, bias, kvLen, qLen, layout;
  int64_t queryTile = 0;
  /// The loop results that are the normalised output and the lse (-1: not
  /// there); the state results (acc, m, l) must be unused.
  int outResult = -1, lseResult = -1;
};

} // namespace

/// The value a chain of tensor.extract_slice ops inside `loop` slices.
static Value sliceRoot(Value value, scf::ForallOp loop) {
  while (auto slice = value.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (!loop->isProperAncestor(slice))
      break;
    value = slice.getSource();
  }
  return value;
}

/// Reads the structure attn-tile builds; an error on the loop's op
/// location names what the GPU lowering does not cover.
static FailureOr<FlashLoop> analyzeFlashLoop(scf::ForallOp forall) {
  FlashLoop loop;
  loop.forall = forall;
  auto fail = [&](const Twine &what) {
    return forall.emitError()
           << "convert-attn-tiles-to-gpu: " << what
           << " (the GPU target lowers attention and its variants' loops "
              "from attn-tile; the others are not built yet)";
  };
  loop.keyLoops = llvm::to_vector(forall.getBody()->getOps<scf::ForOp>());
  if (loop.keyLoops.empty())
    return fail("a loop nest without a key loop");
  loop.keyLoop = loop.keyLoops.back();
  SmallVector<Value> ivs(forall.getInductionVars());
  SmallVector<PartialAttentionOp> rangeTiles;
  for (auto [index, keyLoop] : llvm::enumerate(loop.keyLoops)) {
    SmallVector<PartialAttentionOp> tiles(
        keyLoop.getBody()->getOps<PartialAttentionOp>());
    if (tiles.size() != 1)
      return fail("a key loop without exactly one tile");
    PartialAttentionOp tile = tiles.front();
    if (tile.getKeyTransposed())
      return fail("transposed keys (the CPU's tile configuration)");
    ValueRange offsets = tile.getOffsets();
    if (ivs.size() != 3 || offsets.size() != 4 || offsets[0] != ivs[0] ||
        offsets[1] != ivs[1] || offsets[2] != ivs[2] ||
        offsets[3] != keyLoop.getInductionVar())
      return fail("a tile not at the loops' positions");
    // One softmax state through the ranges.
    if (index > 0 &&
        keyLoop.getInitArgs() != loop.keyLoops[index - 1]->getResults())
      return fail("key loops that do not carry one state");
    rangeTiles.push_back(tile);
  }
  loop.tile = rangeTiles.front();
  PartialAttentionOp tile = loop.tile;
  // The ranges' tiles are copies of one tile (attn-tile's engine): the
  // kernel reads the first.
  for (PartialAttentionOp other : ArrayRef(rangeTiles).drop_front())
    if (other->getAttrDictionary() != tile->getAttrDictionary() ||
        other.getMask().empty() != tile.getMask().empty())
      return fail("key ranges whose tiles differ");
  ArrayRef<int64_t> steps = forall.getStaticStep();
  ArrayRef<int64_t> lowerBounds = forall.getStaticLowerBound();
  if (steps.size() != 3 || steps[0] != 1 || steps[1] != 1 ||
      ShapedType::isDynamic(steps[2]) ||
      llvm::any_of(lowerBounds, [](int64_t bound) { return bound != 0; }))
    return fail("a parallel loop that is not (batch, head, query tile)");
  loop.queryTile = steps[2];

  loop.query = sliceRoot(tile.getQuery(), forall);
  loop.key = sliceRoot(tile.getKey(), forall);
  loop.value = sliceRoot(tile.getValue(), forall);
  if (tile.getBias())
    loop.bias = sliceRoot(tile.getBias(), forall);
  loop.kvLen = tile.getKvLen();
  loop.qLen = tile.getQLen();
  loop.layout = tile.getLayout();
  for (Value root : {loop.query, loop.key, loop.value, loop.bias, loop.kvLen,
                     loop.qLen, loop.layout})
    if (root && forall->isAncestor(root.getParentRegion()->getParentOp()))
      return fail("an operand computed inside the loop (fused producers)");

  // The results: the key loop's state (acc, m, l) as it leaves the loop, or
  // the consumers attn-tile fused in: o (rank 4) and lse (rank 3).
  auto terminator = forall.getTerminator();
  for (auto [index, yielding] : llvm::enumerate(terminator.getYieldingOps())) {
    auto insert = cast<tensor::ParallelInsertSliceOp>(yielding);
    Value source = insert.getSource();
    bool isState = source.getDefiningOp() == loop.keyLoop.getOperation();
    Value result = forall->getResult(index);
    if (isState) {
      // A sigmoid's acc is its output (an f32 one needs no conversion, so
      // no consumer was fused).
      bool sigmoidOutput = tile.getScore() == ScoreKind::sigmoid &&
                           cast<OpResult>(source).getResultNumber() == 0;
      if (sigmoidOutput && !result.use_empty())
        loop.outResult = index;
      else if (!result.use_empty())
        return fail("the partial state (acc, m, l) used after the loop");
      continue;
    }
    int64_t rank = cast<ShapedType>(source.getType()).getRank();
    (rank == 4 ? loop.outResult : loop.lseResult) = index;
  }
  return loop;
}

/// Whether `op` may be cloned into a kernel to compute the key loop's bounds.
static bool isBoundsOp(Operation *op, const FlashLoop &loop) {
  if (auto extract = dyn_cast<tensor::ExtractOp>(op))
    return extract.getTensor() == loop.kvLen ||
           extract.getTensor() == loop.qLen;
  return isa<arith::ArithDialect, affine::AffineDialect>(op->getDialect());
}

/// The key loop's bounds builder: the ops of the loop body that compute
/// them, cloned with the loop's ivs replaced by the CTA's and kv_len / q_len
/// read from the kernel's arguments.
static FailureOr<nvptx::KeyLoopBoundsBuilder>
keyLoopBoundsOf(const FlashLoop &loop) {
  BackwardSliceOptions options;
  options.inclusive = true;
  scf::ForallOp parent = loop.forall;
  // The loop body's ops, and the constants they use from outside it (the
  // kernel is isolated from above, so those are cloned too).
  options.filter = [&](Operation *op) {
    return op->getBlock() == parent.getBody() ||
           op->hasTrait<OpTrait::ConstantLike>();
  };
  SetVector<Operation *> slice;
  scf::ForallOp forallOp = loop.forall;
  SmallVector<std::pair<Value, Value>> bounds;
  for (scf::ForOp keyLoop : loop.keyLoops) {
    bounds.push_back({keyLoop.getLowerBound(), keyLoop.getUpperBound()});
    for (Value bound : {keyLoop.getLowerBound(), keyLoop.getUpperBound()})
      if (Operation *defining = bound.getDefiningOp())
        (void)getBackwardSlice(defining, &slice, options);
  }
  // Every value the cloned ops use is one of the loop's ivs, computed by
  // another cloned op, or (tensor.extract) kv_len / q_len: the kernel is
  // isolated from the host function.
  auto available = [&](Value value) {
    if (llvm::is_contained(forallOp.getInductionVars(), value))
      return true;
    Operation *defining = value.getDefiningOp();
    return defining && slice.contains(defining);
  };
  for (Operation *op : slice) {
    bool operandsAvailable = llvm::all_of(op->getOperands(), [&](Value v) {
      auto extract = dyn_cast<tensor::ExtractOp>(op);
      return (extract && v == extract.getTensor()) || available(v);
    });
    if (!isBoundsOp(op, loop) || !operandsAvailable)
      return forallOp.emitError()
             << "convert-attn-tiles-to-gpu: the key loop's bounds use '"
             << op->getName() << "', which a kernel cannot compute";
  }
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::stable_sort(ordered, [&](Operation *x, Operation *y) {
    bool xInside = x->getBlock() == parent.getBody();
    bool yInside = y->getBlock() == parent.getBody();
    if (xInside != yInside)
      return yInside; // constants from outside first
    return xInside && x->isBeforeInBlock(y);
  });
  SmallVector<Value> ivs(forallOp.getInductionVars());
  Value kvLen = loop.kvLen;
  return nvptx::KeyLoopBoundsBuilder(
      [=](OpBuilder &b, Location loc, Value batch, Value head, Value queryStart,
          const nvptx::LengthLoader &kvLenLoader,
          const nvptx::LengthLoader &qLenLoader)
          -> SmallVector<std::pair<Value, Value>> {
        IRMapping mapping;
        mapping.map(ivs[0], batch);
        mapping.map(ivs[1], head);
        mapping.map(ivs[2], queryStart);
        for (Operation *op : ordered) {
          if (auto extract = dyn_cast<tensor::ExtractOp>(op)) {
            // isBoundsOp admits extracts of kv_len and q_len only.
            const nvptx::LengthLoader &loader =
                extract.getTensor() == kvLen ? kvLenLoader : qLenLoader;
            mapping.map(
                extract.getResult(),
                loader(b, loc,
                       mapping.lookupOrDefault(extract.getIndices()[0])));
            continue;
          }
          b.clone(*op, mapping);
        }
        SmallVector<std::pair<Value, Value>> ranges;
        for (auto [lowerBound, upperBound] : bounds)
          ranges.push_back({mapping.lookupOrDefault(lowerBound),
                            mapping.lookupOrDefault(upperBound)});
        return ranges;
      });
}

/// The tile's mask region as a builder that clones it into a kernel (null
/// without one); an error when it reads a value the host computes.
static FailureOr<nvptx::KeyIntervalsBuilder>
keyIntervalsOf(PartialAttentionOp tile) {
  Region &mask = tile.getMask();
  if (mask.empty())
    return nvptx::KeyIntervalsBuilder();
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(mask, captured);
  SmallVector<Operation *> constants;
  for (Value value : captured) {
    Operation *defining = value.getDefiningOp();
    if (!defining || !defining->hasTrait<OpTrait::ConstantLike>())
      return tile.emitError() << "convert-attn-tiles-to-gpu: the tile's mask "
                                 "region reads a value computed outside it";
    constants.push_back(defining);
  }
  Block *body = &mask.front();
  return nvptx::KeyIntervalsBuilder(
      [body, constants](OpBuilder &b, Location, Value i) {
        IRMapping mapping;
        for (Operation *constant : constants)
          b.clone(*constant, mapping);
        mapping.map(body->getArgument(0), i);
        for (Operation &op : body->without_terminator())
          b.clone(op, mapping);
        SmallVector<std::pair<Value, Value>> intervals;
        ValueRange bounds = body->getTerminator()->getOperands();
        for (size_t index = 0; index + 1 < bounds.size(); index += 2)
          intervals.push_back({mapping.lookupOrDefault(bounds[index]),
                               mapping.lookupOrDefault(bounds[index + 1])});
        return intervals;
      });
}

static nvptx::KernelMutation parseMutation(StringRef name) {
  return llvm::StringSwitch<nvptx::KernelMutation>(name)
      .Case("fragment-layout", nvptx::KernelMutation::FragmentLayout)
      .Case("no-barrier", nvptx::KernelMutation::NoBarrier)
      .Case("no-async-wait", nvptx::KernelMutation::NoAsyncWait)
      .Case("no-rescale", nvptx::KernelMutation::NoRescale)
      .Case("no-proxy-fence", nvptx::KernelMutation::NoProxyFence)
      .Default(nvptx::KernelMutation::None);
}

namespace {

struct ConvertAttnTilesToGPUPass
    : public mixir::impl::ConvertAttnTilesToGPUBase<ConvertAttnTilesToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    copyKernels.clear();
    if (!isSupportedChip(chip)) {
      module.emitError() << "convert-attn-tiles-to-gpu: unsupported chip '"
                         << chip << "' (expected sm_80, sm_90 or sm_90a)";
      return signalPassFailure();
    }
    if (!testMutation.empty() && testMutation != "none" &&
        parseMutation(testMutation) == nvptx::KernelMutation::None) {
      module.emitError() << "convert-attn-tiles-to-gpu: unknown "
                            "test-mutation '"
                         << testMutation << "'";
      return signalPassFailure();
    }
    // attn ops attn-tile left (not tiled: dynamic shapes, or ops the GPU
    // does not lower yet) have no GPU lowering: the reference decomposition
    // is a CPU path.
    WalkResult untiled = module.walk([&](Operation *op) {
      if (!isa<AttnDialect>(op->getDialect()) || isa<YieldOp>(op) ||
          op->getParentOfType<scf::ForallOp>())
        return WalkResult::advance();
      if (isa<RoutingLayoutOp>(op))
        return WalkResult::advance();
      op->emitError() << "convert-attn-tiles-to-gpu: no GPU lowering for '"
                      << op->getName()
                      << "' in this form yet (the GPU target lowers "
                         "attention with static shapes)";
      return WalkResult::interrupt();
    });
    if (untiled.wasInterrupted())
      return signalPassFailure();
    SmallVector<scf::ForallOp> loops;
    module.walk([&](scf::ForallOp forall) {
      if (forall->hasAttr(tile::kFlashLoopAttrName))
        loops.push_back(forall);
    });
    SmallVector<RoutingLayoutOp> routings;
    module.walk([&](RoutingLayoutOp op) { routings.push_back(op); });
    // Transposes between the host's buffers (2-D regions permuted
    // region-major for routed attention, and back).
    SmallVector<linalg::TransposeOp> transposes;
    for (auto func : module.getOps<func::FuncOp>())
      for (auto transpose :
           func.getFunctionBody().getOps<linalg::TransposeOp>())
        transposes.push_back(transpose);
    bool hostElementOps = false;
    for (auto func : module.getOps<func::FuncOp>())
      for (Operation &op : func.getFunctionBody().getOps())
        hostElementOps |= nvptx::isHostElementOpKind(&op);
    if (!loops.empty() || !routings.empty() || !transposes.empty() ||
        hostElementOps)
      module->setAttr(mlir::gpu::GPUDialect::getContainerModuleAttrName(),
                      UnitAttr::get(&getContext()));
    SymbolTable symbols(module);
    for (linalg::TransposeOp transpose : transposes)
      if (failed(convertTranspose(transpose, symbols)))
        return signalPassFailure();
    for (RoutingLayoutOp routing : routings)
      if (failed(convertRouting(routing, symbols)))
        return signalPassFailure();
    for (scf::ForallOp forall : loops)
      if (failed(convert(forall, symbols)))
        return signalPassFailure();
    for (auto func : module.getOps<func::FuncOp>())
      if (failed(convertHostElementOps(func, symbols)))
        return signalPassFailure();
    if (failed(checkHostFunctions(module)))
      return signalPassFailure();
  }

  /// What is left in the host functions must be launches, buffers, the
  /// tensors they are made of and reshapes of them: anything computed there
  /// (what attn-tile made of PoNet or Hyena, a graph's loops) is not
  /// lowered for the GPU yet.
  LogicalResult checkHostFunctions(ModuleOp module) {
    for (auto func : module.getOps<func::FuncOp>()) {
      for (Operation &op : func.getFunctionBody().getOps()) {
        if (isa<arith::ConstantOp, tensor::EmptyOp, func::ReturnOp,
                mlir::gpu::LaunchFuncOp, memref::AllocOp,
                bufferization::ToBufferOp, bufferization::ToTensorOp,
                tensor::CastOp, tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
                op) ||
            isOpTriviallyDead(&op))
          continue;
        return op.emitError()
               << "convert-attn-tiles-to-gpu: '" << op.getName()
               << "' (from the op at this location) would run on the host: "
                  "the GPU target lowers attention ops and the elementwise, "
                  "reduction, pad, slice and reshape ops around them (the "
                  "other mixers and whole graphs are not lowered for the "
                  "GPU yet)";
      }
    }
    return success();
  }

  /// The tensor ops left in `func`'s body (HostElementKernels.h), each as
  /// an element kernel launched where the op was; reshapes stay, as views
  /// of the buffers the host program passes whole.
  LogicalResult convertHostElementOps(func::FuncOp func, SymbolTable &symbols) {
    SmallVector<Operation *> ops;
    for (Operation &op : func.getFunctionBody().getOps())
      if (nvptx::isHostElementOpKind(&op) && !nvptx::isInsertChainLink(&op))
        ops.push_back(&op);
    // Consumers first: a reduction reads its fill's constant, and the fill
    // is then dead. (Each launch goes where its op was, so the order of the
    // launches stays the program's.)
    for (Operation *op : llvm::reverse(ops)) {
      if (op->use_empty()) {
        op->erase();
        continue;
      }
      FailureOr<nvptx::HostElementOp> kernel = nvptx::hostElementOpOf(op);
      if (failed(kernel))
        return failure();
      Operation *root = kernel->root;
      OpBuilder b(root);
      Location loc = root->getLoc();
      auto bufferType = [](Type tensor) {
        auto type = cast<RankedTensorType>(tensor);
        return MemRefType::get(type.getShape(), type.getElementType());
      };
      nvptx::ElementKernelSpec spec;
      SmallVector<Value> operands;
      for (Value input : kernel->inputs) {
        spec.inputs.push_back(bufferType(input.getType()));
        operands.push_back(bufferization::ToBufferOp::create(
            b, loc, spec.inputs.back(), input, /*readOnly=*/true));
      }
      spec.target = bufferType(kernel->result);
      spec.element = kernel->element;
      Value target = memref::AllocOp::create(b, loc, spec.target);
      operands.push_back(target);
      if (spec.target.getNumElements() != 0) {
        std::string name = (func.getName() + "_" +
                            root->getName().getStringRef().split('.').second)
                               .str();
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToEnd(getOperation().getBody());
        auto module = gpu::GPUModuleOp::create(b, loc, name);
        symbols.insert(module);
        nvptx::KernelLaunch launch =
            nvptx::buildElementKernel(b, loc, module, module.getName(), spec);
        b.setInsertionPoint(root);
        nvptx::launchKernel(b, loc, launch, operands);
      }
      Value result = bufferization::ToTensorOp::create(
          b, loc, kernel->result, target, /*restrict=*/true,
          /*writable=*/true);
      root->getResult(0).replaceAllUsesWith(result);
      for (Operation *replaced : llvm::reverse(kernel->replaced))
        replaced->erase();
    }
    return success();
  }

  /// A host transpose, with the expand_shape of its input and the
  /// collapse_shape of its result, as a copy kernel between whole buffers.
  LogicalResult convertTranspose(linalg::TransposeOp op, SymbolTable &symbols) {
    Value input = op.getInput();
    Value source = input;
    if (auto expand = input.getDefiningOp<tensor::ExpandShapeOp>())
      source = expand.getSrc();
    Value result = op->getResult(0);
    Operation *last = op;
    if (result.hasOneUse())
      if (auto collapse =
              dyn_cast<tensor::CollapseShapeOp>(*result.getUsers().begin()))
        last = collapse;
    Value target = last->getResult(0);
    auto sourceType = dyn_cast<RankedTensorType>(source.getType());
    auto targetType = dyn_cast<RankedTensorType>(target.getType());
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!sourceType || !targetType || !inputType ||
        !sourceType.hasStaticShape() || !targetType.hasStaticShape())
      return op.emitError() << "convert-attn-tiles-to-gpu: a transpose of "
                               "dynamic shape on the host";
    nvptx::CopyKernelSpec spec;
    spec.source =
        MemRefType::get(sourceType.getShape(), sourceType.getElementType());
    spec.target =
        MemRefType::get(targetType.getShape(), targetType.getElementType());
    spec.inputShape = llvm::to_vector(inputType.getShape());
    spec.permutation = llvm::to_vector(op.getPermutation());

    OpBuilder b(&getContext());
    Location loc = op.getLoc();
    b.setInsertionPoint(last);
    Value sourceBuffer = bufferization::ToBufferOp::create(
        b, loc, spec.source, source, /*readOnly=*/true);
    auto func = op->getParentOfType<FunctionOpInterface>();
    Value targetBuffer = copyOnDevice(
        b, loc, symbols,
        (func ? func.getName().str() : std::string("copy")) + "_transpose",
        spec, sourceBuffer);
    Value replacement = bufferization::ToTensorOp::create(
        b, loc, targetType, targetBuffer, /*restrict=*/true,
        /*writable=*/true);
    target.replaceAllUsesWith(replacement);
    if (last != op.getOperation())
      last->erase();
    op.erase();
    return success();
  }

  /// Routed attention's routing: the region means of q and of k (f64
  /// workspaces), then the layout [B, R, R] the attention kernel reads, each
  /// by kernels of RoutingKernels.h launched before the attention's.
  LogicalResult convertRouting(RoutingLayoutOp op, SymbolTable &symbols) {
    auto queryType = cast<RankedTensorType>(op.getQuery().getType());
    auto keyType = cast<RankedTensorType>(op.getKey().getType());
    if (!queryType.hasStaticShape() || keyType != queryType ||
        !isa<Float16Type, BFloat16Type, Float32Type>(
            queryType.getElementType()))
      return op.emitError()
             << "convert-attn-tiles-to-gpu: the routing kernels take q and k "
                "of one static shape and element type (f16, bf16 or f32)";
    ArrayRef<int64_t> shape = queryType.getShape();
    nvptx::RoutingKernelSpec spec;
    spec.batch = shape[0];
    spec.heads = shape[1];
    spec.length = shape[2];
    spec.headDim = shape[3];
    spec.elementType = queryType.getElementType();
    spec.topk = op.getTopk();
    if (std::optional<int64_t> region = op.getRegionSize()) {
      spec.tokenDims = {spec.length / *region, *region};
    } else {
      ArrayRef<int64_t> grid = *op.getGrid(), regions = *op.getRegions();
      spec.tokenDims = {regions[0], grid[0] / regions[0], regions[1],
                        grid[1] / regions[1]};
    }
    if (llvm::Error error = nvptx::checkRoutingKernelSpec(spec, chip))
      return op.emitError() << "convert-attn-tiles-to-gpu: "
                            << llvm::toString(std::move(error));

    MLIRContext *ctx = &getContext();
    OpBuilder b(ctx);
    Location loc = op.getLoc();
    auto func = op->getParentOfType<FunctionOpInterface>();
    std::string prefix = func ? func.getName().str() : std::string("routing");
    int64_t regions = spec.regionCount();
    bool empty = spec.batch == 0 || regions == 0;
    nvptx::KernelLaunch means, topk;
    if (!empty) {
      auto kernelModule = [&](StringRef suffix) {
        b.setInsertionPointToEnd(getOperation().getBody());
        auto module = gpu::GPUModuleOp::create(b, loc, prefix + suffix.str());
        symbols.insert(module);
        return module;
      };
      gpu::GPUModuleOp meansModule = kernelModule("_region_means");
      means = nvptx::buildRegionMeansKernel(b, loc, meansModule,
                                            meansModule.getName(), spec);
      gpu::GPUModuleOp topkModule = kernelModule("_routing_topk");
      topk = nvptx::buildRoutingTopkKernel(b, loc, topkModule,
                                           topkModule.getName(), spec);
    }

    b.setInsertionPoint(op);
    auto buffer = [&](Value tensor) -> Value {
      auto type = cast<RankedTensorType>(tensor.getType());
      return bufferization::ToBufferOp::create(
          b, loc, MemRefType::get(type.getShape(), type.getElementType()),
          tensor, /*readOnly=*/true);
    };
    auto layoutType = cast<RankedTensorType>(op.getType());
    Value layout = memref::AllocOp::create(
        b, loc,
        MemRefType::get(layoutType.getShape(), layoutType.getElementType()));
    if (!empty) {
      auto meansType = MemRefType::get(
          {spec.batch, regions, spec.heads * spec.headDim}, b.getF64Type());
      Value queryMeans = memref::AllocOp::create(b, loc, meansType);
      Value keyMeans = memref::AllocOp::create(b, loc, meansType);
      nvptx::launchKernel(b, loc, means, {buffer(op.getQuery()), queryMeans});
      nvptx::launchKernel(b, loc, means, {buffer(op.getKey()), keyMeans});
      nvptx::launchKernel(b, loc, topk, {queryMeans, keyMeans, layout});
    }
    Value result = bufferization::ToTensorOp::create(
        b, loc, layoutType, layout, /*restrict=*/true, /*writable=*/true);
    op.replaceAllUsesWith(result);
    op.erase();
    return success();
  }

  /// A new buffer (`spec.target`) that a copy kernel (`name`, in a
  /// gpu.module of that name) fills from `sourceBuffer`, launched at `b`'s
  /// insertion point. One kernel per name and copy (q, k and v of routed
  /// attention share their transpose, one launch each); none when the
  /// target is empty.
  Value copyOnDevice(OpBuilder &b, Location loc, SymbolTable &symbols,
                     StringRef name, const nvptx::CopyKernelSpec &spec,
                     Value sourceBuffer) {
    bool empty = spec.target.getNumElements() == 0;
    std::string key;
    llvm::raw_string_ostream keyStream(key);
    keyStream << name << spec.source << spec.target;
    for (int64_t value : llvm::concat<const int64_t>(
             spec.inputShape, spec.permutation, spec.paddedShape))
      keyStream << ',' << value;
    nvptx::KernelLaunch &kernel = copyKernels[key];
    if (!empty && !kernel.func) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToEnd(getOperation().getBody());
      auto module = gpu::GPUModuleOp::create(b, loc, name);
      symbols.insert(module);
      kernel = nvptx::buildCopyKernel(b, loc, module, module.getName(), spec);
    }
    Value targetBuffer = memref::AllocOp::create(b, loc, spec.target);
    if (!empty)
      nvptx::launchKernel(b, loc, kernel, {sourceBuffer, targetBuffer});
    return targetBuffer;
  }

  /// The copy kernels built so far, by function and copy.
  llvm::StringMap<nvptx::KernelLaunch> copyKernels;

  LogicalResult convert(scf::ForallOp forall, SymbolTable &symbols) {
    FailureOr<FlashLoop> analyzed = analyzeFlashLoop(forall);
    if (failed(analyzed))
      return failure();
    FlashLoop &loop = *analyzed;
    FailureOr<nvptx::KeyLoopBoundsBuilder> bounds = keyLoopBoundsOf(loop);
    if (failed(bounds))
      return failure();

    PartialAttentionOp tile = loop.tile;
    auto shape = [](Value v) { return cast<ShapedType>(v.getType()); };
    nvptx::AttentionKernelSpec spec;
    auto func = forall->getParentOfType<FunctionOpInterface>();
    spec.name =
        (func ? func.getName().str() : std::string("attention")) + "_kernel";
    ArrayRef<int64_t> q = shape(loop.query).getShape(),
                      k = shape(loop.key).getShape(),
                      v = shape(loop.value).getShape();
    spec.batch = q[0];
    spec.queryHeads = q[1];
    spec.queryLen = q[2];
    spec.headDim = q[3];
    spec.kvHeads = k[1];
    spec.keyLen = k[2];
    spec.valueDim = v[3];
    spec.queryTile = loop.queryTile;
    std::optional<int64_t> keyStep =
        getConstantIntValue(loop.keyLoop.getStep());
    spec.keyTile = keyStep.value_or(0);
    spec.elementType = shape(loop.query).getElementType();
    spec.softmax = tile.getScore() == ScoreKind::softmax;
    spec.scale = tile.getScale().convertToDouble();
    if (!spec.softmax)
      spec.sigmoidBias = tile.getSigmoidBiasAttr().getValueAsDouble();
    spec.mask = tile::maskParamsOf(tile);
    // A bias of one row per query and key is staged by the tensor-core
    // kernel, its rows padded on the device to whole 16-byte chunks where
    // they are not.
    RankedTensorType paddedBiasType;
    if (loop.bias) {
      spec.biasType = cast<RankedTensorType>(loop.bias.getType());
      if (int64_t stagedKeyLen = nvptx::stageableBiasKeyLen(spec)) {
        spec.stageBias = true;
        if (stagedKeyLen != spec.keyLen) {
          SmallVector<int64_t> padded(spec.biasType.getShape());
          padded.back() = stagedKeyLen;
          paddedBiasType = spec.biasType.clone(padded);
          spec.biasType = paddedBiasType;
        }
      }
    }
    if (loop.layout) {
      spec.layoutType = cast<RankedTensorType>(loop.layout.getType());
      spec.layoutPerBatch = tile.getLayoutPerBatch();
      ArrayRef<int64_t> block = *tile.getBlock();
      spec.layoutBlock = {block[0], block[1]};
    }
    spec.writeOut = loop.outResult >= 0;
    spec.writeLse = loop.lseResult >= 0;
    spec.keyLoopBounds = *bounds;
    spec.keyRangeCount = loop.keyLoops.size();
    FailureOr<nvptx::KeyIntervalsBuilder> keyIntervals = keyIntervalsOf(tile);
    if (failed(keyIntervals))
      return failure();
    spec.keyIntervals = *keyIntervals;
    if (!tile.getMask().empty())
      spec.keyIntervalCount =
          tile.getMask().front().getTerminator()->getNumOperands() / 2;
    spec.mutation = parseMutation(testMutation);

    bool sameTypes = shape(loop.key).getElementType() == spec.elementType &&
                     shape(loop.value).getElementType() == spec.elementType;
    bool staticShapes =
        llvm::all_of(ValueRange{loop.query, loop.key, loop.value, loop.bias,
                                loop.kvLen, loop.qLen, loop.layout},
                     [&](Value x) { return !x || shape(x).hasStaticShape(); });
    if (!sameTypes || !staticShapes ||
        !isa<Float16Type, BFloat16Type, Float32Type>(spec.elementType))
      return forall.emitError()
             << "convert-attn-tiles-to-gpu: the GPU kernels take static "
                "shapes and one element type (f16, bf16 or f32) for q, k "
                "and v";
    spec.warpgroupMMA = nvptx::selectsWarpgroupMMA(spec, chip);
    if (llvm::Error error = nvptx::checkAttentionKernelSpec(spec, chip))
      return forall.emitError() << "convert-attn-tiles-to-gpu: "
                                << llvm::toString(std::move(error));

    // The kernel, in a gpu.module of its own (one PTX image per kernel, as
    // Triton's bundles have); none when the outputs are empty (a grid with a
    // zero dim is not a valid launch).
    MLIRContext *ctx = &getContext();
    OpBuilder b(ctx);
    Location loc = tile.getLoc();
    ModuleOp module = getOperation();
    bool empty = spec.batch == 0 || spec.queryHeads == 0 || spec.queryLen == 0;
    nvptx::KernelLaunch kernel;
    if (!empty) {
      b.setInsertionPointToEnd(module.getBody());
      auto kernelModule = gpu::GPUModuleOp::create(b, loc, spec.name);
      symbols.insert(kernelModule);
      spec.name = kernelModule.getName().str();
      kernel = nvptx::buildAttentionKernel(b, loc, kernelModule, spec);
    }

    // The host: the loop's tensors as buffers, the launch, the results.
    b.setInsertionPoint(forall);
    Location hostLoc = forall.getLoc();
    SmallVector<Value> arguments;
    auto buffer = [&](Value tensor) {
      auto type = cast<RankedTensorType>(tensor.getType());
      arguments.push_back(bufferization::ToBufferOp::create(
          b, hostLoc, MemRefType::get(type.getShape(), type.getElementType()),
          tensor, /*readOnly=*/true));
    };
    for (Value input : {loop.query, loop.key, loop.value, loop.bias, loop.kvLen,
                        loop.qLen, loop.layout}) {
      if (!input)
        continue;
      buffer(input);
      // (No padding for a kernel that is not launched.)
      if (input != loop.bias || !paddedBiasType || empty)
        continue;
      nvptx::CopyKernelSpec pad;
      pad.source = cast<MemRefType>(arguments.back().getType());
      pad.target = MemRefType::get(paddedBiasType.getShape(),
                                   paddedBiasType.getElementType());
      pad.inputShape = llvm::to_vector(pad.source.getShape());
      pad.permutation = llvm::to_vector(llvm::seq<int64_t>(0, 4));
      pad.paddedShape = llvm::to_vector(pad.target.getShape());
      arguments.back() = copyOnDevice(
          b, hostLoc, symbols,
          (func ? func.getName().str() : std::string("attention")) +
              "_bias_pad",
          pad, arguments.back());
    }
    SmallVector<std::pair<int, Value>> outputs;
    for (int result : {loop.outResult, loop.lseResult}) {
      if (result < 0)
        continue;
      auto type = cast<RankedTensorType>(forall->getResult(result).getType());
      Value allocated = memref::AllocOp::create(
          b, hostLoc, MemRefType::get(type.getShape(), type.getElementType()));
      arguments.push_back(allocated);
      outputs.push_back({result, allocated});
    }
    if (!empty)
      nvptx::launchKernel(b, hostLoc, kernel, arguments);
    for (auto [result, allocated] : outputs) {
      Value tensor = bufferization::ToTensorOp::create(
          b, hostLoc, forall->getResult(result).getType(), allocated,
          /*restrict=*/true, /*writable=*/true);
      forall->getResult(result).replaceAllUsesWith(tensor);
    }
    forall.erase();
    return success();
  }
};

} // namespace
