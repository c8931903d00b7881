//===- mixir-opt.cpp - Mixir's optimizer driver ---------------------------===//
//
// mlir-opt with the attn dialect added: every upstream dialect, extension,
// pass and LLVM IR translation is registered, so any slice of a Mixir
// pipeline can be run and FileCheck-ed from lit tests.
//
//===----------------------------------------------------------------------===//

#include "mixir/Conversion/Passes.h"
#include "mixir/Dialect/Attn/Decomposition/Passes.h"
#include "mixir/Dialect/Attn/IR/AttnDialect.h"
#include "mixir/Dialect/Attn/Raising/Passes.h"
#include "mixir/Dialect/Attn/Tiling/Passes.h"
#include "mixir/Pipelines/Pipelines.h"
#include "mixir/Target/Passes.h"
#include "mixir/Tools/ToolSupport.h"
#include "mixir/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mixir::attn::registerAttnRaisingPasses();
  mixir::attn::registerAttnDecompositionPasses();
  mixir::attn::registerAttnTilingPasses();
  mixir::registerMixirConversionPasses();
  mixir::registerMixirTargetPasses();
  mixir::registerMixirPasses();
  mixir::registerPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // GPU serialization translates through LLVM IR and needs these.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<mixir::attn::AttnDialect>();

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "Mixir optimizer driver\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  // The upstream driver, with the input read here first so that what MLIR's
  // parsers cannot be trusted with is refused as in mixir-run and
  // mixir-compile (checkParserInput).
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFilename, &errorMessage);
  if (!input) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  unsigned bufferId = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(input->getMemBufferRef(),
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  if (mlir::failed(mixir::checkParserInput(sourceMgr, bufferId)))
    return 1;
  // The output is collected first and written only on success, and MLIR's
  // own crashes on malformed input are contained (runContainingCrashes).
  std::string text;
  llvm::raw_string_ostream textStream(text);
  mlir::LogicalResult result = mlir::failure();
  if (!mixir::runContainingCrashes([&] {
        result =
            mlir::MlirOptMain(textStream, std::move(input), registry, config);
      }))
    mixir::exitAfterError("mixir-opt",
                          "MLIR crashed on '" + inputFilename +
                              "' (a bug in MLIR 22, contained; the errors "
                              "above, if any, locate the input it was reading)",
                          1);
  if (mlir::failed(result))
    return 1;
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  output->os() << text;
  output->keep();
  return 0;
}
