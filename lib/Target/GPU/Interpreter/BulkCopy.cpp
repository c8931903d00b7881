//===- BulkCopy.cpp - mbarriers and TMA tensor copies ---------------------===//
//
// sm_90's transaction barriers and bulk tensor copies, from the PTX ISA
// ("mbarrier" and "cp.async.bulk.tensor"):
//   - mbarrier.init sets the arrival count of a phase; arrive.expect_tx adds
//     transaction bytes and arrives; a phase completes when every arrival
//     and every byte it expects has come, and the next begins;
//     try_wait.parity P is true once the phase of parity P has completed;
//   - cp.async.bulk.tensor (tiled) copies a box of a tensor from global to
//     shared memory, zero-filling elements outside the tensor, and completes
//     its bytes on an mbarrier; with the 128-byte swizzle the 16-byte chunk
//     of each shared address is XORed with bits 7-9 of the address.
// The tensor map is read in the interpreter's form (InterpretedTensorMap),
// which a host program writes where the driver's encoding would be.
//
// The model: a copy reads global memory when it is issued; its bytes are
// pending (no thread may touch them) until its barrier's phase completes,
// and then land; a thread may read them only after a try_wait that saw
// that phase complete. The CTA runs in lockstep, so a try_wait whose phase
// has not completed when every thread that could complete it has run is
// reported as a wait that cannot succeed.
//
//===----------------------------------------------------------------------===//

#include "Machine.h"

#include <cstring>

using llvm::Twine;

namespace mixir::gpu::detail {

int Machine::mbarrierAt(const Inst &inst, uint32_t thread, uint64_t pointer,
                        bool create) {
  Region *region;
  uint64_t offset;
  if (!resolve(inst, thread, pointer, 8, 8, "the mbarrier (8 bytes)", &region,
               &offset))
    return -1;
  if (region->kind != Region::Kind::Shared) {
    fail(inst, thread,
         "uses an mbarrier outside shared memory (" +
             describeAddress(*region, offset) + ")");
    return -1;
  }
  for (auto [index, barrier] : llvm::enumerate(mbarriers))
    if (barrier.offset == offset) {
      if (create) {
        barrier = MBarrierState();
        barrier.offset = offset;
        barrier.observed.assign(numThreads, 0);
      }
      return static_cast<int>(index);
    }
  if (!create) {
    fail(inst, thread,
         "uses the mbarrier at shared memory + " + Twine(offset) +
             ", which no mbarrier.init initialized");
    return -1;
  }
  MBarrierState barrier;
  barrier.offset = offset;
  barrier.observed.assign(numThreads, 0);
  mbarriers.push_back(std::move(barrier));
  return static_cast<int>(mbarriers.size() - 1);
}

void Machine::completePhaseIfDone(uint32_t index) {
  MBarrierState &barrier = mbarriers[index];
  if (barrier.pending != 0 || barrier.transactionBytes != 0)
    return;
  ++barrier.completed;
  for (auto [offset, value] : barrier.landing) {
    shared[offset] = value;
    ShadowByte &byte = shadow[offset];
    byte.pending = 0;
    byte.writeEpoch = 0;
    byte.writer = 0;
    byte.unfenced = 0;
    byte.asyncBarrier = static_cast<uint16_t>(index + 1);
    byte.asyncPhase = barrier.completed;
  }
  barrier.landing.clear();
  barrier.pending = barrier.expected;
}

bool Machine::forEachOnMBarrier(
    const Inst &inst, const Lanes &lanes, bool create,
    llvm::function_ref<bool(uint32_t, uint32_t)> fn) {
  bool ok = true;
  lanes.forEach([&](uint32_t t) {
    if (!ok || !predicated(inst.d, t))
      return;
    int index = mbarrierAt(inst, t, slot(inst.a)[t], create);
    ok = index >= 0 && fn(t, static_cast<uint32_t>(index));
  });
  return ok;
}

bool Machine::mbarrierInit(const Inst &inst, const Lanes &lanes) {
  return forEachOnMBarrier(
      inst, lanes, /*create=*/true, [&](uint32_t t, uint32_t index) {
        uint32_t count = static_cast<uint32_t>(slot(inst.b)[t]);
        if (count == 0)
          return fail(inst, t,
                      "initializes an mbarrier with an arrival count of 0");
        mbarriers[index].expected = mbarriers[index].pending = count;
        return true;
      });
}

bool Machine::mbarrierExpectTx(const Inst &inst, const Lanes &lanes) {
  return forEachOnMBarrier(
      inst, lanes, /*create=*/false, [&](uint32_t t, uint32_t index) {
        MBarrierState &barrier = mbarriers[index];
        if (barrier.pending == 0)
          return fail(inst, t,
                      "arrives on an mbarrier whose phase expects no more "
                      "arrivals");
        barrier.transactionBytes += static_cast<uint32_t>(slot(inst.b)[t]);
        --barrier.pending;
        // The state token: the phase arrived on.
        if (inst.flags & 1)
          slot(inst.dst)[t] = barrier.completed;
        completePhaseIfDone(index);
        return true;
      });
}

bool Machine::mbarrierTryWait(const Inst &inst, const Lanes &lanes) {
  return forEachOnMBarrier(
      inst, lanes, /*create=*/false, [&](uint32_t t, uint32_t index) {
        MBarrierState &barrier = mbarriers[index];
        uint32_t parity = static_cast<uint32_t>(slot(inst.b)[t]) & 1;
        // The phase of parity P has completed once the current phase's
        // parity is the other one.
        if ((barrier.completed & 1) == parity)
          return fail(inst, t,
                      "waits for the mbarrier phase of parity " +
                          Twine(parity) + ", which has not completed (" +
                          Twine(barrier.pending) + " arrivals and " +
                          Twine(barrier.transactionBytes) +
                          " bytes missing) and cannot in this schedule");
        barrier.observed[t] = barrier.completed;
        return true;
      });
}

bool Machine::bulkTensorLoad(const Inst &inst, const Lanes &lanes) {
  const std::vector<uint32_t> &coordinateSlots =
      program.bulkCoordinates[inst.aux];
  bool ok = true;
  lanes.forEach([&](uint32_t t) {
    if (!ok || !predicated(inst.d, t))
      return;
    Region *mapRegion;
    const uint8_t *mapBytes = resolve(inst, t, slot(inst.b)[t], 128, 64,
                                      "the tensor map (128 bytes)", &mapRegion);
    if (!mapBytes) {
      ok = false;
      return;
    }
    InterpretedTensorMap map;
    std::memcpy(&map, mapBytes, sizeof(map));
    if (map.magic != InterpretedTensorMap::kMagic || map.rank == 0 ||
        map.rank > 5 || map.rank != coordinateSlots.size() ||
        (map.elementBytes != 1 && map.elementBytes != 2 &&
         map.elementBytes != 4 && map.elementBytes != 8) ||
        (map.swizzleBytes != 0 && map.swizzleBytes != 128)) {
      ok = fail(inst, t,
                "reads a tensor map that is not one the interpreter "
                "models (rank " +
                    Twine(map.rank) + " for " + Twine(coordinateSlots.size()) +
                    " coordinates; swizzle " + Twine(map.swizzleBytes) + ")");
      return;
    }
    uint64_t innerBytes = uint64_t(map.box[0]) * map.elementBytes;
    if (map.swizzleBytes == 128 && innerBytes != 128) {
      ok = fail(inst, t,
                "copies a box of " + Twine(innerBytes) +
                    "-byte rows with the 128-byte swizzle (the interpreter "
                    "models 128-byte rows)");
      return;
    }
    // The tensor: the launch's buffer that holds its first element.
    const Region *tensor = nullptr;
    for (const Region &region : regions)
      if (region.kind == Region::Kind::Buffer &&
          reinterpret_cast<uint64_t>(region.data) <= map.globalAddress &&
          map.globalAddress <
              reinterpret_cast<uint64_t>(region.data) + region.size)
        tensor = &region;
    if (!tensor) {
      ok = fail(inst, t,
                "reads a tensor map whose tensor is in none of the launch's "
                "buffers");
      return;
    }
    Region *dstRegion;
    uint64_t dst;
    uint64_t boxElements = 1;
    for (uint32_t d = 0; d < map.rank; ++d)
      boxElements *= map.box[d];
    uint64_t boxBytes = boxElements * map.elementBytes;
    if (!resolve(inst, t, slot(inst.a)[t], boxBytes, 128,
                 "the destination of " + Twine(boxBytes) + " bytes", &dstRegion,
                 &dst)) {
      ok = false;
      return;
    }
    if (dstRegion->kind != Region::Kind::Shared) {
      ok = fail(inst, t, "has a destination outside shared memory");
      return;
    }
    int index = mbarrierAt(inst, t, slot(inst.c)[t], /*create=*/false);
    if (index < 0) {
      ok = false;
      return;
    }
    int64_t origin[5] = {0, 0, 0, 0, 0};
    for (uint32_t d = 0; d < map.rank; ++d)
      origin[d] = static_cast<int32_t>(slot(coordinateSlots[d])[t]);
    const uint64_t tensorOffset =
        map.globalAddress - reinterpret_cast<uint64_t>(tensor->data);
    MBarrierState &barrier = mbarriers[index];
    for (uint64_t element = 0; element < boxElements; ++element) {
      // The element's position in the box (innermost first) and tensor.
      uint64_t rest = element, address = tensorOffset;
      bool inside = true;
      for (uint32_t d = 0; d < map.rank; ++d) {
        int64_t position = origin[d] + int64_t(rest % map.box[d]);
        rest /= map.box[d];
        if (position < 0 || uint64_t(position) >= map.dims[d])
          inside = false;
        else
          address += uint64_t(position) *
                     (d == 0 ? map.elementBytes : map.strides[d - 1]);
      }
      uint8_t value[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      if (inside) {
        if (address + map.elementBytes > tensor->size) {
          ok = fail(inst, t,
                    "reads past the tensor's buffer '" + tensor->name +
                        "' (its tensor map's dims or strides are too large)");
          return;
        }
        std::memcpy(value, tensor->data + address, map.elementBytes);
      }
      for (uint32_t byte = 0; byte < map.elementBytes; ++byte) {
        uint64_t target = dst + element * map.elementBytes + byte;
        if (map.swizzleBytes == 128)
          target ^= ((target >> 7) & 0x7) << 4;
        ShadowByte &shadowByte = shadow[target];
        if (shadowByte.pending) {
          ok = fail(inst, t,
                    "copies to shared memory + " + Twine(target) +
                        ", which another copy has not completed");
          return;
        }
        shadowByte.pending = kBulkPending;
        barrier.landing.push_back({static_cast<uint32_t>(target), value[byte]});
      }
    }
    barrier.transactionBytes -= static_cast<int64_t>(boxBytes);
    completePhaseIfDone(index);
  });
  return ok;
}

} // namespace mixir::gpu::detail
