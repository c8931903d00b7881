//===- MMAFragments.cpp - who holds what of an mma.sync m16n8k16 ----------===//
//
// The fragment layout table of mma.sync m16n8k16 (see MMAFragments.h).
//
//===----------------------------------------------------------------------===//

#include "MMAFragments.h"

using namespace mixir::nvptx;

const MMAFragmentLayout &MMAFragmentLayout::ptx() {
  // A: a0,a1 row g; a2,a3 row g + 8; a4,a5 row g, columns + 8; a6,a7 row
  // g + 8, columns + 8 (two halves per register, columns 2t and 2t + 1).
  // B: b0,b1 rows (k) 2t, 2t + 1; b2,b3 rows + 8; column (n) g.
  // C: c0,c1 row g, columns 2t, 2t + 1; c2,c3 row g + 8.
  static const MMAFragmentLayout layout = {
      /*a=*/{{{{{0, 0}, {0, 1}}},
              {{{8, 0}, {8, 1}}},
              {{{0, 8}, {0, 9}}},
              {{{8, 8}, {8, 9}}}}},
      /*b=*/{{{{{0, 0}, {1, 0}}}, {{{8, 0}, {9, 0}}}}},
      /*c=*/{{{0, 0}, {0, 1}, {8, 0}, {8, 1}}}};
  return layout;
}

const MMAFragmentLayout &MMAFragmentLayout::swappedAccumulatorRows() {
  static const MMAFragmentLayout layout = [] {
    MMAFragmentLayout wrong = ptx();
    std::swap(wrong.c[0].row, wrong.c[2].row);
    std::swap(wrong.c[1].row, wrong.c[3].row);
    return wrong;
  }();
  return layout;
}

int MMAFragmentLayout::accumulatorAt(int row, int column) const {
  for (int index = 0; index < 4; ++index)
    if (c[index].row == row && c[index].column == column)
      return index;
  return -1;
}

int mixir::nvptx::warpgroupAccumulatorIndex(int64_t tile,
                                            const FragmentOffset &at) {
  // Per n-tile: (row 0, columns 0 and 1), then (row 8, columns 0 and 1).
  return static_cast<int>(4 * tile + 2 * (at.row / 8) + at.column);
}
