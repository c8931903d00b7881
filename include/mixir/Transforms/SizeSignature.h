//===- SizeSignature.h - the size parameters of the C ABI -------*- C++ -*-===//
//
// How a public function with dynamic (`?`) dims is called from C: after its
// buffers, one `int64_t` per `?` dim of its arguments, in argument order and
// dim order within each argument; a `?` dim of a result has the size of the
// argument dim it provably equals (value-bounds analysis on tensors), so the
// caller knows how large to make the output. mixir-bind-sizes records the
// signature on the function; mixir-export-c-functions and the C header read
// it back.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TRANSFORMS_SIZESIGNATURE_H
#define MIXIR_TRANSFORMS_SIZESIGNATURE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mixir {

struct SizeSignature {
  /// One size parameter: dim `dim` of argument `argument`.
  struct Parameter {
    unsigned argument;
    unsigned dim;
  };
  llvm::SmallVector<Parameter> parameters;
  /// Per result, per dim: the index of the parameter that is its size, or
  /// -1 for a static dim.
  llvm::SmallVector<llvm::SmallVector<int64_t>> resultSizes;

  bool empty() const { return parameters.empty(); }
  /// The C name of parameter `index` ("arg0_dim1").
  std::string parameterName(unsigned index) const;
};

/// The attributes mixir-bind-sizes sets: the parameters as (argument, dim)
/// pairs, and per result the parameter index of each dim (-1 static).
inline constexpr llvm::StringLiteral kSizeParametersAttr =
    "mixir.size_parameters";
inline constexpr llvm::StringLiteral kResultSizesAttr = "mixir.result_sizes";

/// Computes the signature of `func` on tensors. Fails, with an error on the
/// function, when a `?` dim of a result equals no argument dim.
mlir::FailureOr<SizeSignature> computeSizeSignature(mlir::func::FuncOp func);

/// Records `signature` on `func` (nothing when it is empty).
void recordSizeSignature(mlir::func::FuncOp func,
                         const SizeSignature &signature);

/// The signature recorded on `func` (empty when none is).
SizeSignature readSizeSignature(mlir::func::FuncOp func);

} // namespace mixir

#endif // MIXIR_TRANSFORMS_SIZESIGNATURE_H
