//===- Warpgroup.cpp - sm_90a warpgroup MMA and the async proxy -----------===//
//
// wgmma.mma_async (PTX ISA, "Asynchronous Warpgroup Level Matrix Multiply-
// Accumulate Instructions") with both multiplicands in shared memory, and
// the instructions that order it: wgmma.fence, wgmma.commit_group,
// wgmma.wait_group and fence.proxy.async. Written from the ISA, not from
// the code generator:
//   - the matrix descriptor (§9.7.15.5.1.2.2): start address, leading and
//     stride byte offsets, base offset, swizzle mode;
//   - the canonical layouts (§9.7.15.5.1.2) of K-major A and B and N-major
//     B with the 128-byte swizzle: 8 rows of 128 bytes form a 1024-byte
//     atom, the next 8 rows are SBO away; an N-major B's next 64 columns
//     are LBO away; the swizzle XORs the 16-byte chunk (address bits 4-6)
//     with the row in the atom (bits 7-9) of the absolute shared address;
//   - the f32 accumulator fragment of m64nNk16 (warp w of the warpgroup,
//     lane l, value i: row 16 w + l / 4 + 8 ((i / 2) % 2), column
//     8 (i / 4) + 2 (l % 4) + i % 2).
//
// The model: an mma_async is computed when the warpgroup issues it, its
// reads of shared memory checked then, by the warpgroup's first thread,
// against races, pending cp.async and generic-proxy writes not yet fenced
// by their writer's fence.proxy.async; each needs a wgmma.fence since the
// warpgroup's last commit_group, and a thread may not exit with groups
// uncommitted or not waited for. Its result is written to its registers at
// issue: the compiled code reads them after the wait (ptxas serializes the
// MMAs where a register is touched earlier, so an early read is slow, not
// wrong). Not modelled: the other swizzle modes and non-zero base offsets
// (reported), an M-major A (reported), writes to shared memory while an
// mma_async that reads it is in flight (the wait follows the commit in
// every kernel here), and the hardware's internal rounding of the sum
// (rounded once to f32, as for mma.sync).
//
//===----------------------------------------------------------------------===//

#include "Machine.h"
#include "Numerics.h"

#include <cmath>
#include <cstring>

using llvm::Twine;

namespace mixir::gpu::detail {

namespace {

constexpr uint32_t kWarpgroupSize = 128;

/// The fields of a wgmma matrix descriptor.
struct MatrixDescriptor {
  uint64_t start, leadingOffset, strideOffset;
  unsigned baseOffset, swizzle;

  static MatrixDescriptor decode(uint64_t bits) {
    MatrixDescriptor d;
    d.start = (bits & 0x3fff) << 4;
    d.leadingOffset = ((bits >> 16) & 0x3fff) << 4;
    d.strideOffset = ((bits >> 32) & 0x3fff) << 4;
    d.baseOffset = (bits >> 49) & 0x7;
    d.swizzle = (bits >> 62) & 0x3;
    return d;
  }
};

/// The 128-byte swizzle of a shared address.
uint64_t swizzle128(uint64_t address) {
  return address ^ (((address >> 7) & 0x7) << 4);
}

/// Calls `fn` (returning false to stop) once per warpgroup with a thread in
/// `lanes` (whole warpgroups, in order); whether none stopped.
template <typename F> bool forEachWarpgroup(const Lanes &lanes, F &&fn) {
  uint32_t last = ~0u;
  bool ok = true;
  lanes.forEach([&](uint32_t t) {
    uint32_t group = t / kWarpgroupSize;
    if (ok && group != last)
      ok = fn(group);
    last = group;
  });
  return ok;
}

} // namespace

bool Machine::checkConvergedWarpgroups(const Inst &inst, const Lanes &lanes) {
  if (numThreads % kWarpgroupSize != 0)
    return fail(inst, 0,
                "needs whole warpgroups of 128 threads, but the CTA has " +
                    Twine(numThreads) + " threads");
  std::vector<bool> here(numThreads, false);
  lanes.forEach([&](uint32_t t) { here[t] = true; });
  for (uint32_t group = 0; group < numThreads / kWarpgroupSize; ++group) {
    uint32_t base = group * kWarpgroupSize, present = 0, first = ~0u;
    for (uint32_t t = base; t < base + kWarpgroupSize; ++t)
      if (here[t]) {
        ++present;
        first = std::min(first, t);
      }
    if (present == 0 || present == kWarpgroupSize)
      continue;
    uint32_t missing = base;
    while (here[missing])
      ++missing;
    return fail(inst, first,
                "divergent warpgroup at this .aligned instruction: thread " +
                    threadName(missing) + " " + whereIs(missing));
  }
  return true;
}

bool Machine::readForWgmma(const Inst &inst, uint32_t reader, uint64_t address,
                           const char *operand, Kind kind, bool negate,
                           double &value) {
  Region &region = regions[program.sharedRegion()];
  if (address + 2 > region.size)
    return fail(inst, reader,
                Twine("reads ") + operand + " at shared memory + " +
                    Twine(address) + ", out of bounds (the CTA has " +
                    Twine(region.size) + " bytes of shared memory)");
  if (!sharedAccess(inst, reader, address, 2, AccessMode::Read,
                    Twine(operand) + " of wgmma.mma_async"))
    return false;
  if (shadow[address].unfenced || shadow[address + 1].unfenced)
    return fail(inst, reader,
                Twine(operand) + " of wgmma.mma_async at shared memory + " +
                    Twine(address) +
                    " was written through the generic proxy by thread " +
                    threadName(shadow[address].writer - 1) +
                    " with no fence.proxy.async by the writer since");
  uint16_t bits;
  std::memcpy(&bits, region.data + address, 2);
  value = halfToDouble(kind, bits);
  if (negate)
    value = -value;
  return true;
}

bool Machine::wgmma(const Inst &inst, const Lanes &lanes) {
  if (!checkConvergedWarpgroups(inst, lanes))
    return false;
  const WgmmaDesc &desc = program.wgmmas[inst.aux];
  const unsigned n = desc.n, leaves = n / 2;
  return forEachWarpgroup(lanes, [&](uint32_t group) -> bool {
    const uint32_t base = group * kWarpgroupSize;
    WarpgroupAsync &state = warpgroups[group];
    if (!state.fenced)
      return fail(inst, base,
                  "wgmma.mma_async with no wgmma.fence since the warpgroup's "
                  "last wgmma.commit_group (the fence orders the registers' "
                  "accesses before the MMA)");
    // The descriptors are warpgroup-uniform.
    const uint64_t bitsA = slot(desc.descriptorA)[base];
    const uint64_t bitsB = slot(desc.descriptorB)[base];
    for (uint32_t t = base; t < base + kWarpgroupSize; ++t)
      if (slot(desc.descriptorA)[t] != bitsA ||
          slot(desc.descriptorB)[t] != bitsB)
        return fail(inst, t,
                    "passes a matrix descriptor that differs from thread " +
                        threadName(base) + "'s");
    MatrixDescriptor a = MatrixDescriptor::decode(bitsA);
    MatrixDescriptor b = MatrixDescriptor::decode(bitsB);
    for (const MatrixDescriptor *d : {&a, &b})
      if (d->swizzle != 1 || d->baseOffset != 0)
        return fail(inst, base,
                    "has a matrix descriptor with swizzle mode " +
                        Twine(d->swizzle) + " and base offset " +
                        Twine(d->baseOffset) +
                        "; the interpreter models the 128-byte swizzle "
                        "(mode 1) with base offset 0 only");
    // A: 64 x 16, K-major.
    double matrixA[64][16];
    for (unsigned row = 0; row < 64; ++row)
      for (unsigned k = 0; k < 16; ++k) {
        uint64_t address =
            a.start + (row / 8) * a.strideOffset + (row % 8) * 128 + 2 * k;
        if (!readForWgmma(inst, base, swizzle128(address), "A", desc.abKind,
                          desc.negateA, matrixA[row][k]))
          return false;
      }
    // B: 16 x N, K-major (each column's 16 k values in one row of the atom)
    // or N-major (each k row holds 64 columns; the next 64 are LBO away).
    std::vector<double> matrixB(16 * n);
    for (unsigned k = 0; k < 16; ++k)
      for (unsigned col = 0; col < n; ++col) {
        uint64_t address = desc.transposeB
                               ? b.start + (col / 64) * b.leadingOffset +
                                     (k / 8) * b.strideOffset + (k % 8) * 128 +
                                     2 * (col % 64)
                               : b.start + (col / 8) * b.strideOffset +
                                     (col % 8) * 128 + 2 * k;
        if (!readForWgmma(inst, base, swizzle128(address), "B", desc.abKind,
                          desc.negateB, matrixB[k * n + col]))
          return false;
      }
    // D is computed whole before it is written (C and D may share slots).
    std::vector<uint64_t> result(size_t(leaves) * kWarpgroupSize);
    for (uint32_t rank = 0; rank < kWarpgroupSize; ++rank) {
      uint32_t t = base + rank, warp = rank / 32, lane = rank % 32;
      for (unsigned i = 0; i < leaves; ++i) {
        unsigned row = 16 * warp + lane / 4 + 8 * ((i / 2) % 2);
        unsigned col = 8 * (i / 4) + 2 * (lane % 4) + i % 2;
        double sum = 0.0;
        if (desc.accumulate)
          sum = bitsToF32(slot(desc.c + i)[t]);
        for (unsigned k = 0; k < 16; ++k)
          sum += matrixA[row][k] * matrixB[k * n + col];
        result[i * kWarpgroupSize + rank] = f32ToBits(static_cast<float>(sum));
      }
    }
    for (unsigned i = 0; i < leaves; ++i)
      std::memcpy(slot(inst.dst + i) + base,
                  result.data() + size_t(i) * kWarpgroupSize,
                  kWarpgroupSize * sizeof(uint64_t));
    ++state.open;
    return true;
  });
}

bool Machine::wgmmaFence(const Inst &inst, const Lanes &lanes) {
  if (!checkConvergedWarpgroups(inst, lanes))
    return false;
  return forEachWarpgroup(lanes, [&](uint32_t group) {
    warpgroups[group].fenced = true;
    return true;
  });
}

bool Machine::wgmmaCommit(const Inst &inst, const Lanes &lanes) {
  if (!checkConvergedWarpgroups(inst, lanes))
    return false;
  // PTX: commit_group makes a group of the MMAs issued since (possibly
  // none).
  return forEachWarpgroup(lanes, [&](uint32_t group) {
    WarpgroupAsync &state = warpgroups[group];
    ++state.committed;
    state.open = 0;
    state.fenced = false;
    return true;
  });
}

bool Machine::wgmmaWait(const Inst &inst, const Lanes &lanes) {
  if (!checkConvergedWarpgroups(inst, lanes))
    return false;
  return forEachWarpgroup(lanes, [&](uint32_t group) {
    WarpgroupAsync &state = warpgroups[group];
    state.committed = std::min<uint64_t>(state.committed, inst.imm);
    return true;
  });
}

bool Machine::fenceProxyAsync(const Inst &inst, const Lanes &lanes) {
  (void)inst;
  lanes.forEach([&](uint32_t t) {
    for (auto [offset, bytes] : unfencedWrites[t])
      for (uint32_t i = offset; i < offset + bytes; ++i)
        if (shadow[i].writer == t + 1)
          shadow[i].unfenced = 0;
    unfencedWrites[t].clear();
  });
  return true;
}

} // namespace mixir::gpu::detail
