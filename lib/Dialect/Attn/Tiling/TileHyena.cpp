//===- TileHyena.cpp - attn.hyena by FFT convolution ----------------------===//
//
// The fast path of attn.hyena for attn-tile: every channel's recurrence is
// independent, so an scf.forall over (batch, chunk of channel blocks), with
// an scf.for over the chunk's blocks, runs the whole recurrence on one
// [L, channels] slab at a time (O(L) memory), and
// each long causal convolution is an FFT convolution, O(L log L):
//
//   conv(h, u) = first L of IFFT(FFT(u padded) * FFT(h padded)),  size n >= 2L
//   - 1
//
// The transforms are radix-2 Stockham stages (self-sorting, so no bit
// reversal): stage (n', s) reads the signal as [2, n'/2, s] and writes
// [n'/2, 2, s] with the butterfly (a + b, (a - b) w^p), w = exp(-+2 pi i / n').
// Each stage is one linalg.generic over [n'/2, 2, s * channels]: a stride
// index and its channels are contiguous, so the inner dim is long enough to
// vectorize from the first stages on. The twiddles are constants.
// The gate multiplies the convolution's input, and the 1/n of the inverse
// transform and the skip term are applied in one elementwise op after it.
// Short sequences keep the direct convolution, which is faster there.
//
//===----------------------------------------------------------------------===//

#include "TileEngine.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;
using namespace mixir::attn::tile;

static const double kPi = std::acos(-1.0);

namespace {

/// A complex signal [n, channels] as real and imaginary f32 parts.
struct ComplexSlab {
  Value re, im;
};

/// Builds the ops of one [L, channels] slab's recurrence.
class SlabBuilder {
public:
  SlabBuilder(OpBuilder &b, Location loc, int64_t length, int64_t channels)
      : b(b), loc(loc), ctx(b.getContext()), length(length), channels(channels),
        size(llvm::PowerOf2Ceil(2 * length - 1)) {}

  /// Elementwise f(a...) over [L, channels] slabs (f32 result).
  Value elementwise(ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                    const BodyBuilder &body) {
    SmallVector<AffineMap> maps(inputMaps);
    maps.push_back(AffineMap::getMultiDimIdentityMap(2, ctx));
    return buildGeneric(
        b, loc, inputs, emptyTensor(b, loc, {length, channels}, b.getF32Type()),
        maps, {utils::IteratorType::parallel, utils::IteratorType::parallel},
        body);
  }

  /// conv(h, u)[t] = sum_{s <= t} h[s] u[t - s] per channel, without the
  /// 1/n of the inverse transform (the caller folds it into its next op).
  Value unscaledConvolution(Value filter, Value signal) {
    ComplexSlab spectrum = transform(padded(signal), /*inverse=*/false);
    ComplexSlab response = transform(padded(filter), /*inverse=*/false);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
    ComplexSlab product =
        complexGeneric({spectrum.re, spectrum.im, response.re, response.im},
                       {identity, identity, identity, identity}, size,
                       [](OpBuilder &nb, Location nl, ValueRange a) {
                         // (a + bi)(c + di) = (ac - bd) + (ad + bc)i
                         Value re = arith::SubFOp::create(
                             nb, nl, arith::MulFOp::create(nb, nl, a[0], a[2]),
                             arith::MulFOp::create(nb, nl, a[1], a[3]));
                         Value im = arith::AddFOp::create(
                             nb, nl, arith::MulFOp::create(nb, nl, a[0], a[3]),
                             arith::MulFOp::create(nb, nl, a[1], a[2]));
                         return std::pair<Value, Value>(re, im);
                       });
    ComplexSlab result = transform(product, /*inverse=*/true);
    SmallVector<OpFoldResult> offsets(2, b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    return tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({length, channels}, b.getF32Type()),
        result.re, offsets, getAsIndexOpFoldResult(ctx, {length, channels}),
        strides);
  }

  /// The transform size n (a power of two >= 2L - 1).
  int64_t transformSize() const { return size; }

private:
  using ComplexBody =
      std::function<std::pair<Value, Value>(OpBuilder &, Location, ValueRange)>;

  /// A generic with two f32 results (re, im) of shape [rows, ...] given by
  /// the loop count of its maps; `shape` is the result shape.
  ComplexSlab complexGeneric(ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                             ArrayRef<int64_t> shape, const ComplexBody &body,
                             unsigned loops = 2,
                             std::optional<ComplexSlab> into = std::nullopt) {
    SmallVector<AffineMap> maps(inputMaps);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(loops, ctx);
    maps.append({identity, identity});
    Value re = into ? into->re : emptyTensor(b, loc, shape, b.getF32Type());
    Value im = into ? into->im : emptyTensor(b, loc, shape, b.getF32Type());
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{re.getType(), im.getType()}, inputs,
        ValueRange{re, im}, maps,
        SmallVector<utils::IteratorType>(loops, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          auto [outRe, outIm] = body(nb, nl, args);
          linalg::YieldOp::create(nb, nl, ValueRange{outRe, outIm});
        });
    return {generic.getResult(0), generic.getResult(1)};
  }
  ComplexSlab complexGeneric(ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                             int64_t rows, const ComplexBody &body) {
    return complexGeneric(inputs, inputMaps, {rows, channels}, body);
  }

  /// [L, channels] zero-padded to [n, channels], as a complex signal.
  ComplexSlab padded(Value x) {
    SmallVector<OpFoldResult> low(2, b.getIndexAttr(0));
    SmallVector<OpFoldResult> high = {b.getIndexAttr(size - length),
                                      b.getIndexAttr(0)};
    Value re = tensor::PadOp::create(
        b, loc, RankedTensorType::get({size, channels}, b.getF32Type()), x, low,
        high, f32Constant(b, loc, 0));
    return {re, filledTensor(b, loc, {size, channels}, 0)};
  }

  /// The DFT of `x` along its rows (inverse: conjugate twiddles, no 1/n).
  /// The stages ping-pong between two buffers: each writes into the input
  /// of the stage before it, which nothing reads any more, so bufferization
  /// reuses it instead of allocating a slab per stage.
  ComplexSlab transform(ComplexSlab x, bool inverse) {
    ComplexSlab spare = {emptyTensor(b, loc, {size, channels}, b.getF32Type()),
                         emptyTensor(b, loc, {size, channels}, b.getF32Type())};
    for (int64_t span = size, stride = 1; span > 1; span /= 2, stride *= 2) {
      ComplexSlab y = stage(x, spare, span, stride, inverse);
      spare = x;
      x = y;
    }
    return x;
  }

  /// One Stockham radix-2 stage: x as [2, m, s, c] (m = span / 2) gives
  /// y (written into `into`) as [m, 2, s, c] with y[p, 0] = x[0, p] + x[1, p]
  /// and y[p, 1] = (x[0, p] - x[1, p]) w^p.
  ComplexSlab stage(ComplexSlab x, ComplexSlab into, int64_t span,
                    int64_t stride, bool inverse) {
    int64_t half = span / 2;
    // A position's stride index and its channels are adjacent in memory:
    // one dim of `stride * channels` elements, the vectorized one.
    int64_t row = stride * channels;
    auto reshaped = [&](Value part, ArrayRef<int64_t> shape) -> Value {
      Value flat = tensor::CollapseShapeOp::create(
          b, loc, part, SmallVector<ReassociationIndices>{{0, 1}});
      return tensor::ExpandShapeOp::create(
          b, loc, RankedTensorType::get(shape, b.getF32Type()), flat,
          SmallVector<ReassociationIndices>{{0, 1, 2}});
    };
    auto halves = [&](Value part) {
      Value expanded = reshaped(part, {2, half, row});
      auto halfType = RankedTensorType::get({half, row}, b.getF32Type());
      SmallVector<Value> result;
      for (int64_t which = 0; which < 2; ++which) {
        SmallVector<OpFoldResult> offsets = {
            b.getIndexAttr(which), b.getIndexAttr(0), b.getIndexAttr(0)};
        SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
        result.push_back(tensor::ExtractSliceOp::create(
            b, loc, halfType, expanded, offsets,
            getAsIndexOpFoldResult(ctx, {1, half, row}), strides));
      }
      return result;
    };
    SmallVector<Value> re = halves(x.re), im = halves(x.im);
    // w^p = exp(-+2 pi i p / span), computed in double, stored as f32.
    SmallVector<float> twiddleRe, twiddleIm;
    for (int64_t p = 0; p < half; ++p) {
      double angle =
          2.0 * kPi * static_cast<double>(p) / static_cast<double>(span);
      twiddleRe.push_back(static_cast<float>(std::cos(angle)));
      twiddleIm.push_back(
          static_cast<float>(inverse ? std::sin(angle) : -std::sin(angle)));
    }
    auto table = [&](ArrayRef<float> values) -> Value {
      auto type = RankedTensorType::get({half}, b.getF32Type());
      return arith::ConstantOp::create(b, loc, type,
                                       DenseElementsAttr::get(type, values));
    };
    AffineExpr p, h, r;
    bindDims(ctx, p, h, r);
    AffineMap halfMap = AffineMap::get(3, 0, {p, r}, ctx);
    AffineMap twiddleMap = AffineMap::get(3, 0, {p}, ctx);
    ComplexSlab y = complexGeneric(
        {re[0], im[0], re[1], im[1], table(twiddleRe), table(twiddleIm)},
        {halfMap, halfMap, halfMap, halfMap, twiddleMap, twiddleMap},
        {half, 2, row},
        [](OpBuilder &nb, Location nl, ValueRange a) {
          Value sumRe = arith::AddFOp::create(nb, nl, a[0], a[2]);
          Value sumIm = arith::AddFOp::create(nb, nl, a[1], a[3]);
          Value diffRe = arith::SubFOp::create(nb, nl, a[0], a[2]);
          Value diffIm = arith::SubFOp::create(nb, nl, a[1], a[3]);
          Value rotRe = arith::SubFOp::create(
              nb, nl, arith::MulFOp::create(nb, nl, diffRe, a[4]),
              arith::MulFOp::create(nb, nl, diffIm, a[5]));
          Value rotIm = arith::AddFOp::create(
              nb, nl, arith::MulFOp::create(nb, nl, diffRe, a[5]),
              arith::MulFOp::create(nb, nl, diffIm, a[4]));
          Value isSum =
              arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq,
                                    linalg::IndexOp::create(nb, nl, 1),
                                    arith::ConstantIndexOp::create(nb, nl, 0));
          return std::pair<Value, Value>(
              arith::SelectOp::create(nb, nl, isSum, sumRe, rotRe),
              arith::SelectOp::create(nb, nl, isSum, sumIm, rotIm));
        },
        /*loops=*/3,
        ComplexSlab{reshaped(into.re, {half, 2, row}),
                    reshaped(into.im, {half, 2, row})});
    auto restored = [&](Value part) -> Value {
      Value flat = tensor::CollapseShapeOp::create(
          b, loc, part, SmallVector<ReassociationIndices>{{0, 1, 2}});
      return tensor::ExpandShapeOp::create(
          b, loc, RankedTensorType::get({size, channels}, b.getF32Type()), flat,
          SmallVector<ReassociationIndices>{{0, 1}});
    };
    return {restored(y.re), restored(y.im)};
  }

  OpBuilder &b;
  Location loc;
  MLIRContext *ctx;
  int64_t length, channels, size;
};

struct TileHyena : OpRewritePattern<HyenaOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(HyenaOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    TileConfigAttr config = TileConfigAttr::lookup(op);
    if (!config)
      return rewriter.notifyMatchFailure(op, "no tile configuration");
    ArrayRef<int64_t> shape = shapeOf(op.getInput());
    int64_t batch = shape[0], length = shape[1], channels = shape[2];
    if (length < config.getHyenaFftMinLength())
      return rewriter.notifyMatchFailure(
          op, "short sequence: the direct convolution is faster");
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    int64_t order = shapeOf(op.getGates())[0];
    // Channels per slab: few, so that the four [n, channels] buffers of a
    // transform stay in cache (the CPU's configuration, measured on 2
    // threads, C = 32, order 3: 4 channels best at L = 4096, 2 at
    // L = 65536; the vectorized dim is the stride times the channels, so few
    // channels cost no vector width).
    int64_t transformSize = llvm::PowerOf2Ceil(2 * length - 1);
    int64_t block =
        divisorAtMost(channels, transformSize <= config.getHyenaLongTransform()
                                    ? config.getHyenaChannelBlock()
                                    : config.getHyenaLongChannelBlock());
    Type elementType =
        cast<RankedTensorType>(op.getInput().getType()).getElementType();

    // The channel blocks of a batch row go to a few chunks: the scf.forall
    // runs the chunks in parallel, and an scf.for inside runs a chunk's
    // blocks one after the other, so that the slab buffers of one block
    // can be reused by the next (buffer-loop-hoisting moves them out of the
    // scf.for) instead of being allocated, faulted in and freed per block.
    int64_t blocks = channels / block;
    // Enough chunks to balance a few threads, few enough that each chunk
    // reuses its slab buffers many times.
    int64_t chunks = divisorAtMost(blocks, config.getHyenaChunks());
    // A prime number of blocks has no small divisor: one block per chunk
    // keeps the parallelism.
    if (chunks == 1)
      chunks = blocks;
    int64_t blocksPerChunk = blocks / chunks;
    int64_t chunkChannels = blocksPerChunk * block;
    auto forall = scf::ForallOp::create(
        rewriter, loc,
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(batch),
                               rewriter.getIndexAttr(chunks)},
        ValueRange{emptyTensor(rewriter, loc, shape, elementType)},
        std::nullopt);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(forall.getTerminator());
    Value batchIndex = forall.getInductionVars()[0];
    Value chunkStart = arith::MulIOp::create(
        rewriter, loc, forall.getInductionVars()[1],
        arith::ConstantIndexOp::create(rewriter, loc, chunkChannels));
    SmallVector<OpFoldResult> unitStrides(3, rewriter.getIndexAttr(1));
    Value chunkInit = tensor::ExtractSliceOp::create(
        rewriter, loc, forall.getRegionIterArgs()[0],
        ArrayRef<OpFoldResult>{batchIndex, rewriter.getIndexAttr(0),
                               chunkStart},
        getAsIndexOpFoldResult(ctx, {1, length, chunkChannels}), unitStrides);
    auto chunkLoop = scf::ForOp::create(
        rewriter, loc, arith::ConstantIndexOp::create(rewriter, loc, 0),
        arith::ConstantIndexOp::create(rewriter, loc, chunkChannels),
        arith::ConstantIndexOp::create(rewriter, loc, block),
        ValueRange{chunkInit});
    rewriter.setInsertionPointToStart(chunkLoop.getBody());
    Value channelInChunk = chunkLoop.getInductionVar();
    Value firstChannel =
        arith::AddIOp::create(rewriter, loc, chunkStart, channelInChunk);
    OpFoldResult zero = rewriter.getIndexAttr(0);
    auto slice = [&](Value source, ArrayRef<OpFoldResult> offsets,
                     ArrayRef<int64_t> sizes,
                     ArrayRef<int64_t> resultShape) -> Value {
      return tensorToF32(
          rewriter, loc,
          sliceOf(rewriter, loc, source, offsets, sizes, resultShape));
    };
    auto gateSlab = [&](int64_t index) {
      return slice(
          op.getGates(),
          {rewriter.getIndexAttr(index), batchIndex, zero, firstChannel},
          {1, 1, length, block}, {length, block});
    };

    SlabBuilder slab(rewriter, loc, length, block);
    AffineExpr d0, d1;
    bindDims(ctx, d0, d1);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
    auto multiply = [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
      return arith::MulFOp::create(nb, nl, a[0], a[1]);
    };
    Value stream = slice(op.getInput(), {batchIndex, zero, firstChannel},
                         {1, length, block}, {length, block});
    for (int64_t step = 0; step + 1 < order; ++step) {
      // u = v * x^{N-1-step}
      Value gated = slab.elementwise({stream, gateSlab(order - 1 - step)},
                                     {identity, identity}, multiply);
      // h^step as [L, channels]: taps beyond L never reach an output.
      Value taps = slice(op.getFilters(),
                         {rewriter.getIndexAttr(step), firstChannel, zero},
                         {1, block, length}, {block, length});
      Value filter = linalg::TransposeOp::create(
                         rewriter, loc, taps,
                         emptyTensor(rewriter, loc, {length, block},
                                     rewriter.getF32Type()),
                         ArrayRef<int64_t>{1, 0})
                         .getResult()[0];
      Value convolution = slab.unscaledConvolution(filter, gated);
      // v = conv / n + skip * u
      Value skip =
          slice(op.getSkip(), {rewriter.getIndexAttr(step), firstChannel},
                {1, block}, {block});
      double inverseSize = 1.0 / static_cast<double>(slab.transformSize());
      stream = slab.elementwise(
          {convolution, skip, gated},
          {identity, AffineMap::get(2, 0, {d1}, ctx), identity},
          [inverseSize](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value scaled = arith::MulFOp::create(
                nb, nl, a[0], f32Constant(nb, nl, inverseSize));
            return arith::AddFOp::create(
                nb, nl, scaled, arith::MulFOp::create(nb, nl, a[1], a[2]));
          });
    }
    // y = v * x^0
    Value output = buildGeneric(
        rewriter, loc, {stream, gateSlab(0)},
        emptyTensor(rewriter, loc, {length, block}, elementType),
        {identity, identity, identity},
        {utils::IteratorType::parallel, utils::IteratorType::parallel},
        [elementType](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return fromF32(nb, nl, arith::MulFOp::create(nb, nl, a[0], a[1]),
                         elementType);
        });

    Value chunkOutput = tensor::InsertSliceOp::create(
        rewriter, loc, output, chunkLoop.getRegionIterArgs()[0],
        ArrayRef<OpFoldResult>{zero, zero, channelInChunk},
        getAsIndexOpFoldResult(ctx, {1, length, block}), unitStrides);
    scf::YieldOp::create(rewriter, loc, chunkOutput);

    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(
        rewriter, loc, chunkLoop.getResult(0), forall.getRegionIterArgs()[0],
        ArrayRef<OpFoldResult>{batchIndex, zero, chunkStart},
        getAsIndexOpFoldResult(ctx, {1, length, chunkChannels}), unitStrides);
    rewriter.replaceOp(op, forall.getResults());
    return success();
  }
};

} // namespace

void tile::populateHyenaFFTPatterns(RewritePatternSet &patterns) {
  patterns.add<TileHyena>(patterns.getContext());
}
