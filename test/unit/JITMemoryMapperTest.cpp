//===- JITMemoryMapperTest.cpp - JIT sections within 32-bit reach ---------===//
//
// mixir::cpu::createJITMemoryMapper keeps every section the JIT allocates
// within 2 GB of every other, whatever else the process maps in between
// (the fragmented address space of an AddressSanitizer build made
// RuntimeDyld's truncated relocations crash mixir-run).
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/CPU/CPUTarget.h"

#include "llvm/Support/Memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

using llvm::SectionMemoryManager;
using llvm::sys::Memory;
using llvm::sys::MemoryBlock;

namespace {

TEST(JITMemoryMapper, SectionsStayWithinReach) {
  auto mapper = mixir::cpu::createJITMemoryMapper();
  std::vector<MemoryBlock> blocks, unrelated;
  for (int i = 0; i < 12; ++i) {
    std::error_code error;
    auto purpose = i % 3 == 0 ? SectionMemoryManager::AllocationPurpose::Code
                   : i % 3 == 1
                       ? SectionMemoryManager::AllocationPurpose::ROData
                       : SectionMemoryManager::AllocationPurpose::RWData;
    MemoryBlock block =
        mapper->allocateMappedMemory(purpose, 5000 + 100000 * i, nullptr,
                                     Memory::MF_READ | Memory::MF_WRITE, error);
    ASSERT_FALSE(error) << error.message();
    ASSERT_NE(block.base(), nullptr);
    EXPECT_GE(block.allocatedSize(), size_t(5000 + 100000 * i));
    // The block is writable.
    std::memset(block.base(), 0x5a, block.allocatedSize());
    blocks.push_back(block);
    // Other mappings in between (what ASan's allocator does) change nothing.
    std::error_code otherError;
    unrelated.push_back(Memory::allocateMappedMemory(
        size_t(64) << 20, nullptr, Memory::MF_READ | Memory::MF_WRITE,
        otherError));
  }
  for (const MemoryBlock &a : blocks)
    for (const MemoryBlock &b : blocks) {
      auto lo = reinterpret_cast<uintptr_t>(a.base());
      auto hi = reinterpret_cast<uintptr_t>(b.base()) + b.allocatedSize();
      if (hi > lo) {
        EXPECT_LT(hi - lo, uintptr_t(1) << 31);
      }
    }
  for (MemoryBlock &block : blocks) {
    EXPECT_FALSE(
        mapper->protectMappedMemory(block, Memory::MF_READ | Memory::MF_EXEC));
    EXPECT_FALSE(mapper->releaseMappedMemory(block));
  }
  for (MemoryBlock &block : unrelated)
    Memory::releaseMappedMemory(block);
}

TEST(JITMemoryMapper, RefusesMoreThanItsRange) {
  auto mapper = mixir::cpu::createJITMemoryMapper();
  std::error_code error;
  MemoryBlock block = mapper->allocateMappedMemory(
      SectionMemoryManager::AllocationPurpose::RWData, size_t(3) << 30, nullptr,
      Memory::MF_READ | Memory::MF_WRITE, error);
  EXPECT_TRUE(error);
  EXPECT_EQ(block.base(), nullptr);
}

} // namespace
