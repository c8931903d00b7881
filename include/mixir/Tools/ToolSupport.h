//===- ToolSupport.h - what mixir-run and mixir-compile share ---*- C++ -*-===//
//
// The set-up both drivers need: a context with every dialect and LLVM IR
// translation a Mixir module may use, and a module parsed from a file with
// its diagnostics reported against the source.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TOOLS_TOOLSUPPORT_H
#define MIXIR_TOOLS_TOOLSUPPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>

namespace mixir {

/// A context with the upstream dialects, extensions and LLVM IR
/// translations and the attn dialect, all loaded; diagnostics show the
/// location without the op's text.
std::unique_ptr<mlir::MLIRContext> createToolContext();

/// A module parsed from a file, with the source manager and diagnostic
/// handler that must live as long as diagnostics about it may be emitted.
struct ParsedModule {
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> diagnostics;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

/// Parses `path` ("-" for stdin). Parse errors are reported as diagnostics;
/// the error returned names the file.
llvm::Expected<std::unique_ptr<ParsedModule>>
parseModuleFile(llvm::StringRef path, mlir::MLIRContext &context);

/// Makes `pm` record the first pass that fails in it (nested passes
/// included): the returned text is then " (rejected by pass 'ARGUMENT')",
/// and empty while no pass has failed. Drivers append it to their error, so
/// that an op no pass can lower is reported with its location and name (by
/// the pass's diagnostic) and the pass that rejected it.
std::shared_ptr<std::string> recordFailingPass(mlir::PassManager &pm);

} // namespace mixir

#endif // MIXIR_TOOLS_TOOLSUPPORT_H
