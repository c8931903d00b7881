//===- MMAFragments.h - who holds what of an mma.sync m16n8k16 --*- C++ -*-===//
//
// The one table the GPU kernels are emitted from: which lane of a warp holds
// which element of each operand of mma.sync.aligned.m16n8k16 (A 16 x 16 row
// major, B 16 x 8 column major, C/D 16 x 8), after the PTX ISA's figures
// "Matrix Fragments for mma.m16n8k16 with floating point type". Every
// position is a base that depends on the lane (groupID = lane / 4 and
// threadID_in_group = lane % 4) plus an offset the table gives; the kernel
// builder reads the table to place the scores it masks, to turn the score
// accumulators into P's A fragments, and to give ldmatrix its row addresses.
// The CPU interpreter of the kernels implements mma.sync and ldmatrix from
// the ISA on its own and never reads this table, so a wrong entry shows as a
// wrong result instead of being agreed with.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_MMAFRAGMENTS_H
#define MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_MMAFRAGMENTS_H

#include <array>
#include <cstdint>

namespace mixir::nvptx {

/// An element of a fragment: (row, column) = (rowBase(lane) + row,
/// columnBase(lane) + column). For A and C/D the bases are (groupID,
/// 2 * threadID_in_group); for B, whose rows are the k dim, they are
/// (2 * threadID_in_group, groupID).
struct FragmentOffset {
  int row, column;
};

struct MMAFragmentLayout {
  /// A (16 x 16, f16/bf16): four 32-bit registers of two halves each.
  std::array<std::array<FragmentOffset, 2>, 4> a;
  /// B (16 x 8): two registers of two halves.
  std::array<std::array<FragmentOffset, 2>, 2> b;
  /// C and D (16 x 8, f32): four elements.
  std::array<FragmentOffset, 4> c;

  /// The layout of the PTX ISA.
  static const MMAFragmentLayout &ptx();
  /// A deliberately wrong layout (the rows of the accumulator's two halves
  /// swapped), for the mutation test that shows the interpreter catches it.
  static const MMAFragmentLayout &swappedAccumulatorRows();

  /// The accumulator element at (row, column) of the lane's bases, or -1.
  int accumulatorAt(int row, int column) const;
};

/// The value of the thread's warpgroup-MMA accumulator (wgmma m64nNk16,
/// f32: N / 2 values) at `at` of n-tile `tile` (8 columns) of its warp's
/// rows. The PTX ISA's figure "WGMMA .m64nNk16 register fragment layout for
/// accumulator matrix D" gives warp w of the warpgroup rows 16 w .. 16 w +
/// 15 as N / 8 mma.sync m16n8 accumulator fragments one after the other,
/// each in mma.sync's order (the lane bases of `FragmentOffset`).
int warpgroupAccumulatorIndex(int64_t tile, const FragmentOffset &at);

} // namespace mixir::nvptx

#endif // MIXIR_LIB_CONVERSION_ATTNTILESTOGPU_MMAFRAGMENTS_H
