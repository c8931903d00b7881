//===- DimensionRoles.cpp - sizes of a mixer op by role -------------------===//
//
// Implements DimensionBinder: binding operand dimensions to the spec's roles
// and the diagnostics for operands that disagree.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/DimensionRoles.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mixir::attn;

LogicalResult DimensionBinder::bind(StringRef operandName, Type type,
                                    ArrayRef<DimRole> dimRoles) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return op->emitOpError() << "expected " << operandName
                             << " to be a ranked tensor, got " << type;
  if (shaped.getRank() != static_cast<int64_t>(dimRoles.size())) {
    InFlightDiagnostic diag = op->emitOpError()
                              << "expected " << operandName << " to have rank "
                              << dimRoles.size() << " ([";
    llvm::interleaveComma(dimRoles, diag,
                          [&](const DimRole &role) { diag << role.symbol; });
    return diag << "]), got rank " << shaped.getRank();
  }
  for (auto [dim, role] : llvm::enumerate(dimRoles))
    if (failed(bindDim(operandName, dim, shaped.getDimSize(dim), role)))
      return failure();
  return success();
}

LogicalResult DimensionBinder::bindDim(StringRef operandName, unsigned dim,
                                       int64_t size, DimRole role) {
  if (ShapedType::isDynamic(size))
    return success();
  for (const Binding &binding : bindings) {
    if (!(binding.role == role))
      continue;
    if (binding.size == size)
      return success();
    return op->emitOpError()
           << "expected " << operandName << " dim " << dim << " (" << size
           << ") to equal the " << role.name << " " << role.symbol << " ("
           << binding.size << ") given by " << binding.source;
  }
  bindings.push_back({role, size, operandName.str()});
  return success();
}

int64_t DimensionBinder::get(DimRole role) const {
  for (const Binding &binding : bindings)
    if (binding.role == role)
      return binding.size;
  return ShapedType::kDynamic;
}
