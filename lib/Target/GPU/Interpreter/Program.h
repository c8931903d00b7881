//===- Program.h - the interpreter's decoded kernel -------------*- C++ -*-===//
//
// The compact form a kernel is decoded into once: an array of instructions in
// the function's block order (the program position is the index), operands
// as indices of 64-bit register slots (vectors, structs and arrays flattened
// into their scalar leaves), and side tables for what does not fit in an
// instruction (branch edges, GEP terms, shuffle masks, mma operand maps).
// Nothing here refers back to the MLIR module, so it may be destroyed after
// decoding.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_TARGET_GPU_INTERPRETER_PROGRAM_H
#define MIXIR_LIB_TARGET_GPU_INTERPRETER_PROGRAM_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mixir::gpu::detail {

/// The type of one scalar leaf of a value. Integers are kept zero-extended to
/// 64 bits, floats as their bit patterns, pointers as tagged addresses (see
/// makePointer).
enum class Kind : uint8_t { I1, I8, I16, I32, I64, F16, BF16, F32, F64, Ptr };

inline unsigned bitWidth(Kind kind) {
  static constexpr unsigned widths[] = {1, 8, 16, 32, 64, 16, 16, 32, 64, 64};
  return widths[static_cast<unsigned>(kind)];
}
/// Bytes a leaf occupies in memory (an i1 is stored as a byte).
inline unsigned storeBytes(Kind kind) {
  return kind == Kind::I1 ? 1 : bitWidth(kind) / 8;
}
inline bool isFloat(Kind kind) {
  return kind == Kind::F16 || kind == Kind::BF16 || kind == Kind::F32 ||
         kind == Kind::F64;
}
inline uint64_t widthMask(unsigned bits) {
  return bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
}
inline int64_t signExtend(uint64_t value, unsigned bits) {
  if (bits >= 64)
    return static_cast<int64_t>(value);
  return static_cast<int64_t>(value << (64 - bits)) >> (64 - bits);
}

/// Pointers: the region (global buffer, the CTA's shared memory, a thread's
/// local memory) in the top 16 bits as an even tag, the byte offset in the
/// low 48. A negative offset borrows from the tag and leaves it odd, so an
/// access before the start of a region is still attributed to it.
constexpr unsigned kTagShift = 48;
constexpr uint64_t kOffsetMask = (uint64_t(1) << kTagShift) - 1;
inline uint64_t makePointer(uint32_t region, uint64_t offset) {
  return (uint64_t(2 * (region + 1)) << kTagShift) + offset;
}

enum class Opcode : uint16_t {
  // Values and aggregates.
  Const,          // dst[0..width) = constants[aux..]
  Copy,           // dst[0..width) = a[0..width)
  InsertValue,    // dst = a (width leaves); dst[c..c+imm) = b
  ExtractElement, // dst[0..width) = a[idx(b) * width ..]; imm = element count
  InsertElement,  // dst = a (imm elements of width leaves); dst[idx(c)] = b
  Shuffle,        // dst[i] = (a ++ b)[shuffleMasks[aux + i]]; imm = |a|
  Bitcast,        // repack bits; bitcastWidths[aux..] (source, then result)
  PtrToInt,       // flags: source is a shared (address space 3) pointer
  IntToPtr,       // flags: result is a shared pointer
  Gep,            // dst = a + imm + sum of gepTerms[aux .. aux + c)
  Alloca,         // dst = this thread's local memory + imm
  // Integers (kind: the operands' type; imm: its width mask).
  Add,
  Sub,
  Mul,
  UDiv,
  SDiv,
  URem,
  SRem,
  And,
  Or,
  Xor,
  Shl,
  LShr,
  AShr,
  SMax,
  SMin,
  UMax,
  UMin,
  Abs,
  ICmp,   // imm: LLVM::ICmpPredicate
  Select, // dst = a ? b : c; flags & 1: the condition is a scalar
  Trunc,  // kind2: source kind
  ZExt,
  SExt,
  // Floats (kind: the operands' type).
  FAdd,
  FSub,
  FMul,
  FDiv,
  FRem,
  FNeg,
  FMaximum,
  FMinimum,
  FMaxNum,
  FMinNum,
  FFma,
  FAbs,
  FCopySign,
  FCmp,   // imm: LLVM::FCmpPredicate
  FConv,  // fpext / fptrunc from kind2 to kind
  SIToFP, // kind2: integer source
  UIToFP,
  FPToSI, // kind2: float source
  FPToUI,
  FMath,  // imm: MathFn; operands a, b, c
  Reduce, // imm: ReduceFn; dst = reduce(b[0..width)) starting from a
  // Control flow.
  Br,     // aux: edge
  CondBr, // a: condition; aux, aux + 1: true and false edges
  Switch, // a: value; switchCases[aux .. aux + c); imm: default edge
  Return,
  // Memory (kind: leaf kind, width: leaves, imm: required alignment,
  // flags: address space).
  Load,  // dst = *a
  Store, // *a = b
  // NVVM.
  SReg,          // imm: SpecialReg
  Barrier,       //
  Shfl,          // dst = shfl(kind imm, mask a, value b, offset c, clamp d)
  LdMatrix,      // dst[0..imm) = ldmatrix(a); flags & 1: .trans
  Mma,           // mmas[aux]
  CpAsync,       // shared a <- global b; imm: cp-size; c: src-size or ~0
  CpAsyncCommit, //
  CpAsyncWait,   // imm: groups that may stay pending
  // sm_90a warpgroup MMA and the async proxy.
  Wgmma,           // wgmmas[aux]
  WgmmaFence,      //
  WgmmaCommit,     //
  WgmmaWait,       // imm: groups that may stay pending
  FenceProxyAsync, // fence.proxy.async (shared::cta or all spaces)
  // sm_90 mbarriers and TMA (d: predicate slot or ~0u).
  MBarrierInit,     // barrier a, count b
  MBarrierExpectTx, // arrive.expect_tx: barrier a, bytes b; flags: dst
  MBarrierTryWait,  // try_wait.parity: barrier a, parity b
  BulkTensorLoad,   // shared a <- tensor map b at the coordinates
                    // bulkCoordinates[aux]; barrier c
  // Instrumentation.
  KeyTileMark, // llvm.sideeffect: the attention kernels' mark of one key
               // tile (no code on a GPU), counted when thread 0 runs it
};

/// Functions modelled by the FMath opcode.
enum class MathFn : uint8_t {
  Exp,
  Exp2,
  Log,
  Log2,
  Log10,
  Sqrt,
  Rsqrt,
  Sin,
  Cos,
  Tanh,
  Pow,
  Floor,
  Ceil,
  Trunc,
  Round,
  RoundEven,
  Ex2ApproxFtz, // PTX ex2.approx.ftz.f32
  Ex2Approx,    // PTX ex2.approx.f32
  RcpApproxFtz, // PTX rcp.approx.ftz.f32
  RcpApprox,    // PTX rcp.approx.f32
  Lg2ApproxFtz, // PTX lg2.approx.ftz.f32
  Lg2Approx,    // PTX lg2.approx.f32
  PtxMax,       // PTX max.f32 (NaN-ignoring)
  PtxMin,
};

enum class ReduceFn : uint8_t {
  FAdd,
  FMul,
  FMax,
  FMin,
  FMaximum,
  FMinimum,
  Add,
  Mul,
  And,
  Or,
  Xor,
  SMax,
  SMin,
  UMax,
  UMin
};

enum class SpecialReg : uint8_t {
  TidX,
  TidY,
  TidZ,
  NTidX,
  NTidY,
  NTidZ,
  CtaIdX,
  CtaIdY,
  CtaIdZ,
  NCtaIdX,
  NCtaIdY,
  NCtaIdZ,
  LaneId,
  WarpSize,
};

struct Inst {
  Opcode op;
  Kind kind = Kind::I64;
  Kind kind2 = Kind::I64;
  uint8_t flags = 0;
  uint32_t width = 1;
  uint32_t dst = 0, a = 0, b = 0, c = 0, d = 0;
  uint64_t imm = 0;
  uint32_t aux = 0;
  /// Index into Program::origins: the op's location and name.
  uint32_t origin = 0;
};

/// A control-flow edge: the target position and the block-argument copies
/// (edgeCopies[copyBegin .. copyEnd), source then destination slot).
struct Edge {
  uint32_t target = 0;
  uint32_t copyBegin = 0, copyEnd = 0;
  /// Some destination is also a source: copy through the scratch slots.
  bool viaScratch = false;
};

struct GepTerm {
  uint32_t slot;
  Kind kind;
  int64_t scale;
};

struct SwitchCase {
  uint64_t value;
  uint32_t edge;
};

/// One 16-bit multiplicand element of an mma operand: the slot holding it and
/// its bit position inside the slot (0 or 16, for packed i32 operands).
struct HalfRef {
  uint32_t slot;
  uint8_t shift;
};

struct MmaDesc {
  unsigned m = 16, n = 8, k = 16;
  Kind abKind = Kind::F16; // F16 or BF16
  Kind cKind = Kind::F32;  // F32 or F16
  Kind dKind = Kind::F32;  // F32 or F16
  std::vector<HalfRef> a;  // k / 2 elements per lane (8 for k16)
  std::vector<HalfRef> b;  // k / 4 elements per lane (4 for k16)
  std::vector<uint32_t> c; // 4 leaves
};

/// One wgmma.mma_async m64nNk16 with f32 accumulators and both
/// multiplicands in shared memory (64-bit matrix descriptors).
struct WgmmaDesc {
  unsigned n = 8;
  Kind abKind = Kind::F16; // F16 or BF16
  /// wgmma's scale-d: false makes D = A B (C is not read).
  bool accumulate = true;
  bool negateA = false, negateB = false;
  /// imm-trans-b: B is N-major (else K-major, as A always is).
  bool transposeB = false;
  uint32_t descriptorA = 0, descriptorB = 0;
  /// The first of C's n / 2 leaves.
  uint32_t c = 0;
};

struct Param {
  Kind kind;
  uint32_t slot;
  std::string typeName;
};

struct Program {
  std::string name;
  std::vector<Inst> insts;
  /// "LOC: 'OP'" for each decoded op, for error messages.
  std::vector<std::string> origins;
  std::vector<uint64_t> constants;
  std::vector<Edge> edges;
  std::vector<std::pair<uint32_t, uint32_t>> edgeCopies;
  std::vector<GepTerm> gepTerms;
  std::vector<int32_t> shuffleMasks;
  std::vector<uint8_t> bitcastWidths;
  std::vector<SwitchCase> switchCases;
  std::vector<MmaDesc> mmas;
  std::vector<WgmmaDesc> wgmmas;
  /// The coordinate slots (innermost first) of each BulkTensorLoad.
  std::vector<std::vector<uint32_t>> bulkCoordinates;
  std::vector<Param> params;
  /// The kernel has wgmma: shared-memory writes through the generic proxy
  /// are tracked until the writer's fence.proxy.async.
  bool usesAsyncProxy = false;

  /// Register slots per thread; [scratchBegin, numSlots) is scratch for
  /// edges whose copies overlap.
  uint32_t numSlots = 0;
  uint32_t scratchBegin = 0;
  /// Pointer parameters, in order, are regions 0 .. numBuffers - 1; the
  /// shared memory is region numBuffers; thread t's local memory is region
  /// numBuffers + 1 + t.
  uint32_t numBuffers = 0;
  uint64_t staticSharedBytes = 0;
  /// Where dynamic shared memory starts (aligned after the static globals).
  uint64_t dynamicSharedOffset = 0;
  uint64_t localFrameBytes = 0;
  /// The block shape the kernel was compiled for (`gpu.known_block_size` or
  /// `nvvm.reqntid`), and the most threads it allows (`nvvm.maxntid`); empty
  /// when the kernel does not say.
  std::vector<uint32_t> knownBlockSize;
  std::vector<uint32_t> maxBlockSize;

  uint32_t sharedRegion() const { return numBuffers; }
  uint32_t localRegion(uint32_t thread) const {
    return numBuffers + 1 + thread;
  }
};

/// Decodes `kernel` into a program; an unsupported op is a located error.
llvm::Expected<std::unique_ptr<Program>>
decodeKernel(mlir::LLVM::LLVMFuncOp kernel);

} // namespace mixir::gpu::detail

#endif // MIXIR_LIB_TARGET_GPU_INTERPRETER_PROGRAM_H
