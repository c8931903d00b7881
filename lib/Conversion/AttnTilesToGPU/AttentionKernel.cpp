//===- AttentionKernel.cpp - GPU kernels of attention tile loops ----------===//
//
// The kernel of one flash loop: the CTA's setup (ids, arguments, the key
// loop's bounds, the key tiles a block layout keeps), the masks and scores
// on any element layout, the epilogue,
// and the two main loops: tensor cores for f16/bf16 (mma.sync m16n8k16,
// ldmatrix, cp.async double buffering) and FMAs for f32.
//
// The numerics are the spec's tiled form in base 2: logits are scaled by
// scale * log2(e) once, so that exp is one ex2.approx.ftz.f32; m is kept in
// that domain, and lse = ln 2 * (m + lg2 l).
//
//===----------------------------------------------------------------------===//

#include "AttentionKernel.h"

#include "mixir/Dialect/Attn/Tiling/TileRules.h"
#include "mixir/Target/TargetDescription.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mixir;
using namespace mixir::nvptx;
using attn::decompose::AttentionMaskParams;

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();
static constexpr int64_t kThreadsPerWarp = 32;
/// Both kernels run 4 warps per CTA; the tensor-core kernel gives each warp
/// 16 query rows (one m16 row block), the FMA kernel 2 threads per row: 64
/// rows a CTA either way, the GPU's query tile.
static constexpr int64_t kWarpsPerCTA = 4;
static constexpr int64_t kRowsPerWarp = 16;
static constexpr int64_t kQueryTile = kWarpsPerCTA * kRowsPerWarp;

namespace {

/// Builds one kernel: the helpers every part of it uses.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc, const AttentionKernelSpec &spec)
      : b(b), loc(loc), spec(spec), f32(b.getF32Type()), i32(b.getI32Type()),
        i64(b.getI64Type()) {}

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value int32(int64_t value) {
    return arith::ConstantIntOp::create(b, loc, i32, value);
  }
  Value int64(int64_t value) {
    return arith::ConstantIntOp::create(b, loc, i64, value);
  }
  Value float32(double value) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, index(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, index(y));
  }
  Value cmp(arith::CmpIPredicate predicate, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, predicate, x, y);
  }
  Value select(Value condition, Value x, Value y) {
    return arith::SelectOp::create(b, loc, condition, x, y);
  }
  Value toI64(Value x) { return arith::IndexCastOp::create(b, loc, i64, x); }
  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fmax(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }

  /// 2^x, ex2.approx.ftz.f32: relative error within 2 ulp, subnormals
  /// flushed to zero.
  Value ex2(OpBuilder &nb, Location nl, Value x) {
    return LLVM::CallIntrinsicOp::create(
               nb, nl, nb.getF32Type(),
               nb.getStringAttr("llvm.nvvm.ex2.approx.ftz.f"), ValueRange{x})
        .getResult(0);
  }
  Value lg2(Value x) {
    return LLVM::CallIntrinsicOp::create(
               b, loc, f32, b.getStringAttr("llvm.nvvm.lg2.approx.ftz.f"),
               ValueRange{x})
        .getResult(0);
  }
  /// exp(x) = 2^(x log2 e), for the sigmoid in natural units.
  Value naturalExp(OpBuilder &nb, Location nl, Value x) {
    Value scaled = arith::MulFOp::create(
        nb, nl, x,
        arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(M_LOG2E)));
    return ex2(nb, nl, scaled);
  }

  /// The value of a butterfly shuffle partner `offset` lanes away.
  Value shuffleXor(Value x, int64_t offset) {
    return gpu::ShuffleOp::create(b, loc, x, int32(offset),
                                  int32(kThreadsPerWarp), gpu::ShuffleMode::XOR)
        .getShuffleResult();
  }

  /// The CTA's ids and arguments, and the valid lengths of its batch row.
  void setUp(gpu::GPUFuncOp func) {
    threadId = gpu::ThreadIdOp::create(b, loc, mlir::gpu::Dimension::x);
    warp = div(threadId, kThreadsPerWarp);
    lane = rem(threadId, kThreadsPerWarp);
    queryTileIndex = gpu::BlockIdOp::create(b, loc, mlir::gpu::Dimension::x);
    head = gpu::BlockIdOp::create(b, loc, mlir::gpu::Dimension::y);
    batch = gpu::BlockIdOp::create(b, loc, mlir::gpu::Dimension::z);
    queryStart = mul(queryTileIndex, index(spec.queryTile));
    kvHead = div(head, spec.queryHeads / spec.kvHeads);
    unsigned next = 0;
    query = func.getArgument(next++);
    key = func.getArgument(next++);
    value = func.getArgument(next++);
    if (spec.biasType)
      bias = func.getArgument(next++);
    if (spec.mask.hasKvLen)
      kvLen = func.getArgument(next++);
    if (spec.mask.hasQLen)
      qLen = func.getArgument(next++);
    if (spec.layoutType)
      blockLayout = func.getArgument(next++);
    if (spec.writeOut)
      out = func.getArgument(next++);
    if (spec.writeLse)
      lse = func.getArgument(next++);
    kvLenLoader = loaderOf(kvLen);
    qLenLoader = loaderOf(qLen);
    auto length = [&](Value lengths, const LengthLoader &loader) -> Value {
      if (!lengths)
        return {};
      return arith::ExtSIOp::create(b, loc, i64, loader(b, loc, batch));
    };
    Value validKeys = length(kvLen, kvLenLoader);
    Value validQueries = length(qLen, qLenLoader);
    placement = attn::tile::TilePlacement::get(b, loc, spec.mask, batch, head,
                                               queryStart, index(0), validKeys,
                                               validQueries);
    keyRanges = spec.keyLoopBounds(b, loc, batch, head, queryStart, kvLenLoader,
                                   qLenLoader);
    std::tie(keyLoopFirst, keyLoopEnd) = keyRanges.front();
  }

  /// The number of key tiles of the range [first, end) (index).
  Value tilesOf(Value first, Value end) {
    int64_t bc = spec.keyTile;
    Value span = arith::SubIOp::create(b, loc, end, first);
    return select(cmp(arith::CmpIPredicate::ugt, end, first),
                  div(add(span, index(bc - 1)), bc), index(0));
  }

  /// The key tiles a CTA visits, in order: every tile of the key loop's
  /// bounds, or with a block layout only those that meet a block whose bit
  /// is set (one block when the blocks are multiples of the tiles). Every
  /// thread marks some of the tiles in shared memory at `offset` (the tile's
  /// start, or -1), then after a barrier thread 0 compacts the marks into
  /// the list of starts and their count, so that the loops, their prefetches
  /// included, never touch a skipped tile. With a layout, a barrier must
  /// come between this and keyTileCount().
  void listKeyTiles(Value shared, int64_t offset) {
    int64_t bc = spec.keyTile;
    if (!spec.layoutType) {
      // The ranges' tiles one after the other (keyStartOf()).
      tileCount = index(0);
      SmallVector<Value> before;
      for (auto [first, end] : keyRanges) {
        before.push_back(tileCount);
        tileCount = add(tileCount, tilesOf(first, end));
      }
      if (keyRanges.size() == 1)
        return;
      // Several ranges: each one's first key and the tiles before it, in
      // shared memory (one thread writes, a barrier publishes) rather than
      // two registers per range through the key loop.
      rangeTable = sharedView(shared, offset,
                              {static_cast<int64_t>(keyRanges.size()), 2}, i64);
      auto writer = scf::IfOp::create(
          b, loc, cmp(arith::CmpIPredicate::eq, threadId, index(0)),
          /*withElseRegion=*/false);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(writer.thenBlock());
        for (auto [range, firstAndEnd] : llvm::enumerate(keyRanges)) {
          memref::StoreOp::create(b, loc, toI64(firstAndEnd.first), rangeTable,
                                  ValueRange{index(range), index(0)});
          memref::StoreOp::create(b, loc, toI64(before[range]), rangeTable,
                                  ValueRange{index(range), index(1)});
        }
      }
      barrier();
      return;
    }
    assert(keyRanges.size() == 1 && "a layout's tile list covers one range");
    Value tiles = tilesOf(keyLoopFirst, keyLoopEnd);
    int64_t slots = keyTileSlots(spec);
    tileList = sharedView(shared, offset, {slots + 1}, i32);
    int64_t threads = numWarps * kThreadsPerWarp;
    auto mark = scf::ForOp::create(b, loc, threadId, tiles, index(threads));
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(mark.getBody());
      Value tile = mark.getInductionVar();
      Value keyStart = add(keyLoopFirst, mul(tile, index(bc)));
      Value start = arith::IndexCastOp::create(b, loc, i32, keyStart);
      Value marked = select(anyBlockSet(keyStart), start,
                            arith::ConstantIntOp::create(b, loc, i32, -1));
      memref::StoreOp::create(b, loc, marked, tileList, tile);
    }
    barrier();
    Value isLister = cmp(arith::CmpIPredicate::eq, threadId, index(0));
    auto ifOp = scf::IfOp::create(b, loc, isLister, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    // In place: the write position never passes the read position.
    auto compact = scf::ForOp::create(b, loc, index(0), tiles, index(1),
                                      ValueRange{index(0)});
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(compact.getBody());
      Value start =
          memref::LoadOp::create(b, loc, tileList, compact.getInductionVar());
      Value listed = compact.getRegionIterArgs()[0];
      Value kept =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, start,
                                arith::ConstantIntOp::create(b, loc, i32, 0));
      auto store = scf::IfOp::create(b, loc, kept, /*withElseRegion=*/false);
      {
        OpBuilder::InsertionGuard storeGuard(b);
        b.setInsertionPointToStart(store.thenBlock());
        memref::StoreOp::create(b, loc, start, tileList, listed);
      }
      scf::YieldOp::create(
          b, loc, ValueRange{select(kept, add(listed, index(1)), listed)});
    }
    memref::StoreOp::create(
        b, loc, arith::IndexCastOp::create(b, loc, i32, compact.getResult(0)),
        tileList, index(slots));
  }

  /// Whether the layout blocks need a per-element bit: they do not hold
  /// whole tiles (blocks smaller than the tiles, or not multiples of them).
  bool layoutPerElement() const { return hasElementLayout(spec); }
  static bool hasElementLayout(const AttentionKernelSpec &spec) {
    return spec.layoutType && (spec.layoutBlock[0] % spec.queryTile != 0 ||
                               spec.layoutBlock[1] % spec.keyTile != 0);
  }

  /// The layout's first index: the batch row, the head, or 0 (shared).
  Value layoutFirst() {
    return spec.layoutPerBatch                  ? batch
           : spec.layoutType.getDimSize(0) == 1 ? index(0)
                                                : head;
  }

  /// Whether any layout block that the CTA's query tile and the key tile at
  /// `keyStart` meet (within S and T) has its bit set.
  Value anyBlockSet(Value keyStart) {
    // Blocks that hold whole tiles: the one block of the tile.
    if (!layoutPerElement())
      return memref::LoadOp::create(
          b, loc, blockLayout,
          ValueRange{layoutFirst(), div(queryStart, spec.layoutBlock[0]),
                     div(keyStart, spec.layoutBlock[1])});
    auto blocksOf = [&](Value first, int64_t tile, int64_t length,
                        int64_t block) -> std::pair<Value, Value> {
      Value last =
          arith::MinUIOp::create(b, loc, add(first, index(tile - 1)),
                                 index(std::max<int64_t>(length, 1) - 1));
      return {div(first, block), add(div(last, block), index(1))};
    };
    auto [queryFirst, queryEnd] = blocksOf(queryStart, spec.queryTile,
                                           spec.queryLen, spec.layoutBlock[0]);
    auto [keyFirst, keyEnd] =
        blocksOf(keyStart, spec.keyTile, spec.keyLen, spec.layoutBlock[1]);
    Value first = layoutFirst();
    Value none = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
    auto rows = scf::ForOp::create(b, loc, queryFirst, queryEnd, index(1),
                                   ValueRange{none});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rows.getBody());
    auto columns = scf::ForOp::create(b, loc, keyFirst, keyEnd, index(1),
                                      rows.getRegionIterArgs());
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(columns.getBody());
      Value bit = memref::LoadOp::create(
          b, loc, blockLayout,
          ValueRange{first, rows.getInductionVar(), columns.getInductionVar()});
      scf::YieldOp::create(b, loc,
                           ValueRange{arith::OrIOp::create(
                               b, loc, columns.getRegionIterArgs()[0], bit)});
    }
    scf::YieldOp::create(b, loc, columns.getResults());
    b.setInsertionPointAfter(rows);
    return rows.getResult(0);
  }

  /// The number of key tiles listKeyTiles chose (after its barrier).
  Value keyTileCount() {
    if (!spec.layoutType)
      return tileCount;
    return arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        memref::LoadOp::create(b, loc, tileList, index(keyTileSlots(spec))));
  }

  /// The start of the `n`-th key tile a CTA visits (`count` of them); past
  /// the last, a start past the keys (a tile the copies zero-fill, so that
  /// a prefetch past the end reads nothing).
  Value keyStartOf(Value n, Value count) {
    if (!spec.layoutType) {
      if (keyRanges.size() == 1)
        return add(keyLoopFirst, mul(n, index(spec.keyTile)));
      // Tile n - (the tiles of the ranges before) of the last range that
      // starts at or before tile n (past the end, of the last range).
      auto ranges =
          scf::ForOp::create(b, loc, index(0), index(keyRanges.size()),
                             index(1), ValueRange{index(0)});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ranges.getBody());
        Value range = ranges.getInductionVar();
        auto load = [&](int64_t column) -> Value {
          return arith::IndexCastOp::create(
              b, loc, b.getIndexType(),
              memref::LoadOp::create(b, loc, rangeTable,
                                     ValueRange{range, index(column)}));
        };
        Value first = load(0), before = load(1);
        Value here = add(first, mul(arith::SubIOp::create(b, loc, n, before),
                                    index(spec.keyTile)));
        scf::YieldOp::create(
            b, loc,
            ValueRange{select(cmp(arith::CmpIPredicate::uge, n, before), here,
                              ranges.getRegionIterArgs()[0])});
      }
      return ranges.getResult(0);
    }
    // (Past the list the load reads the count's slot, which is written;
    // its value is not used.)
    Value inList = cmp(arith::CmpIPredicate::ult, n, count);
    Value listed = memref::LoadOp::create(
        b, loc, tileList, select(inList, n, index(keyTileSlots(spec))));
    Value start = arith::IndexCastOp::create(b, loc, b.getIndexType(), listed);
    return select(inList, start, index(keyTileSlots(spec) * spec.keyTile));
  }

  /// The key tiles of the whole key range (the list's capacity).
  static int64_t keyTileSlots(const AttentionKernelSpec &spec) {
    return (std::max<int64_t>(spec.keyLen, 1) + spec.keyTile - 1) /
           spec.keyTile;
  }

  /// The shared bytes of the key tile list (none without a layout).
  static int64_t keyTileListBytes(const AttentionKernelSpec &spec) {
    if (spec.layoutType)
      return 4 * (keyTileSlots(spec) + 1);
    return spec.keyRangeCount > 1 ? 16 * spec.keyRangeCount : 0;
  }

  LengthLoader loaderOf(Value lengths) {
    return [lengths](OpBuilder &nb, Location nl, Value row) -> Value {
      if (!lengths)
        return {};
      return memref::LoadOp::create(nb, nl, lengths, row);
    };
  }

  /// Whether the scores need a per-element mask at all: some rule masks, or
  /// the last key tile is partial.
  bool anyMask() const {
    return attn::tile::mayNeedElementMask(spec.mask, spec.keyTile) ||
           layoutPerElement() || spec.keyIntervals;
  }

  /// Bit c of the result (i64): whether the spec's mask (and the mask
  /// region's intervals) let query `row` (index) see key keyStart + c, for
  /// the 64 keys of the tile starting at `keyStart` (index). The row's
  /// intervals of keys as bits: a few operations per row, interval and
  /// tile, one bit test per score.
  Value rowAllowedKeys(Value row, Value keyStart) {
    assert(spec.keyTile == 64 && "one bit per key of the tile in an i64");
    attn::decompose::KeyInterval keys = attn::decompose::buildSpecMaskInterval(
        b, loc, spec.mask, toI64(row), placement.validKeys,
        placement.validQueries);
    Value start = toI64(keyStart);
    Value bits = intervalBits(keys.first, keys.end, start);
    if (!spec.keyIntervals)
      return bits;
    // The mask region's intervals of the row, from shared memory, joined.
    Value tileRow = arith::SubIOp::create(b, loc, row, queryStart);
    auto join =
        scf::ForOp::create(b, loc, index(0), index(spec.keyIntervalCount),
                           index(1), ValueRange{int64(0)});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(join.getBody());
      Value k = join.getInductionVar();
      auto bound = [&](int64_t side) -> Value {
        return arith::ExtSIOp::create(
            b, loc, i64,
            memref::LoadOp::create(
                b, loc, rowIntervals,
                ValueRange{tileRow, add(mul(k, index(2)), index(side))}));
      };
      scf::YieldOp::create(b, loc,
                           ValueRange{arith::OrIOp::create(
                               b, loc, join.getRegionIterArgs()[0],
                               intervalBits(bound(0), bound(1), start))});
    }
    return arith::AndIOp::create(b, loc, bits, join.getResult(0));
  }

  /// The shared bytes of the rows' key intervals (the mask region's): one
  /// (first, end) pair of i32 per interval and row of the query tile.
  static int64_t rowIntervalBytes(const AttentionKernelSpec &spec) {
    return spec.keyIntervals ? 8 * spec.queryTile * spec.keyIntervalCount : 0;
  }

  /// The mask region's intervals of each query row of the CTA, computed
  /// once (one thread a row) into shared memory at `offset`: the key loop
  /// reads them per tile instead of keeping them in registers. A barrier
  /// must come between this and the first rowAllowedKeys().
  void storeRowIntervals(Value shared, int64_t offset) {
    if (!spec.keyIntervals)
      return;
    int64_t rows = spec.queryTile;
    rowIntervals =
        sharedView(shared, offset, {rows, 2 * spec.keyIntervalCount}, i32);
    auto writer = scf::IfOp::create(
        b, loc, cmp(arith::CmpIPredicate::ult, threadId, index(rows)),
        /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(writer.thenBlock());
    // Positions clamped to [0, 2^31 - 1]: the same keys of [0, T).
    auto clamped = [&](Value position) -> Value {
      Value low = arith::MaxSIOp::create(b, loc, position, int64(0));
      Value high = arith::MinSIOp::create(b, loc, low, int64(INT32_MAX));
      return arith::TruncIOp::create(b, loc, i32, high);
    };
    for (auto [k, interval] : llvm::enumerate(
             spec.keyIntervals(b, loc, toI64(add(queryStart, threadId))))) {
      memref::StoreOp::create(b, loc, clamped(interval.first), rowIntervals,
                              ValueRange{threadId, index(2 * k)});
      memref::StoreOp::create(b, loc, clamped(interval.second), rowIntervals,
                              ValueRange{threadId, index(2 * k + 1)});
    }
  }

  /// The keys [first, end) (i64; a null first: from the tile's start) of
  /// the tile at `start` (i64) as its bits.
  Value intervalBits(Value first, Value end, Value start) {
    // A position relative to the tile, clamped to [0, 64].
    auto inTile = [&](Value position) -> Value {
      Value offset = arith::SubIOp::create(b, loc, position, start);
      offset = arith::MaxSIOp::create(b, loc, offset, int64(0));
      return arith::MinSIOp::create(b, loc, offset, int64(spec.keyTile));
    };
    if (!first)
      return lowBits(inTile(end));
    Value low = inTile(first);
    Value high = arith::MaxSIOp::create(b, loc, inTile(end), low);
    return arith::XOrIOp::create(b, loc, lowBits(high), lowBits(low));
  }

  /// The n (i64, in [0, 64]) low bits set, as an i64.
  Value lowBits(Value n) {
    Value shifted = arith::ShLIOp::create(b, loc, int64(1), n);
    Value low = arith::SubIOp::create(b, loc, shifted, int64(1));
    return select(cmp(arith::CmpIPredicate::uge, n, int64(64)), int64(-1), low);
  }

  /// Bit `position` (a constant) of `mask` (i64), as an i1.
  /// (Read from the mask's 32-bit half, so that each bit is one 32-bit
  /// bit-field extract instead of a 64-bit shift.)
  Value maskBit(Value mask, int64_t position) {
    Value half = mask;
    if (position >= 32)
      half = arith::ShRUIOp::create(b, loc, mask, int64(32));
    half = arith::TruncIOp::create(b, loc, i32, half);
    return arith::TruncIOp::create(
        b, loc, b.getI1Type(),
        arith::ShRUIOp::create(b, loc, half, int32(position % 32)));
  }

  /// With blocks that do not hold whole tiles: bit c of the result (i64) is
  /// the layout bit of query `row` (index) and key keyStart + c, for the 64
  /// keys of the tile (0 past T). One load per key block the tile meets
  /// instead of one per element (fewer registers in the unrolled scores).
  Value rowKeyMask(Value row, Value keyStart) {
    int64_t bk = spec.layoutBlock[1], bc = spec.keyTile;
    assert(bc == 64 && "one bit per key of the tile in an i64");
    auto clampTo = [&](Value position, int64_t length) -> Value {
      return arith::MinUIOp::create(b, loc, position,
                                    index(std::max<int64_t>(length, 1) - 1));
    };
    Value rowBlock = div(clampTo(row, spec.queryLen), spec.layoutBlock[0]);
    Value tileEnd = arith::MinUIOp::create(b, loc, add(keyStart, index(bc)),
                                           index(spec.keyLen));
    Value firstBlock = div(keyStart, bk);
    Value endBlock =
        add(div(clampTo(arith::SubIOp::create(b, loc, tileEnd, index(1)),
                        spec.keyLen),
                bk),
            index(1));
    auto blocks = scf::ForOp::create(b, loc, firstBlock, endBlock, index(1),
                                     ValueRange{int64(0)});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(blocks.getBody());
    Value block = blocks.getInductionVar();
    Value bit = memref::LoadOp::create(
        b, loc, blockLayout, ValueRange{layoutFirst(), rowBlock, block});
    Value blockStart =
        arith::MaxUIOp::create(b, loc, mul(block, index(bk)), keyStart);
    Value blockEnd = arith::MinUIOp::create(
        b, loc, mul(add(block, index(1)), index(bk)), tileEnd);
    Value low = arith::SubIOp::create(b, loc, blockStart, keyStart);
    Value high = arith::SubIOp::create(b, loc, blockEnd, keyStart);
    Value span = arith::XOrIOp::create(b, loc, lowBits(toI64(high)),
                                       lowBits(toI64(low)));
    Value mask = blocks.getRegionIterArgs()[0];
    scf::YieldOp::create(
        b, loc,
        ValueRange{
            select(bit, arith::OrIOp::create(b, loc, mask, span), mask)});
    b.setInsertionPointAfter(blocks);
    return blocks.getResult(0);
  }

  /// The logit of score `s` in base 2 (scale and log2 e folded into one
  /// multiply, the bias (f32, or null) too) for softmax, or in natural units
  /// for the sigmoid; -inf (softmax) or a sigmoid score of 0 where `allowed`
  /// (i1, or null: no mask) is false.
  Value scoreOf(Value s, Value allowed, Value biasValue) {
    double factor = spec.softmax ? spec.scale * M_LOG2E : spec.scale;
    Value z = fmul(s, float32(factor));
    if (biasValue)
      z = fadd(z, spec.softmax ? fmul(biasValue, float32(M_LOG2E)) : biasValue);
    if (!spec.softmax)
      z = attn::decompose::sigmoidScore(
          b, loc, z, spec.sigmoidBias,
          [this](OpBuilder &nb, Location nl, Value x) {
            return naturalExp(nb, nl, x);
          });
    if (!allowed)
      return z;
    return select(allowed, z, float32(spec.softmax ? kNegInf : 0.0));
  }

  /// bias[b, h, row, column] (f32), each dim of size 1 broadcast; 0 out of
  /// bounds (those scores are masked or dropped).
  Value loadBias(Value row, Value column) {
    ArrayRef<int64_t> shape = spec.biasType.getShape();
    Value inRows = cmp(arith::CmpIPredicate::ult, row, index(spec.queryLen));
    Value inColumns =
        cmp(arith::CmpIPredicate::ult, column, index(spec.keyLen));
    Value inBounds = arith::AndIOp::create(b, loc, inRows, inColumns);
    SmallVector<Value> indices = {batch, head, row, column};
    for (unsigned dim = 0; dim < 4; ++dim)
      indices[dim] = shape[dim] == 1 ? index(0)
                     : dim >= 2      ? select(inBounds, indices[dim], index(0))
                                     : indices[dim];
    Value element = memref::LoadOp::create(b, loc, bias, indices);
    Value widened = spec.elementType.isF32()
                        ? element
                        : arith::ExtFOp::create(b, loc, f32, element);
    return select(inBounds, widened, float32(0.0));
  }

  /// Writes a finished row: o = acc / l (0 where l = 0) for softmax, acc for
  /// the sigmoid, at (row, columns); the row past S is skipped.
  void storeOutputRow(Value row, ArrayRef<std::pair<Value, Value>> columns,
                      Value rowSum) {
    Value inRange = cmp(arith::CmpIPredicate::ult, row, index(spec.queryLen));
    auto ifOp = scf::IfOp::create(b, loc, inRange, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    for (auto [column, acc] : columns) {
      Value result =
          spec.softmax ? attn::decompose::normalizedOutput(b, loc, acc, rowSum)
                       : acc;
      if (!spec.elementType.isF32())
        result = arith::TruncFOp::create(b, loc, spec.elementType, result);
      memref::StoreOp::create(b, loc, result, out,
                              ValueRange{batch, head, row, column});
    }
  }

  /// lse = ln 2 (m + lg2 l), -inf where m = -inf, by the lane `writer`.
  void storeLse(Value row, Value rowMax, Value rowSum, Value writer) {
    Value inRange = arith::AndIOp::create(
        b, loc, writer,
        cmp(arith::CmpIPredicate::ult, row, index(spec.queryLen)));
    auto ifOp = scf::IfOp::create(b, loc, inRange, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value empty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                        rowMax, float32(kNegInf));
    Value finite = fmul(fadd(rowMax, lg2(rowSum)), float32(M_LN2));
    memref::StoreOp::create(b, loc, select(empty, float32(kNegInf), finite),
                            lse, ValueRange{batch, head, row});
  }

  /// Copies rows [firstRow, firstRow + rows) x [0, width) of `source`
  /// (global [B, H, len, width], head `headIndex`) into `target` (shared,
  /// indexed [stage, row, column] or [row, column]) with cp.async in 16-byte
  /// chunks; rows at or past `limit` are zero-filled (nothing read). With
  /// `swizzle`, chunk c of row r lands at chunk c ^ (r mod 8). With
  /// `panels` (the warpgroup MMA's layout), `target` is indexed [stage,]
  /// panel, row, column: columns [64 p, 64 p + 64) form panel p, rows of
  /// 128 bytes, chunk c of a panel's row r at chunk c ^ (r mod 8) (the
  /// 128-byte swizzle on 1024-byte aligned panels). Returns the copies'
  /// tokens.
  SmallVector<Value> copyRows(Value source, Value headIndex, Value firstRow,
                              int64_t rows, int64_t width, int64_t limit,
                              Value target, Value stage, bool swizzle,
                              bool panels = false) {
    int64_t elementBytes = spec.elementType.getIntOrFloatBitWidth() / 8;
    int64_t chunkElements = 16 / elementBytes;
    int64_t chunksPerRow = width / chunkElements;
    int64_t chunks = rows * chunksPerRow;
    int64_t threads = numWarps * kThreadsPerWarp;
    SmallVector<Value> tokens;
    for (int64_t first = 0; first < chunks; first += threads) {
      Value chunk = add(threadId, index(first));
      auto emit = [&]() {
        Value row = div(chunk, chunksPerRow);
        Value column = rem(chunk, chunksPerRow);
        Value globalRow = add(firstRow, row);
        Value inBounds =
            cmp(arith::CmpIPredicate::ult, globalRow, index(limit));
        Value sourceRow = select(inBounds, globalRow, index(0));
        Value sourceElements = select(inBounds, index(chunkElements), index(0));
        SmallVector<Value> targetIndices;
        if (stage)
          targetIndices.push_back(stage);
        if (panels) {
          const int64_t chunksPerPanel = 8;
          Value chunk = arith::XOrIOp::create(
              b, loc, rem(column, chunksPerPanel), rem(row, 8));
          targetIndices.append({div(column, chunksPerPanel), row,
                                mul(chunk, index(chunkElements))});
        } else {
          Value targetColumn =
              swizzle ? swizzled(row, column, chunksPerRow) : column;
          targetIndices.append({row, mul(targetColumn, index(chunkElements))});
        }
        return nvgpu::DeviceAsyncCopyOp::create(
                   b, loc, target, targetIndices, source,
                   ValueRange{batch, headIndex, sourceRow,
                              mul(column, index(chunkElements))},
                   b.getIndexAttr(chunkElements), sourceElements,
                   /*bypassL1=*/UnitAttr())
            .getResult();
      };
      if (first + threads <= chunks) {
        tokens.push_back(emit());
        continue;
      }
      // The last round: only the threads with a chunk left copy.
      Value has = cmp(arith::CmpIPredicate::ult, chunk, index(chunks));
      auto ifOp = scf::IfOp::create(b, loc, has, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      emit();
    }
    return tokens;
  }

  /// The chunk where logical chunk `column` of `row` is stored.
  Value swizzled(Value row, Value column, int64_t chunksPerRow) {
    if (chunksPerRow % 8 != 0)
      return column;
    return arith::XOrIOp::create(b, loc, column, rem(row, 8));
  }

  Value commit(ArrayRef<Value> tokens) {
    return nvgpu::DeviceAsyncCreateGroupOp::create(
        b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tokens);
  }
  void wait(Value group, int32_t pending) {
    nvgpu::DeviceAsyncWaitOp::create(b, loc, group,
                                     b.getI32IntegerAttr(pending));
  }
  void barrier() { gpu::BarrierOp::create(b, loc); }

  /// Marks the computation of one key tile: `llvm.sideeffect` emits no
  /// code, and the kernel interpreter counts it (the tiles a launch
  /// computed, so that tests see the skipping).
  void markKeyTile() {
    LLVM::CallIntrinsicOp::create(b, loc, b.getStringAttr("llvm.sideeffect"),
                                  ValueRange{});
  }

  /// A view of `bytes` of the dynamic shared memory at `offset` as `shape`.
  Value sharedView(Value shared, int64_t offset, ArrayRef<int64_t> shape,
                   Type element) {
    auto space = gpu::AddressSpaceAttr::get(b.getContext(),
                                            gpu::AddressSpace::Workgroup);
    return memref::ViewOp::create(
        b, loc,
        MemRefType::get(shape, element, MemRefLayoutAttrInterface(), space),
        shared, index(offset), ValueRange{});
  }

  OpBuilder &b;
  Location loc;
  const AttentionKernelSpec &spec;
  Type f32, i32, i64;
  unsigned numWarps = kWarpsPerCTA;
  Value threadId, warp, lane, queryTileIndex, head, batch, queryStart, kvHead;
  Value query, key, value, bias, kvLen, qLen, blockLayout, out, lse;
  Value tileList, tileCount;
  LengthLoader kvLenLoader, qLenLoader;
  attn::tile::TilePlacement placement;
  Value keyLoopFirst, keyLoopEnd;
  /// The rows' key intervals in shared memory (storeRowIntervals()).
  Value rowIntervals;
  /// Every key range (the first is keyLoopFirst, keyLoopEnd) and, with
  /// several, their table in shared memory: per range its first key and the
  /// tiles of the ranges before it (i64).
  SmallVector<std::pair<Value, Value>> keyRanges;
  Value rangeTable;
};

//===----------------------------------------------------------------------===//
// Tensor cores: f16 and bf16.
//===----------------------------------------------------------------------===//

/// The mma.sync m16n8k16 kernel. Each of the 4 warps owns 16 query rows.
/// Per key tile: S = Q K^T from Q fragments kept in registers (or read
/// again per tile, reloadQuery()) and K fragments read by ldmatrix; the online
/// softmax on S's accumulator fragments (quad shuffles for the row maxima); P
/// taken from S's accumulators as A fragments; O += P V with V read by
/// ldmatrix.trans.
class TensorCoreKernel : public KernelBuilder {
public:
  TensorCoreKernel(OpBuilder &b, Location loc, const AttentionKernelSpec &spec)
      : KernelBuilder(b, loc, spec),
        layout(spec.mutation == KernelMutation::FragmentLayout
                   ? MMAFragmentLayout::swappedAccumulatorRows()
                   : MMAFragmentLayout::ptx()),
        bf16(spec.elementType.isBF16()) {}

  /// Bias tile rows are padded by one 16-byte chunk: the 8 rows that one
  /// read of the accumulator layout touches then start 4 banks apart.
  static constexpr int64_t kBiasRowPad = 8;
  static int64_t biasTileBytes(const AttentionKernelSpec &spec) {
    return spec.stageBias
               ? 2 * 2 * spec.queryTile * (spec.keyTile + kBiasRowPad)
               : 0;
  }
  /// P's tile in shared memory, the A operand of the warpgroup MMA's P V.
  static int64_t probabilityBytes(const AttentionKernelSpec &spec) {
    return spec.warpgroupMMA ? 2 * spec.queryTile * spec.keyTile : 0;
  }
  static int64_t tileBytes(const AttentionKernelSpec &spec) {
    int64_t elementBytes = 2;
    return elementBytes * (spec.queryTile * spec.headDim +
                           2 * spec.keyTile * (spec.headDim + spec.valueDim)) +
           probabilityBytes(spec) + biasTileBytes(spec);
  }
  /// Where the rows' block bits of the current key tile lie in shared
  /// memory (8-byte aligned after the key tile list), and their bytes.
  static int64_t rowMaskOffset(const AttentionKernelSpec &spec) {
    return llvm::alignTo(tileBytes(spec) + keyTileListBytes(spec), 8);
  }
  static int64_t rowMaskBytes(const AttentionKernelSpec &spec) {
    return hasElementLayout(spec) ? 8 * spec.queryTile : 0;
  }
  /// The tiles, the tile list and the row masks.
  static int64_t bytesBeforeIntervals(const AttentionKernelSpec &spec) {
    return rowMaskBytes(spec) ? rowMaskOffset(spec) + rowMaskBytes(spec)
                              : tileBytes(spec) + keyTileListBytes(spec);
  }
  /// The rows' key intervals after those, 8-byte aligned.
  static int64_t rowIntervalOffset(const AttentionKernelSpec &spec) {
    return llvm::alignTo(bytesBeforeIntervals(spec), 8);
  }
  /// The bytes the kernel lays out, from its (aligned) base.
  static int64_t layoutBytes(const AttentionKernelSpec &spec) {
    return rowIntervalBytes(spec)
               ? rowIntervalOffset(spec) + rowIntervalBytes(spec)
               : bytesBeforeIntervals(spec);
  }
  /// The warpgroup MMA's 128-byte swizzle repeats every 1024 bytes of the
  /// shared address: its tiles start on such a boundary (the descriptors'
  /// base offset 0), the kernel rounds its base up to one.
  static constexpr int64_t kSwizzleAtomBytes = 1024;
  static int64_t sharedBytes(const AttentionKernelSpec &spec) {
    return layoutBytes(spec) + (spec.warpgroupMMA ? kSwizzleAtomBytes : 0);
  }

  void build(gpu::GPUFuncOp func) {
    setUp(func);
    const int64_t br = spec.queryTile, bc = spec.keyTile;
    const int64_t d = spec.headDim, dv = spec.valueDim;
    Type element = spec.elementType;
    group = div(lane, 4);
    quad = rem(lane, 4);
    warpRow = mul(warp, index(kRowsPerWarp));

    Value shared = gpu::DynamicSharedMemoryOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                        MemRefLayoutAttrInterface(),
                        gpu::AddressSpaceAttr::get(
                            b.getContext(), gpu::AddressSpace::Workgroup)));
    int64_t offset = 0;
    if (spec.warpgroupMMA) {
      // Q, K, V and P in panels of 64 columns (warpgroupScores()).
      const int64_t panel = kPanelColumns;
      shared = alignedShared(shared);
      querySmem = sharedView(shared, offset, {d / panel, br, panel}, element);
      offset += 2 * br * d;
      keyOffset = offset;
      keySmem = sharedView(shared, offset, {2, d / panel, bc, panel}, element);
      offset += 2 * 2 * bc * d;
      valueOffset = offset;
      valueSmem =
          sharedView(shared, offset, {2, dv / panel, bc, panel}, element);
      offset += 2 * 2 * bc * dv;
      probabilityOffset = offset;
      probabilitySmem =
          sharedView(shared, offset, {bc / panel, br, panel}, element);
      offset += probabilityBytes(spec);
    } else {
      querySmem = sharedView(shared, offset, {br, d}, element);
      offset += 2 * br * d;
      keySmem = sharedView(shared, offset, {2, bc, d}, element);
      offset += 2 * 2 * bc * d;
      valueSmem = sharedView(shared, offset, {2, bc, dv}, element);
      offset += 2 * 2 * bc * dv;
    }
    if (spec.stageBias)
      biasSmem = sharedView(shared, offset, {2, br, bc + kBiasRowPad}, element);
    if (layoutPerElement())
      rowMasks = sharedView(shared, rowMaskOffset(spec), {br}, i64);
    // (Published by the barrier after the first copies.)
    storeRowIntervals(shared, rowIntervalOffset(spec));

    // Prologue: the key tiles to visit, then Q and the first key tile in
    // one group.
    listKeyTiles(shared, tileBytes(spec));
    if (spec.layoutType)
      barrier();
    Value count = keyTileCount();
    SmallVector<Value> tokens =
        copyRows(query, head, queryStart, br, d, spec.queryLen, querySmem,
                 Value(), /*swizzle=*/true, /*panels=*/spec.warpgroupMMA);
    llvm::append_range(tokens,
                       copyKeyTile(keyStartOf(index(0), count), index(0)));
    wait(commit(tokens), 0);
    proxyFence();
    barrier();
    if (!reloadQuery() && !spec.warpgroupMMA)
      loadQueryFragments();

    // State: O per n-tile of 8 value columns (4 floats each), and per row
    // slot m (base 2) and the lane's part of l.
    int64_t valueTiles = dv / 8;
    SmallVector<Value> init;
    Value zero = float32(0.0);
    for (int64_t i = 0; i < valueTiles * 4; ++i)
      init.push_back(zero);
    if (spec.softmax)
      for (int slot = 0; slot < 2; ++slot)
        init.append({float32(kNegInf), zero});
    auto loop = scf::ForOp::create(b, loc, index(0), count, index(1), init);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value iteration = loop.getInductionVar();
      Value keyStart = keyStartOf(iteration, count);
      markKeyTile();
      SmallVector<Value> state(loop.getRegionIterArgs());
      Value stage = rem(iteration, 2);
      Value nextIteration = add(iteration, index(1));
      Value nextStage = rem(nextIteration, 2);
      // Prefetch the next tile (zero-filled past the keys, so that every
      // iteration commits one group), then wait for this one.
      Value prefetch =
          commit(copyKeyTile(keyStartOf(nextIteration, count), nextStage));
      // Per-element layouts: one thread per query row lists the row's block
      // bits of this key tile for the barrier below to publish (the last
      // reads of the previous tile's came before the previous barrier).
      if (layoutPerElement()) {
        auto lister = scf::IfOp::create(
            b, loc, cmp(arith::CmpIPredicate::ult, threadId, index(br)),
            /*withElseRegion=*/false);
        OpBuilder::InsertionGuard listerGuard(b);
        b.setInsertionPointToStart(lister.thenBlock());
        memref::StoreOp::create(b, loc,
                                rowKeyMask(add(queryStart, threadId), keyStart),
                                rowMasks, threadId);
      }
      if (spec.mutation != KernelMutation::NoAsyncWait)
        wait(prefetch, 1);
      proxyFence();
      if (spec.mutation != KernelMutation::NoBarrier)
        barrier();
      SmallVector<Value> next = step(keyStart, stage, state);
      // Everyone is done with this stage before it is refilled.
      barrier();
      scf::YieldOp::create(b, loc, next);
    }
    NVVM::CpAsyncWaitGroupOp::create(b, loc, 0);

    // Epilogue: the whole row sums, then O and lse.
    SmallVector<Value> finalState(loop.getResults());
    Value rowSums[2], rowMaxima[2];
    for (int slot = 0; slot < 2; ++slot) {
      if (!spec.softmax)
        break;
      rowMaxima[slot] = finalState[valueTiles * 4 + 2 * slot];
      Value sum = finalState[valueTiles * 4 + 2 * slot + 1];
      sum = fadd(sum, shuffleXor(sum, 1));
      rowSums[slot] = fadd(sum, shuffleXor(sum, 2));
    }
    for (int slot = 0; slot < 2; ++slot) {
      int rowOffset = rowOffsets()[slot];
      Value row = add(add(queryStart, warpRow), add(group, index(rowOffset)));
      if (spec.writeOut) {
        SmallVector<std::pair<Value, Value>> columns;
        for (int64_t tile = 0; tile < valueTiles; ++tile)
          for (int element = 0; element < 4; ++element) {
            if (layout.c[element].row != rowOffset)
              continue;
            Value column = add(index(8 * tile + layout.c[element].column),
                               mul(quad, index(2)));
            columns.push_back({column, finalState[4 * tile + element]});
          }
        storeOutputRow(row, columns, rowSums[slot]);
      }
      if (spec.writeLse)
        storeLse(row, rowMaxima[slot], rowSums[slot],
                 cmp(arith::CmpIPredicate::eq, quad, index(0)));
    }
  }

private:
  /// The two row offsets (0 and 8) of the accumulator layout, in order.
  SmallVector<int, 2> rowOffsets() const {
    SmallVector<int, 2> rows;
    for (const FragmentOffset &element : layout.c)
      if (!llvm::is_contained(rows, element.row))
        rows.push_back(element.row);
    return rows;
  }
  int rowSlotOf(int element) const {
    SmallVector<int, 2> rows = rowOffsets();
    return llvm::find(rows, layout.c[element].row) - rows.begin();
  }

  SmallVector<Value> copyKeyTile(Value keyStart, Value stage) {
    SmallVector<Value> tokens = copyRows(
        key, kvHead, keyStart, spec.keyTile, spec.headDim, spec.keyLen, keySmem,
        stage, /*swizzle=*/true, /*panels=*/spec.warpgroupMMA);
    llvm::append_range(
        tokens, copyRows(value, kvHead, keyStart, spec.keyTile, spec.valueDim,
                         spec.keyLen, valueSmem, stage,
                         /*swizzle=*/true, /*panels=*/spec.warpgroupMMA));
    if (spec.stageBias)
      llvm::append_range(tokens, copyBiasTile(keyStart, stage));
    return tokens;
  }

  /// The bias of the CTA's query rows and keys [keyStart, keyStart + bc)
  /// into biasSmem[stage] by cp.async in 16-byte chunks of 8 keys; chunks
  /// of rows past S or of keys past the buffer's (padded) rows are
  /// zero-filled, nothing read (those scores are masked or dropped).
  SmallVector<Value> copyBiasTile(Value keyStart, Value stage) {
    ArrayRef<int64_t> shape = spec.biasType.getShape();
    const int64_t chunkElements = 8;
    int64_t chunksPerRow = spec.keyTile / chunkElements;
    int64_t chunks = spec.queryTile * chunksPerRow;
    int64_t threads = numWarps * kThreadsPerWarp;
    assert(chunks % threads == 0 && "every thread copies as many chunks");
    Value biasBatch = shape[0] == 1 ? index(0) : batch;
    Value biasHead = shape[1] == 1 ? index(0) : head;
    SmallVector<Value> tokens;
    for (int64_t first = 0; first < chunks; first += threads) {
      Value chunk = add(threadId, index(first));
      Value row = div(chunk, chunksPerRow);
      Value column = mul(rem(chunk, chunksPerRow), index(chunkElements));
      Value globalRow = add(queryStart, row);
      Value globalColumn = add(keyStart, column);
      Value inBounds = arith::AndIOp::create(
          b, loc, cmp(arith::CmpIPredicate::ult, globalRow, index(shape[2])),
          cmp(arith::CmpIPredicate::ult, globalColumn, index(shape[3])));
      tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
                           b, loc, biasSmem, ValueRange{stage, row, column},
                           bias,
                           ValueRange{biasBatch, biasHead,
                                      select(inBounds, globalRow, index(0)),
                                      select(inBounds, globalColumn, index(0))},
                           b.getIndexAttr(chunkElements),
                           select(inBounds, index(chunkElements), index(0)),
                           /*bypassL1=*/UnitAttr())
                           .getResult());
    }
    return tokens;
  }

  /// The accumulator elements of a row as pairs on two adjacent columns
  /// (the even column's first), by the fragment table.
  SmallVector<std::pair<int, int>, 2> columnPairs() const {
    SmallVector<std::pair<int, int>, 2> pairs;
    for (int element = 0; element < 4; ++element) {
      const FragmentOffset &at = layout.c[element];
      if (at.column % 2 != 0)
        continue;
      int partner = layout.accumulatorAt(at.row, at.column + 1);
      assert(partner >= 0 && "a row's accumulator elements come in pairs");
      pairs.push_back({element, partner});
    }
    return pairs;
  }

  /// The staged bias (f32) of the accumulator elements of n-tile `tile`,
  /// read as pairs: the elements of a row lie on two adjacent keys (one
  /// 32-bit shared load each).
  SmallVector<Value> stagedBiasOf(Value stage, int64_t tile) {
    SmallVector<Value> biasValues(4);
    auto pairType = VectorType::get({2}, spec.elementType);
    for (auto [element, partner] : columnPairs()) {
      const FragmentOffset &at = layout.c[element];
      Value tileRow = add(warpRow, add(group, index(at.row)));
      Value column = add(index(8 * tile + at.column), mul(quad, index(2)));
      Value pair = vector::LoadOp::create(
          b, loc, pairType, biasSmem, ValueRange{stage, tileRow, column},
          /*nontemporal=*/false, llvm::Align(4));
      int targets[2] = {element, partner};
      for (int64_t position = 0; position < 2; ++position)
        biasValues[targets[position]] = arith::ExtFOp::create(
            b, loc, f32,
            vector::ExtractOp::create(b, loc, pair, ArrayRef<int64_t>{position})
                .getResult());
    }
    return biasValues;
  }

  /// ldmatrix.x4 of `buffer` (indexed [stage,] row, column), each group of 8
  /// lanes giving the rows of one 8 x 8 matrix: matrix m starts at
  /// (rowOrigin[m], columnOrigin[m]) (index values).
  SmallVector<Value> loadMatrices(Value buffer, Value stage,
                                  ArrayRef<Value> rowOrigin,
                                  ArrayRef<Value> columnOrigin, bool transpose,
                                  int64_t width) {
    Value matrix = div(lane, 8);
    auto pick = [&](ArrayRef<Value> values) {
      Value picked = values[3];
      for (int m = 2; m >= 0; --m)
        picked = select(cmp(arith::CmpIPredicate::eq, matrix, index(m)),
                        values[m], picked);
      return picked;
    };
    Value row = add(pick(rowOrigin), rem(lane, 8));
    Value column = pick(columnOrigin);
    Value chunk = div(column, 8);
    Value physical = mul(swizzled(row, chunk, width / 8), index(8));
    SmallVector<Value> indices;
    if (stage)
      indices.push_back(stage);
    indices.append({row, physical});
    auto vectorType = VectorType::get({4, 2}, spec.elementType);
    Value loaded = nvgpu::LdMatrixOp::create(b, loc, vectorType, buffer,
                                             indices, transpose,
                                             /*numTiles=*/4);
    SmallVector<Value> registers;
    for (int64_t i = 0; i < 4; ++i)
      registers.push_back(
          vector::ExtractOp::create(b, loc, loaded, ArrayRef<int64_t>{i}));
    return registers;
  }

  /// An mma operand register: vector<2xf16> for f16, packed i32 for bf16.
  Value operand(Value pair) {
    if (!bf16)
      return pair;
    return LLVM::BitcastOp::create(b, loc, i32, pair);
  }

  /// D = A B + C for one m16n8k16 step (C, D: 4 floats).
  SmallVector<Value> mma(ArrayRef<Value> a, ArrayRef<Value> bOperand,
                         ArrayRef<Value> c) {
    auto resultType = LLVM::LLVMStructType::getLiteral(
        b.getContext(), SmallVector<Type>(4, f32));
    NVVM::MMATypes type = bf16 ? NVVM::MMATypes::bf16 : NVVM::MMATypes::f16;
    Value d = NVVM::MmaOp::create(
        b, loc, resultType, a, bOperand, c, ArrayRef<int64_t>{16, 8, 16},
        std::nullopt, std::nullopt, std::array<NVVM::MMATypes, 2>{type, type},
        std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                       NVVM::MMALayout::col});
    SmallVector<Value> result;
    for (int64_t i = 0; i < 4; ++i)
      result.push_back(LLVM::ExtractValueOp::create(b, loc, d, i));
    return result;
  }

  /// The B fragments of k-step `kstep` for n-tiles `tile` and `tile + 1`
  /// (registers b0, b1 of each), by one ldmatrix.x4 of `buffer`: matrix m
  /// holds register m % 2 of n-tile tile + m / 2. A buffer stored n-major
  /// (K: [key][d], B(k = d, n = key)) is read as stored; one stored k-major
  /// (V: [key][column], B(k = key, n = column)) is read transposed.
  SmallVector<Value> loadBFragments(Value buffer, Value stage, int64_t kstep,
                                    int64_t tile, bool kMajor, int64_t width) {
    SmallVector<Value> rows, columns;
    for (int m = 0; m < 4; ++m) {
      const FragmentOffset &origin = layout.b[m % 2][0];
      int64_t n = 8 * (tile + m / 2) + origin.column;
      int64_t k = 16 * kstep + origin.row;
      rows.push_back(index(kMajor ? k : n));
      columns.push_back(index(kMajor ? n : k));
    }
    SmallVector<Value> registers =
        loadMatrices(buffer, stage, rows, columns, /*transpose=*/kMajor, width);
    for (Value &reg : registers)
      reg = operand(reg);
    return registers;
  }

  /// Whether Q's A fragments are read from shared memory again for each key
  /// tile instead of held in registers (as FlashAttention 2 does): with
  /// layout bits per element, a staged bias or a mask region's intervals
  /// and D > 64 the kernel would otherwise pass the 255 registers a thread
  /// has (ptxas spilled 8-56 bytes at D = 128; 24 for the logsparse
  /// Combiner's 13 intervals), 4 D / 16 registers freed for one
  /// ldmatrix.x4 per k-step. (Not for every D = 128 kernel: without those,
  /// the others fit, and the reload cost them registers elsewhere.)
  bool reloadQuery() const {
    return !spec.warpgroupMMA &&
           (layoutPerElement() || spec.stageBias || spec.keyIntervals) &&
           spec.headDim > 64;
  }

  /// Q's A fragments of the warp's 16 rows (once, or per key tile with
  /// reloadQuery()): one per 16 columns.
  void loadQueryFragments() {
    queryFragments.clear();
    for (int64_t step = 0; step < spec.headDim / 16; ++step) {
      SmallVector<Value> rows, columns;
      for (int m = 0; m < 4; ++m) {
        rows.push_back(add(warpRow, index(layout.a[m][0].row)));
        columns.push_back(index(16 * step + layout.a[m][0].column));
      }
      SmallVector<Value> registers = loadMatrices(
          querySmem, Value(), rows, columns, /*transpose=*/false, spec.headDim);
      for (Value &reg : registers)
        reg = operand(reg);
      queryFragments.push_back(registers);
    }
  }

  /// One key tile: returns the next state.
  SmallVector<Value> step(Value keyStart, Value stage, ArrayRef<Value> state) {
    const int64_t keyTiles = spec.keyTile / 8, valueTiles = spec.valueDim / 8;
    if (reloadQuery())
      loadQueryFragments();
    // The element's row in the CTA's query tile, and in the whole problem
    // (summed as written: queryStart + tileRowOf made ptxas spill 8 bytes in
    // a D = 128 kernel).
    auto tileRowOf = [&](int element) {
      return add(warpRow, add(group, index(layout.c[element].row)));
    };
    auto rowOf = [&](int element) {
      return add(add(queryStart, warpRow),
                 add(group, index(layout.c[element].row)));
    };
    // The keys each of the thread's two rows may see in this tile (the
    // spec's mask, and the block bits listed in shared memory with
    // per-element layouts), each shifted by the thread's first column
    // (2 quad) so that an element's bit is at a constant position.
    Value keyMasks[2];
    if (anyMask())
      for (int element = 0; element < 4; ++element) {
        int slot = rowSlotOf(element);
        if (keyMasks[slot])
          continue;
        Value bits = rowAllowedKeys(rowOf(element), keyStart);
        if (layoutPerElement())
          bits = arith::AndIOp::create(
              b, loc, bits,
              memref::LoadOp::create(b, loc, rowMasks,
                                     ValueRange{tileRowOf(element)}));
        keyMasks[slot] =
            arith::ShRUIOp::create(b, loc, bits, toI64(mul(quad, index(2))));
      }
    // S = Q K^T: B fragments of two key n-tiles per ldmatrix.x4, from K's
    // rows (keys) read as stored: B(k = d, n = key) = K[key][d].
    SmallVector<SmallVector<Value>> scores(keyTiles,
                                           SmallVector<Value>(4, float32(0)));
    if (spec.warpgroupMMA)
      scores = warpgroupScores(stage);
    for (int64_t kstep = 0; kstep < spec.headDim / 16 && !spec.warpgroupMMA;
         ++kstep)
      for (int64_t tile = 0; tile < keyTiles; tile += 2) {
        SmallVector<Value> fragments = loadBFragments(
            keySmem, stage, kstep, tile, /*kMajor=*/false, spec.headDim);
        for (int64_t half = 0; half < 2; ++half)
          scores[tile + half] =
              mma(queryFragments[kstep],
                  {fragments[2 * half], fragments[2 * half + 1]},
                  scores[tile + half]);
      }

    // Logits with the masks, on each accumulator element's position.
    for (int64_t tile = 0; tile < keyTiles; ++tile) {
      SmallVector<Value> stagedBias;
      if (spec.stageBias)
        stagedBias = stagedBiasOf(stage, tile);
      for (int element = 0; element < 4; ++element) {
        Value biasValue;
        if (spec.stageBias)
          biasValue = stagedBias[element];
        else if (spec.biasType)
          biasValue = loadBias(
              rowOf(element),
              add(add(keyStart, index(8 * tile + layout.c[element].column)),
                  mul(quad, index(2))));
        Value allowed = anyMask() ? maskBit(keyMasks[rowSlotOf(element)],
                                            8 * tile + layout.c[element].column)
                                  : Value();
        scores[tile][element] =
            scoreOf(scores[tile][element], allowed, biasValue);
      }
    }

    SmallVector<Value> next(state.begin(), state.end());
    if (spec.softmax) {
      // Row maxima over the quad that shares a row, the update, p.
      Value rescale[2];
      for (int slot = 0; slot < 2; ++slot) {
        Value tileMax = float32(kNegInf);
        for (int64_t tile = 0; tile < keyTiles; ++tile)
          for (int element = 0; element < 4; ++element)
            if (rowSlotOf(element) == slot)
              tileMax = fmax(tileMax, scores[tile][element]);
        tileMax = fmax(tileMax, shuffleXor(tileMax, 1));
        tileMax = fmax(tileMax, shuffleXor(tileMax, 2));
        Value rowMax = state[valueTiles * 4 + 2 * slot];
        auto exp2 = [this](OpBuilder &nb, Location nl, Value x) {
          return ex2(nb, nl, x);
        };
        attn::tile::OnlineSoftmaxUpdate update =
            attn::tile::onlineSoftmaxUpdate(b, loc, rowMax, tileMax, exp2);
        rescale[slot] = update.rescale;
        Value sum = float32(0.0);
        for (int64_t tile = 0; tile < keyTiles; ++tile)
          for (int element = 0; element < 4; ++element)
            if (rowSlotOf(element) == slot) {
              scores[tile][element] = attn::tile::shiftedExp(
                  b, loc, scores[tile][element], update.newMax, exp2);
              sum = fadd(sum, scores[tile][element]);
            }
        Value rowSum = state[valueTiles * 4 + 2 * slot + 1];
        if (spec.mutation != KernelMutation::NoRescale)
          rowSum = fmul(update.rescale, rowSum);
        next[valueTiles * 4 + 2 * slot] = update.newMax;
        next[valueTiles * 4 + 2 * slot + 1] = fadd(rowSum, sum);
      }
      if (spec.mutation != KernelMutation::NoRescale)
        for (int64_t tile = 0; tile < valueTiles; ++tile)
          for (int element = 0; element < 4; ++element)
            next[4 * tile + element] =
                fmul(rescale[rowSlotOf(element)], next[4 * tile + element]);
    }

    if (spec.warpgroupMMA) {
      accumulateWarpgroupValues(stage, scores, next);
      return next;
    }
    // O += P V: P's A fragments from S's accumulators (the same lanes hold
    // them), V's B fragments by ldmatrix.trans from V's rows (keys):
    // B(k = key, n = column) = V[key][column].
    for (int64_t kstep = 0; kstep < spec.keyTile / 16; ++kstep) {
      SmallVector<Value> a;
      for (int reg = 0; reg < 4; ++reg) {
        Value halves[2];
        for (int half = 0; half < 2; ++half) {
          const FragmentOffset &at = layout.a[reg][half];
          int64_t tile = 2 * kstep + at.column / 8;
          int element = layout.accumulatorAt(at.row, at.column % 8);
          assert(element >= 0 && "the A and C layouts cover the same tile");
          halves[half] = arith::TruncFOp::create(b, loc, spec.elementType,
                                                 scores[tile][element]);
        }
        Value pair = vector::FromElementsOp::create(
            b, loc, VectorType::get({2}, spec.elementType),
            ValueRange{halves[0], halves[1]});
        a.push_back(operand(pair));
      }
      for (int64_t tile = 0; tile < valueTiles; tile += 2) {
        SmallVector<Value> fragments = loadBFragments(
            valueSmem, stage, kstep, tile, /*kMajor=*/true, spec.valueDim);
        for (int64_t half = 0; half < 2; ++half) {
          int64_t n = tile + half;
          SmallVector<Value> c(next.begin() + 4 * n, next.begin() + 4 * n + 4);
          SmallVector<Value> d =
              mma(a, {fragments[2 * half], fragments[2 * half + 1]}, c);
          std::copy(d.begin(), d.end(), next.begin() + 4 * n);
        }
      }
    }
    return next;
  }

  //===--------------------------------------------------------------------===//
  // Warpgroup MMA (sm_90a).
  //
  // The CTA's 4 warps are one warpgroup; wgmma m64nNk16 computes the whole
  // 64-row query tile, each warp holding its 16 rows of the accumulator as
  // N / 8 m16n8 accumulator fragments (MMAFragments.h), so that the masks,
  // the softmax and the epilogue are mma.sync's. Both multiplicands come
  // from shared memory through matrix descriptors (PTX ISA 9.7.15.5.1.2):
  //   S = Q K^T: A = Q, B = K, both K-major (d contiguous);
  //   O += P V:  A = P (written by the threads from S's registers), K-major
  //              (keys contiguous); B = V, N-major (its columns contiguous).
  // Every operand lies in panels of 64 columns: rows of 128 bytes with the
  // 128-byte swizzle, 8 rows a 1024-byte atom (SBO = 1024), a K-major
  // operand's k16 steps 32 bytes apart inside a panel, an N-major V's
  // panels LBO = 128 bc apart and its k16 steps 16 rows apart.
  //===--------------------------------------------------------------------===//

  static constexpr int64_t kPanelColumns = 64;
  static constexpr int64_t kPanelRowBytes = 128;

  /// A view of `shared` from its first 1024-byte boundary on (the address
  /// is kept for the descriptors).
  Value alignedShared(Value shared) {
    Value address =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, shared);
    Value misalignment = rem(address, kSwizzleAtomBytes);
    Value shift = rem(
        arith::SubIOp::create(b, loc, index(kSwizzleAtomBytes), misalignment),
        kSwizzleAtomBytes);
    sharedAddress = add(address, shift);
    auto space = gpu::AddressSpaceAttr::get(b.getContext(),
                                            gpu::AddressSpace::Workgroup);
    return memref::ViewOp::create(
        b, loc,
        MemRefType::get({layoutBytes(spec)}, b.getI8Type(),
                        MemRefLayoutAttrInterface(), space),
        shared, shift, ValueRange{});
  }

  /// The matrix descriptor of an operand at `byteOffset` (index) from the
  /// aligned base: start address, leading and stride byte offsets (each
  /// encoded as bits 4-17), base offset 0, the 128-byte swizzle (mode 1).
  Value descriptor(Value byteOffset, int64_t leadingBytes,
                   int64_t strideBytes) {
    Value address = toI64(add(sharedAddress, byteOffset));
    Value start = arith::AndIOp::create(
        b, loc, arith::ShRUIOp::create(b, loc, address, int64(4)),
        int64(0x3fff));
    int64_t fields = ((leadingBytes >> 4) << 16) | ((strideBytes >> 4) << 32) |
                     (int64_t(1) << 62);
    return arith::OrIOp::create(b, loc, start, int64(fields));
  }

  /// The warpgroup accumulator of n columns (n / 2 floats a thread).
  Type accumulatorType(int64_t n) {
    return LLVM::LLVMStructType::getLiteral(b.getContext(),
                                            SmallVector<Type>(n / 2, f32));
  }

  /// D = A B (+ C with `accumulate`), m64nNk16.
  Value warpgroupMMA(Value accumulator, Value descriptorA, Value descriptorB,
                     int64_t n, bool accumulate, bool valueMajorB) {
    NVVM::WGMMATypes type =
        bf16 ? NVVM::WGMMATypes::bf16 : NVVM::WGMMATypes::f16;
    return NVVM::WgmmaMmaAsyncOp::create(
        b, loc, accumulator.getType(), accumulator, descriptorA, descriptorB,
        NVVM::MMAShapeAttr::get(b.getContext(), 64, n, 16), type, type,
        NVVM::WGMMATypes::f32,
        accumulate ? NVVM::WGMMAScaleOut::one : NVVM::WGMMAScaleOut::zero,
        NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one, NVVM::MMALayout::row,
        // NVVM's row B is PTX's imm-trans-b = 1: N-major.
        valueMajorB ? NVVM::MMALayout::row : NVVM::MMALayout::col,
        /*satfinite=*/nullptr);
  }

  /// Commits the MMAs issued since the last fence and waits for them.
  void completeWarpgroupMMAs() {
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, 0);
  }

  /// Orders this thread's writes to shared memory (st.shared, cp.async)
  /// before the async proxy's reads of it (wgmma): before the barrier that
  /// publishes them.
  void proxyFence() {
    if (!spec.warpgroupMMA || spec.mutation == KernelMutation::NoProxyFence)
      return;
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(b.getContext(),
                                   NVVM::SharedSpace::shared_cta));
  }

  /// The accumulator value of n-tile `tile`'s element `element`.
  int64_t accumulatorIndex(int64_t tile, int element) const {
    return warpgroupAccumulatorIndex(tile, layout.c[element]);
  }

  /// S = Q K^T of the key tile in stage `stage`, as the thread's scores.
  SmallVector<SmallVector<Value>> warpgroupScores(Value stage) {
    const int64_t br = spec.queryTile, bc = spec.keyTile, d = spec.headDim;
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    Value accumulator = LLVM::PoisonOp::create(b, loc, accumulatorType(bc));
    Value keyStage = mul(stage, index(2 * bc * d));
    for (int64_t kstep = 0; kstep < d / 16; ++kstep) {
      int64_t panel = kstep / 4, inPanel = 32 * (kstep % 4);
      Value a = descriptor(index(panel * br * kPanelRowBytes + inPanel), 16,
                           kSwizzleAtomBytes);
      Value keys = descriptor(
          add(keyStage,
              index(keyOffset + panel * bc * kPanelRowBytes + inPanel)),
          16, kSwizzleAtomBytes);
      accumulator = warpgroupMMA(accumulator, a, keys, bc,
                                 /*accumulate=*/kstep > 0,
                                 /*valueMajorB=*/false);
    }
    completeWarpgroupMMAs();
    SmallVector<SmallVector<Value>> scores(bc / 8, SmallVector<Value>(4));
    for (int64_t tile = 0; tile < bc / 8; ++tile)
      for (int element = 0; element < 4; ++element)
        scores[tile][element] = LLVM::ExtractValueOp::create(
            b, loc, accumulator, accumulatorIndex(tile, element));
    return scores;
  }

  /// O += P V for the key tile in stage `stage`: P (the thread's `scores`,
  /// rounded to the element type) into shared memory, then the MMAs on the
  /// output state in `next`.
  void accumulateWarpgroupValues(Value stage,
                                 ArrayRef<SmallVector<Value>> scores,
                                 SmallVector<Value> &next) {
    const int64_t br = spec.queryTile, bc = spec.keyTile, dv = spec.valueDim;
    auto pairType = VectorType::get({2}, spec.elementType);
    for (int64_t tile = 0; tile < bc / 8; ++tile)
      for (auto [element, partner] : columnPairs()) {
        const FragmentOffset &at = layout.c[element];
        Value halves[2] = {arith::TruncFOp::create(b, loc, spec.elementType,
                                                   scores[tile][element]),
                           arith::TruncFOp::create(b, loc, spec.elementType,
                                                   scores[tile][partner])};
        Value pair = vector::FromElementsOp::create(b, loc, pairType, halves);
        Value row = add(warpRow, add(group, index(at.row)));
        Value chunk = arith::XOrIOp::create(
            b, loc, index(tile % (kPanelColumns / 8)), rem(row, 8));
        Value column = add(mul(chunk, index(8)),
                           add(index(at.column), mul(quad, index(2))));
        vector::StoreOp::create(
            b, loc, pair, probabilitySmem,
            ValueRange{index(tile / (kPanelColumns / 8)), row, column},
            /*nontemporal=*/false, llvm::Align(4));
      }
    proxyFence();
    barrier();
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    Value accumulator = LLVM::PoisonOp::create(b, loc, accumulatorType(dv));
    for (int64_t tile = 0; tile < dv / 8; ++tile)
      for (int element = 0; element < 4; ++element)
        accumulator = LLVM::InsertValueOp::create(
            b, loc, accumulator, next[4 * tile + element],
            accumulatorIndex(tile, element));
    Value valueStage = mul(stage, index(2 * bc * dv));
    for (int64_t kstep = 0; kstep < bc / 16; ++kstep) {
      int64_t panel = kstep / 4, inPanel = 32 * (kstep % 4);
      Value p = descriptor(
          index(probabilityOffset + panel * br * kPanelRowBytes + inPanel), 16,
          kSwizzleAtomBytes);
      Value values = descriptor(
          add(valueStage, index(valueOffset + 16 * kstep * kPanelRowBytes)),
          /*leadingBytes=*/bc * kPanelRowBytes, kSwizzleAtomBytes);
      accumulator = warpgroupMMA(accumulator, p, values, dv,
                                 /*accumulate=*/true, /*valueMajorB=*/true);
    }
    completeWarpgroupMMAs();
    for (int64_t tile = 0; tile < dv / 8; ++tile)
      for (int element = 0; element < 4; ++element)
        next[4 * tile + element] = LLVM::ExtractValueOp::create(
            b, loc, accumulator, accumulatorIndex(tile, element));
  }

  const MMAFragmentLayout &layout;
  bool bf16;
  Value group, quad, warpRow;
  Value querySmem, keySmem, valueSmem, biasSmem, rowMasks;
  Value probabilitySmem, sharedAddress;
  int64_t keyOffset = 0, valueOffset = 0, probabilityOffset = 0;
  SmallVector<SmallVector<Value>> queryFragments;
};

//===----------------------------------------------------------------------===//
// FMA: f32.
//===----------------------------------------------------------------------===//

/// The f32 kernel. Two threads per query row: thread t has row t / 2 and
/// the keys of parity t mod 2 for S, and half of the value columns for O;
/// P goes through shared memory between the two. One stage (f32 tiles are
/// twice as large); shared rows are padded by 4 floats against bank
/// conflicts.
class FMAKernel : public KernelBuilder {
public:
  FMAKernel(OpBuilder &b, Location loc, const AttentionKernelSpec &spec)
      : KernelBuilder(b, loc, spec) {}

  static int64_t tileBytes(const AttentionKernelSpec &spec) {
    return 4 * (spec.queryTile * (spec.headDim + 4) +
                spec.keyTile * (spec.headDim + 4) +
                spec.keyTile * (spec.valueDim + 4) +
                spec.queryTile * (spec.keyTile + 4));
  }
  static int64_t sharedBytes(const AttentionKernelSpec &spec) {
    if (rowIntervalBytes(spec))
      return rowIntervalOffset(spec) + rowIntervalBytes(spec);
    return tileBytes(spec) + keyTileListBytes(spec);
  }
  static int64_t rowIntervalOffset(const AttentionKernelSpec &spec) {
    return llvm::alignTo(tileBytes(spec) + keyTileListBytes(spec), 8);
  }

  void build(gpu::GPUFuncOp func) {
    setUp(func);
    const int64_t br = spec.queryTile, bc = spec.keyTile;
    const int64_t d = spec.headDim, dv = spec.valueDim;
    const int64_t keysPerThread = bc / 2, columnsPerThread = dv / 2;
    row = div(threadId, 2);
    parity = rem(threadId, 2);
    Value shared = gpu::DynamicSharedMemoryOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                        MemRefLayoutAttrInterface(),
                        gpu::AddressSpaceAttr::get(
                            b.getContext(), gpu::AddressSpace::Workgroup)));
    int64_t offset = 0;
    Value querySmem = sharedView(shared, offset, {br, d + 4}, f32);
    offset += 4 * br * (d + 4);
    Value keySmem = sharedView(shared, offset, {bc, d + 4}, f32);
    offset += 4 * bc * (d + 4);
    Value valueSmem = sharedView(shared, offset, {bc, dv + 4}, f32);
    offset += 4 * bc * (dv + 4);
    Value probabilities = sharedView(shared, offset, {br, bc + 4}, f32);

    // The key tiles to visit, listed before the count is read (barrier);
    // the rows' key intervals, published by the first tile's barrier.
    listKeyTiles(shared, tileBytes(spec));
    storeRowIntervals(shared, rowIntervalOffset(spec));
    wait(commit(copyRows(query, head, queryStart, br, d, spec.queryLen,
                         querySmem, Value(), /*swizzle=*/false)),
         0);
    if (spec.layoutType)
      barrier();
    Value count = keyTileCount();

    SmallVector<Value> init(columnsPerThread, float32(0.0));
    if (spec.softmax)
      init.append({float32(kNegInf), float32(0.0)});
    auto loop = scf::ForOp::create(b, loc, index(0), count, index(1), init);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value keyStart = keyStartOf(loop.getInductionVar(), count);
      markKeyTile();
      SmallVector<Value> state(loop.getRegionIterArgs());
      SmallVector<Value> tokens =
          copyRows(key, kvHead, keyStart, bc, d, spec.keyLen, keySmem, Value(),
                   /*swizzle=*/false);
      llvm::append_range(tokens, copyRows(value, kvHead, keyStart, bc, dv,
                                          spec.keyLen, valueSmem, Value(),
                                          /*swizzle=*/false));
      Value group = commit(tokens);
      if (spec.mutation != KernelMutation::NoAsyncWait)
        wait(group, 0);
      if (spec.mutation != KernelMutation::NoBarrier)
        barrier();

      // s_i = q[row] . k[2 i + parity], one pass over d.
      auto dot =
          scf::ForOp::create(b, loc, index(0), index(d), index(1),
                             SmallVector<Value>(keysPerThread, float32(0.0)));
      {
        OpBuilder::InsertionGuard inner(b);
        b.setInsertionPointToStart(dot.getBody());
        Value column = dot.getInductionVar();
        Value q =
            memref::LoadOp::create(b, loc, querySmem, ValueRange{row, column});
        SmallVector<Value> sums;
        for (int64_t i = 0; i < keysPerThread; ++i) {
          Value k = memref::LoadOp::create(
              b, loc, keySmem, ValueRange{add(index(2 * i), parity), column});
          sums.push_back(
              LLVM::FMAOp::create(b, loc, q, k, dot.getRegionIterArgs()[i]));
        }
        scf::YieldOp::create(b, loc, sums);
      }
      Value queryRow = add(queryStart, row);
      // The keys the row may see in this tile (the spec's mask and the
      // block bits) shifted by the thread's first column (parity).
      Value keyMask;
      if (anyMask()) {
        keyMask = rowAllowedKeys(queryRow, keyStart);
        if (layoutPerElement())
          keyMask = arith::AndIOp::create(b, loc, keyMask,
                                          rowKeyMask(queryRow, keyStart));
        keyMask = arith::ShRUIOp::create(b, loc, keyMask, toI64(parity));
      }
      SmallVector<Value> scores;
      for (int64_t i = 0; i < keysPerThread; ++i) {
        Value biasValue =
            spec.biasType
                ? loadBias(queryRow, add(keyStart, add(index(2 * i), parity)))
                : Value();
        scores.push_back(scoreOf(dot.getResult(i),
                                 keyMask ? maskBit(keyMask, 2 * i) : Value(),
                                 biasValue));
      }

      SmallVector<Value> next(state.begin(), state.end());
      if (spec.softmax) {
        Value tileMax = float32(kNegInf);
        for (Value score : scores)
          tileMax = fmax(tileMax, score);
        tileMax = fmax(tileMax, shuffleXor(tileMax, 1));
        auto exp2 = [this](OpBuilder &nb, Location nl, Value x) {
          return ex2(nb, nl, x);
        };
        attn::tile::OnlineSoftmaxUpdate update =
            attn::tile::onlineSoftmaxUpdate(b, loc, state[columnsPerThread],
                                            tileMax, exp2);
        Value sum = float32(0.0);
        for (Value &score : scores) {
          score = attn::tile::shiftedExp(b, loc, score, update.newMax, exp2);
          sum = fadd(sum, score);
        }
        Value rowSum = state[columnsPerThread + 1];
        if (spec.mutation != KernelMutation::NoRescale) {
          rowSum = fmul(update.rescale, rowSum);
          for (int64_t column = 0; column < columnsPerThread; ++column)
            next[column] = fmul(update.rescale, next[column]);
        }
        next[columnsPerThread] = update.newMax;
        next[columnsPerThread + 1] = fadd(rowSum, sum);
      }
      for (int64_t i = 0; i < keysPerThread; ++i)
        memref::StoreOp::create(b, loc, scores[i], probabilities,
                                ValueRange{row, add(index(2 * i), parity)});
      barrier();
      // o[c] += sum_j p[row][j] v[j][c] over the thread's columns.
      Value firstColumn = mul(parity, index(columnsPerThread));
      auto product =
          scf::ForOp::create(b, loc, index(0), index(bc), index(1),
                             ValueRange(next).take_front(columnsPerThread));
      {
        OpBuilder::InsertionGuard inner(b);
        b.setInsertionPointToStart(product.getBody());
        Value keyIndex = product.getInductionVar();
        Value p = memref::LoadOp::create(b, loc, probabilities,
                                         ValueRange{row, keyIndex});
        SmallVector<Value> sums;
        for (int64_t column = 0; column < columnsPerThread; ++column) {
          Value v = memref::LoadOp::create(
              b, loc, valueSmem,
              ValueRange{keyIndex, add(firstColumn, index(column))});
          sums.push_back(LLVM::FMAOp::create(
              b, loc, p, v, product.getRegionIterArgs()[column]));
        }
        scf::YieldOp::create(b, loc, sums);
      }
      for (int64_t column = 0; column < columnsPerThread; ++column)
        next[column] = product.getResult(column);
      // Everyone is done with K, V and P before the next tile.
      barrier();
      scf::YieldOp::create(b, loc, next);
    }

    SmallVector<Value> finalState(loop.getResults());
    Value rowSum, rowMax;
    if (spec.softmax) {
      rowMax = finalState[columnsPerThread];
      rowSum = finalState[columnsPerThread + 1];
      rowSum = fadd(rowSum, shuffleXor(rowSum, 1));
    }
    Value queryRow = add(queryStart, row);
    if (spec.writeOut) {
      SmallVector<std::pair<Value, Value>> columns;
      Value firstColumn = mul(parity, index(columnsPerThread));
      for (int64_t column = 0; column < columnsPerThread; ++column)
        columns.push_back(
            {add(firstColumn, index(column)), finalState[column]});
      storeOutputRow(queryRow, columns, rowSum);
    }
    if (spec.writeLse)
      storeLse(queryRow, rowMax, rowSum,
               cmp(arith::CmpIPredicate::eq, parity, index(0)));
  }

private:
  Value row, parity;
};

} // namespace

bool nvptx::selectsWarpgroupMMA(const AttentionKernelSpec &spec,
                                StringRef chip) {
  return chip == "sm_90a" &&
         (spec.elementType.isF16() || spec.elementType.isBF16()) &&
         spec.headDim % 64 == 0 && spec.valueDim % 64 == 0 &&
         spec.queryTile == kQueryTile && spec.keyTile % 64 == 0;
}

static int64_t kernelSharedBytes(const AttentionKernelSpec &spec) {
  return spec.elementType.isF32() ? FMAKernel::sharedBytes(spec)
                                  : TensorCoreKernel::sharedBytes(spec);
}

int64_t nvptx::stageableBiasKeyLen(const AttentionKernelSpec &spec) {
  if (!spec.biasType || spec.elementType.isF32())
    return 0;
  ArrayRef<int64_t> shape = spec.biasType.getShape();
  if (shape[2] != spec.queryLen || shape[3] != spec.keyLen)
    return 0;
  return llvm::alignTo(spec.keyLen, 8);
}

llvm::Error nvptx::checkAttentionKernelSpec(const AttentionKernelSpec &spec,
                                            StringRef chip) {
  if (spec.stageBias) {
    ArrayRef<int64_t> shape = spec.biasType.getShape();
    if (spec.elementType.isF32() || shape[2] != spec.queryLen ||
        shape[3] % 8 != 0 || shape[3] < spec.keyLen)
      return llvm::createStringError(
          "a staged bias takes [.., S, T'] rows of whole 16-byte chunks on "
          "the tensor-core kernel (a bug in the caller)");
  }
  bool tensorCores = !spec.elementType.isF32();
  int64_t multiple = tensorCores ? 16 : 4;
  for (auto [name, dim] : {std::pair<StringRef, int64_t>{"D", spec.headDim},
                           {"Dv", spec.valueDim}})
    if (dim % multiple != 0 || dim == 0 || dim > 128)
      return llvm::createStringError(
          "expected head dim %s (%lld) to be a multiple of %lld up to 128 "
          "(the %s kernel)",
          name.str().c_str(), static_cast<long long>(dim),
          static_cast<long long>(multiple),
          tensorCores ? "tensor-core" : "f32");
  if (spec.layoutType && spec.keyRangeCount != 1)
    return llvm::createStringError(
        "expected one key range with a block layout (a bug in the caller)");
  if (spec.queryTile != kQueryTile || spec.keyTile != 64)
    return llvm::createStringError(
        "expected tiles of %lld x 64 (query x key), got %lld x %lld",
        static_cast<long long>(kQueryTile),
        static_cast<long long>(spec.queryTile),
        static_cast<long long>(spec.keyTile));
  // Grid y and z (heads and batch rows) are at most 65535 in CUDA.
  if (spec.batch > 65535 || spec.queryHeads > 65535)
    return llvm::createStringError(
        "expected B (%lld) and Hq (%lld) to be at most 65535 (the grid's z "
        "and y)",
        static_cast<long long>(spec.batch),
        static_cast<long long>(spec.queryHeads));
  int64_t limit = mixir::maxDynamicSharedMemory(chip);
  if (kernelSharedBytes(spec) > limit)
    return llvm::createStringError(
        "expected the kernel's shared memory (%lld bytes) to fit %s's %lld",
        static_cast<long long>(kernelSharedBytes(spec)), chip.str().c_str(),
        static_cast<long long>(limit));
  return llvm::Error::success();
}

KernelLaunch nvptx::buildAttentionKernel(OpBuilder &builder, Location loc,
                                         gpu::GPUModuleOp module,
                                         const AttentionKernelSpec &spec) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(module.getBody());
  auto memref = [&](ArrayRef<int64_t> shape, Type element) {
    return MemRefType::get(shape, element);
  };
  Type element = spec.elementType, i32 = builder.getI32Type();
  SmallVector<Type> parameters = {
      memref({spec.batch, spec.queryHeads, spec.queryLen, spec.headDim},
             element),
      memref({spec.batch, spec.kvHeads, spec.keyLen, spec.headDim}, element),
      memref({spec.batch, spec.kvHeads, spec.keyLen, spec.valueDim}, element)};
  if (spec.biasType)
    parameters.push_back(memref(spec.biasType.getShape(), element));
  if (spec.mask.hasKvLen)
    parameters.push_back(memref({spec.batch}, i32));
  if (spec.mask.hasQLen)
    parameters.push_back(memref({spec.batch}, i32));
  if (spec.layoutType)
    parameters.push_back(
        memref(spec.layoutType.getShape(), builder.getI1Type()));
  if (spec.writeOut)
    parameters.push_back(memref(
        {spec.batch, spec.queryHeads, spec.queryLen, spec.valueDim}, element));
  if (spec.writeLse)
    parameters.push_back(memref({spec.batch, spec.queryHeads, spec.queryLen},
                                builder.getF32Type()));

  gpu::GPUFuncOp func =
      createKernelFunc(builder, loc, module, spec.name, parameters,
                       kWarpsPerCTA * kThreadsPerWarp);
  KernelLaunch kernel;
  kernel.func = func;
  kernel.threads = kWarpsPerCTA * kThreadsPerWarp;
  int64_t queryTiles =
      (std::max<int64_t>(spec.queryLen, 1) + spec.queryTile - 1) /
      spec.queryTile;
  kernel.grid = {queryTiles, spec.queryHeads, spec.batch};
  kernel.sharedBytes = kernelSharedBytes(spec);
  // The parameters cp.async reads in 16-byte chunks (q, k, v, and a staged
  // bias) need 16-byte aligned bases; the others are read and written
  // element by element.
  func->setAttr("mixir.aligned_arguments",
                builder.getI64IntegerAttr(spec.stageBias ? 4 : 3));
  // Without it ptxas takes the known block size as a cue to cap registers at
  // 128 and spills (TOOLCHAIN.md).
  func->setAttr("nvvm.minctasm", builder.getI32IntegerAttr(1));

  if (spec.elementType.isF32()) {
    FMAKernel body(builder, loc, spec);
    body.build(func);
  } else {
    // Double-buffered K and V.
    func->setAttr("mixir.num_stages", builder.getI64IntegerAttr(2));
    TensorCoreKernel body(builder, loc, spec);
    body.build(func);
  }
  gpu::ReturnOp::create(builder, loc);
  return kernel;
}
