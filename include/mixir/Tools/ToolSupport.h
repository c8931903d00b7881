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
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
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

/// The deepest nesting of brackets (regions, attribute dictionaries, lists,
/// types) the drivers parse: MLIR's parser recurses once per level, and a
/// deeper input could overflow its stack. Real programs stay far below.
constexpr unsigned kMaxNestingDepth = 256;

/// The first bracket of `text` (textual IR) that opens more than `maxDepth`
/// levels, or null. Comments and string literals are skipped; `->`, `>=` and
/// `<=` are not brackets.
const char *findExcessiveNesting(llvm::StringRef text,
                                 unsigned maxDepth = kMaxNestingDepth);

/// Refuses, with a located error printed through `sourceMgr`, input that
/// MLIR's parsers cannot be trusted with: bytecode (MLIR 22's reader trusts
/// the sizes and references in it; fuzzing made it recurse without end and
/// allocate gigabytes) and text nested deeper than kMaxNestingDepth.
mlir::LogicalResult checkParserInput(llvm::SourceMgr &sourceMgr,
                                     unsigned bufferId);

/// Parses `buffer` the same way; errors name its buffer identifier. Input
/// checkParserInput refuses is not parsed.
llvm::Expected<std::unique_ptr<ParsedModule>>
parseModuleBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                  mlir::MLIRContext &context);

/// Runs `fn`, recovering from a crash (a signal) inside it: MLIR 22's own
/// parsers and passes crash on some malformed input (linalg.transpose with a
/// broken `permutation`, found by the fuzzer), and a tool must answer with an
/// error instead. Returns false after a crash, which hadContainedCrash()
/// then reports: what `fn` was building is unusable, so the caller reports
/// and exits without tearing it down (exitAfterError).
bool runContainingCrashes(llvm::function_ref<void()> fn);

/// Whether runContainingCrashes has recovered from a crash in this process.
bool hadContainedCrash();

/// Prints `message` as "<tool>: error: <message>" and exits with
/// `exitCode`; after a contained crash without running destructors (the
/// crashed parser or pass may have left the context inconsistent).
[[noreturn]] void exitAfterError(llvm::StringRef tool,
                                 const llvm::Twine &message, int exitCode);

/// pm.run(op), containing a crash: a crashing pass fails with a located
/// error naming it. When a pass fails and `rejectedBy` is given, it is set to
/// " (rejected by pass 'ARGUMENT')" for the first pass that failed (nested
/// passes included); drivers append it to their error, so that an op no pass
/// can lower is reported with its location and name (by the pass's
/// diagnostic) and the pass that rejected it.
mlir::LogicalResult runPipeline(mlir::PassManager &pm, mlir::Operation *op,
                                std::string *rejectedBy = nullptr);

} // namespace mixir

#endif // MIXIR_TOOLS_TOOLSUPPORT_H
