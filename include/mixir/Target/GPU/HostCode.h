//===- HostCode.h - the host side of a GPU model ----------------*- C++ -*-===//
//
// With --target=nvptx --emit-header model.h, mixir-compile writes model.h and
// model.c beside the kernel bundles: for every public function,
// `CUresult NAME(CUstream, CUdeviceptr args..., CUdeviceptr results...,
// CUdeviceptr workspace)` that launches the function's kernels in order on
// the stream, and `NAME_workspace_size()`, with each buffer's shape and
// element type documented the way the CPU header documents them; plus
// load_<model>/unload_<model> for every kernel at once.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_GPU_HOSTCODE_H
#define MIXIR_TARGET_GPU_HOSTCODE_H

#include "mixir/Target/GPU/KernelBundle.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mixir::gpu {

/// One buffer of a host function: a dense row-major array on the device.
struct BufferDoc {
  /// The C parameter name ("arg0", "res0").
  std::string name;
  /// As in the CPU header: float, double, mixir_f16, mixir_bf16, int32_t,
  /// int64_t or bool.
  std::string elementCType;
  /// Static extents; empty for a scalar.
  std::vector<int64_t> shape;
  bool isResult = false;
};

/// What one kernel parameter receives in a call.
struct ArgBinding {
  enum class Kind { Argument, Result, Workspace, Integer, Float };

  Kind kind = Kind::Argument;
  /// Kind::Argument, Kind::Result: which one of the function's.
  unsigned index = 0;
  /// Kind::Workspace: the byte offset into the workspace.
  uint64_t offset = 0;
  /// Kind::Integer: the value of an I32 or I64 parameter.
  int64_t integer = 0;
  /// Kind::Float: the value of an F32 parameter.
  float real = 0;

  static ArgBinding argument(unsigned index) {
    return {Kind::Argument, index, 0, 0, 0};
  }
  static ArgBinding result(unsigned index) {
    return {Kind::Result, index, 0, 0, 0};
  }
  static ArgBinding workspace(uint64_t offset) {
    return {Kind::Workspace, 0, offset, 0, 0};
  }
  static ArgBinding integerConstant(int64_t value) {
    return {Kind::Integer, 0, 0, value, 0};
  }
  static ArgBinding floatConstant(float value) {
    return {Kind::Float, 0, 0, 0, value};
  }
};

/// One launch: kernel `kernelName` (a bundle's K) with one binding per
/// kernel parameter.
struct KernelCall {
  std::string kernelName;
  std::vector<ArgBinding> args;
};

/// A public function of the model.
struct HostFunction {
  std::string name;
  std::vector<BufferDoc> arguments, results;
  uint64_t workspaceBytes = 0;
  /// Launched in this order on the caller's stream.
  std::vector<KernelCall> calls;
};

struct HostCode {
  /// model.h
  std::string header;
  /// model.c, which includes model.h and each called kernel's K.h.
  std::string source;
};

/// The load/unload names of a model: the stem of its header file made a C
/// identifier ("model" for "out/model.h", so load_model/unload_model).
std::string hostModelName(llvm::StringRef headerFileName);

/// The host code of `functions`, whose calls name kernels of `kernels`.
/// `headerFileName` gives the include guard, the name model.c includes and
/// the model name (hostModelName). Every call is checked against the
/// kernel's parameters (count, kinds, value ranges, workspace bounds and the
/// 16-byte alignment a kernel assumes).
llvm::Expected<HostCode> emitHostCode(llvm::ArrayRef<HostFunction> functions,
                                      llvm::ArrayRef<KernelBundle> kernels,
                                      llvm::StringRef headerFileName);

} // namespace mixir::gpu

#endif // MIXIR_TARGET_GPU_HOSTCODE_H
