//===- mlir-fuzzer.cpp - libFuzzer target for the compiler ----------------===//
//
// Feeds arbitrary text to the path every Mixir tool takes: parse (with the
// verifier and the dense_resource check of mixir-run and mixir-compile),
// then the CPU pipelines down to the LLVM dialect, each on its own copy:
// `mixir-cpu-reference` (attn-decompose) and `mixir-cpu` (attn-raise,
// attn-tile, fusion, vectorization). Any input must be refused with a
// diagnostic or compile; a crash, a hang or a sanitizer report is a bug.
// A crash inside MLIR that the tools contain (an error, not a crash, for
// the user) still ends the run; scripts/fuzz.sh sorts the crashes out.
//
// Sizes are bounded so that one input costs milliseconds: a module whose
// types hold more than kMaxElements elements (or vectors more than
// kMaxVectorElements) is skipped, as the tools would compile it, only
// slowly. Built in the MIXIR_FUZZ build and run by scripts/fuzz.sh.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnDialect.h"
#include "mixir/Pipelines/Pipelines.h"
#include "mixir/Tools/ToolSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

using namespace mlir;

static constexpr int64_t kMaxElements = int64_t(1) << 16;
static constexpr int64_t kMaxVectorElements = 1024;
static constexpr int64_t kMaxRank = 8;

/// Whether `type` is small enough to compile quickly.
static bool isBounded(Type type) {
  bool bounded = true;
  type.walk([&](Type nested) {
    auto shaped = dyn_cast<ShapedType>(nested);
    if (!shaped || !shaped.hasRank())
      return;
    if (shaped.getRank() > kMaxRank) {
      bounded = false;
      return;
    }
    int64_t limit = isa<VectorType>(shaped) ? kMaxVectorElements : kMaxElements;
    int64_t elements = 1;
    for (int64_t dim : shaped.getShape()) {
      if (ShapedType::isDynamic(dim))
        continue;
      if (dim > limit || (elements *= std::max<int64_t>(dim, 1)) > limit) {
        bounded = false;
        return;
      }
    }
  });
  return bounded;
}

static bool isBounded(ModuleOp module) {
  WalkResult walk = module->walk([](Operation *op) {
    for (Type type : op->getResultTypes())
      if (!isBounded(type))
        return WalkResult::interrupt();
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments())
          if (!isBounded(argument.getType()))
            return WalkResult::interrupt();
    bool attributesBounded = true;
    op->getAttrDictionary().walk(
        [&](Type type) { attributesBounded &= isBounded(type); });
    return attributesBounded ? WalkResult::advance() : WalkResult::interrupt();
  });
  return !walk.wasInterrupted();
}

static const DialectRegistry &getRegistry() {
  static DialectRegistry *registry = [] {
    auto *registry = new DialectRegistry();
    registerAllDialects(*registry);
    registerAllExtensions(*registry);
    registerAllToLLVMIRTranslations(*registry);
    registry->insert<mixir::attn::AttnDialect>();
    return registry;
  }();
  return *registry;
}

/// A crash inside MLIR that the tools contain (mixir::runContainingCrashes)
/// leaves the process unfit to go on (the crashed parser or pass may have
/// corrupted the heap), so it ends the run as a crash like any other;
/// scripts/fuzz.sh replays each crash through the tools to tell the
/// contained ones (an error for the user) from real ones.
static void abortIfContained() {
  if (mixir::hadContainedCrash())
    std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "fuzz-input.mlir");
  llvm::Expected<std::unique_ptr<mixir::ParsedModule>> parsed =
      mixir::parseModuleBuffer(std::move(buffer), context);
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    abortIfContained();
    return 0;
  }
  ModuleOp module = *(*parsed)->module;
  if (!isBounded(module))
    return 0;

  for (const mixir::PipelineInfo &pipeline : mixir::getPipelines()) {
    OwningOpRef<ModuleOp> copy = cast<ModuleOp>(module->clone());
    PassManager pm(&context);
    mixir::TargetDescription target;
    target.kind = pipeline.target;
    pipeline.build(pm, target, mixir::PipelineStage::LLVM);
    // A failure is a diagnostic, which is an acceptable answer.
    (void)mixir::runPipeline(pm, *copy);
    abortIfContained();
  }
  return 0;
}
