//===- Ptxas.h - assembling PTX with NVIDIA's ptxas -------------*- C++ -*-===//
//
// mixir-compile --target=nvptx writes PTX with LLVM alone and turns it into a
// cubin with the CUDA toolkit's ptxas when one is installed. This finds
// ptxas, runs it on PTX text for a chip and reads its -v report (registers,
// spills, shared memory, stack frame) so the driver can print it and tests
// can check it. A missing ptxas is its own error (PtxasNotFoundError): the
// driver warns and writes PTX only, which the CUDA driver compiles at load.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_GPU_PTXAS_H
#define MIXIR_TARGET_GPU_PTXAS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mixir::gpu {

/// No ptxas was found where findPtxas looks. The driver tells it from other
/// errors with `error.isA<PtxasNotFoundError>()` (or llvm::handleErrors),
/// warns, and writes PTX only.
class PtxasNotFoundError : public llvm::ErrorInfo<PtxasNotFoundError> {
public:
  static char ID;
  /// `searched`: the places looked at, in order, for the message.
  explicit PtxasNotFoundError(std::vector<std::string> searched)
      : searched(std::move(searched)) {}
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;
  const std::vector<std::string> &getSearched() const { return searched; }

private:
  std::vector<std::string> searched;
};

/// Where findPtxas looks after an explicit path, in this order:
/// `<cudaHome>/bin/ptxas`, `ptxas` in each of `pathDirectories`, then
/// `fallback`. fromEnvironment() fills it from $CUDA_HOME and $PATH; tests
/// build their own.
struct PtxasSearchPaths {
  std::optional<std::string> cudaHome;
  std::vector<std::string> pathDirectories;
  std::string fallback = "/usr/local/cuda/bin/ptxas";

  static PtxasSearchPaths fromEnvironment();
};

/// The ptxas to run: `explicitPath` when given (the driver's --ptxas; an
/// error, not PtxasNotFoundError, when it is not an executable file, since
/// the user asked for that one), else the first executable in `where`, else
/// PtxasNotFoundError.
llvm::Expected<std::string>
findPtxas(llvm::StringRef explicitPath = {},
          const PtxasSearchPaths &where = PtxasSearchPaths::fromEnvironment());

/// What ptxas -v says about one function.
struct PtxasFunctionReport {
  std::string name;
  /// Empty for functions that are not entries.
  std::string chip;
  bool isEntry = false;
  unsigned registers = 0;
  unsigned barriers = 0;
  uint64_t stackFrameBytes = 0;
  uint64_t spillStoreBytes = 0;
  uint64_t spillLoadBytes = 0;
  /// Static shared memory (`smem`); the launch adds its dynamic amount.
  uint64_t sharedBytes = 0;
  uint64_t cumulativeStackBytes = 0;
};

/// The parsed -v report of one ptxas run.
struct PtxasReport {
  std::vector<PtxasFunctionReport> functions;
  /// ptxas's warning lines, as printed.
  std::vector<std::string> warnings;

  /// The report of function `name`, or null.
  const PtxasFunctionReport *find(llvm::StringRef name) const;
};

/// Parses ptxas -v output (the "ptxas info" lines ptxas 12 and 13 print on
/// stderr); lines it does not know are skipped.
PtxasReport parsePtxasReport(llvm::StringRef text);

struct PtxasOptions {
  /// The --ptxas path, if any (see findPtxas).
  std::string ptxasPath;
  /// Where to look without one; the environment's when unset.
  std::optional<PtxasSearchPaths> searchPaths;
  /// -O<optLevel>.
  unsigned optLevel = 3;
  /// Replaces the temporary file's name in diagnostics ("attention.ptx").
  std::string displayName = "<ptx>";
  /// More arguments, after the others (e.g. "--maxrregcount=128").
  std::vector<std::string> extraArgs;
};

struct PtxasResult {
  std::string cubin;
  PtxasReport report;
  /// Everything ptxas printed.
  std::string log;
};

/// Runs ptxas -arch=<chip> -O<level> -v on `ptx`. Errors: PtxasNotFoundError,
/// or a message naming the exit status with ptxas's own diagnostics.
llvm::Expected<PtxasResult> runPtxas(llvm::StringRef ptx, llvm::StringRef chip,
                                     const PtxasOptions &options = {});

} // namespace mixir::gpu

#endif // MIXIR_TARGET_GPU_PTXAS_H
