//===- HostElementKernels.cpp - host tensor ops as element kernels --------===//
//
// Each op's element, built in the kernel from whole input buffers:
//  - linalg.generic (and the named ops that generalize to one, but not
//    contractions and convolutions, which need tiled kernels): the loop
//    dims of the result from the element's indices, a loop per reduction
//    dim inside the thread (from the init, or the fill's constant), the
//    payload cloned with the inputs loaded through their indexing maps;
//  - linalg.fill: its constant;
//  - tensor.pad: the source inside, the padding value outside;
//  - tensor.extract_slice: the source at offset + index * stride;
//  - a chain of tensor.insert_slice ops (attn-tile's concatenations) and
//    tensor.concat: the latest slice that holds the element, else the
//    destination (nothing is read where the destination is tensor.empty).
// Shapes, offsets, sizes and strides are static.
//
//===----------------------------------------------------------------------===//

#include "HostElementKernels.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace mixir;
using namespace mixir::nvptx;

bool nvptx::isHostElementOpKind(Operation *op) {
  return isa<linalg::LinalgOp, tensor::PadOp, tensor::ExtractSliceOp,
             tensor::InsertSliceOp, tensor::ConcatOp>(op) &&
         !isa<linalg::TransposeOp>(op);
}

bool nvptx::isInsertChainLink(Operation *op) {
  auto insert = dyn_cast<tensor::InsertSliceOp>(op);
  if (!insert || !insert->hasOneUse())
    return false;
  auto next = dyn_cast<tensor::InsertSliceOp>(*insert->getUsers().begin());
  return next && next.getDest() == insert.getResult() &&
         next.getSource() != insert.getResult();
}

/// "'OP' (from the op at this location) on the host WHY", at the op.
static InFlightDiagnostic errorAt(Operation *op, const Twine &why) {
  return op->emitError() << "convert-attn-tiles-to-gpu: '" << op->getName()
                         << "' (from the op at this location) on the host "
                         << why;
}

static bool isStaticTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape();
}

static Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

static Value andOf(OpBuilder &b, Location loc, Value x, Value y) {
  return x ? arith::AndIOp::create(b, loc, x, y).getResult() : y;
}

/// A value a kernel can rebuild: defined by a constant (cloned into it).
static Operation *constantDefinition(Value value) {
  Operation *defining = value.getDefiningOp();
  if (defining && defining->hasTrait<OpTrait::ConstantLike>())
    return defining;
  return nullptr;
}

/// One slice written into a destination: the element is the source's at
/// (index - offset) / stride where every dim of the destination holds it.
struct Slice {
  Value source;
  SmallVector<int64_t> offsets, sizes, strides;
  /// The destination's dims that the source has (rank-reducing slices).
  SmallVector<int64_t> sourceDims;
};

/// Whether `indices` (of the destination) lie in `slice`, and the source's
/// indices there.
static std::pair<Value, SmallVector<Value>>
inSlice(OpBuilder &b, Location loc, const Slice &slice, ValueRange indices) {
  Value inside;
  SmallVector<Value> relative(indices.size());
  for (auto [dim, index] : llvm::enumerate(indices)) {
    int64_t offset = slice.offsets[dim], stride = slice.strides[dim],
            size = slice.sizes[dim];
    Value shifted =
        arith::SubIOp::create(b, loc, index, indexConstant(b, loc, offset));
    // (Unsigned: an index below the offset wraps far past the size.)
    Value position = shifted;
    if (stride != 1) {
      Value remainder = arith::RemUIOp::create(b, loc, shifted,
                                               indexConstant(b, loc, stride));
      inside =
          andOf(b, loc, inside,
                arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      remainder, indexConstant(b, loc, 0)));
      position = arith::DivUIOp::create(b, loc, shifted,
                                        indexConstant(b, loc, stride));
    }
    inside =
        andOf(b, loc, inside,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, position,
                                    indexConstant(b, loc, size)));
    relative[dim] = position;
  }
  SmallVector<Value> sourceIndices;
  for (int64_t dim : slice.sourceDims)
    sourceIndices.push_back(relative[dim]);
  return {inside, sourceIndices};
}

/// The element of a destination that `slices` (in order) are written into:
/// the latest slice that holds it, else the destination's own (`base`,
/// null for tensor.empty: then every element must lie in some slice).
static HostElementOp slicesInto(Operation *root, Value base,
                                SmallVector<Slice, 2> slices) {
  HostElementOp kernel;
  kernel.root = root;
  kernel.result = cast<RankedTensorType>(root->getResult(0).getType());
  for (const Slice &slice : slices)
    kernel.inputs.push_back(slice.source);
  if (base)
    kernel.inputs.push_back(base);
  Type elementType = kernel.result.getElementType();
  kernel.element = [slices, hasBase = bool(base),
                    elementType](OpBuilder &b, Location loc, ValueRange inputs,
                                 ValueRange indices) -> Value {
    // From the latest slice back: each test guards the ones before it.
    std::function<Value(OpBuilder &, int64_t)> from = [&](OpBuilder &nb,
                                                          int64_t k) -> Value {
      if (k < 0) {
        if (hasBase)
          return memref::LoadOp::create(nb, loc, inputs.back(), indices);
        return arith::ConstantOp::create(nb, loc, nb.getZeroAttr(elementType))
            .getResult();
      }
      auto [inside, sourceIndices] = inSlice(nb, loc, slices[k], indices);
      if (k == 0 && !hasBase)
        return memref::LoadOp::create(nb, loc, inputs[k], sourceIndices);
      Value input = inputs[k];
      SmallVector<Value> at = sourceIndices;
      return selectBuilt(
          nb, loc, elementType, inside,
          [&](OpBuilder &tb) -> Value {
            return memref::LoadOp::create(tb, loc, input, at);
          },
          [&](OpBuilder &eb) { return from(eb, k - 1); });
    };
    return from(b, static_cast<int64_t>(slices.size()) - 1);
  };
  return kernel;
}

static FailureOr<Slice>
sliceOf(Operation *op, Value source, RankedTensorType full,
        ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
        ArrayRef<int64_t> strides, const llvm::SmallBitVector &dropped) {
  if (ShapedType::isDynamicShape(offsets) ||
      ShapedType::isDynamicShape(sizes) || ShapedType::isDynamicShape(strides))
    return errorAt(op, "has dynamic offsets, sizes or strides, which the GPU "
                       "target does not take yet");
  Slice slice;
  slice.source = source;
  slice.offsets.assign(offsets.begin(), offsets.end());
  slice.sizes.assign(sizes.begin(), sizes.end());
  slice.strides.assign(strides.begin(), strides.end());
  for (int64_t dim = 0; dim < full.getRank(); ++dim)
    if (!dropped.test(dim))
      slice.sourceDims.push_back(dim);
  return slice;
}

static FailureOr<HostElementOp> insertChainOf(tensor::InsertSliceOp last) {
  SmallVector<tensor::InsertSliceOp> chain = {last};
  while (auto previous =
             chain.back().getDest().getDefiningOp<tensor::InsertSliceOp>()) {
    if (!isInsertChainLink(previous))
      break;
    chain.push_back(previous);
  }
  std::reverse(chain.begin(), chain.end());
  SmallVector<Slice, 2> slices;
  for (tensor::InsertSliceOp insert : chain) {
    FailureOr<Slice> slice =
        sliceOf(insert, insert.getSource(), insert.getDestType(),
                insert.getStaticOffsets(), insert.getStaticSizes(),
                insert.getStaticStrides(), insert.getDroppedDims());
    if (failed(slice))
      return failure();
    slices.push_back(*slice);
  }
  Value base = chain.front().getDest();
  if (base.getDefiningOp<tensor::EmptyOp>())
    base = Value();
  HostElementOp kernel = slicesInto(last, base, slices);
  for (tensor::InsertSliceOp insert : chain)
    kernel.replaced.push_back(insert);
  return kernel;
}

static HostElementOp concatOf(tensor::ConcatOp concat) {
  SmallVector<Slice, 2> slices;
  int64_t dim = concat.getDim(), offset = 0;
  int64_t rank = concat.getResultType().getRank();
  for (Value input : concat.getInputs()) {
    Slice slice;
    slice.source = input;
    slice.offsets.assign(rank, 0);
    slice.offsets[dim] = offset;
    slice.sizes.assign(cast<RankedTensorType>(input.getType()).getShape());
    slice.strides.assign(rank, 1);
    slice.sourceDims = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    offset += slice.sizes[dim];
    slices.push_back(slice);
  }
  HostElementOp kernel = slicesInto(concat, Value(), slices);
  kernel.replaced.push_back(concat);
  return kernel;
}

static FailureOr<HostElementOp> extractSliceOf(tensor::ExtractSliceOp extract) {
  FailureOr<Slice> found =
      sliceOf(extract, extract.getSource(), extract.getSourceType(),
              extract.getStaticOffsets(), extract.getStaticSizes(),
              extract.getStaticStrides(), extract.getDroppedDims());
  if (failed(found))
    return failure();
  HostElementOp kernel;
  kernel.root = extract;
  kernel.result = extract.getResultType();
  kernel.inputs = {extract.getSource()};
  kernel.replaced = {extract};
  kernel.element = [slice = *found](OpBuilder &b, Location loc,
                                    ValueRange inputs,
                                    ValueRange indices) -> Value {
    // The source's index in each dim: offset + index * stride, the offset
    // alone in the dims the result drops.
    SmallVector<Value> at;
    for (auto [dim, offset] : llvm::enumerate(slice.offsets))
      at.push_back(indexConstant(b, loc, offset));
    for (auto [position, dim] : llvm::enumerate(slice.sourceDims))
      at[dim] = arith::AddIOp::create(
          b, loc, at[dim],
          arith::MulIOp::create(b, loc, indices[position],
                                indexConstant(b, loc, slice.strides[dim])));
    return memref::LoadOp::create(b, loc, inputs[0], at);
  };
  return kernel;
}

static FailureOr<HostElementOp> padOf(tensor::PadOp pad) {
  Value padding = pad.getConstantPaddingValue();
  Operation *constant = padding ? constantDefinition(padding) : nullptr;
  if (!constant)
    return errorAt(pad, "pads with a value that is not a constant, which the "
                        "GPU target does not take yet");
  if (ShapedType::isDynamicShape(pad.getStaticLow()) ||
      ShapedType::isDynamicShape(pad.getStaticHigh()))
    return errorAt(pad, "has dynamic padding, which the GPU target does not "
                        "take yet");
  HostElementOp kernel;
  kernel.root = pad;
  kernel.result = pad.getResultType();
  kernel.inputs = {pad.getSource()};
  kernel.replaced = {pad};
  SmallVector<int64_t> low(pad.getStaticLow());
  SmallVector<int64_t> sizes(pad.getSourceType().getShape());
  Type elementType = kernel.result.getElementType();
  kernel.element = [low, sizes, constant,
                    elementType](OpBuilder &b, Location loc, ValueRange inputs,
                                 ValueRange indices) -> Value {
    Slice inner;
    inner.offsets = low;
    inner.sizes = sizes;
    inner.strides.assign(sizes.size(), 1);
    inner.sourceDims = llvm::to_vector(llvm::seq<int64_t>(0, sizes.size()));
    auto [inside, at] = inSlice(b, loc, inner, indices);
    return selectBuilt(
        b, loc, elementType, inside,
        [&](OpBuilder &tb) -> Value {
          return memref::LoadOp::create(tb, loc, inputs[0], at);
        },
        [&](OpBuilder &eb) { return eb.clone(*constant)->getResult(0); });
  };
  return kernel;
}

/// exp(x) (natural) or 2^x of an f32 by ex2.approx.ftz.f32, as the
/// attention kernels compute it (relative error within 2 ulp; subnormal
/// results flushed to 0).
static Value exp2Approx(OpBuilder &b, Location loc, Value x, bool natural) {
  if (natural)
    x = arith::MulFOp::create(
        b, loc, x,
        arith::ConstantOp::create(b, loc, b.getF32FloatAttr(M_LOG2E)));
  return LLVM::CallIntrinsicOp::create(
             b, loc, b.getF32Type(),
             b.getStringAttr("llvm.nvvm.ex2.approx.ftz.f"), ValueRange{x})
      .getResult(0);
}

/// Whether the kernels compute `op` of the math dialect: exp and exp2 of
/// f32 (on ex2.approx); the others lower to libdevice calls (__nv_logf),
/// which the kernels do not link (TOOLCHAIN.md, trap 9).
static bool isKernelMath(Operation &op) {
  return isa<math::ExpOp, math::Exp2Op>(op) &&
         op.getResult(0).getType().isF32();
}

/// A linalg.generic's element: see the file comment.
static FailureOr<HostElementOp> genericOf(linalg::GenericOp generic) {
  if (generic.getNumDpsInits() != 1 || !generic.hasPureTensorSemantics())
    return errorAt(generic, "has more than one result or works on buffers, "
                            "which the GPU target does not take yet");
  for (Value operand : generic->getOperands())
    if (isa<ShapedType>(operand.getType()) ? !isStaticTensor(operand.getType())
                                           : !constantDefinition(operand))
      return errorAt(generic,
                     "reads a dynamic shape or a scalar that is not a "
                     "constant, which the GPU target does not take yet");
  // Values the payload uses from outside it must be constants, cloned in.
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(generic.getRegion(), captured);
  SmallVector<Operation *> constants;
  for (Value value : captured) {
    Operation *constant = constantDefinition(value);
    if (!constant)
      return errorAt(generic, "has a payload that uses a value computed on the "
                              "host, which a kernel cannot read");
    constants.push_back(constant);
  }
  OpOperand *init = generic.getDpsInitOperand(0);
  AffineMap resultMap = generic.getMatchingIndexingMap(init);
  if (!resultMap.isProjectedPermutation(/*allowZeroInResults=*/false))
    return errorAt(generic, "writes its result through an indexing map that "
                            "is not a projected permutation");
  SmallVector<int64_t> ranges = generic.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  SmallVector<int64_t> resultDims, reductionDims;
  for (AffineExpr expr : resultMap.getResults())
    resultDims.push_back(cast<AffineDimExpr>(expr).getPosition());
  for (int64_t dim = 0; dim < static_cast<int64_t>(ranges.size()); ++dim) {
    if (llvm::is_contained(resultDims, dim))
      continue;
    if (iterators[dim] != utils::IteratorType::reduction)
      return errorAt(generic, "has a parallel dim its result does not index");
    reductionDims.push_back(dim);
  }

  HostElementOp kernel;
  kernel.root = generic;
  kernel.result = cast<RankedTensorType>(generic->getResult(0).getType());
  kernel.replaced = {generic};
  // The inputs the kernel reads: the tensor operands, then the init where
  // the payload reads it and it is not a fill's constant.
  SmallVector<int> inputOf(generic->getNumOperands(), -1);
  for (OpOperand *input : generic.getDpsInputOperands())
    if (isa<ShapedType>(input->get().getType())) {
      inputOf[input->getOperandNumber()] = kernel.inputs.size();
      kernel.inputs.push_back(input->get());
    }
  bool readsInit = !generic.getMatchingBlockArgument(init).use_empty();
  Operation *initConstant = nullptr;
  if (readsInit) {
    if (auto fill = init->get().getDefiningOp<linalg::FillOp>())
      initConstant = constantDefinition(fill.getInputs()[0]);
    if (!initConstant) {
      inputOf[init->getOperandNumber()] = kernel.inputs.size();
      kernel.inputs.push_back(init->get());
    }
  }
  kernel.element = [op = generic.getOperation(), inputOf, resultDims,
                    reductionDims, ranges, constants, readsInit,
                    initConstant](OpBuilder &b, Location loc, ValueRange inputs,
                                  ValueRange indices) -> Value {
    auto generic = cast<linalg::GenericOp>(op);
    IRMapping mapping;
    for (Operation *constant : constants)
      b.clone(*constant, mapping);
    SmallVector<Value> dims(ranges.size());
    for (auto [position, dim] : llvm::enumerate(resultDims))
      dims[dim] = indices[position];
    OpOperand *init = generic.getDpsInitOperand(0);
    auto read = [&](OpBuilder &nb, OpOperand &operand) -> Value {
      if (Operation *constant = constantDefinition(operand.get()))
        return nb.clone(*constant)->getResult(0);
      AffineMap map = generic.getMatchingIndexingMap(&operand);
      SmallVector<Value> at;
      // (A dim is its value: the init is read before the reduction loops
      // give theirs.)
      for (AffineExpr expr : map.getResults()) {
        if (auto dim = dyn_cast<AffineDimExpr>(expr))
          at.push_back(dims[dim.getPosition()]);
        else
          at.push_back(affine::AffineApplyOp::create(
              nb, loc, AffineMap::get(map.getNumDims(), 0, expr), dims));
      }
      return memref::LoadOp::create(
          nb, loc, inputs[inputOf[operand.getOperandNumber()]], at);
    };
    auto payload = [&](OpBuilder &nb, Value accumulator) -> Value {
      IRMapping body = mapping;
      Block &block = generic.getRegion().front();
      for (OpOperand *input : generic.getDpsInputOperands())
        body.map(generic.getMatchingBlockArgument(input), read(nb, *input));
      if (accumulator)
        body.map(generic.getMatchingBlockArgument(init), accumulator);
      for (Operation &op : block.without_terminator()) {
        if (auto index = dyn_cast<linalg::IndexOp>(op)) {
          body.map(index.getResult(), dims[index.getDim()]);
          continue;
        }
        if (isa<math::ExpOp, math::Exp2Op>(op)) {
          body.map(op.getResult(0),
                   exp2Approx(nb, loc, body.lookup(op.getOperand(0)),
                              isa<math::ExpOp>(op)));
          continue;
        }
        nb.clone(op, body);
      }
      return body.lookupOrDefault(block.getTerminator()->getOperand(0));
    };
    Value initial;
    if (readsInit)
      initial =
          initConstant ? b.clone(*initConstant)->getResult(0) : read(b, *init);
    // One loop per reduction dim, the accumulator carried through them.
    std::function<Value(OpBuilder &, size_t, Value)> reduce =
        [&](OpBuilder &nb, size_t level, Value accumulator) -> Value {
      if (level == reductionDims.size())
        return payload(nb, accumulator);
      int64_t dim = reductionDims[level];
      SmallVector<Value> carried;
      if (accumulator)
        carried.push_back(accumulator);
      auto loop = scf::ForOp::create(
          nb, loc, indexConstant(nb, loc, 0),
          indexConstant(nb, loc, ranges[dim]), indexConstant(nb, loc, 1),
          carried,
          [&](OpBuilder &lb, Location, Value iv, ValueRange arguments) {
            dims[dim] = iv;
            Value next = reduce(lb, level + 1,
                                arguments.empty() ? Value() : arguments[0]);
            scf::YieldOp::create(
                lb, loc, arguments.empty() ? ValueRange{} : ValueRange{next});
          });
      return accumulator ? loop.getResult(0) : Value();
    };
    if (reductionDims.empty())
      return payload(b, initial);
    assert(initial && "a reduction reads its init (checked below)");
    return reduce(b, 0, initial);
  };
  if (!reductionDims.empty() && !readsInit)
    return errorAt(generic, "reduces without reading its init");
  return kernel;
}

FailureOr<HostElementOp> nvptx::hostElementOpOf(Operation *op) {
  for (Type type : op->getResultTypes())
    if (!isStaticTensor(type))
      return errorAt(op, "has a dynamic shape, which the GPU target does not "
                         "take yet");
  if (auto pad = dyn_cast<tensor::PadOp>(op))
    return padOf(pad);
  if (auto extract = dyn_cast<tensor::ExtractSliceOp>(op))
    return extractSliceOf(extract);
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op))
    return insertChainOf(insert);
  if (auto concat = dyn_cast<tensor::ConcatOp>(op))
    return concatOf(concat);
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    Operation *constant = constantDefinition(fill.getInputs()[0]);
    if (!constant)
      return errorAt(op, "fills with a value that is not a constant");
    HostElementOp kernel;
    kernel.root = fill;
    kernel.result = cast<RankedTensorType>(fill->getResult(0).getType());
    kernel.replaced = {fill};
    kernel.element = [constant](OpBuilder &b, Location, ValueRange,
                                ValueRange) {
      return b.clone(*constant)->getResult(0);
    };
    return kernel;
  }
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (linalg::isaContractionOpInterface(linalgOp) ||
      linalg::isaConvolutionOpInterface(linalgOp))
    return errorAt(op, "is a contraction or convolution, which the GPU "
                       "target does not lower yet (a graph's matmuls, PoNet's "
                       "and Hyena's stages)");
  // (exp is rewritten in the payload's own block, so any math op nested
  // deeper is refused too.)
  Block &payload = linalgOp->getRegion(0).front();
  WalkResult math = payload.walk([&](Operation *inner) {
    if (!isa<math::MathDialect>(inner->getDialect()) ||
        (inner->getBlock() == &payload && isKernelMath(*inner)))
      return WalkResult::advance();
    errorAt(op, "computes '" + inner->getName().getStringRef() +
                    "', which the GPU target does not lower yet (math "
                    "functions other than exp of f32 need libdevice)");
    return WalkResult::interrupt();
  });
  if (math.wasInterrupted())
    return failure();
  if (auto generic = dyn_cast<linalg::GenericOp>(op))
    return genericOf(generic);
  // A named op: replaced by its generic form.
  IRRewriter rewriter(op->getContext());
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::GenericOp> generalized =
      linalg::generalizeNamedOp(rewriter, linalgOp);
  if (failed(generalized))
    return errorAt(op, "has no generic form");
  return genericOf(*generalized);
}
