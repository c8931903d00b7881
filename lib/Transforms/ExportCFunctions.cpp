//===- ExportCFunctions.cpp - the mixir-export-c-functions pass -----------===//
//
// Wraps every public function in one with an i32 status result, the C ABI
// that mixir-compile's headers declare and mixir-run calls.
//
//===----------------------------------------------------------------------===//

#include "mixir/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mixir {
#define GEN_PASS_DEF_MIXIREXPORTCFUNCTIONS
#include "mixir/Transforms/Passes.h.inc"
} // namespace mixir

using namespace mlir;

/// Only static identity-layout memrefs lower to bare pointers.
static LogicalResult checkExportable(func::FuncOp func) {
  if (func.getNumResults() != 0)
    return func.emitError() << "cannot export '" << func.getName()
                            << "': it still returns values after "
                               "bufferization";
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref || !memref.hasStaticShape() || !memref.getLayout().isIdentity())
      return func.emitError()
             << "cannot export '" << func.getName() << "': argument #" << index
             << " has type " << type
             << " (expected a static, identity-layout memref)";
  }
  return success();
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
      if (failed(checkExportable(func)))
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
      func->setAttr("llvm.linkage",
                    LLVM::LinkageAttr::get(&getContext(),
                                           LLVM::Linkage::Internal));

      OpBuilder builder(func);
      builder.setInsertionPointAfter(func);
      auto wrapper =
          func::FuncOp::create(builder, func.getLoc(), name,
                               builder.getFunctionType(func.getArgumentTypes(),
                                                       {builder.getI32Type()}));
      Block *body = wrapper.addEntryBlock();
      builder.setInsertionPointToStart(body);
      func::CallOp::create(builder, func.getLoc(), func, body->getArguments());
      Value ok = arith::ConstantOp::create(builder, func.getLoc(),
                                           builder.getI32IntegerAttr(0));
      func::ReturnOp::create(builder, func.getLoc(), ok);
      symbols.insert(wrapper);
    }
  }
};

} // namespace
