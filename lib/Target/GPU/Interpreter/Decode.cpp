//===- Decode.cpp - LLVM/NVVM kernel to interpreter program ---------------===//
//
// Decodes an `llvm.func` kernel once into the interpreter's program: one
// instruction per op, in block order, so that the instruction index is the
// program position the lockstep scheduler compares. Every value gets a run
// of 64-bit register slots, one per scalar leaf of its (flattened) type;
// `insertvalue` / `insertelement` update their container in place when it
// has no other use. Shared-memory globals get their offsets here, from their
// sizes and `alignment` attributes, and constants, GEP offsets and mma
// operand maps are resolved, so that nothing is looked up by name or type
// while running. Anything the interpreter does not model is an error naming
// the op and its location.
//
//===----------------------------------------------------------------------===//

#include "Decoder.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace mlir;
using llvm::Error;
using llvm::Twine;

namespace mixir::gpu::detail {

std::string renderLocation(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

std::string renderType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

std::optional<Kind> scalarKind(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type)) {
    switch (intType.getWidth()) {
    case 1:
      return Kind::I1;
    case 8:
      return Kind::I8;
    case 16:
      return Kind::I16;
    case 32:
      return Kind::I32;
    case 64:
      return Kind::I64;
    default:
      return std::nullopt;
    }
  }
  if (isa<Float16Type>(type))
    return Kind::F16;
  if (isa<BFloat16Type>(type))
    return Kind::BF16;
  if (isa<Float32Type>(type))
    return Kind::F32;
  if (isa<Float64Type>(type))
    return Kind::F64;
  if (isa<LLVM::LLVMPointerType>(type))
    return Kind::Ptr;
  return std::nullopt;
}

/// Appends the scalar leaves of `type` (vectors, structs and arrays
/// flattened in element order); fails on a type the interpreter lacks.
bool flatten(Type type, SmallVectorImpl<Kind> &leaves) {
  if (auto kind = scalarKind(type)) {
    leaves.push_back(*kind);
    return true;
  }
  if (auto vector = dyn_cast<VectorType>(type)) {
    if (vector.getRank() != 1 || vector.isScalable())
      return false;
    auto kind = scalarKind(vector.getElementType());
    if (!kind)
      return false;
    leaves.append(vector.getNumElements(), *kind);
    return true;
  }
  if (auto array = dyn_cast<LLVM::LLVMArrayType>(type)) {
    SmallVector<Kind> element;
    if (!flatten(array.getElementType(), element))
      return false;
    for (unsigned i = 0, e = array.getNumElements(); i < e; ++i)
      leaves.append(element.begin(), element.end());
    return true;
  }
  if (auto structType = dyn_cast<LLVM::LLVMStructType>(type)) {
    if (structType.isOpaque())
      return false;
    for (Type field : structType.getBody())
      if (!flatten(field, leaves))
        return false;
    return true;
  }
  return isa<LLVM::LLVMVoidType>(type);
}

std::optional<Layout> layoutOf(Type type) {
  if (auto kind = scalarKind(type)) {
    uint64_t bytes = storeBytes(*kind);
    return Layout{bytes, bytes};
  }
  if (auto vector = dyn_cast<VectorType>(type)) {
    auto kind = scalarKind(vector.getElementType());
    if (vector.getRank() != 1 || vector.isScalable() || !kind ||
        *kind == Kind::I1)
      return std::nullopt;
    uint64_t bytes = storeBytes(*kind) * vector.getNumElements();
    return Layout{bytes, llvm::PowerOf2Ceil(bytes)};
  }
  if (auto array = dyn_cast<LLVM::LLVMArrayType>(type)) {
    auto element = layoutOf(array.getElementType());
    if (!element)
      return std::nullopt;
    return Layout{element->size * array.getNumElements(), element->align};
  }
  if (auto structType = dyn_cast<LLVM::LLVMStructType>(type)) {
    if (structType.isOpaque())
      return std::nullopt;
    uint64_t offset = 0, align = 1;
    for (Type field : structType.getBody()) {
      auto fieldLayout = layoutOf(field);
      if (!fieldLayout)
        return std::nullopt;
      if (!structType.isPacked()) {
        offset = llvm::alignTo(offset, fieldLayout->align);
        align = std::max(align, fieldLayout->align);
      }
      offset += fieldLayout->size;
    }
    return Layout{llvm::alignTo(offset, align), align};
  }
  return std::nullopt;
}

namespace {

/// Byte offset of field `index` of a struct.
uint64_t structFieldOffset(LLVM::LLVMStructType type, unsigned index) {
  uint64_t offset = 0;
  for (auto [i, field] : llvm::enumerate(type.getBody())) {
    auto fieldLayout = *layoutOf(field);
    if (!type.isPacked())
      offset = llvm::alignTo(offset, fieldLayout.align);
    if (i == index)
      return offset;
    offset += fieldLayout.size;
  }
  return offset;
}

uint64_t bitsOfAttribute(Attribute attr) {
  if (auto intAttr = dyn_cast<IntegerAttr>(attr))
    return intAttr.getValue().getZExtValue();
  if (auto floatAttr = dyn_cast<FloatAttr>(attr))
    return floatAttr.getValue().bitcastToAPInt().getZExtValue();
  return 0;
}

/// True if `container`, the aggregate operand of an in-place update `user`,
/// may share its slots with the result: its only use is `user` and it is
/// defined afresh each time `user`'s block runs.
bool mayUpdateInPlace(Value container, Operation *user) {
  if (!container.hasOneUse())
    return false;
  if (auto arg = dyn_cast<BlockArgument>(container))
    return arg.getOwner() == user->getBlock();
  return container.getDefiningOp()->getBlock() == user->getBlock();
}

} // namespace

Error Decoder::layoutShared() {
  Operation *parent = func->getParentOp();
  if (!parent || parent->getNumRegions() != 1 ||
      !parent->getRegion(0).hasOneBlock())
    return Error::success();
  uint64_t offset = 0, dynamicAlign = 16;
  SmallVector<StringRef> dynamic;
  for (auto global : parent->getRegion(0).getOps<LLVM::GlobalOp>()) {
    if (global.getAddrSpace() != 3)
      continue;
    auto layout = layoutOf(global.getGlobalType());
    if (!layout)
      return unsupportedType(global, global.getGlobalType());
    uint64_t align = global.getAlignment().value_or(layout->align);
    if (layout->size == 0) {
      dynamic.push_back(global.getSymName());
      dynamicAlign = std::max(dynamicAlign, align);
      continue;
    }
    offset = llvm::alignTo(offset, std::max<uint64_t>(align, 1));
    sharedOffsets[global.getSymName()] = offset;
    offset += layout->size;
  }
  program.staticSharedBytes = offset;
  program.dynamicSharedOffset = llvm::alignTo(offset, dynamicAlign);
  for (StringRef name : dynamic)
    sharedOffsets[name] = program.dynamicSharedOffset;
  return Error::success();
}

Error Decoder::assignSlots() {
  uint32_t next = 0;
  auto assign = [&](Value value, Operation *op) -> Error {
    SmallVector<Kind> leaves;
    if (!flatten(value.getType(), leaves))
      return unsupportedType(op ? op : func.getOperation(), value.getType());
    slots[value] = next;
    next += leaves.size();
    return Error::success();
  };
  uint32_t position = 0;
  for (Block &block : func.getBody()) {
    blockPosition[&block] = position;
    for (BlockArgument arg : block.getArguments())
      if (Error error = assign(arg, nullptr))
        return error;
    for (Operation &op : block) {
      ++position;
      Value inPlace;
      if (auto insert = dyn_cast<LLVM::InsertValueOp>(op))
        inPlace = insert.getContainer();
      else if (auto insert = dyn_cast<LLVM::InsertElementOp>(op))
        inPlace = insert.getVector();
      if (inPlace && mayUpdateInPlace(inPlace, &op)) {
        slots[op.getResult(0)] = slots.lookup(inPlace);
        continue;
      }
      for (Value result : op.getResults())
        if (Error error = assign(result, &op))
          return error;
    }
  }
  program.numSlots = next;
  return Error::success();
}

uint32_t Decoder::makeEdge(Block *dest, ValueRange operands) {
  Edge edge;
  edge.target = blockPosition.lookup(dest);
  edge.copyBegin = program.edgeCopies.size();
  llvm::DenseSet<uint32_t> sources;
  for (auto [operand, arg] : llvm::zip(operands, dest->getArguments())) {
    unsigned count = leafCount(operand);
    for (unsigned i = 0; i < count; ++i) {
      program.edgeCopies.push_back({slot(operand) + i, slot(arg) + i});
      sources.insert(slot(operand) + i);
    }
  }
  edge.copyEnd = program.edgeCopies.size();
  for (uint32_t i = edge.copyBegin; i < edge.copyEnd; ++i)
    if (sources.contains(program.edgeCopies[i].second))
      edge.viaScratch = true;
  if (edge.viaScratch)
    maxScratch = std::max(maxScratch, edge.copyEnd - edge.copyBegin);
  program.edges.push_back(edge);
  return program.edges.size() - 1;
}

Error Decoder::elementwise(Operation *op, Inst &inst, Opcode opcode,
                           bool wantFloat) {
  Type operandType = op->getOperand(0).getType();
  auto kind = elementKind(operandType);
  if (!kind || isFloat(*kind) != wantFloat || *kind == Kind::Ptr)
    return unsupportedType(op, operandType);
  inst.op = opcode;
  inst.kind = *kind;
  inst.width = leafCount(op->getOperand(0));
  inst.dst = slot(op->getResult(0));
  inst.a = slot(op->getOperand(0));
  if (op->getNumOperands() > 1)
    inst.b = slot(op->getOperand(1));
  if (op->getNumOperands() > 2)
    inst.c = slot(op->getOperand(2));
  inst.imm = widthMask(bitWidth(*kind));
  return Error::success();
}

Error Decoder::decodeConstant(Operation *op, Attribute value, Inst &inst) {
  Value result = op->getResult(0);
  SmallVector<Kind> leaves;
  flatten(result.getType(), leaves);
  inst.op = Opcode::Const;
  inst.dst = slot(result);
  inst.width = leaves.size();
  inst.aux = program.constants.size();
  SmallVector<uint64_t> bits;
  if (!value) {
    bits.assign(leaves.size(), 0);
  } else if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.getElementType().isIntOrIndex()) {
      for (const APInt &element : dense.getValues<APInt>())
        bits.push_back(element.getZExtValue());
    } else if (isa<FloatType>(dense.getElementType())) {
      for (const APFloat &element : dense.getValues<APFloat>())
        bits.push_back(element.bitcastToAPInt().getZExtValue());
    }
  } else if (isa<IntegerAttr, FloatAttr>(value)) {
    bits.push_back(bitsOfAttribute(value));
  } else if (auto array = dyn_cast<ArrayAttr>(value)) {
    for (Attribute element : array)
      if (isa<IntegerAttr, FloatAttr>(element))
        bits.push_back(bitsOfAttribute(element));
  }
  if (bits.size() != leaves.size())
    return fail(op, "has a constant the interpreter does not model");
  for (auto [leafBits, kind] : llvm::zip(bits, leaves))
    program.constants.push_back(leafBits & widthMask(bitWidth(kind)));
  return Error::success();
}

Error Decoder::decodeGep(LLVM::GEPOp gep, Inst &inst) {
  if (!isa<LLVM::LLVMPointerType>(gep.getType()))
    return unsupportedType(gep, gep.getType());
  inst.op = Opcode::Gep;
  inst.kind = Kind::Ptr;
  inst.dst = slot(gep.getResult());
  inst.a = slot(gep.getBase());
  inst.aux = program.gepTerms.size();
  int64_t constant = 0;
  Type current;
  bool first = true;
  for (auto index : gep.getIndices()) {
    int64_t scale = 0, constantIndex = 0;
    Value dynamicIndex = llvm::dyn_cast_if_present<Value>(index);
    if (!dynamicIndex)
      constantIndex =
          cast<IntegerAttr>(cast<IntegerAttr>(index)).getValue().getSExtValue();
    Type next;
    if (first) {
      current = gep.getElemType();
      auto layout = layoutOf(current);
      if (!layout)
        return unsupportedType(gep, current);
      scale = llvm::alignTo(layout->size, layout->align);
      next = current;
      first = false;
    } else if (auto structType = dyn_cast<LLVM::LLVMStructType>(current)) {
      if (dynamicIndex)
        return fail(gep, "indexes a struct with a dynamic index");
      constant += structFieldOffset(structType, constantIndex);
      current = structType.getBody()[constantIndex];
      continue;
    } else {
      Type element;
      if (auto array = dyn_cast<LLVM::LLVMArrayType>(current))
        element = array.getElementType();
      else if (auto vector = dyn_cast<VectorType>(current))
        element = vector.getElementType();
      else
        return unsupportedType(gep, current);
      auto layout = layoutOf(element);
      if (!layout)
        return unsupportedType(gep, element);
      scale = llvm::alignTo(layout->size, layout->align);
      next = element;
    }
    current = next;
    if (!dynamicIndex) {
      constant += constantIndex * scale;
      continue;
    }
    auto kind = scalarKind(dynamicIndex.getType());
    if (!kind || isFloat(*kind) || *kind == Kind::Ptr)
      return unsupportedType(gep, dynamicIndex.getType());
    program.gepTerms.push_back({slot(dynamicIndex), *kind, scale});
  }
  inst.c = program.gepTerms.size() - inst.aux;
  inst.imm = static_cast<uint64_t>(constant);
  return Error::success();
}

Error Decoder::decodeMemory(Operation *op, Inst &inst) {
  bool isLoad = isa<LLVM::LoadOp>(op);
  Value address = isLoad ? cast<LLVM::LoadOp>(op).getAddr()
                         : cast<LLVM::StoreOp>(op).getAddr();
  Value value = isLoad ? op->getResult(0) : cast<LLVM::StoreOp>(op).getValue();
  auto ordering = isLoad ? cast<LLVM::LoadOp>(op).getOrdering()
                         : cast<LLVM::StoreOp>(op).getOrdering();
  if (ordering != LLVM::AtomicOrdering::not_atomic)
    return fail(op, "is atomic, which the interpreter does not model");
  auto kind = elementKind(value.getType());
  auto layout = layoutOf(value.getType());
  if (!kind || !layout ||
      (isa<VectorType>(value.getType()) && *kind == Kind::I1))
    return unsupportedType(op, value.getType());
  std::optional<uint64_t> align = isLoad
                                      ? cast<LLVM::LoadOp>(op).getAlignment()
                                      : cast<LLVM::StoreOp>(op).getAlignment();
  inst.op = isLoad ? Opcode::Load : Opcode::Store;
  inst.kind = *kind;
  inst.width = leafCount(value);
  inst.a = slot(address);
  if (isLoad)
    inst.dst = slot(value);
  else
    inst.b = slot(value);
  inst.imm = align.value_or(layout->align);
  inst.flags = cast<LLVM::LLVMPointerType>(address.getType()).getAddressSpace();
  return Error::success();
}

Error Decoder::decodeOp(Operation *op, Inst &inst) {
  StringRef name = op->getName().getStringRef();

  // Elementwise integer and float ops.
  static const std::pair<llvm::StringLiteral, Opcode> kIntOps[] = {
      {"llvm.add", Opcode::Add},        {"llvm.sub", Opcode::Sub},
      {"llvm.mul", Opcode::Mul},        {"llvm.udiv", Opcode::UDiv},
      {"llvm.sdiv", Opcode::SDiv},      {"llvm.urem", Opcode::URem},
      {"llvm.srem", Opcode::SRem},      {"llvm.and", Opcode::And},
      {"llvm.or", Opcode::Or},          {"llvm.xor", Opcode::Xor},
      {"llvm.shl", Opcode::Shl},        {"llvm.lshr", Opcode::LShr},
      {"llvm.ashr", Opcode::AShr},      {"llvm.intr.smax", Opcode::SMax},
      {"llvm.intr.smin", Opcode::SMin}, {"llvm.intr.umax", Opcode::UMax},
      {"llvm.intr.umin", Opcode::UMin}, {"llvm.intr.abs", Opcode::Abs},
  };
  const Opcode *intOp = lookup(kIntOps, name);
  if (intOp)
    return elementwise(op, inst, *intOp, /*wantFloat=*/false);
  static const std::pair<llvm::StringLiteral, Opcode> kFloatOps[] = {
      {"llvm.fadd", Opcode::FAdd},
      {"llvm.fsub", Opcode::FSub},
      {"llvm.fmul", Opcode::FMul},
      {"llvm.fdiv", Opcode::FDiv},
      {"llvm.frem", Opcode::FRem},
      {"llvm.fneg", Opcode::FNeg},
      {"llvm.intr.maximum", Opcode::FMaximum},
      {"llvm.intr.minimum", Opcode::FMinimum},
      {"llvm.intr.maxnum", Opcode::FMaxNum},
      {"llvm.intr.minnum", Opcode::FMinNum},
      {"llvm.intr.fma", Opcode::FFma},
      {"llvm.intr.fmuladd", Opcode::FFma},
      {"llvm.intr.fabs", Opcode::FAbs},
      {"llvm.intr.copysign", Opcode::FCopySign},
  };
  const Opcode *floatOp = lookup(kFloatOps, name);
  if (floatOp)
    return elementwise(op, inst, *floatOp, /*wantFloat=*/true);
  if (name.starts_with("llvm.intr.")) {
    if (auto fn = mathFunction(name.drop_front(strlen("llvm.intr.")))) {
      if (Error error = elementwise(op, inst, Opcode::FMath, true))
        return error;
      inst.imm = static_cast<uint64_t>(*fn);
      return Error::success();
    }
  }

  if (auto cmp = dyn_cast<LLVM::ICmpOp>(op)) {
    auto kind = elementKind(cmp.getLhs().getType());
    if (!kind || isFloat(*kind))
      return unsupportedType(op, cmp.getLhs().getType());
    inst.op = Opcode::ICmp;
    inst.kind = *kind;
    inst.width = leafCount(cmp.getLhs());
    inst.dst = slot(cmp.getResult());
    inst.a = slot(cmp.getLhs());
    inst.b = slot(cmp.getRhs());
    inst.imm = static_cast<uint64_t>(cmp.getPredicate());
    return Error::success();
  }
  if (auto cmp = dyn_cast<LLVM::FCmpOp>(op)) {
    if (Error error = elementwise(op, inst, Opcode::FCmp, true))
      return error;
    inst.imm = static_cast<uint64_t>(cmp.getPredicate());
    return Error::success();
  }
  if (auto select = dyn_cast<LLVM::SelectOp>(op)) {
    inst.op = Opcode::Select;
    inst.width = leafCount(select.getResult());
    inst.dst = slot(select.getResult());
    inst.a = slot(select.getCondition());
    inst.b = slot(select.getTrueValue());
    inst.c = slot(select.getFalseValue());
    inst.flags = leafCount(select.getCondition()) == 1 ? 1 : 0;
    return Error::success();
  }

  // Casts.
  static const std::pair<llvm::StringLiteral, Opcode> kCastOps[] = {
      {"llvm.trunc", Opcode::Trunc},   {"llvm.zext", Opcode::ZExt},
      {"llvm.sext", Opcode::SExt},     {"llvm.fpext", Opcode::FConv},
      {"llvm.fptrunc", Opcode::FConv}, {"llvm.sitofp", Opcode::SIToFP},
      {"llvm.uitofp", Opcode::UIToFP}, {"llvm.fptosi", Opcode::FPToSI},
      {"llvm.fptoui", Opcode::FPToUI},
  };
  const Opcode *castOp = lookup(kCastOps, name);
  if (castOp) {
    auto from = elementKind(op->getOperand(0).getType());
    auto to = elementKind(op->getResult(0).getType());
    if (!from || !to || *from == Kind::Ptr || *to == Kind::Ptr)
      return unsupportedType(op, op->getOperand(0).getType());
    inst.op = *castOp;
    inst.kind = *to;
    inst.kind2 = *from;
    inst.width = leafCount(op->getResult(0));
    inst.dst = slot(op->getResult(0));
    inst.a = slot(op->getOperand(0));
    inst.imm = widthMask(bitWidth(*to));
    return Error::success();
  }
  if (isa<LLVM::BitcastOp>(op)) {
    SmallVector<Kind> from, to;
    flatten(op->getOperand(0).getType(), from);
    flatten(op->getResult(0).getType(), to);
    inst.dst = slot(op->getResult(0));
    inst.a = slot(op->getOperand(0));
    bool sameLeaves =
        from.size() == to.size() &&
        llvm::all_of(llvm::zip(from, to), [](auto pair) {
          return bitWidth(std::get<0>(pair)) == bitWidth(std::get<1>(pair));
        });
    if (sameLeaves) {
      inst.op = Opcode::Copy;
      inst.width = to.size();
      return Error::success();
    }
    inst.op = Opcode::Bitcast;
    inst.aux = program.bitcastWidths.size();
    for (Kind kind : from)
      program.bitcastWidths.push_back(bitWidth(kind));
    for (Kind kind : to)
      program.bitcastWidths.push_back(bitWidth(kind));
    inst.c = from.size();
    inst.d = to.size();
    unsigned totalBits = 0;
    for (Kind kind : from)
      totalBits += bitWidth(kind);
    if (totalBits > 1024)
      return unsupportedType(op, op->getOperand(0).getType());
    return Error::success();
  }
  if (isa<LLVM::AddrSpaceCastOp, LLVM::FreezeOp>(op)) {
    inst.op = Opcode::Copy;
    inst.width = leafCount(op->getResult(0));
    inst.dst = slot(op->getResult(0));
    inst.a = slot(op->getOperand(0));
    return Error::success();
  }
  if (auto toInt = dyn_cast<LLVM::PtrToIntOp>(op)) {
    auto to = scalarKind(toInt.getType());
    auto from = dyn_cast<LLVM::LLVMPointerType>(toInt.getArg().getType());
    if (!to || !from)
      return unsupportedType(op, toInt.getType());
    inst.op = Opcode::PtrToInt;
    inst.kind = *to;
    inst.dst = slot(toInt.getResult());
    inst.a = slot(toInt.getArg());
    inst.imm = widthMask(bitWidth(*to));
    inst.flags = from.getAddressSpace() == 3 ? 1 : 0;
    return Error::success();
  }
  if (auto toPtr = dyn_cast<LLVM::IntToPtrOp>(op)) {
    auto from = scalarKind(toPtr.getArg().getType());
    auto type = dyn_cast<LLVM::LLVMPointerType>(toPtr.getType());
    if (!from || !type)
      return unsupportedType(op, toPtr.getType());
    inst.op = Opcode::IntToPtr;
    inst.kind = Kind::Ptr;
    inst.kind2 = *from;
    inst.dst = slot(toPtr.getResult());
    inst.a = slot(toPtr.getArg());
    inst.flags = type.getAddressSpace() == 3 ? 1 : 0;
    inst.imm = makePointer(program.sharedRegion(), 0);
    return Error::success();
  }

  // Constants and aggregates.
  if (auto constant = dyn_cast<LLVM::ConstantOp>(op))
    return decodeConstant(op, constant.getValue(), inst);
  if (isa<LLVM::PoisonOp, LLVM::UndefOp, LLVM::ZeroOp>(op))
    return decodeConstant(op, Attribute(), inst);
  if (auto addressOf = dyn_cast<LLVM::AddressOfOp>(op)) {
    auto it = sharedOffsets.find(addressOf.getGlobalName());
    if (it == sharedOffsets.end())
      return fail(op, "takes the address of '@" + addressOf.getGlobalName() +
                          "', which is not a shared-memory (address space 3) "
                          "global of the enclosing module");
    inst.op = Opcode::Const;
    inst.kind = Kind::Ptr;
    inst.dst = slot(addressOf.getResult());
    inst.aux = program.constants.size();
    program.constants.push_back(
        makePointer(program.sharedRegion(), it->second));
    return Error::success();
  }
  if (auto extract = dyn_cast<LLVM::ExtractValueOp>(op)) {
    Type current = extract.getContainer().getType();
    unsigned offset = 0;
    for (int64_t position : extract.getPosition()) {
      SmallVector<Kind> before;
      if (auto structType = dyn_cast<LLVM::LLVMStructType>(current)) {
        for (int64_t i = 0; i < position; ++i)
          flatten(structType.getBody()[i], before);
        current = structType.getBody()[position];
      } else {
        auto array = cast<LLVM::LLVMArrayType>(current);
        SmallVector<Kind> element;
        flatten(array.getElementType(), element);
        before.append(element.size() * position, Kind::I1);
        current = array.getElementType();
      }
      offset += before.size();
    }
    inst.op = Opcode::Copy;
    inst.width = leafCount(extract.getResult());
    inst.dst = slot(extract.getResult());
    inst.a = slot(extract.getContainer()) + offset;
    return Error::success();
  }
  if (auto insert = dyn_cast<LLVM::InsertValueOp>(op)) {
    Type current = insert.getContainer().getType();
    unsigned offset = 0;
    for (int64_t position : insert.getPosition()) {
      SmallVector<Kind> before;
      if (auto structType = dyn_cast<LLVM::LLVMStructType>(current)) {
        for (int64_t i = 0; i < position; ++i)
          flatten(structType.getBody()[i], before);
        current = structType.getBody()[position];
      } else {
        auto array = cast<LLVM::LLVMArrayType>(current);
        SmallVector<Kind> element;
        flatten(array.getElementType(), element);
        before.append(element.size() * position, Kind::I1);
        current = array.getElementType();
      }
      offset += before.size();
    }
    inst.op = Opcode::InsertValue;
    inst.width = leafCount(insert.getResult());
    inst.dst = slot(insert.getResult());
    inst.a = slot(insert.getContainer());
    inst.b = slot(insert.getValue());
    inst.c = offset;
    inst.imm = leafCount(insert.getValue());
    return Error::success();
  }
  if (auto extract = dyn_cast<LLVM::ExtractElementOp>(op)) {
    auto indexKind = scalarKind(extract.getPosition().getType());
    if (!indexKind || isFloat(*indexKind))
      return unsupportedType(op, extract.getPosition().getType());
    inst.op = Opcode::ExtractElement;
    inst.kind2 = *indexKind;
    inst.width = 1;
    inst.dst = slot(extract.getResult());
    inst.a = slot(extract.getVector());
    inst.b = slot(extract.getPosition());
    inst.imm = leafCount(extract.getVector());
    return Error::success();
  }
  if (auto insert = dyn_cast<LLVM::InsertElementOp>(op)) {
    auto indexKind = scalarKind(insert.getPosition().getType());
    if (!indexKind || isFloat(*indexKind))
      return unsupportedType(op, insert.getPosition().getType());
    inst.op = Opcode::InsertElement;
    inst.kind2 = *indexKind;
    inst.width = leafCount(insert.getResult());
    inst.dst = slot(insert.getResult());
    inst.a = slot(insert.getVector());
    inst.b = slot(insert.getValue());
    inst.c = slot(insert.getPosition());
    inst.imm = leafCount(insert.getResult());
    return Error::success();
  }
  if (auto shuffle = dyn_cast<LLVM::ShuffleVectorOp>(op)) {
    inst.op = Opcode::Shuffle;
    inst.width = leafCount(shuffle.getResult());
    inst.dst = slot(shuffle.getResult());
    inst.a = slot(shuffle.getV1());
    inst.b = slot(shuffle.getV2());
    inst.imm = leafCount(shuffle.getV1());
    inst.aux = program.shuffleMasks.size();
    for (int32_t index : shuffle.getMask())
      program.shuffleMasks.push_back(index);
    return Error::success();
  }
  if (auto gep = dyn_cast<LLVM::GEPOp>(op))
    return decodeGep(gep, inst);
  if (auto alloca = dyn_cast<LLVM::AllocaOp>(op)) {
    auto count = alloca.getArraySize().getDefiningOp<LLVM::ConstantOp>();
    auto layout = layoutOf(alloca.getElemType());
    if (!count || !isa<IntegerAttr>(count.getValue()) || !layout)
      return fail(op, "allocates a dynamic or unsupported amount of local "
                      "memory");
    uint64_t align =
        std::max<uint64_t>(alloca.getAlignment().value_or(layout->align), 1);
    uint64_t offset = llvm::alignTo(program.localFrameBytes, align);
    program.localFrameBytes =
        offset + llvm::alignTo(layout->size, layout->align) *
                     cast<IntegerAttr>(count.getValue()).getInt();
    inst.op = Opcode::Alloca;
    inst.kind = Kind::Ptr;
    inst.dst = slot(alloca.getResult());
    inst.imm = offset;
    return Error::success();
  }
  if (isa<LLVM::LoadOp, LLVM::StoreOp>(op))
    return decodeMemory(op, inst);

  // Reductions.
  if (name.consume_front("llvm.intr.vector.reduce.")) {
    auto fn = llvm::StringSwitch<std::optional<ReduceFn>>(name)
                  .Case("fadd", ReduceFn::FAdd)
                  .Case("fmul", ReduceFn::FMul)
                  .Case("fmax", ReduceFn::FMax)
                  .Case("fmin", ReduceFn::FMin)
                  .Case("fmaximum", ReduceFn::FMaximum)
                  .Case("fminimum", ReduceFn::FMinimum)
                  .Case("add", ReduceFn::Add)
                  .Case("mul", ReduceFn::Mul)
                  .Case("and", ReduceFn::And)
                  .Case("or", ReduceFn::Or)
                  .Case("xor", ReduceFn::Xor)
                  .Case("smax", ReduceFn::SMax)
                  .Case("smin", ReduceFn::SMin)
                  .Case("umax", ReduceFn::UMax)
                  .Case("umin", ReduceFn::UMin)
                  .Default(std::nullopt);
    if (!fn)
      return fail(op, "unsupported operation");
    Value vector = op->getOperands().back();
    auto kind = elementKind(vector.getType());
    if (!kind || *kind == Kind::Ptr)
      return unsupportedType(op, vector.getType());
    inst.op = Opcode::Reduce;
    inst.kind = *kind;
    inst.width = leafCount(vector);
    inst.dst = slot(op->getResult(0));
    inst.b = slot(vector);
    inst.flags = op->getNumOperands() == 2 ? 1 : 0;
    if (inst.flags)
      inst.a = slot(op->getOperand(0));
    inst.imm = static_cast<uint64_t>(*fn);
    return Error::success();
  }
  if (isa<LLVM::LifetimeStartOp, LLVM::LifetimeEndOp, LLVM::AssumeOp>(op)) {
    inst.op = Opcode::Copy;
    inst.width = 0;
    return Error::success();
  }

  // Control flow.
  if (auto br = dyn_cast<LLVM::BrOp>(op)) {
    inst.op = Opcode::Br;
    inst.aux = makeEdge(br.getDest(), br.getDestOperands());
    return Error::success();
  }
  if (auto condBr = dyn_cast<LLVM::CondBrOp>(op)) {
    inst.op = Opcode::CondBr;
    inst.a = slot(condBr.getCondition());
    inst.aux = makeEdge(condBr.getTrueDest(), condBr.getTrueDestOperands());
    makeEdge(condBr.getFalseDest(), condBr.getFalseDestOperands());
    return Error::success();
  }
  if (auto switchOp = dyn_cast<LLVM::SwitchOp>(op)) {
    auto kind = scalarKind(switchOp.getValue().getType());
    if (!kind)
      return unsupportedType(op, switchOp.getValue().getType());
    inst.op = Opcode::Switch;
    inst.kind = *kind;
    inst.a = slot(switchOp.getValue());
    inst.imm = makeEdge(switchOp.getDefaultDestination(),
                        switchOp.getDefaultOperands());
    SmallVector<SwitchCase> cases;
    if (auto values = switchOp.getCaseValues()) {
      for (auto [i, value] : llvm::enumerate(values->getValues<APInt>()))
        cases.push_back({value.getZExtValue() & widthMask(bitWidth(*kind)),
                         makeEdge(switchOp.getCaseDestinations()[i],
                                  switchOp.getCaseOperands(i))});
    }
    inst.aux = program.switchCases.size();
    inst.c = cases.size();
    program.switchCases.insert(program.switchCases.end(), cases.begin(),
                               cases.end());
    return Error::success();
  }
  if (auto ret = dyn_cast<LLVM::ReturnOp>(op)) {
    if (ret->getNumOperands() != 0)
      return fail(op, "returns a value from a kernel");
    inst.op = Opcode::Return;
    return Error::success();
  }

  bool handled = false;
  if (Error error = decodeNVVM(op, inst, handled))
    return error;
  if (handled)
    return Error::success();
  if (Error error = decodeCall(op, inst, handled))
    return error;
  if (handled)
    return Error::success();
  return fail(op, "unsupported operation");
}

Error Decoder::run() {
  program.name = func.getSymName().str();
  if (func.isExternal())
    return fail(func, "has no body to interpret");
  if (!isa<LLVM::LLVMVoidType>(func.getFunctionType().getReturnType()))
    return fail(func, "returns a value; a kernel returns nothing");
  if (Error error = layoutShared())
    return error;
  auto blockShape = [&](StringRef name, std::vector<uint32_t> &shape) {
    if (auto attr = func->getAttrOfType<DenseI32ArrayAttr>(name))
      for (int32_t extent : attr.asArrayRef())
        shape.push_back(static_cast<uint32_t>(extent));
  };
  blockShape("gpu.known_block_size", program.knownBlockSize);
  if (program.knownBlockSize.empty())
    blockShape("nvvm.reqntid", program.knownBlockSize);
  blockShape("nvvm.maxntid", program.maxBlockSize);
  // Parameters: pointers become the global buffers, in order.
  for (BlockArgument arg : func.getArguments()) {
    auto kind = scalarKind(arg.getType());
    if (!kind || (*kind != Kind::Ptr && *kind != Kind::I32 &&
                  *kind != Kind::I64 && *kind != Kind::F32))
      return fail(func, "has a parameter of type " + renderType(arg.getType()) +
                            " (the interpreter takes pointers, i32, i64 and "
                            "f32)");
    if (*kind == Kind::Ptr)
      ++program.numBuffers;
  }
  if (Error error = assignSlots())
    return error;
  for (BlockArgument arg : func.getArguments())
    program.params.push_back(
        {*scalarKind(arg.getType()), slot(arg), renderType(arg.getType())});
  for (Block &block : func.getBody()) {
    for (Operation &op : block) {
      Inst inst;
      inst.origin = program.origins.size();
      program.origins.push_back(renderLocation(op.getLoc()) + ": '" +
                                op.getName().getStringRef().str() + "'");
      if (Error error = decodeOp(&op, inst))
        return error;
      program.insts.push_back(inst);
    }
  }
  program.scratchBegin = program.numSlots;
  program.numSlots += maxScratch;
  return Error::success();
}

llvm::Expected<std::unique_ptr<Program>> decodeKernel(LLVM::LLVMFuncOp kernel) {
  auto program = std::make_unique<Program>();
  Decoder decoder(kernel, *program);
  if (Error error = decoder.run())
    return std::move(error);
  return std::move(program);
}

} // namespace mixir::gpu::detail
