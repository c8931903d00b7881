//===- ToolSupport.cpp - what mixir-run and mixir-compile share -----------===//
//
// The context and module loading shared by the drivers.
//
//===----------------------------------------------------------------------===//

#include "mixir/Tools/ToolSupport.h"

#include "mixir/Dialect/Attn/IR/AttnDialect.h"

#include "mlir/Bytecode/BytecodeReader.h"
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
#include "llvm/Support/CrashRecoveryContext.h"

#include <cstdlib>

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
  return parseModuleBuffer(std::move(file), context);
}

const char *mixir::findExcessiveNesting(llvm::StringRef text,
                                        unsigned maxDepth) {
  unsigned depth = 0;
  for (const char *it = text.begin(), *end = text.end(); it != end; ++it) {
    char c = *it;
    char next = it + 1 != end ? it[1] : '\0';
    switch (c) {
    case '/': // A comment runs to the end of the line.
      if (next == '/')
        while (it + 1 != end && it[1] != '\n')
          ++it;
      break;
    case '"': // A string literal, with escapes.
      while (it + 1 != end && it[1] != '"') {
        if (it[1] == '\\' && it + 2 != end)
          ++it;
        ++it;
      }
      if (it + 1 != end)
        ++it;
      break;
    case '<':
      if (next == '=') // `<=` in an integer set
        break;
      [[fallthrough]];
    case '(':
    case '[':
    case '{':
      if (++depth > maxDepth)
        return it;
      break;
    case '>':
      if (next == '=' || (it != text.begin() && it[-1] == '-'))
        break; // `>=` and `->` close nothing
      [[fallthrough]];
    case ')':
    case ']':
    case '}':
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
  }
  return nullptr;
}

LogicalResult mixir::checkParserInput(llvm::SourceMgr &sourceMgr,
                                      unsigned bufferId) {
  const llvm::MemoryBuffer &source = *sourceMgr.getMemoryBuffer(bufferId);
  if (isBytecode(source.getMemBufferRef())) {
    sourceMgr.PrintMessage(
        llvm::SMLoc::getFromPointer(source.getBufferStart()),
        llvm::SourceMgr::DK_Error,
        "MLIR bytecode is not accepted, only textual IR: MLIR 22's bytecode "
        "reader trusts the sizes and references in its input (a corrupt file "
        "made it recurse without end or allocate gigabytes); convert it with "
        "mlir-opt FILE -o FILE.mlir");
    return failure();
  }
  if (const char *tooDeep = findExcessiveNesting(source.getBuffer())) {
    sourceMgr.PrintMessage(
        llvm::SMLoc::getFromPointer(tooDeep), llvm::SourceMgr::DK_Error,
        "nesting deeper than " + llvm::Twine(kMaxNestingDepth) +
            " levels of brackets; Mixir refuses it rather "
            "than risk overflowing the parser's stack");
    return failure();
  }
  return success();
}

llvm::Expected<std::unique_ptr<mixir::ParsedModule>>
mixir::parseModuleBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                         MLIRContext &context) {
  std::string path = buffer->getBufferIdentifier().str();
  auto parsed = std::make_unique<ParsedModule>();
  unsigned bufferId =
      parsed->sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  parsed->diagnostics =
      std::make_unique<SourceMgrDiagnosticHandler>(parsed->sourceMgr, &context);
  if (failed(checkParserInput(parsed->sourceMgr, bufferId)))
    return llvm::createStringError("could not parse '%s'", path.c_str());
  bool completed = runContainingCrashes([&] {
    parsed->module = parseSourceFile<ModuleOp>(parsed->sourceMgr, &context);
  });
  if (!completed)
    return llvm::createStringError(
        "MLIR's parser crashed on '%s' (a bug in MLIR 22, contained; the "
        "errors above, if any, locate what it was reading)",
        path.c_str());
  if (!parsed->module)
    return llvm::createStringError("could not parse '%s'", path.c_str());
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
                                   path.c_str());
  return parsed;
}

static bool containedCrash = false;

bool mixir::runContainingCrashes(llvm::function_ref<void()> fn) {
  static bool enabled = [] {
    llvm::CrashRecoveryContext::Enable();
    return true;
  }();
  (void)enabled;
  llvm::CrashRecoveryContext recovery;
  if (recovery.RunSafely(fn))
    return true;
  containedCrash = true;
  return false;
}

bool mixir::hadContainedCrash() { return containedCrash; }

void mixir::exitAfterError(llvm::StringRef tool, const llvm::Twine &message,
                           int exitCode) {
  llvm::errs() << tool << ": error: " << message << "\n";
  if (containedCrash) {
    llvm::errs().flush();
    std::_Exit(exitCode);
  }
  std::exit(exitCode);
}

namespace {
/// Remembers the pass running now, to name it if it crashes, and the first
/// pass that failed (the innermost: the adaptors around it fail after it).
class PassRecorder : public PassInstrumentation {
public:
  std::string running, firstFailed;

  void runBeforePass(Pass *pass, Operation *) override {
    running = nameOf(pass);
  }
  void runAfterPassFailed(Pass *pass, Operation *) override {
    if (firstFailed.empty())
      firstFailed = nameOf(pass);
  }

private:
  static std::string nameOf(Pass *pass) {
    StringRef name = pass->getArgument();
    return (name.empty() ? pass->getName() : name).str();
  }
};
} // namespace

LogicalResult mixir::runPipeline(PassManager &pm, Operation *op,
                                 std::string *rejectedBy) {
  auto recorderOwner = std::make_unique<PassRecorder>();
  PassRecorder &recorder = *recorderOwner;
  pm.addInstrumentation(std::move(recorderOwner));
  LogicalResult result = failure();
  if (!runContainingCrashes([&] { result = pm.run(op); })) {
    emitError(op->getLoc()) << "pass '" << recorder.running
                            << "' crashed on this module (contained)";
    return failure();
  }
  if (failed(result) && rejectedBy && !recorder.firstFailed.empty())
    *rejectedBy = " (rejected by pass '" + recorder.firstFailed + "')";
  return result;
}
