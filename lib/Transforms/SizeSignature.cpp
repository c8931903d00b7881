//===- SizeSignature.cpp - the size parameters of the C ABI ---------------===//
//
// See SizeSignature.h.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/SizeSignature.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

using namespace mlir;

std::string mixir::SizeSignature::parameterName(unsigned index) const {
  const Parameter &parameter = parameters[index];
  return "arg" + std::to_string(parameter.argument) + "_dim" +
         std::to_string(parameter.dim);
}

FailureOr<mixir::SizeSignature> mixir::computeSizeSignature(func::FuncOp func) {
  SizeSignature signature;
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes()))
    if (auto shaped = dyn_cast<RankedTensorType>(type))
      for (int64_t dim = 0; dim < shaped.getRank(); ++dim)
        if (shaped.isDynamicDim(dim))
          signature.parameters.push_back(
              {static_cast<unsigned>(index), static_cast<unsigned>(dim)});
  bool dynamicResult = llvm::any_of(func.getResultTypes(), [](Type type) {
    auto shaped = dyn_cast<RankedTensorType>(type);
    return shaped && !shaped.hasStaticShape();
  });
  for (Type type : func.getResultTypes()) {
    auto shaped = dyn_cast<RankedTensorType>(type);
    signature.resultSizes.emplace_back(shaped ? shaped.getRank() : 0, -1);
  }
  if (!dynamicResult)
    return signature;
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "cannot export '" << func.getName()
                            << "': a function with dynamic result dims "
                               "must have one block";
  Operation *terminator = func.getBody().front().getTerminator();
  for (auto [resultIndex, type] : llvm::enumerate(func.getResultTypes())) {
    auto shaped = dyn_cast<RankedTensorType>(type);
    if (!shaped)
      continue;
    Value result = terminator->getOperand(resultIndex);
    for (int64_t dim = 0; dim < shaped.getRank(); ++dim) {
      if (!shaped.isDynamicDim(dim))
        continue;
      int64_t bound = -1;
      for (auto [index, parameter] : llvm::enumerate(signature.parameters)) {
        FailureOr<bool> equal = ValueBoundsConstraintSet::areEqual(
            {result, dim},
            {func.getArgument(parameter.argument), int64_t(parameter.dim)});
        if (succeeded(equal) && *equal) {
          bound = index;
          break;
        }
      }
      if (bound < 0)
        return func.emitError()
               << "cannot export '" << func.getName() << "': dim " << dim
               << " of result #" << resultIndex
               << " is dynamic and not provably the size of an argument dim "
                  "(the caller could not size the output)";
      signature.resultSizes[resultIndex][dim] = bound;
    }
  }
  return signature;
}

void mixir::recordSizeSignature(func::FuncOp func,
                                const SizeSignature &signature) {
  if (signature.empty())
    return;
  Builder builder(func.getContext());
  SmallVector<int64_t> pairs;
  for (const SizeSignature::Parameter &parameter : signature.parameters) {
    pairs.push_back(parameter.argument);
    pairs.push_back(parameter.dim);
  }
  func->setAttr(kSizeParametersAttr, builder.getDenseI64ArrayAttr(pairs));
  SmallVector<Attribute> results;
  for (const SmallVector<int64_t> &sizes : signature.resultSizes)
    results.push_back(builder.getDenseI64ArrayAttr(sizes));
  func->setAttr(kResultSizesAttr, builder.getArrayAttr(results));
}

mixir::SizeSignature mixir::readSizeSignature(func::FuncOp func) {
  SizeSignature signature;
  auto pairs = func->getAttrOfType<DenseI64ArrayAttr>(kSizeParametersAttr);
  auto results = func->getAttrOfType<ArrayAttr>(kResultSizesAttr);
  if (!pairs || !results)
    return signature;
  for (int64_t index = 0; index + 1 < pairs.size(); index += 2)
    signature.parameters.push_back({static_cast<unsigned>(pairs[index]),
                                    static_cast<unsigned>(pairs[index + 1])});
  for (Attribute sizes : results)
    signature.resultSizes.emplace_back(
        llvm::to_vector(cast<DenseI64ArrayAttr>(sizes).asArrayRef()));
  return signature;
}
