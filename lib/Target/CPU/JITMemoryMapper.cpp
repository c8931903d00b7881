//===- JITMemoryMapper.cpp - JIT sections within 32-bit reach -------------===//
//
// A SectionMemoryManager::MemoryMapper that bump-allocates every section of
// the JIT out of one reservation of 2 GB, so that any two sections are within
// reach of the 32-bit PC-relative relocations RuntimeDyld applies.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/CPU/CPUTarget.h"

#include "llvm/Support/Alignment.h"
#include "llvm/Support/Memory.h"
#include "llvm/Support/Process.h"

#include <sys/mman.h>

using namespace llvm;

namespace {
class ReservedRangeMapper : public SectionMemoryManager::MemoryMapper {
public:
  ReservedRangeMapper() {
    // PROT_NONE and MAP_NORESERVE: address space only, no memory until a
    // section is handed out.
    void *base = ::mmap(nullptr, kReservedBytes, PROT_NONE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base != MAP_FAILED)
      reserved = static_cast<char *>(base);
  }
  ~ReservedRangeMapper() override {
    if (reserved)
      ::munmap(reserved, kReservedBytes);
  }

  sys::MemoryBlock allocateMappedMemory(SectionMemoryManager::AllocationPurpose,
                                        size_t numBytes,
                                        const sys::MemoryBlock *,
                                        unsigned flags,
                                        std::error_code &error) override {
    size_t pageSize = sys::Process::getPageSizeEstimate();
    size_t bytes = alignTo(numBytes, pageSize);
    if (!reserved || bytes > kReservedBytes - used) {
      error = std::make_error_code(std::errc::not_enough_memory);
      return sys::MemoryBlock();
    }
    sys::MemoryBlock block(reserved + used, bytes);
    used += bytes;
    error = sys::Memory::protectMappedMemory(block, flags);
    return error ? sys::MemoryBlock() : block;
  }

  std::error_code protectMappedMemory(const sys::MemoryBlock &block,
                                      unsigned flags) override {
    return sys::Memory::protectMappedMemory(block, flags);
  }

  std::error_code releaseMappedMemory(sys::MemoryBlock &block) override {
    // The range is never reused (one module per process in mixir-run); give
    // the pages back and make them inaccessible.
    if (block.base()) {
      ::madvise(block.base(), block.allocatedSize(), MADV_DONTNEED);
      ::mprotect(block.base(), block.allocatedSize(), PROT_NONE);
    }
    block = sys::MemoryBlock();
    return std::error_code();
  }

private:
  /// Just under 2 GB: the distance any 32-bit PC-relative relocation covers.
  static constexpr size_t kReservedBytes = (size_t(1) << 31) - (1 << 20);
  char *reserved = nullptr;
  size_t used = 0;
};
} // namespace

std::unique_ptr<SectionMemoryManager::MemoryMapper>
mixir::cpu::createJITMemoryMapper() {
  return std::make_unique<ReservedRangeMapper>();
}
