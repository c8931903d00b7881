//===- Warp.cpp - warp collectives: shfl.sync, ldmatrix, mma.sync ---------===//
//
// The ops that exchange data between the lanes of a warp (32 consecutive
// linear thread ids). `ldmatrix` and `mma.sync` are `.sync.aligned`: all 32
// lanes must execute the same op together, else the warp is reported as
// divergent. `shfl.sync` needs every non-exited lane of its member mask at
// the op, and a lane reading from a lane outside the mask is an error.
//
// The fragment layouts below are written from the PTX ISA's descriptions,
// independently of any table the code generator uses, so that a wrong
// emitter table shows up as wrong numbers:
//   - shfl.sync: "Data Movement and Conversion Instructions: shfl.sync"
//     (its pseudo-code for the source lane and the valid predicate);
//   - ldmatrix: "Warp-level matrix load instruction: ldmatrix";
//   - mma.sync: "Matrix Fragments for mma.m16n8k16 with floating point type"
//     and "... mma.m16n8k8" (f16/bf16 multiplicands).
//
//===----------------------------------------------------------------------===//

#include "Machine.h"
#include "Numerics.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

#include <cstring>

using llvm::Twine;

namespace mixir::gpu::detail {

double halfToDouble(Kind kind, uint64_t bits) {
  uint16_t half = static_cast<uint16_t>(bits);
  return kind == Kind::BF16 ? bf16ToDouble(half) : f16ToDouble(half);
}

namespace {

uint64_t accumulatorBits(Kind kind, double value) {
  return kind == Kind::F16 ? doubleToF16(value)
                           : f32ToBits(static_cast<float>(value));
}

double accumulatorValue(Kind kind, uint64_t bits) {
  return kind == Kind::F16 ? f16ToDouble(static_cast<uint16_t>(bits))
                           : bitsToF32(bits);
}

/// The warps that have a lane in `lanes`, with the mask of those lanes.
std::vector<std::pair<uint32_t, uint32_t>> warpsOf(const Lanes &lanes) {
  std::vector<std::pair<uint32_t, uint32_t>> warps;
  lanes.forEach([&](uint32_t t) {
    uint32_t warp = t / kWarpSize;
    if (warps.empty() || warps.back().first != warp)
      warps.push_back({warp, 0});
    warps.back().second |= uint32_t(1) << (t % kWarpSize);
  });
  return warps;
}

} // namespace

bool Machine::checkConvergedWarps(const Inst &inst, const Lanes &lanes) {
  for (auto [warp, present] : warpsOf(lanes)) {
    uint32_t base = warp * kWarpSize;
    uint32_t size = std::min(kWarpSize, numThreads - base);
    uint32_t firstPresent = base + llvm::countr_zero(present);
    if (size != kWarpSize)
      return fail(inst, firstPresent,
                  "needs a full warp, but warp " + Twine(warp) +
                      " of this CTA has only " + Twine(size) + " threads");
    if (present != ~0u) {
      uint32_t missing = base + llvm::countr_zero(~present);
      return fail(inst, firstPresent,
                  "divergent warp at this collective: lane " +
                      Twine(missing - base) + " (thread " +
                      threadName(missing) + ") " + whereIs(missing));
    }
  }
  return true;
}

bool Machine::shuffle(const Inst &inst, const Lanes &lanes) {
  auto kind = static_cast<mlir::NVVM::ShflKind>(inst.imm);
  const uint64_t *memberMasks = slot(inst.a), *values = slot(inst.b),
                 *offsets = slot(inst.c), *clamps = slot(inst.d);
  uint64_t *results = slot(inst.dst);
  for (auto [warp, present] : warpsOf(lanes)) {
    uint32_t base = warp * kWarpSize;
    uint32_t size = std::min(kWarpSize, numThreads - base);
    uint32_t firstPresent = base + llvm::countr_zero(present);
    uint32_t members = static_cast<uint32_t>(memberMasks[firstPresent]);
    // Lanes that exist and have not exited need not be waited for.
    uint32_t waitable = 0;
    for (uint32_t lane = 0; lane < size; ++lane)
      if (pcs[base + lane] != kExited)
        waitable |= uint32_t(1) << lane;
    for (uint32_t lane = 0; lane < kWarpSize; ++lane) {
      if (!(present >> lane & 1))
        continue;
      uint32_t t = base + lane;
      if (static_cast<uint32_t>(memberMasks[t]) != members)
        return fail(inst, t,
                    "passes a member mask that differs from lane " +
                        Twine(firstPresent - base) + "'s");
      if (!(members >> lane & 1))
        return fail(inst, t, "is executed by a lane outside its member mask");
    }
    uint32_t absent = members & waitable & ~present;
    if (absent) {
      uint32_t missing = base + llvm::countr_zero(absent);
      return fail(inst, firstPresent,
                  "divergent warp at this shfl.sync: lane " +
                      Twine(missing - base) + " (thread " +
                      threadName(missing) + ") of the member mask " +
                      whereIs(missing));
    }
    uint64_t warpResults[kWarpSize];
    bool warpValid[kWarpSize];
    for (uint32_t lane = 0; lane < kWarpSize; ++lane) {
      if (!(present >> lane & 1))
        continue;
      uint32_t t = base + lane;
      // PTX ISA shfl.sync pseudo-code.
      int32_t b = static_cast<int32_t>(offsets[t] & 0x1f);
      uint32_t c = static_cast<uint32_t>(clamps[t]);
      int32_t clamp = c & 0x1f, segmask = (c >> 8) & 0x1f;
      int32_t self = static_cast<int32_t>(lane);
      int32_t maxLane = (self & segmask) | (clamp & ~segmask);
      int32_t minLane = self & segmask;
      int32_t j = self;
      bool valid = false;
      switch (kind) {
      case mlir::NVVM::ShflKind::up:
        j = self - b;
        valid = j >= maxLane;
        break;
      case mlir::NVVM::ShflKind::down:
        j = self + b;
        valid = j <= maxLane;
        break;
      case mlir::NVVM::ShflKind::bfly:
        j = self ^ b;
        valid = j <= maxLane;
        break;
      case mlir::NVVM::ShflKind::idx:
        j = minLane | (b & ~segmask);
        valid = j <= maxLane;
        break;
      }
      if (!valid)
        j = self;
      if (!(members >> j & 1) || !(present >> j & 1))
        return fail(inst, t,
                    "reads lane " + Twine(j) + ", which is " +
                        (!(members >> j & 1)
                             ? Twine("not in the member mask")
                             : Twine("not at this shfl.sync (it ") +
                                   whereIs(base + j) + ")"));
      warpResults[lane] = values[base + j];
      warpValid[lane] = valid;
    }
    for (uint32_t lane = 0; lane < kWarpSize; ++lane) {
      if (!(present >> lane & 1))
        continue;
      results[base + lane] = warpResults[lane];
      if (inst.flags)
        slot(inst.dst + 1)[base + lane] = warpValid[lane] ? 1 : 0;
    }
  }
  return true;
}

bool Machine::ldmatrix(const Inst &inst, const Lanes &lanes) {
  if (!checkConvergedWarps(inst, lanes))
    return false;
  const unsigned num = static_cast<unsigned>(inst.imm);
  const bool transpose = inst.flags & 1;
  const uint64_t *addresses = slot(inst.a);
  for (auto [warp, present] : warpsOf(lanes)) {
    (void)present;
    uint32_t base = warp * kWarpSize;
    // Matrix m's row r comes from the 16 bytes at the address lane 8m + r
    // holds; other lanes' addresses are not used.
    uint16_t rows[4][8][8];
    for (unsigned m = 0; m < num; ++m) {
      for (unsigned r = 0; r < 8; ++r) {
        uint32_t t = base + 8 * m + r;
        Region *region;
        uint64_t offset;
        const uint8_t *data = resolve(inst, t, addresses[t], 16, 16,
                                      "row " + Twine(r) + " of matrix " +
                                          Twine(m) + " (16 bytes)",
                                      &region, &offset);
        if (!data)
          return false;
        if (region->kind != Region::Kind::Shared)
          return fail(inst, t,
                      "row " + Twine(r) + " of matrix " + Twine(m) +
                          " is not in shared memory (" +
                          describeAddress(*region, offset) + ")");
        if (!sharedAccess(inst, t, offset, 16, AccessMode::Read,
                          "row " + Twine(r) + " of matrix " + Twine(m)))
          return false;
        std::memcpy(rows[m][r], data, 16);
      }
    }
    // Each lane receives, per matrix, one 32-bit register with two adjacent
    // elements: without .trans, row lane/4, columns 2*(lane%4) and +1; with
    // .trans the matrix is read column-major, so the same register holds
    // column lane/4, rows 2*(lane%4) and +1. The lower-indexed element is in
    // the low half.
    for (uint32_t lane = 0; lane < kWarpSize; ++lane) {
      uint32_t t = base + lane;
      unsigned outer = lane / 4, inner = 2 * (lane % 4);
      for (unsigned m = 0; m < num; ++m) {
        uint16_t lo, hi;
        if (transpose) {
          lo = rows[m][inner][outer];
          hi = rows[m][inner + 1][outer];
        } else {
          lo = rows[m][outer][inner];
          hi = rows[m][outer][inner + 1];
        }
        slot(inst.dst + m)[t] = uint64_t(lo) | (uint64_t(hi) << 16);
      }
    }
  }
  return true;
}

bool Machine::mma(const Inst &inst, const Lanes &lanes) {
  if (!checkConvergedWarps(inst, lanes))
    return false;
  const MmaDesc &desc = program.mmas[inst.aux];
  const unsigned m = desc.m, n = desc.n, k = desc.k;
  for (auto [warp, present] : warpsOf(lanes)) {
    (void)present;
    uint32_t base = warp * kWarpSize;
    double a[16][16], b[16][8], c[16][8];
    for (uint32_t lane = 0; lane < kWarpSize; ++lane) {
      uint32_t t = base + lane;
      unsigned group = lane / 4, inGroup = lane % 4;
      // A (m x k, row-major fragments): element i of a lane lies in row
      // group (+8 for the second and fourth register pairs) and column
      // 2*inGroup + (i % 2) (+8 for registers 2 and 3 when k = 16).
      for (unsigned i = 0; i < desc.a.size(); ++i) {
        unsigned row = group + 8 * ((i / 2) % 2);
        unsigned col = 2 * inGroup + (i % 2) + 8 * (i / 4);
        const HalfRef &ref = desc.a[i];
        a[row][col] = halfToDouble(desc.abKind, slot(ref.slot)[t] >> ref.shift);
      }
      // B (k x n, column fragments): element i lies in row 2*inGroup +
      // (i % 2) (+8 for the second register when k = 16), column group.
      for (unsigned i = 0; i < desc.b.size(); ++i) {
        unsigned row = 2 * inGroup + (i % 2) + 8 * (i / 2);
        const HalfRef &ref = desc.b[i];
        b[row][group] =
            halfToDouble(desc.abKind, slot(ref.slot)[t] >> ref.shift);
      }
      // C and D (m x n): element i lies in row group (+8 for i >= 2),
      // column 2*inGroup + (i % 2).
      for (unsigned i = 0; i < 4; ++i) {
        unsigned row = group + 8 * (i / 2), col = 2 * inGroup + (i % 2);
        c[row][col] = accumulatorValue(desc.cKind, slot(desc.c[i])[t]);
      }
    }
    // Products of f16/bf16 values are exact in double; the sum is rounded
    // once to the accumulator type (the hardware's internal rounding is not
    // modelled).
    double d[16][8];
    for (unsigned row = 0; row < m; ++row)
      for (unsigned col = 0; col < n; ++col) {
        double sum = c[row][col];
        for (unsigned i = 0; i < k; ++i)
          sum += a[row][i] * b[i][col];
        d[row][col] = sum;
      }
    for (uint32_t lane = 0; lane < kWarpSize; ++lane) {
      uint32_t t = base + lane;
      unsigned group = lane / 4, inGroup = lane % 4;
      for (unsigned i = 0; i < 4; ++i) {
        unsigned row = group + 8 * (i / 2), col = 2 * inGroup + (i % 2);
        slot(inst.dst + i)[t] = accumulatorBits(desc.dKind, d[row][col]);
      }
    }
  }
  return true;
}

} // namespace mixir::gpu::detail
