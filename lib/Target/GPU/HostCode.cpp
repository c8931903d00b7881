//===- HostCode.cpp - the host side of a GPU model ------------------------===//
//
// Emits model.h and model.c for the GPU target. The header follows the CPU
// header's conventions (one comment per function listing each buffer's C
// element type, extents and MLIR type name); the functions take device
// addresses and a workspace instead of host pointers, and only enqueue work.
// Every binding of a call is checked here, so the C compiler never sees a
// call that does not match its kernel.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/GPU/HostCode.h"

#include "CNames.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>

using namespace mixir::gpu;
using llvm::StringRef;

namespace {
/// An element type the header can document.
struct ElementType {
  StringRef cType;
  /// The MLIR name the CPU header prints beside the C type.
  StringRef mlirName;
  unsigned bytes;
};
} // namespace

static const ElementType kElementTypes[] = {
    {"float", "f32", 4},       {"double", "f64", 8},  {"mixir_f16", "f16", 2},
    {"mixir_bf16", "bf16", 2}, {"int32_t", "i32", 4}, {"int64_t", "i64", 8},
    {"bool", "i1", 1}};

static const ElementType *findElementType(StringRef cType) {
  for (const ElementType &type : kElementTypes)
    if (type.cType == cType)
      return &type;
  return nullptr;
}

std::string mixir::gpu::hostModelName(StringRef headerFileName) {
  std::string name;
  for (char c : llvm::sys::path::stem(headerFileName))
    name += llvm::isAlnum(c) ? c : '_';
  if (name.empty() || llvm::isDigit(name.front()))
    name = "mixir_" + name;
  return name;
}

namespace {
/// Builds the two files; each check failure is one error naming the function
/// and the call.
class HostCodeEmitter {
public:
  HostCodeEmitter(llvm::ArrayRef<KernelBundle> kernels,
                  StringRef headerFileName)
      : headerFileName(llvm::sys::path::filename(headerFileName)),
        modelName(hostModelName(headerFileName)) {
    for (const KernelBundle &kernel : kernels)
      kernelsByName[kernel.name] = &kernel;
  }

  llvm::Expected<HostCode> emit(llvm::ArrayRef<HostFunction> functions);

private:
  llvm::Error checkNames(llvm::ArrayRef<HostFunction> functions);
  llvm::Error emitFunction(const HostFunction &function);
  llvm::Expected<std::string> bindingText(const HostFunction &function,
                                          size_t callIndex, size_t argIndex,
                                          const KernelParam &param,
                                          llvm::StringSet<> &used,
                                          llvm::StringSet<> &aligned);

  std::string headerFileName;
  std::string modelName;
  llvm::StringMap<const KernelBundle *> kernelsByName;
  /// The kernels the functions call, in the order of their first call.
  llvm::SetVector<const KernelBundle *> calledKernels;
  std::string declarations;
  std::string definitions;
};
} // namespace

static llvm::Error failure(const HostFunction &function,
                           const llvm::Twine &what) {
  return llvm::createStringError("cannot emit host function '" + function.name +
                                 "': " + what);
}

llvm::Error
HostCodeEmitter::checkNames(llvm::ArrayRef<HostFunction> functions) {
  // Every external name model.c defines, against each other and against
  // what the kernels define.
  llvm::StringSet<> globals;
  for (const auto &entry : kernelsByName) {
    for (StringRef prefix : {"", "load_", "unload_"})
      globals.insert((prefix + entry.getKey()).str());
    globals.insert((entry.getKey() + "_load_status").str());
  }
  auto claim = [&](const std::string &name) {
    return globals.insert(name).second;
  };
  if (!claim("load_" + modelName) || !claim("unload_" + modelName))
    return llvm::createStringError("the model's load_" + modelName +
                                   "/unload_" + modelName +
                                   " clash with a kernel's names");
  for (const HostFunction &function : functions) {
    if (!detail::isCIdentifier(function.name))
      return failure(function, "the name is not a C identifier");
    if (!claim(function.name) || !claim(function.name + "_workspace_size"))
      return failure(function, "'" + function.name + "' or '" + function.name +
                                   "_workspace_size' is already defined");
    llvm::StringSet<> locals = {"stream", "workspace", "result"};
    for (const std::vector<BufferDoc> *buffers :
         {&function.arguments, &function.results}) {
      for (const BufferDoc &buffer : *buffers) {
        if (!detail::isCIdentifier(buffer.name) ||
            !locals.insert(buffer.name).second)
          return failure(function, "buffer name '" + buffer.name +
                                       "' is not a C identifier, repeats, or "
                                       "is one of stream, workspace, result");
        const ElementType *type = findElementType(buffer.elementCType);
        if (!type)
          return failure(function, "buffer '" + buffer.name +
                                       "' has element type '" +
                                       buffer.elementCType +
                                       "' (expected float, double, mixir_f16, "
                                       "mixir_bf16, int32_t, int64_t or bool)");
        if (llvm::any_of(buffer.shape, [](int64_t size) { return size < 0; }))
          return failure(function, "buffer '" + buffer.name +
                                       "' has a dynamic or negative extent "
                                       "(GPU host functions need static "
                                       "shapes)");
      }
    }
  }
  return llvm::Error::success();
}

/// `value` as a C float literal that reads back exactly.
static std::string floatLiteral(float value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", double(value));
  std::string literal = text;
  if (literal.find_first_of(".e") == std::string::npos)
    literal += ".0";
  return literal + "f";
}

llvm::Expected<std::string>
HostCodeEmitter::bindingText(const HostFunction &function, size_t callIndex,
                             size_t argIndex, const KernelParam &param,
                             llvm::StringSet<> &used,
                             llvm::StringSet<> &aligned) {
  const KernelCall &call = function.calls[callIndex];
  const ArgBinding &binding = call.args[argIndex];
  auto mismatch = [&](const llvm::Twine &what) {
    return failure(function, "call #" + llvm::Twine(callIndex) + " of '" +
                                 call.kernelName + "', parameter '" +
                                 param.name + "' (" + cParamType(param.kind) +
                                 "): " + what);
  };
  bool isPointer = param.kind == KernelParam::Kind::Pointer;
  switch (binding.kind) {
  case ArgBinding::Kind::Argument:
  case ArgBinding::Kind::Result: {
    bool isResult = binding.kind == ArgBinding::Kind::Result;
    const std::vector<BufferDoc> &buffers =
        isResult ? function.results : function.arguments;
    if (!isPointer)
      return mismatch("bound to a buffer");
    if (binding.index >= buffers.size())
      return mismatch(llvm::Twine(isResult ? "result #" : "argument #") +
                      llvm::Twine(binding.index) + " does not exist (" +
                      llvm::Twine(buffers.size()) + " given)");
    const std::string &name = buffers[binding.index].name;
    used.insert(name);
    if (param.divisibleBy16)
      aligned.insert(name);
    return name;
  }
  case ArgBinding::Kind::Workspace:
    if (!isPointer)
      return mismatch("bound to the workspace");
    if (binding.offset >= function.workspaceBytes)
      return mismatch("workspace offset " + llvm::Twine(binding.offset) +
                      " is outside the workspace (" +
                      llvm::Twine(function.workspaceBytes) + " bytes)");
    if (param.divisibleBy16 && binding.offset % 16 != 0)
      return mismatch("workspace offset " + llvm::Twine(binding.offset) +
                      " is not a multiple of 16, which the kernel assumes");
    used.insert("workspace");
    if (param.divisibleBy16)
      aligned.insert("workspace");
    if (binding.offset == 0)
      return std::string("workspace");
    return "workspace + " + std::to_string(binding.offset) + "ULL";
  case ArgBinding::Kind::Integer:
    if (param.kind == KernelParam::Kind::I32) {
      if (binding.integer < INT32_MIN || binding.integer > INT32_MAX)
        return mismatch(llvm::Twine(binding.integer) +
                        " does not fit in int32_t");
      if (param.divisibleBy16 && binding.integer % 16 != 0)
        return mismatch(llvm::Twine(binding.integer) +
                        " is not a multiple of 16, which the kernel assumes");
      return binding.integer == INT32_MIN
                 ? std::string("INT32_MIN")
                 : "(int32_t)" + std::to_string(binding.integer);
    }
    if (param.kind == KernelParam::Kind::I64) {
      if (param.divisibleBy16 && binding.integer % 16 != 0)
        return mismatch(llvm::Twine(binding.integer) +
                        " is not a multiple of 16, which the kernel assumes");
      return binding.integer == INT64_MIN
                 ? std::string("INT64_MIN")
                 : "INT64_C(" + std::to_string(binding.integer) + ")";
    }
    return mismatch("bound to an integer constant");
  case ArgBinding::Kind::Float:
    if (param.kind != KernelParam::Kind::F32)
      return mismatch("bound to a float constant");
    if (!std::isfinite(binding.real))
      return mismatch("the constant is not finite");
    return floatLiteral(binding.real);
  }
  llvm_unreachable("unknown binding kind");
}

/// The extents as "[2][8][128]" ("[]" for a scalar) and "2x8x128" ("scalar").
static std::pair<std::string, std::string>
extents(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return {"[]", "scalar"};
  std::string brackets;
  for (int64_t size : shape)
    brackets += "[" + std::to_string(size) + "]";
  return {brackets, llvm::join(llvm::map_range(shape,
                                               [](int64_t size) {
                                                 return std::to_string(size);
                                               }),
                               "x")};
}

llvm::Error HostCodeEmitter::emitFunction(const HostFunction &function) {
  llvm::raw_string_ostream header(declarations);
  llvm::raw_string_ostream source(definitions);

  // The comment, in the CPU header's form, with each buffer's size in bytes
  // (what cuMemAlloc needs).
  header << "\n/* " << function.name << "\n";
  for (const std::vector<BufferDoc> *buffers :
       {&function.arguments, &function.results}) {
    for (const BufferDoc &buffer : *buffers) {
      const ElementType *type = findElementType(buffer.elementCType);
      auto [brackets, dims] = extents(buffer.shape);
      uint64_t bytes = type->bytes;
      bool overflow = false;
      for (int64_t size : buffer.shape)
        bytes = llvm::SaturatingMultiply(bytes, uint64_t(size), &overflow);
      if (overflow)
        return failure(function,
                       "buffer '" + buffer.name + "' exceeds 2^64 bytes");
      header << " *   " << buffer.name << "  "
             << (buffer.isResult ? "out " : "in  ") << buffer.elementCType
             << brackets << "  (" << type->mlirName << ", " << dims << ", "
             << bytes << " bytes)\n";
    }
  }
  header << " *   workspace  " << function.workspaceBytes << " bytes\n */\n";

  std::string parameters = "CUstream stream";
  for (const BufferDoc &buffer : function.arguments)
    parameters += ", CUdeviceptr " + buffer.name;
  for (const BufferDoc &buffer : function.results)
    parameters += ", CUdeviceptr " + buffer.name;
  parameters += ", CUdeviceptr workspace";
  header << "CUresult " << function.name << "(" << parameters << ");\n"
         << "size_t " << function.name << "_workspace_size(void);\n";

  // The launches first, so that the unused and aligned parameters are known.
  std::string launches;
  llvm::raw_string_ostream body(launches);
  llvm::StringSet<> used, aligned;
  for (auto [callIndex, call] : llvm::enumerate(function.calls)) {
    auto found = kernelsByName.find(call.kernelName);
    if (found == kernelsByName.end())
      return failure(function, "call #" + llvm::Twine(callIndex) +
                                   " names no known kernel ('" +
                                   call.kernelName + "')");
    const KernelBundle &kernel = *found->second;
    const std::vector<KernelParam> &params = kernel.image.params;
    if (call.args.size() != params.size())
      return failure(function, "call #" + llvm::Twine(callIndex) + " of '" +
                                   call.kernelName + "' binds " +
                                   llvm::Twine(call.args.size()) +
                                   " parameters (the kernel has " +
                                   llvm::Twine(params.size()) + ")");
    calledKernels.insert(&kernel);
    body << "  result = " << kernel.name << "(stream";
    for (auto [argIndex, param] : llvm::enumerate(params)) {
      llvm::Expected<std::string> text =
          bindingText(function, callIndex, argIndex, param, used, aligned);
      if (!text)
        return text.takeError();
      body << ", " << *text;
    }
    body << ");\n  if (result != CUDA_SUCCESS)\n    return result;\n";
  }

  source << "\nsize_t " << function.name << "_workspace_size(void) {\n"
         << "  return " << function.workspaceBytes << ";\n}\n"
         << "\nCUresult " << function.name << "(" << parameters << ") {\n";
  if (!function.calls.empty())
    source << "  CUresult result;\n";
  else
    source << "  (void)stream;\n";
  llvm::SmallVector<std::string> names;
  for (const BufferDoc &buffer : function.arguments)
    names.push_back(buffer.name);
  for (const BufferDoc &buffer : function.results)
    names.push_back(buffer.name);
  names.push_back("workspace");
  for (const std::string &name : names)
    if (!used.contains(name))
      source << "  (void)" << name << ";\n";
  llvm::SmallVector<std::string> checks;
  for (const std::string &name : names)
    if (aligned.contains(name))
      checks.push_back(name + " % 16 != 0");
  if (!checks.empty())
    source << "  /* Kernels assume these addresses are 16-byte aligned. */\n"
           << "  if (" << llvm::join(checks, " || ") << ")\n"
           << "    return CUDA_ERROR_INVALID_VALUE;\n";
  source << launches << "  return CUDA_SUCCESS;\n}\n";
  return llvm::Error::success();
}

llvm::Expected<HostCode>
HostCodeEmitter::emit(llvm::ArrayRef<HostFunction> functions) {
  if (llvm::Error error = checkNames(functions))
    return std::move(error);
  for (const HostFunction &function : functions)
    if (llvm::Error error = emitFunction(function))
      return std::move(error);

  HostCode code;
  std::string guard = detail::macroName(headerFileName);
  llvm::raw_string_ostream header(code.header);
  header
      << "/* Generated by mixir-compile. Do not edit.\n"
      << " *\n"
      << " * Each function enqueues its kernels, in order, on `stream` and "
         "returns the\n"
      << " * first error, or CUDA_SUCCESS once all are enqueued: synchronize "
         "the stream\n"
      << " * before reading the results. The buffers are device addresses "
         "(CUdeviceptr,\n"
      << " * in the current context) of dense row-major arrays of the shapes "
         "given\n"
      << " * below; results must not alias the arguments or each other. "
         "Addresses\n"
      << " * a kernel needs 16-byte aligned (cuMemAlloc's always are) are "
         "checked, and\n"
      << " * CUDA_ERROR_INVALID_VALUE returned when they are not. `workspace` "
         "is a\n"
      << " * device buffer of NAME_workspace_size() bytes (0 when that is 0), "
         "in use\n"
      << " * until the stream has finished the call.\n"
      << " *\n"
      << " * load_" << modelName
      << "() loads every kernel into the current context and returns the\n"
      << " * first error (without it, each kernel loads at its first launch, "
         "which is\n"
      << " * not thread-safe); unload_" << modelName
      << "() unloads them. Build " << llvm::sys::path::stem(headerFileName)
      << ".c and\n"
      << " * the kernels' .c files with -I<cuda>/include and link them with "
         "-lcuda.\n"
      << " */\n"
      << "#ifndef " << guard << "\n#define " << guard << "\n\n"
      << "#include <cuda.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
      << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
      << "CUresult load_" << modelName << "(void);\n"
      << "void unload_" << modelName << "(void);\n"
      << declarations << "\n#ifdef __cplusplus\n} /* extern \"C\" */\n"
      << "#endif\n\n#endif /* " << guard << " */\n";

  llvm::raw_string_ostream source(code.source);
  source << "/* Generated by mixir-compile. Do not edit.\n"
         << " *\n"
         << " * The host functions declared in " << headerFileName
         << ": each launches its kernels\n"
         << " * through their Triton-style launchers, in order.\n"
         << " */\n"
         << "#include \"" << headerFileName << "\"\n";
  for (const KernelBundle *kernel : calledKernels)
    source << "#include \"" << kernel->name << ".h\"\n";
  source << "\nCUresult load_" << modelName << "(void) {\n";
  for (const KernelBundle *kernel : calledKernels)
    source << "  load_" << kernel->name << "();\n"
           << "  if (" << kernel->name << "_load_status() != CUDA_SUCCESS)\n"
           << "    return " << kernel->name << "_load_status();\n";
  source << "  return CUDA_SUCCESS;\n}\n"
         << "\nvoid unload_" << modelName << "(void) {\n";
  for (const KernelBundle *kernel : calledKernels)
    source << "  unload_" << kernel->name << "();\n";
  source << "}\n" << definitions;
  return code;
}

llvm::Expected<HostCode>
mixir::gpu::emitHostCode(llvm::ArrayRef<HostFunction> functions,
                         llvm::ArrayRef<KernelBundle> kernels,
                         StringRef headerFileName) {
  return HostCodeEmitter(kernels, headerFileName).emit(functions);
}
