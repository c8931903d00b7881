//===- ToolSupport.cpp - what mixir-run and mixir-compile share -----------===//
//
// The context and module loading shared by the drivers.
//
//===----------------------------------------------------------------------===//

#include "mixir/Tools/ToolSupport.h"

#include "mixir/Dialect/Attn/IR/AttnDialect.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

using namespace mlir;

std::unique_ptr<MLIRContext> mixir::createToolContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<attn::AttnDialect>();
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  // Diagnostics point at the source location; the op's text adds nothing.
  context->printOpOnDiagnostic(false);
  return context;
}

llvm::Expected<std::unique_ptr<mixir::ParsedModule>>
mixir::parseModuleFile(llvm::StringRef path, MLIRContext &context) {
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &errorMessage);
  if (!file)
    return llvm::createStringError(errorMessage);
  auto parsed = std::make_unique<ParsedModule>();
  parsed->sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  parsed->diagnostics =
      std::make_unique<SourceMgrDiagnosticHandler>(parsed->sourceMgr, &context);
  parsed->module = parseSourceFile<ModuleOp>(parsed->sourceMgr, &context);
  if (!parsed->module)
    return llvm::createStringError("could not parse '%s'", path.str().c_str());
  // A dense_resource whose blob the file does not carry (its resource
  // section missing) would only fail at translation to LLVM IR.
  bool missingBlob = false;
  parsed->module->walk([&](Operation *op) {
    op->getAttrDictionary().walk([&](DenseResourceElementsAttr resource) {
      if (resource.getRawHandle().getBlob())
        return;
      op->emitError() << "the blob of dense_resource<"
                      << resource.getRawHandle().getKey()
                      << "> is not in the file (no resource section holds it)";
      missingBlob = true;
    });
  });
  if (missingBlob)
    return llvm::createStringError("'%s' refers to resources it does not hold",
                                   path.str().c_str());
  return parsed;
}

namespace {
class FailingPassRecorder : public PassInstrumentation {
public:
  explicit FailingPassRecorder(std::shared_ptr<std::string> text)
      : text(std::move(text)) {}

  void runAfterPassFailed(Pass *pass, Operation *) override {
    // The innermost pass fails first; the adaptors around it follow.
    if (!text->empty())
      return;
    StringRef name = pass->getArgument();
    if (name.empty())
      name = pass->getName();
    *text = (" (rejected by pass '" + name + "')").str();
  }

private:
  std::shared_ptr<std::string> text;
};
} // namespace

std::shared_ptr<std::string> mixir::recordFailingPass(PassManager &pm) {
  auto text = std::make_shared<std::string>();
  pm.addInstrumentation(std::make_unique<FailingPassRecorder>(text));
  return text;
}
