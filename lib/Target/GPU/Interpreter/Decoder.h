//===- Decoder.h - the kernel decoder's shared declarations -----*- C++ -*-===//
//
// What Decode.cpp (types, values, LLVM ops) and DecodeNVVM.cpp (NVVM ops,
// calls and intrinsics) share: the type helpers and the Decoder, which turns
// one `llvm.func` into a Program.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_TARGET_GPU_INTERPRETER_DECODER_H
#define MIXIR_LIB_TARGET_GPU_INTERPRETER_DECODER_H

#include "Program.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <utility>

namespace mixir::gpu::detail {

std::string renderLocation(mlir::Location loc);
std::string renderType(mlir::Type type);

/// The leaf kind of a scalar type; nullopt for other types.
std::optional<Kind> scalarKind(mlir::Type type);

/// Appends the scalar leaves of `type` (vectors, structs and arrays
/// flattened in element order); fails on a type the interpreter lacks.
bool flatten(mlir::Type type, llvm::SmallVectorImpl<Kind> &leaves);

/// Size and ABI alignment in memory under the NVPTX data layout (every type
/// naturally aligned, vectors to their size).
struct Layout {
  uint64_t size;
  uint64_t align;
};
/// nullopt for types without a memory layout here.
std::optional<Layout> layoutOf(mlir::Type type);

/// The math function an intrinsic or libdevice base name ("exp2") denotes.
std::optional<MathFn> mathFunction(llvm::StringRef name);

/// Finds `name` in a table of (op name, value) pairs.
template <typename T, size_t N>
const T *lookup(const std::pair<llvm::StringLiteral, T> (&table)[N],
                llvm::StringRef name) {
  for (const auto &entry : table)
    if (entry.first == name)
      return &entry.second;
  return nullptr;
}

/// Decodes one kernel into `program`.
class Decoder {
public:
  Decoder(mlir::LLVM::LLVMFuncOp func, Program &program)
      : func(func), program(program) {}

  llvm::Error run();

private:
  llvm::Error fail(mlir::Operation *op, const llvm::Twine &message) {
    return llvm::createStringError(renderLocation(op->getLoc()) + ": '" +
                                   op->getName().getStringRef() + "' " +
                                   message);
  }
  llvm::Error unsupportedType(mlir::Operation *op, mlir::Type type) {
    return fail(op, "has a type the interpreter does not model: " +
                        renderType(type));
  }

  llvm::Error layoutShared();
  llvm::Error assignSlots();
  llvm::Error decodeOp(mlir::Operation *op, Inst &inst);
  llvm::Error decodeConstant(mlir::Operation *op, mlir::Attribute value,
                             Inst &inst);
  llvm::Error decodeGep(mlir::LLVM::GEPOp gep, Inst &inst);
  llvm::Error decodeMemory(mlir::Operation *op, Inst &inst);
  llvm::Error decodeNVVM(mlir::Operation *op, Inst &inst, bool &handled);
  llvm::Error decodeMma(mlir::NVVM::MmaOp mma, Inst &inst);
  llvm::Error decodeWgmma(mlir::NVVM::WgmmaMmaAsyncOp wgmma, Inst &inst);
  llvm::Error decodeCall(mlir::Operation *op, Inst &inst, bool &handled);
  uint32_t makeEdge(mlir::Block *dest, mlir::ValueRange operands);

  uint32_t slot(mlir::Value value) const { return slots.lookup(value); }
  unsigned leafCount(mlir::Value value) const {
    llvm::SmallVector<Kind> leaves;
    flatten(value.getType(), leaves);
    return leaves.size();
  }
  /// The leaf kind of a value of one scalar type (or a vector of it).
  std::optional<Kind> elementKind(mlir::Type type) const {
    if (auto vector = mlir::dyn_cast<mlir::VectorType>(type))
      return scalarKind(vector.getElementType());
    return scalarKind(type);
  }
  /// Decodes an elementwise op whose operands and result have `kind`
  /// elements (or i1 results for compares).
  llvm::Error elementwise(mlir::Operation *op, Inst &inst, Opcode opcode,
                          bool wantFloat);

  mlir::LLVM::LLVMFuncOp func;
  Program &program;
  llvm::DenseMap<mlir::Value, uint32_t> slots;
  llvm::DenseMap<mlir::Block *, uint32_t> blockPosition;
  llvm::DenseMap<llvm::StringRef, uint64_t> sharedOffsets;
  uint32_t maxScratch = 0;
};

} // namespace mixir::gpu::detail

#endif // MIXIR_LIB_TARGET_GPU_INTERPRETER_DECODER_H
