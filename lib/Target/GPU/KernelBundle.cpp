//===- KernelBundle.cpp - Triton-compatible kernel artifacts --------------===//
//
// Names a kernel the way Triton 3.x's compile.py does and writes its
// metadata and C launcher in the form of Triton's AOT templates. Where the
// templates leave something out (errors of the module load, the return of
// an empty launch) the launcher reports it as a CUresult instead of exiting
// the process, and everything it defines besides the Triton API is static,
// so any number of bundles link into one program.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/GPU/KernelBundle.h"

#include "CNames.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

using namespace mixir::gpu;
using llvm::StringRef;

/// The per-block default that dynamic plus static shared memory may use
/// without an opt-in.
static constexpr unsigned kDefaultSharedLimit = 48 * 1024;

/// Parameter names the launcher's own locals use.
static constexpr StringRef kReservedPrefix = "mixir_";

StringRef mixir::gpu::cParamType(KernelParam::Kind kind) {
  switch (kind) {
  case KernelParam::Kind::Pointer:
    return "CUdeviceptr";
  case KernelParam::Kind::I32:
    return "int32_t";
  case KernelParam::Kind::I64:
    return "int64_t";
  case KernelParam::Kind::F32:
    return "float";
  }
  llvm_unreachable("unknown parameter kind");
}

std::string mixir::gpu::kernelSuffix(llvm::ArrayRef<KernelParam> params) {
  std::string suffix;
  for (auto [index, param] : llvm::enumerate(params)) {
    suffix += std::to_string(index);
    if (param.divisibleBy16)
      suffix += 'd';
  }
  return suffix;
}

std::string mixir::gpu::kernelImageHash(const KernelImage &image) {
  // Every field with its length, so that no two images serialize alike.
  llvm::SHA256 hasher;
  auto field = [&](StringRef key, StringRef value) {
    hasher.update(key);
    hasher.update("=" + std::to_string(value.size()) + ":");
    hasher.update(value);
    hasher.update("\n");
  };
  field("format", "mixir-kernel-1");
  field("entry", image.entry);
  for (const KernelParam &param : image.params)
    field("param", param.name + " " + cParamType(param.kind).str() +
                       (param.divisibleBy16 ? " d" : ""));
  field("grid", std::to_string(image.grid[0]) + "," +
                    std::to_string(image.grid[1]) + "," +
                    std::to_string(image.grid[2]));
  field("num_warps", std::to_string(image.numWarps));
  field("num_stages", std::to_string(image.numStages));
  field("shared", std::to_string(image.sharedBytes));
  field("chip", image.chip);
  field("ptx", image.ptx);
  return llvm::toHex(hasher.final(), /*LowerCase=*/true);
}

std::string mixir::gpu::kernelName(const KernelImage &image) {
  return image.baseName + "_" + kernelImageHash(image).substr(0, 8) + "_" +
         kernelSuffix(image.params);
}

std::optional<unsigned> mixir::gpu::chipArchitecture(StringRef chip) {
  if (!chip.consume_front("sm_"))
    return std::nullopt;
  chip.consume_back("a");
  unsigned arch;
  if (chip.empty() || !llvm::all_of(chip, llvm::isDigit) ||
      chip.getAsInteger(10, arch))
    return std::nullopt;
  return arch;
}

/// The most dynamic shared memory a block may opt in to on `arch`, where
/// known (CUDA C Programming Guide, compute capabilities table).
static std::optional<unsigned> maxSharedOptIn(unsigned arch) {
  switch (arch) {
  case 80:
  case 87:
    return 163 * 1024;
  case 86:
  case 89:
  case 120:
    return 99 * 1024;
  case 90:
  case 100:
    return 227 * 1024;
  default:
    return std::nullopt;
  }
}

/// Triton's algo_info: the kernel's constexpr values joined with 'x' (we
/// have none, so the part is empty) and `warps<W>xstages<S>`, joined by '_'.
static std::string algoInfo(const KernelImage &image) {
  return "_warps" + std::to_string(image.numWarps) + "xstages" +
         std::to_string(image.numStages);
}

static llvm::Error invalid(const KernelImage &image, const llvm::Twine &what) {
  return llvm::createStringError("invalid kernel '" + image.baseName +
                                 "' (entry '" + image.entry + "'): " + what);
}

/// Everything the generated C and link.py rely on.
static llvm::Error verifyImage(const KernelImage &image) {
  if (!detail::isCIdentifier(image.baseName))
    return invalid(image, "the base name is not a C identifier");
  static const llvm::Regex ptxIdentifier("^[A-Za-z_$][A-Za-z0-9_$]*$");
  if (!ptxIdentifier.match(image.entry))
    return invalid(image, "the entry is not a PTX identifier");
  // link.py cannot parse an empty signature (its directive needs one).
  if (image.params.empty())
    return invalid(image, "a kernel needs at least one parameter");
  llvm::StringSet<> seen;
  for (const KernelParam &param : image.params) {
    if (!detail::isCIdentifier(param.name) || param.name == "stream" ||
        StringRef(param.name).starts_with(kReservedPrefix))
      return invalid(image, "parameter name '" + param.name +
                                "' is not a C identifier free for use "
                                "(not 'stream', not starting with 'mixir_')");
    if (!seen.insert(param.name).second)
      return invalid(image, "parameter name '" + param.name + "' repeats");
  }
  std::optional<unsigned> arch = chipArchitecture(image.chip);
  if (!arch)
    return invalid(image, "unknown chip '" + image.chip +
                              "' (expected sm_<digits> or sm_<digits>a)");
  if (image.numWarps < 1 || image.numWarps > 32)
    return invalid(image, "num_warps (" + llvm::Twine(image.numWarps) +
                              ") must be between 1 and 32 (1024 threads)");
  if (image.grid[0] > 0x7fffffffu || image.grid[1] > 65535 ||
      image.grid[2] > 65535)
    return invalid(image, "grid (" + llvm::Twine(image.grid[0]) + ", " +
                              llvm::Twine(image.grid[1]) + ", " +
                              llvm::Twine(image.grid[2]) +
                              ") exceeds CUDA's limits (2^31-1, 65535, "
                              "65535)");
  if (std::optional<unsigned> limit = maxSharedOptIn(*arch);
      limit && image.sharedBytes > *limit)
    return invalid(
        image, "dynamic shared memory (" + llvm::Twine(image.sharedBytes) +
                   " bytes) exceeds the " + image.chip +
                   " per-block maximum (" + llvm::Twine(*limit) + " bytes)");
  if (image.ptx.empty() || StringRef(image.ptx).contains('\0'))
    return invalid(image, "the PTX is empty or holds a NUL byte");
  llvm::Regex entryDecl("\\.entry[ \t\r\n]+" +
                        llvm::Regex::escape(image.entry) + "[ \t\r\n(]");
  if (!entryDecl.match(image.ptx))
    return invalid(image,
                   "the PTX declares no .entry named '" + image.entry + "'");
  if (image.cubin && image.cubin->empty())
    return invalid(image, "the cubin is empty");
  return llvm::Error::success();
}

/// The parameters as a C parameter list ("CUdeviceptr q, int32_t n").
static std::string cSignature(llvm::ArrayRef<KernelParam> params) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      params, os,
      [&](const KernelParam &param) {
        os << cParamType(param.kind) << " " << param.name;
      },
      ", ");
  return text;
}

static std::string metadataJson(const KernelImage &image, StringRef hash) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("name", image.entry);
    json.attribute("hash", hash);
    json.attributeObject("target", [&] {
      json.attribute("backend", "cuda");
      json.attribute("arch", int64_t(*chipArchitecture(image.chip)));
      json.attribute("warp_size", 32);
    });
    json.attribute("num_warps", int64_t(image.numWarps));
    json.attribute("num_ctas", 1);
    json.attribute("num_stages", int64_t(image.numStages));
    json.attribute("shared", int64_t(image.sharedBytes));
    json.attributeArray("grid", [&] {
      for (uint32_t blocks : image.grid)
        json.value(int64_t(blocks));
    });
    json.attribute("chip", image.chip);
  });
  os << "\n";
  return text;
}

static std::string headerText(const KernelImage &image, StringRef name) {
  std::string text;
  llvm::raw_string_ostream os(text);
  unsigned threads = image.numWarps * 32;
  os << "/* Generated by mixir-compile. Do not edit.\n"
     << " *\n"
     << " * Kernel " << name << ", in the form of Triton 3.x's\n"
     << " * ahead-of-time compiler (Triton's link.py accepts this header): "
        "PTX\n"
     << " * entry '" << image.entry << "' for " << image.chip << ", "
     << (image.cubin ? "its cubin embedded.\n"
                     : "its PTX embedded (the driver compiles it at\n"
                       " * load).\n")
     << " *\n"
     << " * " << name << "(stream, ...) launches a grid of\n"
     << " * (" << image.grid[0] << ", " << image.grid[1] << ", "
     << image.grid[2] << ") blocks of " << threads << " threads ("
     << image.numWarps << " warps) with " << image.sharedBytes << " bytes of\n"
     << " * dynamic shared memory on `stream` and returns the driver's "
        "result.\n"
     << " * Its parameters:\n";
  for (const KernelParam &param : image.params) {
    os << " *   " << param.name << "  " << cParamType(param.kind);
    if (param.kind == KernelParam::Kind::Pointer)
      os << "  a device address"
         << (param.divisibleBy16 ? ", 16-byte aligned" : "");
    else if (param.divisibleBy16)
      os << "  a multiple of 16";
    os << "\n";
  }
  os << " *\n"
     << " * load_" << name << "() loads the image into the current\n"
     << " * context; without it the first launch does, without a lock (call "
        "it\n"
     << " * first where threads launch concurrently). " << name
     << "_load_status()\n"
     << " * then is CUDA_SUCCESS or the driver's error; unload_" << name
     << "()\n"
     << " * unloads the image.\n"
     << " */\n";
  std::string guard = detail::macroName(name) + "_H";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <cuda.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     // The backend line is what Triton's newest link.py reads to pick its
     // CUDA prelude; older ones ignore it.
     << "// tt-linker-backend: cuda\n"
     << "void unload_" << name << "(void);\n"
     << "void load_" << name << "(void);\n"
     << "CUresult " << name << "_load_status(void);\n"
     << "// tt-linker: " << name << ":" << cSignature(image.params) << ":"
     << algoInfo(image) << "\n"
     << "CUresult " << name << "(CUstream stream, " << cSignature(image.params)
     << ");\n\n"
     << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n"
     << "#endif /* " << guard << " */\n";
  return text;
}

/// The image as the body of a C array initializer, 16 bytes a line.
static void writeBytes(llvm::raw_ostream &os, StringRef bytes) {
  for (size_t index = 0; index < bytes.size(); ++index) {
    if (index % 16 == 0)
      os << (index ? "\n  " : "  ");
    else
      os << " ";
    os << llvm::format_hex(static_cast<unsigned char>(bytes[index]), 4)
       << (index + 1 < bytes.size() ? "," : "");
  }
  os << "\n";
}

static std::string sourceText(const KernelImage &image, StringRef name) {
  std::string text;
  llvm::raw_string_ostream os(text);
  // The driver takes PTX as a NUL-terminated string, a cubin as it is.
  std::string bytes = image.cubin ? *image.cubin : image.ptx + '\0';
  os << "/* Generated by mixir-compile. Do not edit.\n"
     << " *\n"
     << " * The launcher of kernel " << name << " (see " << name
     << ".h). Every name it\n"
     << " * defines besides the declared functions is static, so launchers "
        "of any\n"
     << " * number of kernels link into one program.\n"
     << " */\n"
     << "#include <cuda.h>\n#include <stdint.h>\n\n";
  os << "/* The " << (image.cubin ? "cubin" : "PTX text") << " of entry '"
     << image.entry << "' for " << image.chip << ", " << bytes.size()
     << " bytes; the\n"
     << " * union aligns it to 8 bytes for the driver. */\n"
     << "static const union {\n  uint64_t align;\n  unsigned char bytes["
     << bytes.size() << "];\n} " << name << "_image = {.bytes = {\n";
  writeBytes(os, bytes);
  os << "}};\n\n";

  os << "static CUmodule " << name << "_module = 0;\n"
     << "static CUfunction " << name << "_function = 0;\n"
     << "static CUresult " << name
     << "_result = CUDA_ERROR_NOT_INITIALIZED;\n\n";

  os << "void load_" << name << "(void) {\n"
     << "  CUresult result;\n"
     << "  if (" << name << "_function)\n    return;\n"
     << "  result = cuModuleLoadData(&" << name << "_module, " << name
     << "_image.bytes);\n"
     << "  if (result == CUDA_SUCCESS)\n"
     << "    result = cuModuleGetFunction(&" << name << "_function, " << name
     << "_module, \"" << image.entry << "\");\n";
  if (image.sharedBytes > 0)
    os << "  /* Static and dynamic shared memory share a default limit of "
       << kDefaultSharedLimit << "\n"
       << "   * bytes; beyond it a kernel must opt in to its dynamic amount. "
          "*/\n"
       << "  if (result == CUDA_SUCCESS)\n"
       << "    result = cuFuncSetAttribute(" << name << "_function,\n"
       << "        CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, "
       << image.sharedBytes << ");\n";
  os << "  if (result != CUDA_SUCCESS && " << name << "_module) {\n"
     << "    cuModuleUnload(" << name << "_module);\n"
     << "    " << name << "_module = 0;\n"
     << "    " << name << "_function = 0;\n"
     << "  }\n"
     << "  " << name << "_result = result;\n"
     << "}\n\n";

  os << "void unload_" << name << "(void) {\n"
     << "  if (" << name << "_module)\n"
     << "    cuModuleUnload(" << name << "_module);\n"
     << "  " << name << "_module = 0;\n"
     << "  " << name << "_function = 0;\n"
     << "  " << name << "_result = CUDA_ERROR_NOT_INITIALIZED;\n"
     << "}\n\n";

  os << "CUresult " << name << "_load_status(void) {\n"
     << "  return " << name << "_result;\n"
     << "}\n\n";

  os << "CUresult " << name << "(CUstream stream, " << cSignature(image.params)
     << ") {\n";
  uint64_t blocks = uint64_t(image.grid[0]) * image.grid[1] * image.grid[2];
  if (blocks == 0) {
    os << "  /* The grid is empty: there is nothing to launch. */\n"
       << "  (void)stream;\n";
    for (const KernelParam &param : image.params)
      os << "  (void)" << param.name << ";\n";
    os << "  return CUDA_SUCCESS;\n}\n";
    return text;
  }
  os << "  void *mixir_args[" << image.params.size() << "];\n"
     << "  if (!" << name << "_function) {\n"
     << "    load_" << name << "();\n"
     << "    if (!" << name << "_function)\n"
     << "      return " << name << "_result;\n"
     << "  }\n";
  for (auto [index, param] : llvm::enumerate(image.params))
    os << "  mixir_args[" << index << "] = &" << param.name << ";\n";
  os << "  return cuLaunchKernel(" << name << "_function, " << image.grid[0]
     << ", " << image.grid[1] << ", " << image.grid[2] << ", "
     << image.numWarps * 32 << ", 1, 1, " << image.sharedBytes
     << ", stream,\n                        mixir_args, 0);\n"
     << "}\n";
  return text;
}

llvm::Expected<KernelBundle> mixir::gpu::buildKernelBundle(KernelImage image) {
  if (llvm::Error error = verifyImage(image))
    return std::move(error);
  KernelBundle bundle;
  std::string hash = kernelImageHash(image);
  bundle.name = image.baseName + "_" + hash.substr(0, 8) + "_" +
                kernelSuffix(image.params);
  bundle.json = metadataJson(image, hash);
  bundle.header = headerText(image, bundle.name);
  bundle.source = sourceText(image, bundle.name);
  bundle.image = std::move(image);
  return bundle;
}

llvm::Error mixir::gpu::writeKernelBundle(const KernelBundle &bundle,
                                          StringRef directory) {
  auto write = [&](StringRef extension, StringRef contents) -> llvm::Error {
    llvm::SmallString<256> path(directory);
    llvm::sys::path::append(path, bundle.name + "." + extension);
    // Atomic (a temporary renamed into place), so a failed run leaves no
    // truncated artifact behind.
    if (llvm::Error error =
            llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
              os << contents;
              return llvm::Error::success();
            }))
      return llvm::createStringError("cannot write '" + path +
                                     "': " + llvm::toString(std::move(error)));
    return llvm::Error::success();
  };
  if (llvm::Error error = write("ptx", bundle.image.ptx))
    return error;
  if (bundle.image.cubin)
    if (llvm::Error error = write("cubin", *bundle.image.cubin))
      return error;
  if (llvm::Error error = write("json", bundle.json))
    return error;
  if (llvm::Error error = write("h", bundle.header))
    return error;
  return write("c", bundle.source);
}
