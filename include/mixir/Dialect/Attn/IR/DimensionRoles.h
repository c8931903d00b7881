//===- DimensionRoles.h - sizes of a mixer op by role -----------*- C++ -*-===//
//
// The spec names every dimension of a mixer op by its role: batch B, query
// heads Hq, key length T, head dim D, and so on. DimensionBinder binds the
// dimensions of an op's operands to these roles, checks that all operands
// agree on each role's size, and answers the size of a role afterwards. The
// verifiers use it to check shapes; transformations use it to read sizes.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_IR_DIMENSIONROLES_H
#define MIXIR_DIALECT_ATTN_IR_DIMENSIONROLES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mixir::attn {

/// A named size of a mixer's iteration space, e.g. the key length T.
struct DimRole {
  /// The symbol the spec uses ("T").
  llvm::StringLiteral symbol;
  /// What it is, for diagnostics ("key length").
  llvm::StringLiteral name;

  bool operator==(const DimRole &other) const { return symbol == other.symbol; }
};

/// The roles named by spec/MIXERS.md.
namespace roles {
inline constexpr DimRole kBatch{"B", "batch size"};
inline constexpr DimRole kQueryHeads{"Hq", "query heads"};
inline constexpr DimRole kKvHeads{"Hkv", "key/value heads"};
inline constexpr DimRole kQueryLen{"S", "query length"};
inline constexpr DimRole kKeyLen{"T", "key length"};
inline constexpr DimRole kHeadDim{"D", "head dim"};
inline constexpr DimRole kValueDim{"Dv", "value head dim"};
inline constexpr DimRole kHeads{"H", "heads"};
inline constexpr DimRole kSeqLen{"L", "sequence length"};
inline constexpr DimRole kChannels{"C", "channels"};
inline constexpr DimRole kOrder{"N", "order"};
inline constexpr DimRole kFilterCount{"N-1", "number of filters"};
inline constexpr DimRole kFilterLen{"Lf", "filter length"};
} // namespace roles

/// Binds operand dimensions to roles for one op and checks their agreement.
/// The first operand that gives a role a static size fixes it; dynamic sizes
/// agree with anything and leave the role open for later operands.
class DimensionBinder {
public:
  explicit DimensionBinder(mlir::Operation *op) : op(op) {}

  /// Checks that `type` is a ranked shaped type with one dimension per entry
  /// of `dimRoles` and binds each dimension to its role. Emits a located
  /// error naming `operandName` and returns failure on a rank or size
  /// mismatch.
  mlir::LogicalResult bind(llvm::StringRef operandName, mlir::Type type,
                           llvm::ArrayRef<DimRole> dimRoles);

  /// Checks `size` (the dimension `dim` of `operandName`) against `role` and
  /// binds it when the role is still open.
  mlir::LogicalResult bindDim(llvm::StringRef operandName, unsigned dim,
                              int64_t size, DimRole role);

  /// The size bound to `role`, or ShapedType::kDynamic if none is static.
  int64_t get(DimRole role) const;

  /// True when `role` has a static size.
  bool isStatic(DimRole role) const {
    return !mlir::ShapedType::isDynamic(get(role));
  }

private:
  struct Binding {
    DimRole role;
    int64_t size;
    std::string source;
  };
  mlir::Operation *op;
  llvm::SmallVector<Binding> bindings;
};

} // namespace mixir::attn

#endif // MIXIR_DIALECT_ATTN_IR_DIMENSIONROLES_H
