//===- Scheduler.cpp - launch setup and the lockstep CTA scheduler --------===//
//
// Sets up a launch (arguments, regions, registers) and runs its CTAs one
// after another. All threads of a CTA run in lockstep: at each step the
// smallest program position among the live threads is executed by every
// thread at it (block order, then op order: with the block layout
// scf-to-cf produces, this reconverges if/else at the join block and a loop
// at its exit). While all live threads share one position the scheduler
// skips the search. Branches copy block arguments per lane, splitting the
// lanes when they disagree; `barrier0` needs every thread of the CTA at the
// same barrier (PTX ISA, bar.sync: `.aligned`), and ends a barrier interval
// (the epoch the race checks compare).
//
//===----------------------------------------------------------------------===//

#include "Machine.h"

#include <algorithm>

using llvm::Twine;

namespace mixir::gpu::detail {

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

std::string Machine::threadName(uint32_t thread) const {
  return "(" + std::to_string(tid[0][thread]) + "," +
         std::to_string(tid[1][thread]) + "," + std::to_string(tid[2][thread]) +
         ")";
}

std::string Machine::whereIs(uint32_t thread) const {
  // Exited threads keep kExited in `pcs` in both modes.
  uint32_t pc = pcs[thread] == kExited ? kExited
                : uniform              ? uniformPC
                                       : pcs[thread];
  if (pc == kExited)
    return "has exited";
  return "is at " + program.origins[program.insts[pc].origin];
}

bool Machine::fail(const Inst &inst, uint32_t thread, const Twine &message) {
  if (!error.empty())
    return false;
  error = (program.origins[inst.origin] + " " + message + " [thread " +
           threadName(thread) + " of CTA (" + Twine(ctaid[0]) + "," +
           Twine(ctaid[1]) + "," + Twine(ctaid[2]) + ")]")
              .str();
  return false;
}

//===----------------------------------------------------------------------===//
// Launch
//===----------------------------------------------------------------------===//

Machine::Machine(const Program &program, LaunchDims grid, LaunchDims block,
                 size_t dynamicSharedBytes, uint64_t stepLimit,
                 LaunchStatistics &statistics)
    : program(program), grid(grid), block(block),
      dynamicSharedBytes(dynamicSharedBytes), stepLimit(stepLimit),
      statistics(statistics), numThreads(static_cast<uint32_t>(block.count())) {
}

llvm::Error Machine::run(llvm::ArrayRef<KernelArgument> args) {
  auto launchError = [&](const Twine &message) {
    return llvm::createStringError("launch of '@" + program.name +
                                   "': " + message);
  };
  if (block.count() == 0 || block.count() > 1024)
    return launchError("a CTA must have 1 to 1024 threads, not " +
                       Twine(block.count()));
  if (grid.count() == 0)
    return launchError("the grid is empty");
  // The NVVM backend may rely on these (the `range` of tid reads).
  uint32_t blockShape[3] = {block.x, block.y, block.z};
  auto shapeName = [](llvm::ArrayRef<uint32_t> shape) {
    std::string text;
    for (uint32_t i = 0; i < 3; ++i)
      text += (i ? "," : "(") + std::to_string(i < shape.size() ? shape[i] : 1);
    return text + ")";
  };
  const auto &known = program.knownBlockSize, &most = program.maxBlockSize;
  for (uint32_t i = 0; i < 3 && !known.empty(); ++i)
    if (blockShape[i] != (i < known.size() ? known[i] : 1))
      return launchError("the block " + shapeName(blockShape) +
                         " differs from the kernel's known block size " +
                         shapeName(known));
  // PTX ISA, .maxntid: the product of the extents bounds the CTA's threads.
  uint64_t mostThreads = 1;
  for (uint32_t extent : most)
    mostThreads *= extent;
  if (!most.empty() && block.count() > mostThreads)
    return launchError("the block " + shapeName(blockShape) + " has more " +
                       "threads than the kernel's nvvm.maxntid " +
                       shapeName(most));
  if (args.size() != program.params.size())
    return launchError("the kernel takes " + Twine(program.params.size()) +
                       " arguments, the launch passes " + Twine(args.size()));
  for (auto [index, param] : llvm::enumerate(program.params)) {
    const KernelArgument &arg = args[index];
    KernelArgument::Kind expected =
        param.kind == Kind::Ptr   ? KernelArgument::Kind::Buffer
        : param.kind == Kind::I32 ? KernelArgument::Kind::I32
        : param.kind == Kind::I64 ? KernelArgument::Kind::I64
                                  : KernelArgument::Kind::F32;
    if (arg.getKind() != expected)
      return launchError("argument " + Twine(index) +
                         " does not match the "
                         "parameter's type " +
                         param.typeName);
    scalarArgs.push_back(arg.getScalarBits());
    if (param.kind == Kind::Ptr)
      regions.push_back({Region::Kind::Buffer,
                         static_cast<uint8_t *>(arg.getData()), arg.getBytes(),
                         arg.getName().str()});
  }
  uint64_t sharedBytes = dynamicSharedBytes
                             ? program.dynamicSharedOffset + dynamicSharedBytes
                             : program.staticSharedBytes;
  if (sharedBytes > (uint64_t(1) << 24))
    return launchError("the kernel asks for " + Twine(sharedBytes) +
                       " bytes of shared memory");
  shared.assign(sharedBytes, 0xff);
  shadow.assign(sharedBytes, ShadowByte());
  regions.push_back(
      {Region::Kind::Shared, shared.data(), sharedBytes, "shared memory"});
  local.assign(program.localFrameBytes * numThreads, 0xff);
  for (uint32_t t = 0; t < numThreads; ++t)
    regions.push_back({Region::Kind::Local,
                       local.data() + program.localFrameBytes * t,
                       program.localFrameBytes, "local memory"});

  regs.assign(size_t(program.numSlots) * numThreads, 0);
  for (auto &dim : tid)
    dim.resize(numThreads);
  identity.resize(numThreads);
  for (uint32_t t = 0; t < numThreads; ++t) {
    tid[0][t] = t % block.x;
    tid[1][t] = (t / block.x) % block.y;
    tid[2][t] = t / (block.x * block.y);
    identity[t] = t;
  }
  pcs.resize(numThreads);
  active.reserve(numThreads);
  scratchLanes[0].reserve(numThreads);
  scratchLanes[1].reserve(numThreads);
  async.resize(numThreads);
  warpgroups.resize((numThreads + 127) / 128);
  unfencedWrites.resize(numThreads);

  for (ctaid[2] = 0; ctaid[2] < grid.z; ++ctaid[2])
    for (ctaid[1] = 0; ctaid[1] < grid.y; ++ctaid[1])
      for (ctaid[0] = 0; ctaid[0] < grid.x; ++ctaid[0]) {
        if (!runCTA())
          return llvm::createStringError(error);
        ++statistics.ctas;
      }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Scheduler
//===----------------------------------------------------------------------===//

bool Machine::failStepLimit(const Inst &inst, const Lanes &lanes) {
  return fail(inst, lanes.dense ? 0 : lanes.ids[0],
              "reached the step limit of " + Twine(stepLimit) +
                  " op executions (a loop that does not terminate?)");
}

bool Machine::runCTA() {
  resetShared();
  epoch = 1;
  uint32_t buffer = 0;
  for (auto [index, param] : llvm::enumerate(program.params)) {
    uint64_t value =
        param.kind == Kind::Ptr ? makePointer(buffer++, 0) : scalarArgs[index];
    uint64_t *dst = slot(param.slot);
    std::fill(dst, dst + numThreads, value);
  }
  for (ThreadAsync &state : async) {
    state.open.clear();
    state.committed.clear();
  }
  for (WarpgroupAsync &state : warpgroups)
    state = WarpgroupAsync();
  mbarriers.clear();
  for (auto &writes : unfencedWrites)
    writes.clear();
  uniform = true;
  uniformPC = 0;
  live = identity;
  std::fill(pcs.begin(), pcs.end(), 0);

  const Inst *insts = program.insts.data();
  while (true) {
    if (uniform) {
      Lanes lanes{live.data(), static_cast<uint32_t>(live.size()),
                  live.size() == numThreads};
      while (uniform) {
        uint32_t pc = uniformPC;
        const Inst &inst = insts[pc];
        ++statistics.steps;
        statistics.opExecutions += lanes.n;
        executed += lanes.n;
        if (executed > stepLimit)
          return failStepLimit(inst, lanes);
        switch (inst.op) {
        case Opcode::Br:
        case Opcode::CondBr:
        case Opcode::Switch:
          if (!branch(pc, lanes))
            return false;
          break;
        case Opcode::Return:
          // Every live thread returns together.
          return exitThreads(inst, lanes);
        case Opcode::Barrier:
          if (!barrier(inst, lanes))
            return false;
          ++uniformPC;
          break;
        default:
          if (!execute(pc, lanes))
            return false;
          ++uniformPC;
          break;
        }
      }
      continue;
    }

    // Diverged: run the threads at the smallest position.
    uint32_t minPC = kExited;
    active.clear();
    for (uint32_t t = 0; t < numThreads; ++t) {
      uint32_t pc = pcs[t];
      if (pc < minPC) {
        minPC = pc;
        active.clear();
        active.push_back(t);
      } else if (pc == minPC && pc != kExited) {
        active.push_back(t);
      }
    }
    if (minPC == kExited)
      return true;
    Lanes lanes{active.data(), static_cast<uint32_t>(active.size()),
                active.size() == numThreads};
    const Inst &inst = insts[minPC];
    ++statistics.steps;
    statistics.opExecutions += lanes.n;
    executed += lanes.n;
    if (executed > stepLimit)
      return failStepLimit(inst, lanes);
    switch (inst.op) {
    case Opcode::Br:
    case Opcode::CondBr:
    case Opcode::Switch:
      if (!branch(minPC, lanes))
        return false;
      break;
    case Opcode::Return:
      if (!exitThreads(inst, lanes))
        return false;
      break;
    case Opcode::Barrier:
      if (!barrier(inst, lanes))
        return false;
      lanes.forEach([&](uint32_t t) { pcs[t] = minPC + 1; });
      break;
    default:
      if (!execute(minPC, lanes))
        return false;
      lanes.forEach([&](uint32_t t) { pcs[t] = minPC + 1; });
      break;
    }
    // Reconverged: every live thread at one position.
    uint32_t common = kExited;
    bool same = true;
    for (uint32_t t = 0; t < numThreads && same; ++t) {
      if (pcs[t] == kExited)
        continue;
      if (common == kExited)
        common = pcs[t];
      else if (pcs[t] != common)
        same = false;
    }
    if (same && common != kExited) {
      uniform = true;
      uniformPC = common;
      live.clear();
      for (uint32_t t = 0; t < numThreads; ++t)
        if (pcs[t] != kExited)
          live.push_back(t);
    }
  }
}

void Machine::takeEdge(uint32_t edgeIndex, const Lanes &lanes) {
  const Edge &edge = program.edges[edgeIndex];
  auto copies = llvm::ArrayRef(program.edgeCopies)
                    .slice(edge.copyBegin, edge.copyEnd - edge.copyBegin);
  if (!edge.viaScratch) {
    for (auto [from, to] : copies) {
      const uint64_t *src = slot(from);
      uint64_t *dst = slot(to);
      lanes.forEach([&](uint32_t t) { dst[t] = src[t]; });
    }
    return;
  }
  for (auto [i, copy] : llvm::enumerate(copies)) {
    const uint64_t *src = slot(copy.first);
    uint64_t *dst = slot(program.scratchBegin + i);
    lanes.forEach([&](uint32_t t) { dst[t] = src[t]; });
  }
  for (auto [i, copy] : llvm::enumerate(copies)) {
    const uint64_t *src = slot(program.scratchBegin + i);
    uint64_t *dst = slot(copy.second);
    lanes.forEach([&](uint32_t t) { dst[t] = src[t]; });
  }
}

bool Machine::branch(uint32_t pc, const Lanes &lanes) {
  const Inst &inst = program.insts[pc];
  // The edge each lane takes.
  auto edgeOf = [&](uint32_t t) -> uint32_t {
    if (inst.op == Opcode::Br)
      return inst.aux;
    if (inst.op == Opcode::CondBr)
      return slot(inst.a)[t] & 1 ? inst.aux : inst.aux + 1;
    uint64_t value = slot(inst.a)[t];
    for (uint32_t i = 0; i < inst.c; ++i)
      if (program.switchCases[inst.aux + i].value == value)
        return program.switchCases[inst.aux + i].edge;
    return static_cast<uint32_t>(inst.imm);
  };
  uint32_t first = edgeOf(lanes.dense ? 0 : lanes.ids[0]);
  bool allSame = true;
  if (inst.op != Opcode::Br)
    lanes.forEach([&](uint32_t t) { allSame &= edgeOf(t) == first; });
  if (allSame) {
    takeEdge(first, lanes);
    uint32_t target = program.edges[first].target;
    if (uniform)
      uniformPC = target;
    else
      lanes.forEach([&](uint32_t t) { pcs[t] = target; });
    return true;
  }
  // Split the lanes by edge (a conditional branch has two; a switch may have
  // more, handled one edge at a time).
  if (uniform) {
    uniform = false;
    for (uint32_t t = 0; t < numThreads; ++t)
      pcs[t] = kExited;
  }
  std::vector<uint32_t> remaining;
  lanes.forEach([&](uint32_t t) { remaining.push_back(t); });
  while (!remaining.empty()) {
    uint32_t edge = edgeOf(remaining.front());
    std::vector<uint32_t> &taking = scratchLanes[0];
    std::vector<uint32_t> &rest = scratchLanes[1];
    taking.clear();
    rest.clear();
    for (uint32_t t : remaining)
      (edgeOf(t) == edge ? taking : rest).push_back(t);
    Lanes subset{taking.data(), static_cast<uint32_t>(taking.size()), false};
    takeEdge(edge, subset);
    uint32_t target = program.edges[edge].target;
    for (uint32_t t : taking)
      pcs[t] = target;
    remaining.assign(rest.begin(), rest.end());
  }
  return true;
}

bool Machine::exitThreads(const Inst &inst, const Lanes &lanes) {
  bool ok = true;
  lanes.forEach([&](uint32_t t) {
    if (ok && !async[t].empty())
      ok = fail(inst, t,
                "exits with a cp.async still pending (no "
                "cp.async.wait.group completes it)");
    if (ok && !warpgroups[t / 128].empty())
      ok = fail(inst, t,
                "exits with a wgmma.mma_async still in flight (no "
                "wgmma.wait_group completes it)");
    pcs[t] = kExited;
  });
  return ok;
}

bool Machine::barrier(const Inst &inst, const Lanes &lanes) {
  // PTX ISA, bar.sync / barrier.sync.aligned: every thread of the CTA must
  // execute the same barrier instruction.
  if (lanes.n != numThreads) {
    std::vector<bool> here(numThreads, false);
    lanes.forEach([&](uint32_t t) { here[t] = true; });
    uint32_t missing = 0;
    while (missing < numThreads && here[missing])
      ++missing;
    return fail(inst, lanes.dense ? 0 : lanes.ids[0],
                "divergent barrier: thread " + threadName(missing) + " " +
                    whereIs(missing) +
                    " while this thread waits at the barrier");
  }
  ++epoch;
  return true;
}

} // namespace mixir::gpu::detail
