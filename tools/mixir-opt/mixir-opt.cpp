//===- mixir-opt.cpp - Mixir's optimizer driver ---------------------------===//
//
// mlir-opt with the attn dialect added: every upstream dialect, extension,
// pass and LLVM IR translation is registered, so any slice of a Mixir
// pipeline can be run and FileCheck-ed from lit tests.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnDialect.h"
#include "mixir/Dialect/Attn/Transforms/Passes.h"
#include "mixir/Pipelines/Pipelines.h"
#include "mixir/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mixir::attn::registerAttnPasses();
  mixir::registerMixirPasses();
  mixir::registerPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // GPU serialization translates through LLVM IR and needs these.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<mixir::attn::AttnDialect>();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Mixir optimizer driver\n", registry));
}
