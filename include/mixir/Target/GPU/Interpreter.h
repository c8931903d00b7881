//===- Interpreter.h - CPU interpreter for NVVM kernels ---------*- C++ -*-===//
//
// Runs a GPU kernel in the LLVM + NVVM dialects (an `llvm.func` with the
// `nvvm.kernel` attribute inside a `gpu.module`, as upstream's
// convert-gpu-to-nvvm leaves it) on the host CPU, so that machines without a
// GPU can check a kernel's numbers and its synchronization. The threads of a
// CTA execute in lockstep (smallest program position first, which reconverges
// the control flow scf-to-cf lays out); global buffers, shared memory and
// cp.async groups are modelled byte by byte, and out-of-bounds or misaligned
// accesses, divergent barriers and warp collectives, reads of cp.async data
// before its wait and shared-memory data races between barriers are reported
// as errors naming the op, its location, the thread and the CTA.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_GPU_INTERPRETER_H
#define MIXIR_TARGET_GPU_INTERPRETER_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace mixir::gpu {

namespace detail {
struct Program;
} // namespace detail

/// A grid or block shape.
struct LaunchDims {
  uint32_t x = 1, y = 1, z = 1;
  uint64_t count() const { return uint64_t(x) * y * z; }
};

/// One kernel argument: a global buffer (host memory the kernel may read and
/// write in place; a pointer parameter gets its address) or a scalar.
class KernelArgument {
public:
  enum class Kind { Buffer, I32, I64, F32 };

  static KernelArgument buffer(void *data, size_t bytes, llvm::StringRef name);
  static KernelArgument i32(int32_t value);
  static KernelArgument i64(int64_t value);
  static KernelArgument f32(float value);

  Kind getKind() const { return kind; }
  void *getData() const { return data; }
  size_t getBytes() const { return bytes; }
  llvm::StringRef getName() const { return name; }
  /// The scalar's bits, zero-extended to 64 bits.
  uint64_t getScalarBits() const { return scalarBits; }

private:
  KernelArgument(Kind kind) : kind(kind) {}
  Kind kind;
  void *data = nullptr;
  size_t bytes = 0;
  std::string name;
  uint64_t scalarBits = 0;
};

/// The interpreter's form of a tensor map (the driver's 128-byte CUtensorMap
/// is opaque): what a host program writes into the 128 bytes a kernel's
/// `cp.async.bulk.tensor` reads when it runs on the interpreter, in place of
/// `cuTensorMapEncodeTiled`'s encoding, with the same parameters (tiled
/// mode, zero fill out of bounds, no interleave).
struct InterpretedTensorMap {
  static constexpr uint32_t kMagic = 0x4d544d58;
  uint32_t magic = kMagic;
  uint32_t rank = 0;
  uint32_t elementBytes = 0;
  /// 0 (none) or 128 (CU_TENSOR_MAP_SWIZZLE_128B).
  uint32_t swizzleBytes = 0;
  /// The host address of the tensor's first element (a buffer the launch
  /// passes).
  uint64_t globalAddress = 0;
  /// Elements per dim, innermost first.
  uint64_t dims[5] = {0, 0, 0, 0, 0};
  /// Byte strides of dims 1 .. rank - 1.
  uint64_t strides[4] = {0, 0, 0, 0};
  /// The box: elements per dim, innermost first.
  uint32_t box[5] = {0, 0, 0, 0, 0};
};
static_assert(sizeof(InterpretedTensorMap) <= 128,
              "a tensor map has 128 bytes");

/// Counters of the launches run so far by one interpreter.
struct LaunchStatistics {
  /// Ops executed, counted once per thread that executes them.
  uint64_t opExecutions = 0;
  /// Scheduler steps: one op executed by a group of threads at the same
  /// program position.
  uint64_t steps = 0;
  /// CTAs run to completion.
  uint64_t ctas = 0;
  /// Key tiles the attention kernels computed (their `llvm.sideeffect`
  /// marks, counted once per CTA: by thread 0).
  uint64_t keyTiles = 0;
};

class KernelInterpreter {
public:
  /// Decodes `kernel` once into a compact program. An op, type or attribute
  /// the interpreter does not model is a located error here.
  static llvm::Expected<std::unique_ptr<KernelInterpreter>>
  create(mlir::LLVM::LLVMFuncOp kernel);
  ~KernelInterpreter();

  /// Runs every CTA of `grid`, one after another, each with `block` threads
  /// and `dynamicSharedBytes` bytes of dynamic shared memory. `args` match the
  /// kernel's parameters in order. The first error stops the launch and is
  /// returned as one line:
  ///   LOC: 'OP' WHAT [thread (x,y,z) of CTA (x,y,z)]
  llvm::Error launch(LaunchDims grid, LaunchDims block,
                     llvm::ArrayRef<KernelArgument> args,
                     size_t dynamicSharedBytes = 0);

  /// Op executions (counted per thread) after which a launch stops with an
  /// error, so that a kernel that does not terminate never hangs. 2^34 unless
  /// set.
  void setStepLimit(uint64_t limit) { stepLimit = limit; }
  uint64_t getStepLimit() const { return stepLimit; }

  /// Totals over every launch so far (a failed launch counts what it ran).
  const LaunchStatistics &getStatistics() const { return statistics; }
  /// The number of decoded instructions (one per op of the kernel).
  size_t getNumInstructions() const;
  /// Bytes of static shared memory the kernel declares.
  uint64_t getStaticSharedBytes() const;

private:
  explicit KernelInterpreter(std::unique_ptr<detail::Program> program);

  std::unique_ptr<detail::Program> program;
  uint64_t stepLimit = uint64_t(1) << 34;
  LaunchStatistics statistics;
};

} // namespace mixir::gpu

#endif // MIXIR_TARGET_GPU_INTERPRETER_H
