//===- TritonLink.cpp - Triton's link.py, without Python ------------------===//
//
// The parsing follows link.py step by step (its HeaderParser), using
// ECMAScript regular expressions, whose backtracking matches Python's `re`
// for these patterns; the output follows its code generators (the per-family
// hint dispatcher, the table of families, load/unload of all). See
// TritonLink.h for where this is stricter than link.py.
//
//===----------------------------------------------------------------------===//

#include "TritonLink.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <regex>

using namespace mixir::tritonlink;
using llvm::StringRef;

static llvm::Error reject(StringRef fileName, const llvm::Twine &what) {
  return llvm::createStringError(fileName + ": " + what);
}

/// link.py's `_match_suffix`, in the form every 3.x version accepts.
static llvm::Error parseSuffix(LinkedKernel &kernel) {
  StringRef rest = kernel.suffix;
  for (size_t index = 0; index < kernel.argNames.size(); ++index) {
    std::string digits = std::to_string(index);
    if (!rest.consume_front(digits))
      return reject(kernel.fileName,
                    "suffix '" + kernel.suffix + "' of " + kernel.kernelName +
                        " does not name argument " + digits +
                        " where expected (every index, in order)");
    unsigned hint = 0;
    if (rest.consume_front("d"))
      hint = 16;
    else if (rest.consume_front("c"))
      hint = 1;
    kernel.hints.push_back(hint);
    kernel.numSpecs += hint != 0;
  }
  if (!rest.empty())
    return reject(kernel.fileName,
                  "suffix '" + kernel.suffix + "' of " + kernel.kernelName +
                      " has invalid extra text '" + rest + "'");
  return llvm::Error::success();
}

/// One `// tt-linker: NAME:SIGNATURE:ALGO_INFO` line, after `tt-linker:`.
static llvm::Expected<LinkedKernel>
parseDirective(StringRef directive, StringRef fileName, StringRef backend) {
  LinkedKernel kernel;
  kernel.fileName = fileName.str();
  kernel.backend = backend.str();
  // link.py: `//\s*tt-linker:\s*(\w+):(.+):(.+)`; the greedy middle group
  // leaves algo_info everything after the last colon.
  static const std::regex pattern(R"(^\s*(\w+):(.+):(.+)$)");
  std::string line = directive.str();
  std::smatch match;
  if (!std::regex_match(line, match, pattern))
    return reject(fileName, "malformed tt-linker line (link.py would skip "
                            "it): '" +
                                directive + "'");
  kernel.kernelName = match[1];
  std::string signature = match[2];
  kernel.algoInfo = match[3];

  // `^(\w+)_(\w+)_(\w+)$`: the base takes all but the last two parts.
  static const std::regex namePattern(R"(^(\w+)_(\w+)_(\w+)$)");
  std::smatch nameMatch;
  if (!std::regex_match(kernel.kernelName, nameMatch, namePattern))
    return reject(fileName, kernel.kernelName + " is not a valid kernel name");
  kernel.baseName = nameMatch[1];
  kernel.hash = nameMatch[2];
  kernel.suffix = nameMatch[3];

  // `[\s]*(\w+)\s(\w+)[,]?` found anywhere; link.py counts the arguments by
  // splitting at commas, so both must agree, and each argument must be
  // exactly one type token and one name.
  llvm::SmallVector<StringRef> pieces;
  StringRef(signature).split(pieces, ',');
  static const std::regex argument(R"(^\s*(\w+)\s(\w+)\s*$)");
  for (StringRef piece : pieces) {
    std::string text = piece.str();
    std::smatch argMatch;
    if (!std::regex_match(text, argMatch, argument))
      return reject(fileName, "'" + signature +
                                  "' is not a valid argument signature for "
                                  "link.py (argument '" +
                                  piece + "' is not `type name`)");
    kernel.argTypes.push_back(argMatch[1]);
    kernel.argNames.push_back(argMatch[2]);
  }
  if (llvm::Error error = parseSuffix(kernel))
    return std::move(error);
  return kernel;
}

llvm::Expected<std::vector<LinkedKernel>>
mixir::tritonlink::parseKernelHeader(StringRef text, StringRef fileName) {
  static const std::regex backendPattern(R"(^//\s*tt-linker-backend:\s*(\w+))");
  static const std::regex directivePattern(R"(^//\s*tt-linker:(.*)$)");
  llvm::SmallVector<StringRef> lines;
  text.split(lines, '\n');
  // The backend line may follow the directives: read it first.
  std::string backend;
  for (StringRef line : lines) {
    std::string ln = line.rtrim('\r').str();
    std::smatch match;
    if (!line.starts_with("//") ||
        !std::regex_search(ln, match, backendPattern))
      continue;
    if (!backend.empty() && backend != match[1].str())
      return reject(fileName,
                    "differing backend " + backend + " vs. " + match[1].str());
    backend = match[1];
  }
  if (backend.empty())
    return reject(fileName, "no `// tt-linker-backend:` line (Triton's newest "
                            "link.py needs it to pick its prelude)");
  if (backend != "cuda")
    return reject(fileName, "backend '" + backend +
                                "' (only cuda kernels are linked here)");

  std::vector<LinkedKernel> kernels;
  for (StringRef line : lines) {
    std::string ln = line.rtrim('\r').str();
    std::smatch match;
    if (!line.starts_with("//") ||
        !std::regex_match(ln, match, directivePattern))
      continue;
    llvm::Expected<LinkedKernel> kernel =
        parseDirective(match[1].str(), fileName, backend);
    if (!kernel)
      return kernel.takeError();
    kernels.push_back(std::move(*kernel));
  }
  if (kernels.empty())
    return reject(fileName, "no `// tt-linker:` line");
  return kernels;
}

namespace {
/// A family (link.py's kernels[name]) in order of first appearance.
struct Family {
  std::string name;
  std::vector<const LinkedKernel *> kernels;
};
} // namespace

/// "CUdeviceptr q, int32_t n", optionally without the `c` arguments.
static std::string signature(const LinkedKernel &kernel, bool dropConstants) {
  llvm::SmallVector<std::string> args;
  for (size_t index = 0; index < kernel.argNames.size(); ++index)
    if (!dropConstants || kernel.hints[index] != 1)
      args.push_back(kernel.argTypes[index] + " " + kernel.argNames[index]);
  return llvm::join(args, ", ");
}

static std::string arguments(const LinkedKernel &kernel, bool dropConstants) {
  llvm::SmallVector<std::string> args;
  for (size_t index = 0; index < kernel.argNames.size(); ++index)
    if (!dropConstants || kernel.hints[index] != 1)
      args.push_back(kernel.argNames[index]);
  return llvm::join(args, ", ");
}

static llvm::Expected<std::vector<Family>>
groupFamilies(llvm::ArrayRef<LinkedKernel> kernels) {
  if (kernels.empty())
    return llvm::createStringError("no kernels to link");
  std::vector<Family> families;
  llvm::StringSet<> names;
  const LinkedKernel &first = kernels.front();
  for (const LinkedKernel &kernel : kernels) {
    if (!names.insert(kernel.kernelName).second)
      return reject(kernel.fileName,
                    "kernel " + kernel.kernelName + " is linked twice");
    // link.py names its table, its algo_id entry point and load/unload of
    // all after the first kernel and types them by its signature.
    if (kernel.baseName != first.baseName)
      return reject(kernel.fileName, "kernel " + kernel.kernelName +
                                         " has base name '" + kernel.baseName +
                                         "', the first has '" + first.baseName +
                                         "' (link one family per call)");
    if (kernel.argTypes != first.argTypes)
      return reject(kernel.fileName,
                    "Mismatched signature for kernel " + kernel.family() +
                        ": existing sig is " + llvm::join(first.argTypes, ",") +
                        ", current is " + llvm::join(kernel.argTypes, ","));
    // The family dispatcher declares the last kernel's names and tests each
    // kernel's own: they must be the same names.
    if (kernel.argNames != first.argNames)
      return reject(kernel.fileName,
                    "kernel " + kernel.kernelName + " names its arguments " +
                        llvm::join(kernel.argNames, ",") + ", the first " +
                        llvm::join(first.argNames, ","));
    auto family = llvm::find_if(families, [&](const Family &candidate) {
      return candidate.name == kernel.family();
    });
    if (family == families.end()) {
      families.push_back({kernel.family(), {}});
      family = std::prev(families.end());
    }
    family->kernels.push_back(&kernel);
  }
  // Python's sorted() is stable: most specializations first, ties in order.
  for (Family &family : families)
    llvm::stable_sort(family.kernels,
                      [](const LinkedKernel *a, const LinkedKernel *b) {
                        return a->numSpecs > b->numSpecs;
                      });
  return families;
}

static std::string guardFor(StringRef fileName) {
  std::string guard;
  for (char c : fileName)
    guard += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  if (guard.empty() || llvm::isDigit(guard.front()))
    guard = "MIXIR_" + guard;
  return guard;
}

llvm::Expected<Dispatcher>
mixir::tritonlink::linkKernels(llvm::ArrayRef<LinkedKernel> kernels,
                               StringRef headerFileName) {
  llvm::Expected<std::vector<Family>> families = groupFamilies(kernels);
  if (!families)
    return families.takeError();
  const LinkedKernel &first = kernels.front();
  std::string base = first.baseName;
  std::string full = signature(first, /*dropConstants=*/false);
  std::string args = arguments(first, /*dropConstants=*/false);

  Dispatcher dispatcher;
  std::string guard = guardFor(headerFileName);
  llvm::raw_string_ostream h(dispatcher.header);
  h << "/* Generated by mixir-tt-link as Triton 3.x's link.py would link these "
       "kernels. */\n"
    << "#ifndef " << guard << "\n#define " << guard << "\n\n"
    << "#include <cuda.h>\n#include <stdint.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n";
  for (const Family &family : *families)
    h << "\nCUresult " << family.name << "(CUstream stream, " << full
      << ");\nvoid load_" << family.name << "(void);\nvoid unload_"
      << family.name << "(void);\n";
  h << "\nint " << base << "_get_num_algos(void);\n"
    << "CUresult " << base << "_default(CUstream stream, " << full << ");\n"
    << "CUresult " << base << "(CUstream stream, " << full
    << ", int algo_id);\n"
    << "void load_" << base << "(void);\n"
    << "void unload_" << base << "(void);\n"
    << "\n#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n#endif /* "
    << guard << " */\n";

  llvm::raw_string_ostream c(dispatcher.source);
  c << "/* Generated by mixir-tt-link as Triton 3.x's link.py would link these "
       "kernels. */\n"
    << "#include <cuda.h>\n#include <stdint.h>\n\n"
    << "#include \"" << headerFileName << "\"\n";
  for (const Family &family : *families) {
    c << "\n// launcher for: " << family.name << "\n";
    for (const LinkedKernel *kernel : family.kernels)
      c << "CUresult " << kernel->kernelName << "(CUstream stream, "
        << signature(*kernel, /*dropConstants=*/true) << ");\n";
    c << "\nCUresult " << family.name << "(CUstream stream, " << full
      << ") {\n";
    bool unconditional = false;
    for (const LinkedKernel *kernel : family.kernels) {
      llvm::SmallVector<std::string> conditions;
      for (size_t index = 0; index < kernel->argNames.size(); ++index) {
        const std::string &name = kernel->argNames[index];
        if (kernel->hints[index] == 16)
          conditions.push_back("((uintptr_t)" + name + " % 16 == 0)");
        else if (kernel->hints[index] == 1)
          conditions.push_back("(" + name + " == 1)");
      }
      std::string call = "return " + kernel->kernelName + "(stream, " +
                         arguments(*kernel, /*dropConstants=*/true) + ");\n";
      // Without specializations the kernel takes whatever is left (link.py's
      // `if (1)`); what would follow it is unreachable.
      if (conditions.empty()) {
        c << "  " << call;
        unconditional = true;
        break;
      }
      c << "  if (" << llvm::join(conditions, " && ") << ")\n    " << call;
    }
    if (!unconditional)
      c << "\n  return CUDA_ERROR_INVALID_VALUE;\n";
    c << "}\n";
    for (StringRef mode : {"load", "unload"}) {
      c << "\n// " << mode << " for: " << family.name << "\n";
      for (const LinkedKernel *kernel : family.kernels)
        c << "void " << mode << "_" << kernel->kernelName << "(void);\n";
      c << "void " << mode << "_" << family.name << "(void) {\n";
      for (const LinkedKernel *kernel : family.kernels)
        c << "  " << mode << "_" << kernel->kernelName << "();\n";
      c << "}\n";
    }
  }
  c << "\ntypedef CUresult (*kernel_func_t)(CUstream stream, " << full
    << ");\nkernel_func_t " << base << "_kernels[] = {\n";
  for (const Family &family : *families)
    c << "  " << family.name << ",\n";
  c << "};\n\n"
    << "int " << base << "_get_num_algos(void) {\n"
    << "  return (int)(sizeof(" << base << "_kernels) / sizeof(" << base
    << "_kernels[0]));\n}\n\n"
    // link.py asserts here (against the table's size in bytes); an
    // out-of-range algo_id is an invalid value either way.
    << "CUresult " << base << "(CUstream stream, " << full
    << ", int algo_id) {\n"
    << "  if (algo_id < 0 || algo_id >= " << base << "_get_num_algos())\n"
    << "    return CUDA_ERROR_INVALID_VALUE;\n"
    << "  return " << base << "_kernels[algo_id](stream, " << args << ");\n}\n";
  for (StringRef mode : {"load", "unload"}) {
    c << "\nvoid " << mode << "_" << base << "(void) {\n";
    for (const Family &family : *families)
      c << "  " << mode << "_" << family.name << "();\n";
    c << "}\n";
  }
  c << "\nCUresult " << base << "_default(CUstream stream, " << full
    << ") {\n  return " << base << "(stream, " << args << ", 0);\n}\n";
  return dispatcher;
}

std::string
mixir::tritonlink::describeKernels(llvm::ArrayRef<LinkedKernel> kernels) {
  std::string text;
  llvm::raw_string_ostream os(text);
  for (const LinkedKernel &kernel : kernels) {
    os << kernel.kernelName << " (" << kernel.fileName << ")\n"
       << "  base " << kernel.baseName << ", hash " << kernel.hash
       << ", suffix " << kernel.suffix << ", algo_info " << kernel.algoInfo
       << ", backend " << kernel.backend << "\n"
       << "  family " << kernel.family() << ", " << kernel.numSpecs
       << " specialized argument(s)\n";
    for (size_t index = 0; index < kernel.argNames.size(); ++index) {
      os << "  " << index << ": " << kernel.argTypes[index] << " "
         << kernel.argNames[index];
      if (kernel.hints[index] == 16)
        os << "  (d: divisible by 16)";
      else if (kernel.hints[index] == 1)
        os << "  (c: equal to 1)";
      os << "\n";
    }
  }
  return text;
}
