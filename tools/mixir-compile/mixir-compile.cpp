//===- mixir-compile.cpp - ahead-of-time compiler driver ------------------===//
//
// mixir-compile lowers a module with one of Mixir's pipelines and writes
// native artifacts: for --target=cpu an object file (or a shared library)
// and a C header declaring `int32_t NAME(const T *arg0, ..., T *res0, ...)`
// for every public function; the code needs nothing but libc and libm. For
// --target=nvptx a directory of kernel bundles (PTX, cubin, Triton-AOT C
// launchers and metadata) and, with --emit-header, the host functions that
// launch them on a CUDA stream.
// --dump-stage prints the module after a pipeline stage instead.
//
// Every artifact is written atomically: after an error no output file is
// left behind. Exit codes: 0 success, 1 any error.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnDialect.h"
#include "mixir/Pipelines/Pipelines.h"
#include "mixir/Target/CPU/CPUTarget.h"
#include "mixir/Target/GPU/GPUTarget.h"
#include "mixir/Target/TargetDescription.h"
#include "mixir/Tools/ToolSupport.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("mixir-compile options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<module.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputFile(
    "o",
    cl::desc("Output object (.o) or, with --shared, library; with "
             "--target=nvptx the directory of kernel bundles (created)"),
    cl::value_desc("path"), cl::cat(category));
static cl::opt<std::string>
    ptxasPath("ptxas",
              cl::desc("--target=nvptx: the ptxas to assemble cubins with "
                       "(default: $CUDA_HOME/bin, PATH, /usr/local/cuda/bin; "
                       "none found: PTX only, with a warning)"),
              cl::value_desc("path"), cl::cat(category));
static cl::opt<std::string> targetName("target",
                                       cl::desc("Code generation target: cpu "
                                                "or nvptx (NVIDIA GPUs)"),
                                       cl::init("cpu"), cl::cat(category));
static cl::opt<std::string> cpuName("cpu",
                                    cl::desc("--target=cpu: native, "
                                             "x86-64-v3, x86-64-v4"),
                                    cl::init("native"), cl::cat(category));
static cl::opt<std::string> chipName("chip",
                                     cl::desc("--target=nvptx: sm_80, sm_90, "
                                              "sm_90a"),
                                     cl::init("sm_80"), cl::cat(category));
static cl::opt<bool> shared("shared",
                            cl::desc("Write a shared library instead of an "
                                     "object file"),
                            cl::cat(category));
static cl::opt<std::string> headerFile("emit-header",
                                       cl::desc("Write the C header here"),
                                       cl::value_desc("path"),
                                       cl::cat(category));
static cl::opt<std::string>
    pipelineName("pipeline",
                 cl::desc("Lowering pipeline (default: the best available)"),
                 cl::cat(category));
static cl::opt<std::string>
    dumpStage("dump-stage",
              cl::desc("Print the module after a stage and stop: decomposed, "
                       "bufferized, loops, llvm (the LLVM dialect) or llvm-ir; "
                       "ptx (the kernels' PTX) for --target=nvptx"),
              cl::cat(category));

[[noreturn]] static void fail(const llvm::Twine &message) {
  mixir::exitAfterError("mixir-compile", message, 1);
}

static void failOn(llvm::Error error) {
  if (error)
    fail(llvm::toString(std::move(error)));
}

/// Writes `text` to `path` atomically.
static void writeTextFile(llvm::StringRef path, llvm::StringRef text) {
  std::error_code ec;
  llvm::ToolOutputFile output(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    fail("cannot open '" + path + "': " + ec.message());
  output.os() << text;
  output.os().flush();
  if (output.os().has_error())
    fail("writing '" + path + "' failed");
  output.keep();
}

/// An include guard from the header's file name: MODEL_H for model.h.
static std::string guardFor(llvm::StringRef path) {
  std::string guard;
  for (char c : llvm::sys::path::filename(path))
    guard += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  if (guard.empty() || llvm::isDigit(guard.front()))
    guard = "MIXIR_" + guard;
  return guard;
}

/// --target=nvptx: PTX, cubins, bundles and the host code into -o DIR (and
/// --emit-header); with `dumpPTX` the kernels' PTX on stdout instead.
static int compileForGPU(ModuleOp lowered, ModuleOp signatures,
                         const mixir::TargetDescription &target, bool dumpPTX) {
  if (dumpPTX) {
    llvm::Expected<llvm::StringMap<std::string>> ptx =
        mixir::gpu::translateKernelsToPTX(lowered);
    failOn(ptx.takeError());
    std::vector<std::string> names;
    for (const auto &entry : *ptx)
      names.push_back(entry.getKey().str());
    llvm::sort(names);
    for (const std::string &name : names)
      llvm::outs() << "// ----- kernel " << name << "\n" << (*ptx)[name];
    return 0;
  }
  mixir::gpu::PtxasOptions ptxas;
  ptxas.ptxasPath = ptxasPath;
  llvm::Expected<mixir::gpu::CompiledGPUModule> compiled =
      mixir::gpu::compileGPUModule(lowered, signatures, target.chip, ptxas);
  failOn(compiled.takeError());
  if (compiled->missingPtxas)
    llvm::errs() << "mixir-compile: warning: " << *compiled->missingPtxas
                 << "; writing PTX only (the launchers load it with the "
                    "driver's JIT)\n";
  // Everything is computed before anything is written.
  std::optional<mixir::gpu::HostCode> host;
  if (!headerFile.empty()) {
    llvm::Expected<mixir::gpu::HostCode> code =
        mixir::gpu::emitHostCode(compiled->functions, compiled->bundles,
                                 llvm::sys::path::filename(headerFile));
    failOn(code.takeError());
    host = std::move(*code);
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(outputFile))
    fail("cannot create '" + outputFile + "': " + ec.message());
  for (const mixir::gpu::KernelBundle &bundle : compiled->bundles) {
    // A cubin of an earlier run beside PTX that ptxas did not assemble now
    // would be taken for this run's.
    if (!bundle.image.cubin) {
      llvm::SmallString<128> stale(outputFile.getValue());
      llvm::sys::path::append(stale, bundle.name + ".cubin");
      llvm::sys::fs::remove(stale);
    }
    failOn(mixir::gpu::writeKernelBundle(bundle, outputFile));
  }
  if (host) {
    // The source first: the header is what a build looks for.
    llvm::SmallString<128> source(headerFile.getValue());
    llvm::sys::path::replace_extension(source, "c");
    writeTextFile(source, host->source);
    writeTextFile(headerFile, host->header);
  }
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "Mixir ahead-of-time compiler: a module to "
                              "native artifacts\n");

  llvm::Expected<mixir::TargetDescription> target =
      mixir::TargetDescription::get(targetName, cpuName, chipName);
  failOn(target.takeError());
  llvm::Expected<const mixir::PipelineInfo *> selected =
      mixir::selectPipeline(pipelineName, *target);
  failOn(selected.takeError());
  const mixir::PipelineInfo *pipeline = *selected;
  std::optional<mixir::PipelineStage> stage;
  bool dumpLLVMIR = false, dumpPTX = false;
  bool gpu = target->kind == mixir::TargetKind::NVPTX;
  if (gpu && dumpStage == "ptx") {
    dumpPTX = true;
  } else if (!dumpStage.empty()) {
    if (dumpStage == "decomposed")
      stage = mixir::PipelineStage::Decomposed;
    else if (dumpStage == "bufferized")
      stage = mixir::PipelineStage::Bufferized;
    else if (dumpStage == "loops")
      stage = mixir::PipelineStage::Loops;
    else if (dumpStage == "llvm")
      stage = mixir::PipelineStage::LLVM;
    else if (dumpStage == "llvm-ir" && !gpu)
      dumpLLVMIR = true;
    else
      fail("unknown --dump-stage '" + dumpStage +
           "' (expected decomposed, bufferized, loops, llvm, " +
           (gpu ? "ptx" : "llvm-ir") + ")");
  }
  if (dumpStage.empty() && outputFile.empty() && headerFile.empty())
    fail("nothing to do: give -o, --emit-header or --dump-stage");
  if (gpu && shared)
    fail("--shared links a CPU library; --target=nvptx writes a directory "
         "of kernel bundles (-o DIR)");
  if (gpu && dumpStage.empty() && outputFile.empty())
    fail("--target=nvptx needs -o DIR: the directory the kernels and the "
         "header's kernel launchers go to");

  std::unique_ptr<MLIRContext> contextOwner = mixir::createToolContext();
  MLIRContext &context = *contextOwner;
  auto parsed = mixir::parseModuleFile(inputFile, context);
  if (!parsed)
    fail(llvm::toString(parsed.takeError()));
  OwningOpRef<ModuleOp> module = std::move((*parsed)->module);

  // The headers come from the tensor-level signatures, after the graph
  // front end (TOSA lowered, size signatures of dynamic dims recorded).
  OwningOpRef<ModuleOp> signatures;
  if (!headerFile.empty() || gpu) {
    signatures = cast<ModuleOp>((*module)->clone());
    PassManager frontEnd(&context);
    mixir::buildGraphFrontEnd(frontEnd);
    std::string failingPass;
    if (failed(mixir::runPipeline(frontEnd, *signatures, &failingPass)))
      fail("lowering '" + inputFile + "' with " + pipeline->name + " failed" +
           failingPass);
  }
  std::string header;
  if (!headerFile.empty() && !gpu) {
    llvm::Expected<std::string> text = mixir::cpu::emitCHeader(
        *signatures, guardFor(headerFile), pipeline->usesOpenMP);
    failOn(text.takeError());
    header = std::move(*text);
  }

  PassManager pm(&context);
  pipeline->build(pm, *target, stage.value_or(mixir::PipelineStage::LLVM));
  std::string failingPass;
  if (failed(mixir::runPipeline(pm, *module, &failingPass)))
    fail("lowering '" + inputFile + "' with " + pipeline->name + " failed" +
         failingPass);
  if (stage) {
    module->print(llvm::outs());
    return 0;
  }
  if (gpu)
    return compileForGPU(*module, *signatures, *target, dumpPTX);

  auto targetMachine = mixir::cpu::createTargetMachine(cpuName);
  failOn(targetMachine.takeError());
  llvm::LLVMContext llvmContext;
  auto llvmModule =
      mixir::cpu::translateAndOptimize(*module, llvmContext, **targetMachine);
  failOn(llvmModule.takeError());
  if (dumpLLVMIR) {
    (*llvmModule)->print(llvm::outs(), nullptr);
    return 0;
  }

  if (!outputFile.empty()) {
    if (shared) {
      llvm::SmallString<128> objectPath;
      if (std::error_code ec =
              llvm::sys::fs::createTemporaryFile("mixir", "o", objectPath))
        fail("cannot create a temporary object file: " + ec.message());
      llvm::FileRemover removeObject(objectPath);
      failOn(mixir::cpu::writeObjectFile(**llvmModule, **targetMachine,
                                         objectPath));
      failOn(mixir::cpu::linkSharedLibrary(objectPath, outputFile,
                                           pipeline->usesOpenMP));
    } else {
      failOn(mixir::cpu::writeObjectFile(**llvmModule, **targetMachine,
                                         outputFile));
    }
  }
  if (!headerFile.empty())
    writeTextFile(headerFile, header);
  return 0;
}
