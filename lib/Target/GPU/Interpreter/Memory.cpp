//===- Memory.cpp - global, shared and local memory; cp.async -------------===//
//
// The interpreter's memory model. A pointer names a region (a global buffer
// passed to the launch, the CTA's shared memory, a thread's local memory)
// and an offset; every access is checked against the region's bounds and
// the alignment the op requires (its `alignment` attribute or the type's
// natural one; 4/8/16 bytes for cp.async). Shared memory starts every CTA
// filled with 0xFF and all-zero shadow state; the shadow state finds reads
// of bytes never written, reads of cp.async destinations before their wait,
// and data races: a byte written in one barrier interval (epoch) may be read
// or written in the same interval only by the thread that wrote it, and a
// byte read in an interval may be written in it only by its reader.
//
// cp.async (PTX ISA, "Data Movement and Conversion Instructions: cp.async",
// cp.async.commit_group, cp.async.wait_group): at issue the source bytes are
// read (src-size of them, the rest of cp-size zero-filled) and the
// destination becomes pending, owned by the issuing thread's open group;
// commit closes the group; `wait_group N` completes all but the newest N
// committed groups of the thread, and only then are the bytes written.
//
//===----------------------------------------------------------------------===//

#include "Machine.h"

#include <cstring>

using llvm::Twine;

namespace mixir::gpu::detail {

void Machine::resetShared() {
  std::fill(shared.begin(), shared.end(), 0xff);
  if (!shadow.empty())
    std::memset(static_cast<void *>(shadow.data()), 0,
                shadow.size() * sizeof(ShadowByte));
  std::fill(local.begin(), local.end(), 0xff);
}

std::string Machine::describeAddress(const Region &region,
                                     uint64_t offset) const {
  std::string where;
  switch (region.kind) {
  case Region::Kind::Buffer:
    where = "global buffer '" + region.name + "'";
    break;
  case Region::Kind::Shared:
    where = "shared memory";
    break;
  case Region::Kind::Local:
    where = "local memory";
    break;
  }
  int64_t signedOffset =
      offset & (uint64_t(1) << (kTagShift - 1))
          ? static_cast<int64_t>(offset) - static_cast<int64_t>(kOffsetMask) - 1
          : static_cast<int64_t>(offset);
  if (signedOffset < 0)
    return where + " - " + std::to_string(-signedOffset);
  return where + " + " + std::to_string(signedOffset);
}

uint8_t *Machine::resolve(const Inst &inst, uint32_t thread, uint64_t pointer,
                          uint64_t bytes, uint64_t align, const Twine &what,
                          Region **regionOut, uint64_t *offsetOut) {
  uint64_t tag = pointer >> kTagShift;
  uint64_t offset = pointer & kOffsetMask;
  if (tag == 0 || (tag + 1) / 2 > regions.size()) {
    char hex[32];
    snprintf(hex, sizeof(hex), "0x%llx",
             static_cast<unsigned long long>(pointer));
    fail(inst, thread,
         what + " through " + hex +
             ", which points into no buffer (a null or corrupted pointer)");
    return nullptr;
  }
  // An odd tag: a negative offset that borrowed from the region's tag.
  uint32_t index = static_cast<uint32_t>((tag + 1) / 2 - 1);
  Region &region = regions[index];
  uint64_t signedOffset = (tag & 1) ? offset - (kOffsetMask + 1) : offset;
  if ((tag & 1) || offset + bytes > region.size || offset + bytes < offset) {
    std::string size =
        region.kind == Region::Kind::Buffer
            ? "the buffer has " + std::to_string(region.size) + " bytes"
        : region.kind == Region::Kind::Shared
            ? "the CTA has " + std::to_string(region.size) +
                  " bytes of shared memory"
            : "the thread has " + std::to_string(region.size) +
                  " bytes of local memory";
    fail(inst, thread,
         what + " at " + describeAddress(region, signedOffset & kOffsetMask) +
             " is out of bounds (" + size + ")");
    return nullptr;
  }
  // Buffers are assumed allocated as the driver does (256-byte aligned),
  // shared memory starts at offset 0: alignment is the offset's.
  if (align > 1 && offset % align != 0) {
    fail(inst, thread,
         what + " at " + describeAddress(region, offset) +
             " is misaligned (it needs " + Twine(align) + "-byte alignment)");
    return nullptr;
  }
  if (regionOut)
    *regionOut = &region;
  if (offsetOut)
    *offsetOut = offset;
  return region.data + offset;
}

bool Machine::sharedAccess(const Inst &inst, uint32_t thread, uint64_t offset,
                           uint64_t bytes, AccessMode mode, const Twine &what) {
  const uint16_t me = static_cast<uint16_t>(thread + 1);
  for (uint64_t i = offset, e = offset + bytes; i < e; ++i) {
    ShadowByte &byte = shadow[i];
    auto at = [&] { return (what + " at shared memory + " + Twine(i)).str(); };
    if (byte.pending == kBulkPending)
      return fail(inst, thread,
                  at() + ": shared-memory " +
                      (mode == AccessMode::Read ? "read" : "write") +
                      " of a TMA copy's destination before its mbarrier "
                      "phase completed");
    if (byte.pending)
      return fail(inst, thread,
                  at() + ": shared-memory " +
                      (mode == AccessMode::Read ? "read" : "write") +
                      " of a cp.async destination before its wait (the copy "
                      "issued by thread " +
                      threadName(byte.pending - 1) + " has not completed)");
    if (mode == AccessMode::Read && byte.asyncBarrier) {
      // A TMA copy's bytes are ordered by its mbarrier, not by bar.sync.
      const MBarrierState &barrier = mbarriers[byte.asyncBarrier - 1];
      if (barrier.observed[thread] < byte.asyncPhase)
        return fail(inst, thread,
                    at() + " reads a byte a TMA copy wrote, with no "
                           "mbarrier wait that saw its phase complete");
      continue;
    }
    if (mode == AccessMode::Read) {
      if (byte.writeEpoch == 0)
        return fail(inst, thread,
                    at() + " reads a byte never written in this CTA");
      if (byte.writeEpoch == epoch && byte.writer != me)
        return fail(inst, thread,
                    at() + ": data race: reads a byte that thread " +
                        threadName(byte.writer - 1) +
                        " wrote since the last barrier");
      if (byte.readEpoch != epoch) {
        byte.readEpoch = epoch;
        byte.reader0 = me;
        byte.reader1 = 0;
      } else if (byte.reader0 != me && byte.reader1 == 0) {
        byte.reader1 = me;
      }
      continue;
    }
    if (byte.writeEpoch == epoch && byte.writer != me)
      return fail(inst, thread,
                  at() + ": data race: writes a byte that thread " +
                      threadName(byte.writer - 1) +
                      " wrote since the last barrier");
    if (byte.readEpoch == epoch) {
      uint16_t other = byte.reader0 != me ? byte.reader0 : byte.reader1;
      if (other)
        return fail(inst, thread,
                    at() + ": data race: overwrites a byte that thread " +
                        threadName(other - 1) + " read since the last barrier");
    }
    if (mode == AccessMode::Write) {
      byte.writer = me;
      byte.writeEpoch = epoch;
      byte.asyncBarrier = 0;
    }
  }
  if (mode == AccessMode::Write && program.usesAsyncProxy) {
    for (uint64_t i = offset, e = offset + bytes; i < e; ++i)
      shadow[i].unfenced = 1;
    unfencedWrites[thread].push_back(
        {static_cast<uint32_t>(offset), static_cast<uint32_t>(bytes)});
  }
  return true;
}

bool Machine::load(const Inst &inst, const Lanes &lanes) {
  const unsigned elementBytes = storeBytes(inst.kind);
  const uint64_t bytes = uint64_t(elementBytes) * inst.width;
  const uint64_t *address = slot(inst.a);
  for (uint32_t i = 0; i < lanes.n; ++i) {
    uint32_t t = lanes.dense ? i : lanes.ids[i];
    Region *region;
    uint64_t offset;
    const uint8_t *data =
        resolve(inst, t, address[t], bytes, inst.imm,
                "of " + Twine(bytes) + " bytes", &region, &offset);
    if (!data)
      return false;
    if (region->kind == Region::Kind::Shared &&
        !sharedAccess(inst, t, offset, bytes, AccessMode::Read,
                      "of " + Twine(bytes) + " bytes"))
      return false;
    for (unsigned k = 0; k < inst.width; ++k) {
      uint64_t value = 0;
      std::memcpy(&value, data + k * elementBytes, elementBytes);
      if (inst.kind == Kind::I1)
        value &= 1;
      slot(inst.dst + k)[t] = value;
    }
  }
  return true;
}

bool Machine::store(const Inst &inst, const Lanes &lanes) {
  const unsigned elementBytes = storeBytes(inst.kind);
  const uint64_t bytes = uint64_t(elementBytes) * inst.width;
  const uint64_t *address = slot(inst.a);
  for (uint32_t i = 0; i < lanes.n; ++i) {
    uint32_t t = lanes.dense ? i : lanes.ids[i];
    Region *region;
    uint64_t offset;
    uint8_t *data = resolve(inst, t, address[t], bytes, inst.imm,
                            "of " + Twine(bytes) + " bytes", &region, &offset);
    if (!data)
      return false;
    if (region->kind == Region::Kind::Shared &&
        !sharedAccess(inst, t, offset, bytes, AccessMode::Write,
                      "of " + Twine(bytes) + " bytes"))
      return false;
    for (unsigned k = 0; k < inst.width; ++k) {
      uint64_t value = slot(inst.b + k)[t];
      std::memcpy(data + k * elementBytes, &value, elementBytes);
    }
  }
  return true;
}

bool Machine::cpAsync(const Inst &inst, const Lanes &lanes) {
  const uint32_t size = static_cast<uint32_t>(inst.imm);
  for (uint32_t i = 0; i < lanes.n; ++i) {
    uint32_t t = lanes.dense ? i : lanes.ids[i];
    uint64_t srcSize = inst.c == ~0u ? size : slot(inst.c)[t];
    if (srcSize > size)
      return fail(inst, t,
                  "has a source size of " + Twine(srcSize) +
                      " bytes, more than its copy size of " + Twine(size));
    Region *dstRegion;
    uint64_t dstOffset;
    // PTX ISA, cp.async: both addresses aligned to cp-size.
    if (!resolve(inst, t, slot(inst.a)[t], size, size,
                 "destination of " + Twine(size) + " bytes", &dstRegion,
                 &dstOffset))
      return false;
    if (dstRegion->kind != Region::Kind::Shared)
      return fail(inst, t,
                  "has a destination that is not in shared memory (" +
                      describeAddress(*dstRegion, dstOffset) + ")");
    AsyncCopy copy;
    copy.dstOffset = dstOffset;
    copy.bytes = size;
    copy.inst = inst.origin;
    std::memset(copy.data, 0, sizeof(copy.data));
    if (srcSize > 0) {
      Region *srcRegion;
      uint64_t srcOffset;
      const uint8_t *src = resolve(inst, t, slot(inst.b)[t], srcSize, size,
                                   "source of " + Twine(srcSize) + " bytes",
                                   &srcRegion, &srcOffset);
      if (!src)
        return false;
      if (srcRegion->kind != Region::Kind::Buffer)
        return fail(inst, t,
                    "has a source that is not in global memory (" +
                        describeAddress(*srcRegion, srcOffset) + ")");
      std::memcpy(copy.data, src, srcSize);
    }
    // The issue already claims the destination: it may not overlap another
    // pending copy or bytes other threads use in this barrier interval.
    if (!sharedAccess(inst, t, dstOffset, size, AccessMode::CheckWrite,
                      "destination of " + Twine(size) + " bytes"))
      return false;
    for (uint64_t b = dstOffset; b < dstOffset + size; ++b)
      shadow[b].pending = static_cast<uint16_t>(t + 1);
    async[t].open.push_back(copy);
  }
  return true;
}

bool Machine::completeGroup(const Inst &inst, uint32_t thread,
                            std::vector<AsyncCopy> &group) {
  for (AsyncCopy &copy : group) {
    for (uint64_t b = copy.dstOffset; b < copy.dstOffset + copy.bytes; ++b)
      shadow[b].pending = 0;
    if (!sharedAccess(
            inst, thread, copy.dstOffset, copy.bytes, AccessMode::Write,
            "completing a cp.async of " + Twine(copy.bytes) + " bytes to"))
      return false;
    std::memcpy(shared.data() + copy.dstOffset, copy.data, copy.bytes);
  }
  return true;
}

bool Machine::cpAsyncWait(const Inst &inst, const Lanes &lanes) {
  const uint64_t keep = inst.imm;
  for (uint32_t i = 0; i < lanes.n; ++i) {
    uint32_t t = lanes.dense ? i : lanes.ids[i];
    auto &committed = async[t].committed;
    while (committed.size() > keep) {
      if (!completeGroup(inst, t, committed.front()))
        return false;
      committed.pop_front();
    }
  }
  return true;
}

} // namespace mixir::gpu::detail
