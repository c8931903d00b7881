//===- Ptxas.cpp - assembling PTX with NVIDIA's ptxas ---------------------===//
//
// Runs ptxas as a child process on temporary files (it reads and writes
// only files) and parses the -v report it prints. ptxas's diagnostics name
// its input file, so they are rewritten to name the PTX the user knows
// instead of the temporary.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/GPU/Ptxas.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

using namespace mixir::gpu;
using llvm::StringRef;

char PtxasNotFoundError::ID = 0;

void PtxasNotFoundError::log(llvm::raw_ostream &os) const {
  os << "ptxas not found (looked at " << llvm::join(searched, ", ")
     << "); pass --ptxas PATH or set CUDA_HOME";
}

std::error_code PtxasNotFoundError::convertToErrorCode() const {
  return std::make_error_code(std::errc::no_such_file_or_directory);
}

PtxasSearchPaths PtxasSearchPaths::fromEnvironment() {
  PtxasSearchPaths where;
  if (std::optional<std::string> home = llvm::sys::Process::GetEnv("CUDA_HOME");
      home && !home->empty())
    where.cudaHome = *home;
  if (std::optional<std::string> path = llvm::sys::Process::GetEnv("PATH")) {
    llvm::SmallVector<StringRef> directories;
    StringRef(*path).split(directories, llvm::sys::EnvPathSeparator,
                           /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    for (StringRef directory : directories)
      where.pathDirectories.push_back(directory.str());
  }
  return where;
}

static bool isExecutableFile(const llvm::Twine &path) {
  return llvm::sys::fs::is_regular_file(path) &&
         llvm::sys::fs::can_execute(path);
}

llvm::Expected<std::string>
mixir::gpu::findPtxas(StringRef explicitPath, const PtxasSearchPaths &where) {
  if (!explicitPath.empty()) {
    if (isExecutableFile(explicitPath))
      return explicitPath.str();
    return llvm::createStringError("--ptxas '" + explicitPath +
                                   "' is not an executable file");
  }
  std::vector<std::string> candidates;
  if (where.cudaHome) {
    llvm::SmallString<256> path(*where.cudaHome);
    llvm::sys::path::append(path, "bin", "ptxas");
    candidates.push_back(path.str().str());
  }
  for (const std::string &directory : where.pathDirectories) {
    llvm::SmallString<256> path(directory);
    llvm::sys::path::append(path, "ptxas");
    candidates.push_back(path.str().str());
  }
  if (!where.fallback.empty())
    candidates.push_back(where.fallback);
  for (const std::string &candidate : candidates)
    if (isExecutableFile(candidate))
      return candidate;
  std::vector<std::string> searched;
  if (where.cudaHome)
    searched.push_back("$CUDA_HOME/bin");
  if (!where.pathDirectories.empty())
    searched.push_back("$PATH");
  if (!where.fallback.empty())
    searched.push_back(where.fallback);
  return llvm::make_error<PtxasNotFoundError>(std::move(searched));
}

const PtxasFunctionReport *PtxasReport::find(StringRef name) const {
  for (const PtxasFunctionReport &function : functions)
    if (function.name == name)
      return &function;
  return nullptr;
}

/// The number before `unit` in `text` ("12 registers"), if any.
static std::optional<uint64_t> amount(StringRef text, StringRef unit) {
  llvm::Regex pattern("([0-9]+) " + llvm::Regex::escape(unit));
  llvm::SmallVector<StringRef, 2> groups;
  uint64_t value;
  if (!pattern.match(text, &groups) || groups[1].getAsInteger(10, value))
    return std::nullopt;
  return value;
}

PtxasReport mixir::gpu::parsePtxasReport(StringRef text) {
  // ptxas -v prints, per entry:
  //   ptxas info    : Compiling entry function 'add' for 'sm_80'
  //   ptxas info    : Function properties for add
  //       0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
  //   ptxas info    : Used 12 registers, used 0 barriers, 380 bytes cmem[0]
  // and a "Function properties" block for each non-inlined callee too. The
  // frame line belongs to the last "Function properties", the "Used" line to
  // the entry being compiled.
  static const llvm::Regex compiling(
      "Compiling entry function '([^']+)' for '([^']+)'");
  static const llvm::Regex properties("Function properties for (.+)$");
  PtxasReport report;
  auto function = [&](StringRef name) -> size_t {
    for (auto [index, existing] : llvm::enumerate(report.functions))
      if (existing.name == name)
        return index;
    report.functions.push_back({});
    report.functions.back().name = name.str();
    return report.functions.size() - 1;
  };
  std::optional<size_t> entry, described;
  llvm::SmallVector<StringRef> lines;
  text.split(lines, '\n');
  for (StringRef line : lines) {
    line = line.trim();
    llvm::SmallVector<StringRef, 3> groups;
    if (line.starts_with("ptxas warning")) {
      report.warnings.push_back(line.str());
    } else if (compiling.match(line, &groups)) {
      entry = function(groups[1]);
      report.functions[*entry].isEntry = true;
      report.functions[*entry].chip = groups[2].str();
    } else if (properties.match(line, &groups)) {
      described = function(groups[1].trim());
    } else if (line.contains("bytes stack frame") && described) {
      PtxasFunctionReport &target = report.functions[*described];
      target.stackFrameBytes = amount(line, "bytes stack frame").value_or(0);
      target.spillStoreBytes = amount(line, "bytes spill stores").value_or(0);
      target.spillLoadBytes = amount(line, "bytes spill loads").value_or(0);
    } else if (line.contains(": Used ") && entry) {
      PtxasFunctionReport &target = report.functions[*entry];
      target.registers = amount(line, "registers").value_or(0);
      target.barriers = amount(line, "barriers").value_or(0);
      target.sharedBytes = amount(line, "bytes smem").value_or(0);
      target.cumulativeStackBytes =
          amount(line, "bytes cumulative stack size").value_or(0);
    }
  }
  return report;
}

/// Reads a whole file; empty if it cannot be read.
static std::string readFile(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

llvm::Expected<PtxasResult> mixir::gpu::runPtxas(StringRef ptx, StringRef chip,
                                                 const PtxasOptions &options) {
  llvm::Expected<std::string> ptxas =
      options.searchPaths ? findPtxas(options.ptxasPath, *options.searchPaths)
                          : findPtxas(options.ptxasPath);
  if (!ptxas)
    return ptxas.takeError();

  llvm::SmallString<128> input, output, log;
  auto temporary = [](StringRef suffix,
                      llvm::SmallString<128> &path) -> llvm::Error {
    if (std::error_code error =
            llvm::sys::fs::createTemporaryFile("mixir-ptxas", suffix, path))
      return llvm::createStringError(
          "cannot create a temporary file for ptxas: " + error.message());
    return llvm::Error::success();
  };
  if (llvm::Error error = temporary("ptx", input))
    return std::move(error);
  llvm::FileRemover removeInput(input);
  if (llvm::Error error = temporary("cubin", output))
    return std::move(error);
  llvm::FileRemover removeOutput(output);
  if (llvm::Error error = temporary("log", log))
    return std::move(error);
  llvm::FileRemover removeLog(log);
  {
    std::error_code error;
    llvm::raw_fd_ostream os(input, error);
    if (!error) {
      os << ptx;
      os.close();
      error = os.error();
    }
    if (error)
      return llvm::createStringError("cannot write the PTX for ptxas to '" +
                                     input.str() + "': " + error.message());
  }

  std::string arch = "-arch=" + chip.str();
  std::string opt = "-O" + std::to_string(options.optLevel);
  llvm::SmallVector<StringRef> args = {*ptxas, arch, opt, "-v"};
  for (const std::string &arg : options.extraArgs)
    args.push_back(arg);
  args.append({input, "-o", output});
  // -v goes to stderr and errors too; stdout gets both into one log.
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                          StringRef(log)};
  std::string message;
  bool executionFailed = false;
  int status = llvm::sys::ExecuteAndWait(
      *ptxas, args, std::nullopt, redirects, /*SecondsToWait=*/0,
      /*MemoryLimit=*/0, &message, &executionFailed);
  if (executionFailed)
    return llvm::createStringError("cannot run ptxas '" + *ptxas +
                                   "': " + message);

  PtxasResult result;
  result.log = readFile(log);
  // Name the user's PTX, not the temporary, in ptxas's diagnostics.
  llvm::SmallVector<StringRef> pieces;
  StringRef(result.log).split(pieces, input.str());
  result.log = llvm::join(pieces, options.displayName);
  if (status != 0) {
    std::string reason = status < 0 ? "crashed: " + message
                                    : "exited with " + std::to_string(status);
    return llvm::createStringError("ptxas " + reason + " assembling " +
                                   options.displayName + " for " + chip +
                                   ":\n" + StringRef(result.log).rtrim().str());
  }
  result.cubin = readFile(output);
  if (result.cubin.empty())
    return llvm::createStringError("ptxas wrote no cubin for " +
                                   options.displayName + " (" + chip + ")");
  result.report = parsePtxasReport(result.log);
  return result;
}
