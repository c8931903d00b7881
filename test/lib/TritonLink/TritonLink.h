//===- TritonLink.h - Triton's link.py, without Python ----------*- C++ -*-===//
//
// CI checks that Triton's link.py accepts the kernel headers mixir-compile
// writes, without Python: this reads headers the way link.py (Triton 3.x)
// does, with its patterns for the `// tt-linker:` and `// tt-linker-backend:`
// lines, the kernel name, the C signature and the specialization suffix, and
// writes the dispatcher link.py would write for one kernel family.
//
// It accepts only what every Triton 3.x link.py accepts: the suffix must
// name every argument index in order with nothing left over (older link.py
// needs each index, the newest rejects leftovers), a CUDA backend line must
// be present (the newest needs it to pick its prelude), and inputs that
// link.py would turn into C that does not compile are refused rather than
// passed on (signatures or argument names that differ within a family,
// several families with different base names or types, a malformed
// directive that link.py would silently skip).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TEST_LIB_TRITONLINK_TRITONLINK_H
#define MIXIR_TEST_LIB_TRITONLINK_TRITONLINK_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mixir::tritonlink {

/// One kernel, from its `// tt-linker:` line.
struct LinkedKernel {
  /// The header it came from (for messages).
  std::string fileName;
  /// `<base>_<hash>_<suffix>`.
  std::string kernelName;
  std::string baseName, hash, suffix;
  std::string algoInfo;
  std::vector<std::string> argTypes, argNames;
  /// Per argument: 0, 16 (`d`) or 1 (`c`, the argument is dropped from the
  /// specialized launcher's signature).
  std::vector<unsigned> hints;
  /// How many arguments carry a hint.
  unsigned numSpecs = 0;
  /// The `// tt-linker-backend:` value of the header.
  std::string backend;

  /// link.py's family key: `<base>_<algo_info>`, the name of the family's
  /// dispatcher.
  std::string family() const { return baseName + "_" + algoInfo; }
};

/// The kernels of one header (link.py reads every directive in it).
llvm::Expected<std::vector<LinkedKernel>>
parseKernelHeader(llvm::StringRef text, llvm::StringRef fileName);

/// What link.py writes with `-o OUT`: OUT.h and OUT.c.
struct Dispatcher {
  std::string header;
  std::string source;
};

/// The dispatcher of `kernels` (in link.py's order: families in order of
/// first appearance, kernels within a family by descending number of
/// specializations, ties in input order). `headerFileName` is what the .c
/// includes and what the include guard is made from.
llvm::Expected<Dispatcher> linkKernels(llvm::ArrayRef<LinkedKernel> kernels,
                                       llvm::StringRef headerFileName);

/// A readable account of what was parsed, one kernel per paragraph.
std::string describeKernels(llvm::ArrayRef<LinkedKernel> kernels);

} // namespace mixir::tritonlink

#endif // MIXIR_TEST_LIB_TRITONLINK_TRITONLINK_H
