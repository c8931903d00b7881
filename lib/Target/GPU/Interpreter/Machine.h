//===- Machine.h - the interpreter's state during a launch ------*- C++ -*-===//
//
// One launch of a decoded program: the memory regions (global buffers from
// the arguments, the CTA's shared memory with its shadow state, each
// thread's local memory), the register file (slot-major: the values of one
// slot for all threads of the CTA lie next to each other, so that an op runs
// as a loop over the threads at it), the per-thread program positions and
// cp.async groups, and the lockstep scheduler. Execute.cpp holds the
// scheduler and the scalar ops, Memory.cpp the memory model, Warp.cpp the
// warp collectives.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_TARGET_GPU_INTERPRETER_MACHINE_H
#define MIXIR_LIB_TARGET_GPU_INTERPRETER_MACHINE_H

#include "Program.h"

#include "mixir/Target/GPU/Interpreter.h"

#include "llvm/ADT/Twine.h"

#include <deque>
#include <string>
#include <vector>

namespace mixir::gpu::detail {

constexpr uint32_t kWarpSize = 32;

/// The value of an f16 or bf16 multiplicand (the low 16 of `bits`).
double halfToDouble(Kind kind, uint64_t bits);
constexpr uint32_t kExited = ~0u;

/// The threads that execute one instruction: `ids[0..n)`, or 0..n-1 when
/// `dense`.
struct Lanes {
  const uint32_t *ids;
  uint32_t n;
  bool dense;

  template <typename F> void forEach(F &&f) const {
    if (dense) {
      for (uint32_t t = 0; t < n; ++t)
        f(t);
    } else {
      for (uint32_t i = 0; i < n; ++i)
        f(ids[i]);
    }
  }
};

struct Region {
  enum class Kind { Buffer, Shared, Local };
  Kind kind;
  uint8_t *data;
  uint64_t size;
  std::string name;
};

/// What the race and cp.async checks know about one byte of shared memory.
/// Thread ids are stored plus one, so that zero means none and a fresh CTA
/// starts from all-zero shadow state.
struct ShadowByte {
  uint32_t writeEpoch; // 0: never written in this CTA
  uint32_t readEpoch;
  uint16_t writer;
  uint16_t reader0, reader1; // two distinct readers of readEpoch
  uint16_t pending;          // thread whose cp.async has not completed
  /// Written through the generic proxy, and the writer has not executed a
  /// fence.proxy.async since (tracked only in kernels with wgmma).
  uint8_t unfenced;
  /// Last written by a TMA copy (cp.async.bulk.tensor): its mbarrier's index
  /// plus one (0: not), and the phase count its completion reached; a
  /// reader must have seen that phase complete (try_wait.parity).
  uint16_t asyncBarrier;
  uint32_t asyncPhase;
};

/// ShadowByte::pending of a TMA copy's destination.
constexpr uint16_t kBulkPending = 0xffff;

/// An mbarrier object (PTX ISA "Parallel Synchronization and Communication
/// Instructions: mbarrier") at a shared-memory offset: its arrival count,
/// the arrivals and transaction bytes its current phase still waits for, the
/// phases completed, the TMA copies that land when the phase completes, and
/// per thread the phases it has seen complete.
struct MBarrierState {
  uint64_t offset = 0;
  uint32_t expected = 0, pending = 0;
  int64_t transactionBytes = 0;
  uint32_t completed = 0;
  /// (shared offset, byte) of the copies of the current phase.
  std::vector<std::pair<uint32_t, uint8_t>> landing;
  std::vector<uint32_t> observed;
};

/// A cp.async whose data waits for its group to complete.
struct AsyncCopy {
  uint64_t dstOffset;
  uint32_t bytes;
  uint32_t inst;
  uint8_t data[16];
};

struct ThreadAsync {
  std::vector<AsyncCopy> open;
  std::deque<std::vector<AsyncCopy>> committed;
  bool empty() const { return open.empty() && committed.empty(); }
};

/// A warpgroup's wgmma.mma_async state: MMAs issued and not committed,
/// groups committed and not yet waited for.
struct WarpgroupAsync {
  /// A wgmma.fence since the last commit_group.
  bool fenced = false;
  uint32_t open = 0;
  uint32_t committed = 0;
  bool empty() const { return open == 0 && committed == 0; }
};

/// Write checks the races of a write and records it; CheckWrite only checks
/// (a cp.async issue, whose bytes arrive at its wait).
enum class AccessMode { Read, Write, CheckWrite };

class Machine {
public:
  Machine(const Program &program, LaunchDims grid, LaunchDims block,
          size_t dynamicSharedBytes, uint64_t stepLimit,
          LaunchStatistics &statistics);

  /// Checks the arguments and sets up the regions; then runs every CTA.
  llvm::Error run(llvm::ArrayRef<KernelArgument> args);

private:
  // Scheduling (Execute.cpp).
  bool runCTA();
  bool execute(uint32_t pc, const Lanes &lanes);
  bool executeMath(const Inst &inst, const Lanes &lanes);
  bool executeReduce(const Inst &inst, const Lanes &lanes);
  bool branch(uint32_t pc, const Lanes &lanes);
  void takeEdge(uint32_t edgeIndex, const Lanes &lanes);
  bool exitThreads(const Inst &inst, const Lanes &lanes);
  bool barrier(const Inst &inst, const Lanes &lanes);
  bool failStepLimit(const Inst &inst, const Lanes &lanes);

  // Memory (Memory.cpp).
  void resetShared();
  /// Checks that `bytes` at `pointer` lie inside one region and are
  /// `align`-aligned; returns the host address, or nullptr after fail().
  /// `what` describes the access for messages ("'llvm.load' of 4 bytes").
  uint8_t *resolve(const Inst &inst, uint32_t thread, uint64_t pointer,
                   uint64_t bytes, uint64_t align, const llvm::Twine &what,
                   Region **region = nullptr, uint64_t *offset = nullptr);
  /// Shadow-state checks and updates for a shared-memory access.
  bool sharedAccess(const Inst &inst, uint32_t thread, uint64_t offset,
                    uint64_t bytes, AccessMode mode, const llvm::Twine &what);
  bool load(const Inst &inst, const Lanes &lanes);
  bool store(const Inst &inst, const Lanes &lanes);
  bool cpAsync(const Inst &inst, const Lanes &lanes);
  bool cpAsyncWait(const Inst &inst, const Lanes &lanes);
  /// Completes one committed group of `thread`: checks and writes its bytes.
  bool completeGroup(const Inst &inst, uint32_t thread,
                     std::vector<AsyncCopy> &group);
  std::string describeAddress(const Region &region, uint64_t offset) const;

  // Warp collectives (Warp.cpp).
  /// Checks that every thread of each warp present in `lanes` is in it.
  bool checkConvergedWarps(const Inst &inst, const Lanes &lanes);
  bool shuffle(const Inst &inst, const Lanes &lanes);
  bool ldmatrix(const Inst &inst, const Lanes &lanes);
  bool mma(const Inst &inst, const Lanes &lanes);

  // Warpgroup MMA and the async proxy (Warpgroup.cpp).
  /// Checks that `lanes` holds whole warpgroups (4 full, converged warps).
  bool checkConvergedWarpgroups(const Inst &inst, const Lanes &lanes);
  bool wgmma(const Inst &inst, const Lanes &lanes);
  bool wgmmaFence(const Inst &inst, const Lanes &lanes);
  bool wgmmaCommit(const Inst &inst, const Lanes &lanes);
  bool wgmmaWait(const Inst &inst, const Lanes &lanes);
  bool fenceProxyAsync(const Inst &inst, const Lanes &lanes);

  // mbarriers and TMA (BulkCopy.cpp).
  /// The mbarrier at `pointer` (8 bytes of shared memory), or -1 after
  /// fail(); with `create`, initialized anew.
  int mbarrierAt(const Inst &inst, uint32_t thread, uint64_t pointer,
                 bool create);
  /// Calls `fn(thread, barrier)` for each thread of `lanes` whose
  /// predicate (inst.d) holds, on the mbarrier at its pointer in inst.a;
  /// stops at the first false.
  bool forEachOnMBarrier(const Inst &inst, const Lanes &lanes, bool create,
                         llvm::function_ref<bool(uint32_t, uint32_t)> fn);
  bool mbarrierInit(const Inst &inst, const Lanes &lanes);
  bool mbarrierExpectTx(const Inst &inst, const Lanes &lanes);
  bool mbarrierTryWait(const Inst &inst, const Lanes &lanes);
  bool bulkTensorLoad(const Inst &inst, const Lanes &lanes);
  /// Completes the barrier's phase when no arrival and no byte is pending:
  /// the phase's copies land.
  void completePhaseIfDone(uint32_t barrier);
  /// Whether thread `t` executes an op with predicate slot `predicate`.
  bool predicated(uint32_t predicate, uint32_t t) {
    return predicate == ~0u || (slot(predicate)[t] & 1);
  }
  /// Reads the `kind` (f16 or bf16) element at shared `address` for wgmma
  /// `inst` of the warpgroup whose first thread is `reader`, negated with
  /// `negate`: bounds, races, pending cp.async and the proxy fence checked.
  bool readForWgmma(const Inst &inst, uint32_t reader, uint64_t address,
                    const char *operand, Kind kind, bool negate, double &value);

  // Errors.
  /// Records the first error, "ORIGIN MESSAGE [thread (x,y,z) of CTA
  /// (x,y,z)]", and returns false.
  bool fail(const Inst &inst, uint32_t thread, const llvm::Twine &message);
  std::string threadName(uint32_t thread) const;
  /// Where `thread` is: "is at LOC: 'OP'" or "has exited".
  std::string whereIs(uint32_t thread) const;

  uint64_t *slot(uint32_t index) {
    return regs.data() + size_t(index) * numThreads;
  }

  const Program &program;
  LaunchDims grid, block;
  size_t dynamicSharedBytes;
  uint64_t stepLimit;
  LaunchStatistics &statistics;
  uint32_t numThreads;

  std::vector<Region> regions;
  std::vector<uint8_t> shared;
  std::vector<ShadowByte> shadow;
  std::vector<uint8_t> local;
  uint32_t epoch = 1;

  std::vector<uint64_t> regs;
  std::vector<uint32_t> tid[3];
  std::vector<uint32_t> identity;
  uint32_t ctaid[3] = {0, 0, 0};

  // Lockstep state: while `uniform`, every live thread is at `uniformPC` and
  // the live threads are `live`; otherwise `pcs` holds each thread's
  // position (kExited once it returned).
  bool uniform = true;
  uint32_t uniformPC = 0;
  std::vector<uint32_t> pcs;
  std::vector<uint32_t> live;
  std::vector<uint32_t> active;
  std::vector<uint32_t> scratchLanes[2];
  std::vector<ThreadAsync> async;
  std::vector<WarpgroupAsync> warpgroups;
  std::vector<MBarrierState> mbarriers;
  /// Per thread, the shared ranges (offset, bytes) it wrote through the
  /// generic proxy since its last fence.proxy.async.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> unfencedWrites;
  /// Scalar arguments by parameter index.
  std::vector<uint64_t> scalarArgs;
  /// Op executions of this launch, for the step limit.
  uint64_t executed = 0;

  std::string error;
};

} // namespace mixir::gpu::detail

#endif // MIXIR_LIB_TARGET_GPU_INTERPRETER_MACHINE_H
