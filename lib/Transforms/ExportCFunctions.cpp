//===- ExportCFunctions.cpp - the mixir-export-c-functions pass -----------===//
//
// Wraps every public function in one with an i32 status result, the C ABI
// that mixir-compile's headers declare and mixir-run calls.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"
#include "mixir/Transforms/SizeSignature.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIREXPORTCFUNCTIONS
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

/// Identity-layout memrefs; dynamic ones only with a size signature that
/// gives each of their `?` dims.
static LogicalResult checkExportable(func::FuncOp func,
                                     const mixir::SizeSignature &signature) {
  if (func.getNumResults() != 0)
    return func.emitError() << "cannot export '" << func.getName()
                            << "': it still returns values after "
                               "bufferization";
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref || !memref.getLayout().isIdentity() ||
        (!memref.hasStaticShape() && signature.empty()))
      return func.emitError()
             << "cannot export '" << func.getName() << "': argument #" << index
             << " has type " << type
             << " (expected an identity-layout memref, static unless the "
                "function has size parameters)";
  }
  return success();
}

/// The sizes of buffer `index` of `func` (inputs, then outputs) in the
/// wrapper: constants for static dims, the size parameters for the others.
static FailureOr<SmallVector<OpFoldResult>>
bufferSizes(OpBuilder &builder, Location loc, func::FuncOp func, unsigned index,
            const mixir::SizeSignature &signature, ArrayRef<Value> parameters) {
  auto type = cast<MemRefType>(func.getArgumentTypes()[index]);
  unsigned inputs = func.getNumArguments() - signature.resultSizes.size();
  SmallVector<OpFoldResult> sizes;
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    if (!type.isDynamicDim(dim)) {
      sizes.push_back(builder.getIndexAttr(type.getDimSize(dim)));
      continue;
    }
    int64_t parameter = -1;
    if (index < inputs) {
      for (auto [position, candidate] : llvm::enumerate(signature.parameters))
        if (candidate.argument == index && candidate.dim == dim)
          parameter = position;
    } else if (dim < static_cast<int64_t>(
                         signature.resultSizes[index - inputs].size())) {
      parameter = signature.resultSizes[index - inputs][dim];
    }
    if (parameter < 0)
      return func.emitError() << "cannot export '" << func.getName()
                              << "': no size parameter for dim " << dim
                              << " of argument #" << index;
    sizes.push_back(arith::IndexCastOp::create(builder, loc,
                                               builder.getIndexType(),
                                               parameters[parameter])
                        .getResult());
  }
  return sizes;
}

/// The buffer of `type` at the bare pointer `pointer` (a 0-d memref) with
/// `sizes`, row-major.
static Value rebuildBuffer(OpBuilder &builder, Location loc, MemRefType type,
                           Value pointer, ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(sizes.size());
  OpFoldResult stride = builder.getIndexAttr(1);
  for (int64_t dim = static_cast<int64_t>(sizes.size()) - 1; dim >= 0; --dim) {
    strides[dim] = stride;
    std::optional<int64_t> a = getConstantIntValue(stride);
    std::optional<int64_t> b = getConstantIntValue(sizes[dim]);
    if (a && b) {
      stride = builder.getIndexAttr(*a * *b);
    } else {
      stride = arith::MulIOp::create(
                   builder, loc,
                   getValueOrCreateConstantIndexOp(builder, loc, stride),
                   getValueOrCreateConstantIndexOp(builder, loc, sizes[dim]))
                   .getResult();
    }
  }
  return memref::ReinterpretCastOp::create(
      builder, loc, type, pointer, builder.getIndexAttr(0), sizes, strides);
}

namespace {

struct ExportCFunctionsPass
    : public mixir::impl::MixirExportCFunctionsBase<ExportCFunctionsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> exported;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        exported.push_back(func);
    for (func::FuncOp func : exported) {
      mixir::SizeSignature signature = mixir::readSizeSignature(func);
      if (failed(checkExportable(func, signature)))
        return signalPassFailure();
      std::string name = func.getName().str();
      std::string implName = (mixir::kImplementationPrefix + name).str();
      if (symbols.lookup(implName)) {
        func.emitError() << "cannot export '" << name << "': '" << implName
                         << "' is taken";
        return signalPassFailure();
      }
      if (failed(symbols.rename(func, implName)))
        return signalPassFailure();
      func.setPrivate();
      // Keep the implementation out of the object's symbol table.
      func->setAttr(
          "llvm.linkage",
          LLVM::LinkageAttr::get(&getContext(), LLVM::Linkage::Internal));

      // Buffers with a `?` dim arrive as bare pointers (0-d memrefs), their
      // sizes as i64 parameters after the buffers.
      OpBuilder builder(func);
      builder.setInsertionPointAfter(func);
      SmallVector<Type> wrapperTypes;
      for (Type type : func.getArgumentTypes()) {
        auto memref = cast<MemRefType>(type);
        wrapperTypes.push_back(
            memref.hasStaticShape()
                ? type
                : MemRefType::get({}, memref.getElementType()));
      }
      wrapperTypes.append(signature.parameters.size(), builder.getI64Type());
      auto wrapper = func::FuncOp::create(
          builder, func.getLoc(), name,
          builder.getFunctionType(wrapperTypes, {builder.getI32Type()}));
      Block *body = wrapper.addEntryBlock();
      builder.setInsertionPointToStart(body);
      ArrayRef<BlockArgument> arguments = body->getArguments();
      SmallVector<Value> parameters(
          arguments.take_back(signature.parameters.size()));
      SmallVector<Value> buffers;
      for (auto [index, type] : llvm::enumerate(func.getArgumentTypes())) {
        auto memref = cast<MemRefType>(type);
        if (memref.hasStaticShape()) {
          buffers.push_back(arguments[index]);
          continue;
        }
        FailureOr<SmallVector<OpFoldResult>> sizes = bufferSizes(
            builder, func.getLoc(), func, index, signature, parameters);
        if (failed(sizes))
          return signalPassFailure();
        buffers.push_back(rebuildBuffer(builder, func.getLoc(), memref,
                                        arguments[index], *sizes));
      }
      if (signature.empty()) {
        func::CallOp::create(builder, func.getLoc(), func, buffers);
      } else {
        // The bare-pointer convention has no form for a function taking
        // dynamic memrefs: the implementation's body moves into the
        // wrapper instead of being called.
        if (!func.getBody().hasOneBlock()) {
          func.emitError() << "cannot export '" << name
                           << "': a function with size parameters must "
                              "have one block after bufferization";
          return signalPassFailure();
        }
        IRMapping mapping;
        mapping.map(func.getArguments(), buffers);
        for (Operation &op : func.getBody().front().without_terminator())
          builder.clone(op, mapping);
        symbols.erase(func);
      }
      Value ok = arith::ConstantOp::create(builder, wrapper.getLoc(),
                                           builder.getI32IntegerAttr(0));
      func::ReturnOp::create(builder, wrapper.getLoc(), ok);
      symbols.insert(wrapper);
    }
  }
};

} // namespace
