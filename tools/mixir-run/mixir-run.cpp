//===- mixir-run.cpp - JIT-compile and run one function -------------------===//
//
// mixir-run compiles a module with one of Mixir's pipelines, JIT-compiles it
// with MLIR's ExecutionEngine (the same TargetMachine mixir-compile uses) and
// runs one function on .npy inputs or random ones. With --check it also
// evaluates the float64 reference of the function's attn op and reports the
// error against the spec's tolerance; with --bench it times the function.
//
// Exit codes: 0 success, 1 a --check tolerance was exceeded, 2 any error (no
// output file is written then).
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnDialect.h"
#include "mixir/Dialect/Attn/IR/AttnOps.h"
#include "mixir/Pipelines/Pipelines.h"
#include "mixir/Reference/EvaluateOp.h"
#include "mixir/Runtime/Npy.h"
#include "mixir/Target/CPU/CPUTarget.h"
#include "mixir/Target/GPU/HostInterpreter.h"
#include "mixir/Target/TargetDescription.h"
#include "mixir/Tools/ToolSupport.h"
#include "mixir/Transforms/Passes.h"
#include "mixir/Transforms/SizeSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <unistd.h>

using namespace mlir;
namespace npy = mixir::npy;
namespace reference = mixir::reference;

namespace cl = llvm::cl;

static cl::OptionCategory category("mixir-run options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<module.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Function to run (default: the only public function)"),
              cl::cat(category));
static cl::list<std::string>
    inputs("input",
           cl::desc("Input .npy file, one per argument in order; 'random' "
                    "generates that argument"),
           cl::cat(category));
static cl::list<std::string>
    outputs("output", cl::desc("Output .npy file, one per result in order"),
            cl::cat(category));
static cl::list<std::string> expected(
    "expect",
    cl::desc("Expected result .npy file, one per result in order (e.g. the "
             "--output of another pipeline on the same inputs); exit 1 when "
             "a result differs by more than the spec's tolerance"),
    cl::cat(category));
static cl::opt<bool> randomInputs(
    "random-inputs",
    cl::desc("Generate every argument not given by --input: standard-normal "
             "floats, full lengths, one segment, random block layouts"),
    cl::cat(category));
static cl::list<double> randomScales(
    "random-scale",
    cl::desc("With --random-inputs: multiply the standard-normal values of "
             "each generated float argument, in order, by these factors "
             "(default 1; e.g. 1e4,1e4,1 for large q and k); f16 and bf16 "
             "values saturate at the type's largest finite value"),
    cl::CommaSeparated, cl::cat(category));
static cl::opt<bool> randomLengths(
    "random-lengths",
    cl::desc("With --random-inputs: random lengths in [0, full] and random "
             "segments instead of full lengths and one segment"),
    cl::cat(category));
enum class SegmentIdKind { Runs, Scattered, Any };
static cl::opt<SegmentIdKind> randomSegmentIds(
    "random-segment-ids",
    cl::desc("With --random-inputs --random-lengths, how segment ids are "
             "drawn"),
    cl::values(clEnumValN(SegmentIdKind::Runs, "runs",
                          "nondecreasing ids from 0 (default)"),
               clEnumValN(SegmentIdKind::Scattered, "scattered",
                          "ids in [0, L) in any order, a segment's tokens "
                          "not adjacent"),
               clEnumValN(SegmentIdKind::Any, "any",
                          "ids anywhere in [-2L, 2L], negative ones too")),
    cl::init(SegmentIdKind::Runs), cl::cat(category));
static cl::opt<std::string>
    seedOption("seed", cl::desc("Seed of the random inputs, or 'clock'"),
               cl::init("0"), cl::cat(category));
static cl::opt<bool>
    check("check",
          cl::desc("Compare each result with the float64 reference of the "
                   "function's attn op; exit 1 above the spec's tolerance"),
          cl::cat(category));
static cl::opt<std::string>
    pipelineName("pipeline",
                 cl::desc("Lowering pipeline (default: the best available)"),
                 cl::cat(category));
static cl::opt<unsigned>
    benchRuns("bench",
              cl::desc("Run N times after a warm-up; print one JSON line "
                       "with the median and minimum time"),
              cl::init(0), cl::cat(category));
static cl::opt<std::string> targetName("target",
                                       cl::desc("Target: cpu (run here) or "
                                                "nvptx (NVIDIA GPU kernels, "
                                                "interpreted on this CPU)"),
                                       cl::init("cpu"), cl::cat(category));
static cl::opt<std::string> cpuName("cpu",
                                    cl::desc("--target=cpu: native, "
                                             "x86-64-v3, x86-64-v4"),
                                    cl::init("native"), cl::cat(category));
static cl::opt<std::string> gpuTestMutation(
    "gpu-test-mutation",
    cl::desc("Tests only: inject a fault into the GPU kernels "
             "(fragment-layout, no-barrier, no-async-wait, no-rescale, "
             "no-proxy-fence)"),
    cl::Hidden, cl::cat(category));
static cl::opt<bool> gpuStatistics(
    "gpu-statistics",
    cl::desc("With --target=nvptx: after the run, print what the kernel "
             "interpreter executed (CTAs, the attention kernels' key tiles)"),
    cl::init(false), cl::cat(category));
static cl::opt<std::string> chipName("chip",
                                     cl::desc("--target=nvptx: sm_80, sm_90, "
                                              "sm_90a"),
                                     cl::init("sm_80"), cl::cat(category));
static cl::opt<std::string> saveInputs(
    "save-inputs",
    cl::desc("Also write the arguments, as used, to DIR/arg<i>.npy (to feed "
             "the same inputs to a compiled object)"),
    cl::value_desc("DIR"), cl::cat(category));
static cl::list<int64_t> sizeValues(
    "sizes",
    cl::desc("For a function with dynamic (?) dims: the size parameters of "
             "its C signature, in order (one per ? dim of the arguments); "
             "the function is run specialized to them"),
    cl::value_desc("N,N,..."), cl::CommaSeparated, cl::cat(category));
static cl::opt<uint64_t> maxMemory(
    "max-memory",
    cl::desc("Refuse to run when buffers and intermediates need more bytes "
             "than this (default: the machine's physical memory)"),
    cl::init(0), cl::cat(category));

namespace {

/// Reports one error line and exits with 2.
[[noreturn]] void fail(const llvm::Twine &message) {
  mixir::exitAfterError("mixir-run", message, 2);
}

void failOn(llvm::Error error, const llvm::Twine &context = "") {
  if (!error)
    return;
  std::string message = llvm::toString(std::move(error));
  fail(context.isTriviallyEmpty() ? llvm::Twine(message)
                                  : context + ": " + message);
}

/// A dense row-major buffer of one function argument or result.
struct HostBuffer {
  RankedTensorType type;
  std::vector<uint8_t> bytes;
  int64_t numel() const { return type.getNumElements(); }
};

std::optional<npy::DType> npyTypeOf(Type type) {
  if (type.isF32())
    return npy::DType::F32;
  if (type.isF16())
    return npy::DType::F16;
  if (type.isF64())
    return npy::DType::F64;
  if (type.isSignlessInteger(32))
    return npy::DType::I32;
  if (type.isSignlessInteger(64))
    return npy::DType::I64;
  if (type.isSignlessInteger(1))
    return npy::DType::Bool;
  return std::nullopt;
}

std::string describe(RankedTensorType type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// bf16 element `index` of `buffer` (.npy has no bf16, so npy's conversions
/// do not cover it).
double loadBF16(const HostBuffer &buffer, int64_t index) {
  uint16_t bits;
  std::memcpy(&bits, buffer.bytes.data() + 2 * index, 2);
  uint32_t word = uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &word, 4);
  return value;
}

std::vector<double> toDoubles(const HostBuffer &buffer) {
  Type type = buffer.type.getElementType();
  if (!type.isBF16()) {
    npy::Array view;
    view.dtype = *npyTypeOf(type);
    view.shape = {buffer.numel()};
    view.bytes = buffer.bytes;
    return npy::toDoubles(view);
  }
  std::vector<double> values(buffer.numel());
  for (int64_t i = 0; i < buffer.numel(); ++i)
    values[i] = loadBF16(buffer, i);
  return values;
}

HostBuffer fromDoubles(RankedTensorType type, llvm::ArrayRef<double> values) {
  HostBuffer buffer{type, {}};
  Type elementType = type.getElementType();
  if (elementType.isBF16()) {
    buffer.bytes.resize(2 * values.size());
    for (auto [index, value] : llvm::enumerate(values)) {
      float f = static_cast<float>(value);
      uint32_t word;
      std::memcpy(&word, &f, 4);
      // Round to nearest even on the dropped half.
      uint32_t rounded = word + 0x7FFF + ((word >> 16) & 1);
      uint16_t bits =
          std::isnan(f) ? uint16_t(0x7FC0) : uint16_t(rounded >> 16);
      std::memcpy(buffer.bytes.data() + 2 * index, &bits, 2);
    }
    return buffer;
  }
  npy::Array array = npy::fromDoubles(
      *npyTypeOf(elementType),
      std::vector<int64_t>(type.getShape().begin(), type.getShape().end()),
      values);
  buffer.bytes = std::move(array.bytes);
  return buffer;
}

/// How an argument is used by the attn ops of the function, for generating
/// it.
enum class ArgumentRole { Data, Length, SegmentIds, Layout };

struct ArgumentUse {
  ArgumentRole role = ArgumentRole::Data;
  /// For lengths: the full length.
  int64_t fullLength = 0;
};

ArgumentUse classifyArgument(func::FuncOp func, BlockArgument argument) {
  ArgumentUse use;
  for (OpOperand &operand : argument.getUses()) {
    Operation *user = operand.getOwner();
    auto dimOf = [](Value value, unsigned dim) {
      return cast<RankedTensorType>(value.getType()).getDimSize(dim);
    };
    auto setLength = [&](int64_t length) {
      use.role = ArgumentRole::Length;
      use.fullLength = length;
    };
    auto attentionLike = [&](auto op) {
      if (op.getKvLen() == argument)
        setLength(dimOf(op.getKey(), 2));
      else if (op.getQLen() == argument)
        setLength(dimOf(op.getQuery(), 2));
    };
    if (auto op = dyn_cast<mixir::attn::AttentionOp>(user)) {
      attentionLike(op);
    } else if (auto op = dyn_cast<mixir::attn::BlockSparseAttentionOp>(user)) {
      attentionLike(op);
      if (op.getLayout() == argument)
        use.role = ArgumentRole::Layout;
    } else if (auto op = dyn_cast<mixir::attn::PoolMixOp>(user)) {
      if (op.getLen() == argument)
        setLength(dimOf(op.getQuery(), 1));
      else if (op.getSegmentIds() == argument)
        use.role = ArgumentRole::SegmentIds;
    }
  }
  return use;
}

/// The largest finite value of a float type narrower than f32 (the values
/// --random-scale saturates at), or +inf.
double largestFinite(Type type) {
  if (type.isF16())
    return 65504.0;
  if (type.isBF16())
    return 0x1.fep127;
  return std::numeric_limits<double>::infinity();
}

HostBuffer generateArgument(RankedTensorType type, const ArgumentUse &use,
                            double scale, std::mt19937_64 &rng) {
  std::vector<double> values(type.getNumElements());
  switch (use.role) {
  case ArgumentRole::Data: {
    std::normal_distribution<double> normal(0.0, 1.0);
    double limit = largestFinite(type.getElementType());
    for (double &value : values)
      value = std::clamp(scale * normal(rng), -limit, limit);
    if (type.getElementType().isSignlessInteger(1))
      for (double &value : values)
        value = value > 0 ? 1 : 0;
    break;
  }
  case ArgumentRole::Length: {
    std::uniform_int_distribution<int64_t> length(0, use.fullLength);
    for (double &value : values)
      value = randomLengths ? length(rng) : use.fullLength;
    break;
  }
  case ArgumentRole::SegmentIds: {
    // [B, L]: one segment, or nondecreasing ids with random boundaries,
    // or (--random-segment-ids) ids drawn per token.
    int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
    std::bernoulli_distribution boundary(0.2);
    // A few distinct ids per row, so that segments have several tokens.
    int64_t distinct = std::max<int64_t>(1, columns / 4);
    std::uniform_int_distribution<int64_t> scattered(0, columns - 1);
    std::uniform_int_distribution<int64_t> anywhere(-2 * columns, 2 * columns);
    for (int64_t row = 0; row < rows; ++row) {
      SmallVector<int64_t> pool;
      for (int64_t i = 0; i < distinct; ++i)
        pool.push_back(randomSegmentIds == SegmentIdKind::Any ? anywhere(rng)
                                                              : scattered(rng));
      std::uniform_int_distribution<int64_t> pick(0, distinct - 1);
      int64_t id = 0;
      for (int64_t column = 0; column < columns; ++column) {
        if (!randomLengths) {
          values[row * columns + column] = 0;
        } else if (randomSegmentIds == SegmentIdKind::Runs) {
          if (column > 0 && boundary(rng))
            ++id;
          values[row * columns + column] = id;
        } else {
          values[row * columns + column] = pool[pick(rng)];
        }
      }
    }
    break;
  }
  case ArgumentRole::Layout: {
    std::bernoulli_distribution bit(0.5);
    for (double &value : values)
      value = bit(rng) ? 1 : 0;
    break;
  }
  }
  return fromDoubles(type, values);
}

HostBuffer readArgument(llvm::StringRef path, RankedTensorType type,
                        unsigned index) {
  std::optional<npy::DType> dtype = npyTypeOf(type.getElementType());
  if (!dtype)
    fail("argument #" + llvm::Twine(index) + " has type " + describe(type) +
         ", which .npy files cannot hold; generate it with --random-inputs");
  llvm::Expected<npy::Array> array = npy::readNpy(path);
  failOn(array.takeError());
  if (array->dtype != *dtype ||
      llvm::ArrayRef<int64_t>(array->shape) != type.getShape())
    fail(path + ": argument #" + llvm::Twine(index) + " must be " +
         npy::name(*dtype) + " " + npy::formatShape(type.getShape()) +
         ", the file holds " + npy::name(array->dtype) + " " +
         npy::formatShape(array->shape));
  return HostBuffer{type, std::move(array->bytes)};
}

/// Writes `buffer` as a .npy file; `what` names it in the error.
void writeBuffer(const HostBuffer &buffer, llvm::StringRef path,
                 const llvm::Twine &what) {
  std::optional<npy::DType> dtype = npyTypeOf(buffer.type.getElementType());
  if (!dtype)
    fail(what + " has type " + describe(buffer.type) +
         ", which .npy files cannot hold");
  npy::Array array;
  array.dtype = *dtype;
  array.shape.assign(buffer.type.getShape().begin(),
                     buffer.type.getShape().end());
  array.bytes = buffer.bytes;
  failOn(npy::writeNpy(path, array));
}

uint64_t physicalMemory() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0)
    return uint64_t(1) << 40;
  return uint64_t(pages) * uint64_t(pageSize);
}

/// Bytes of a static tensor type; saturates instead of overflowing.
uint64_t bytesOf(ShapedType type) {
  unsigned bits = type.getElementType().isIntOrFloat()
                      ? type.getElementType().getIntOrFloatBitWidth()
                      : 64;
  uint64_t bytes = std::max(1u, bits / 8);
  for (int64_t size : type.getShape()) {
    if (size > 0 && bytes > std::numeric_limits<uint64_t>::max() / size)
      return std::numeric_limits<uint64_t>::max();
    bytes *= size;
  }
  return bytes;
}

uint64_t saturatingAdd(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b
             ? std::numeric_limits<uint64_t>::max()
             : a + b;
}

/// The attn op a --check compares against, and how its operands map to the
/// function's arguments.
struct CheckedOp {
  Operation *op = nullptr;
  /// Per op operand: the argument index, or -1 for an init (tensor.empty).
  SmallVector<int> operandArguments;
  /// Per function result: the op result index.
  SmallVector<unsigned> resultIndices;
};

CheckedOp findCheckedOp(func::FuncOp func) {
  CheckedOp checked;
  for (Operation &op : func.getBody().front()) {
    if (isa<mixir::attn::AttnDialect>(op.getDialect())) {
      if (checked.op)
        fail("--check needs the body of '" + func.getName() +
             "' to be a single attn op; it has several");
      checked.op = &op;
    } else if (!isa<tensor::EmptyOp, func::ReturnOp>(op)) {
      fail("--check needs the body of '" + func.getName() +
           "' to be a single attn op; it also has " +
           op.getName().getStringRef());
    }
  }
  if (!checked.op)
    fail("--check needs an attn op in '" + func.getName() + "'");
  for (Value operand : checked.op->getOperands()) {
    if (auto argument = dyn_cast<BlockArgument>(operand))
      checked.operandArguments.push_back(argument.getArgNumber());
    else
      checked.operandArguments.push_back(-1);
  }
  auto returnOp = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (Value value : returnOp.getOperands()) {
    auto result = dyn_cast<OpResult>(value);
    if (!result || result.getOwner() != checked.op)
      fail("--check needs '" + func.getName() +
           "' to return the results of its attn op");
    checked.resultIndices.push_back(result.getResultNumber());
  }
  return checked;
}

reference::ElementKind elementKind(Type type) {
  if (type.isF16())
    return reference::ElementKind::F16;
  if (type.isBF16())
    return reference::ElementKind::BF16;
  if (type.isF64())
    return reference::ElementKind::F64;
  return reference::ElementKind::F32;
}

/// Rounds each value of `tensor` to `type` (to nearest, ties to even), the
/// result an exact implementation returns: a value below the type's
/// smallest subnormal is 0, one past its largest finite value is infinite.
/// Without it an f16 result of 1e-16 (a sigmoid far in its tail) would be
/// a relative error of 1.
void roundToElementType(reference::Tensor &tensor, Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  if (!floatType || type.isF64())
    return;
  const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
  for (double &value : tensor.data) {
    llvm::APFloat rounded(value);
    bool losesInfo;
    rounded.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    rounded.convert(llvm::APFloat::IEEEdouble(),
                    llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    value = rounded.convertToDouble();
  }
}

/// Evaluates the reference and prints one line per result; returns whether
/// every result is within tolerance.
bool checkResults(const CheckedOp &checked, ArrayRef<HostBuffer> arguments,
                  ArrayRef<HostBuffer> results) {
  std::vector<reference::Tensor> operands;
  for (auto [index, argument] : llvm::enumerate(checked.operandArguments)) {
    if (argument < 0) {
      operands.emplace_back(std::vector<int64_t>{});
      continue;
    }
    const HostBuffer &buffer = arguments[argument];
    operands.emplace_back(std::vector<int64_t>(buffer.type.getShape().begin(),
                                               buffer.type.getShape().end()),
                          toDoubles(buffer));
  }
  llvm::Expected<std::vector<reference::Tensor>> expected =
      reference::evaluateReference(checked.op, operands);
  failOn(expected.takeError(), "reference evaluation");
  Type inputType =
      cast<ShapedType>(checked.op->getOperand(0).getType()).getElementType();
  reference::ElementKind kind = elementKind(inputType);
  bool allOk = true;
  for (auto [index, resultIndex] : llvm::enumerate(checked.resultIndices)) {
    reference::Tensor got(
        std::vector<int64_t>(results[index].type.getShape().begin(),
                             results[index].type.getShape().end()),
        toDoubles(results[index]));
    reference::Tensor ref = (*expected)[resultIndex];
    roundToElementType(ref, results[index].type.getElementType());
    reference::ErrorStats stats = reference::compare(got, ref);
    double tolerance = reference::toleranceFor(kind, ref);
    bool ok = reference::withinTolerance(stats, tolerance);
    allOk &= ok;
    std::string widened;
    if (tolerance > reference::toleranceFor(kind))
      widened = llvm::formatv("(widened for logits up to {0:e2})  ",
                              ref.logitMagnitude);
    int64_t exact = llvm::count(ref.exact, true);
    std::string exactNote =
        exact ? llvm::formatv("exact = {0}  ", exact).str() : std::string();
    llvm::outs() << llvm::format(
        "result #%u: rel_l2 = %.3e  max_abs = %.3e  tolerance = %.1e  "
        "%s%s%s%s%s\n",
        unsigned(index), stats.relL2, stats.maxAbs, tolerance, widened.c_str(),
        exactNote.c_str(),
        stats.nonFiniteMismatch ? "non-finite values where the reference is "
                                  "finite, or not its exact non-finite value  "
                                : "",
        stats.exactMismatch ? "not exactly the values the spec fixes (a row "
                              "with no allowed key or a padded token is 0)  "
                            : "",
        ok ? "ok" : "FAILED");
  }
  return allOk;
}

} // namespace

/// Whether every tensor of `entry`'s signature has a static shape.
static bool entryHasStaticShapes(func::FuncOp entry) {
  auto isStatic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(entry.getArgumentTypes(), isStatic) &&
         llvm::all_of(entry.getResultTypes(), isStatic);
}

/// Rewrites `entry`, whose tensors have dynamic dims, to the static shapes
/// that --sizes gives its size parameters (the C signature's, from the
/// graph front end): the arguments arrive static and are cast to the
/// dynamic types inside, the results are cast to static types.
static void specializeSizes(ModuleOp module, func::FuncOp entry,
                            MLIRContext &context) {
  std::string name = entry.getName().str();
  OwningOpRef<ModuleOp> signatures = cast<ModuleOp>(module->clone());
  PassManager frontEnd(&context);
  mixir::buildGraphFrontEnd(frontEnd);
  std::string failingPass;
  if (failed(mixir::runPipeline(frontEnd, *signatures, &failingPass)))
    fail("lowering '" + inputFile + "' failed" + failingPass);
  mixir::SizeSignature signature = mixir::readSizeSignature(
      signatures->lookupSymbol<func::FuncOp>(entry.getName()));
  if (sizeValues.size() != signature.parameters.size()) {
    std::string names;
    for (unsigned index = 0; index < signature.parameters.size(); ++index)
      names += (index ? "," : "") + signature.parameterName(index);
    fail("'" + name + "' has " + llvm::Twine(signature.parameters.size()) +
         " size parameters (" + (names.empty() ? "none" : names) +
         "): give their values with --sizes, got " +
         llvm::Twine(sizeValues.size()));
  }
  for (int64_t size : sizeValues)
    if (size < 0 || size > (int64_t(1) << 40))
      fail("--sizes: " + llvm::Twine(size) + " is not a valid size");
  auto staticType = [&](Type type, auto sizeOfDim) -> Type {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || tensor.hasStaticShape())
      return type;
    SmallVector<int64_t> shape(tensor.getShape());
    for (int64_t dim = 0; dim < tensor.getRank(); ++dim)
      if (tensor.isDynamicDim(dim))
        shape[dim] = sizeOfDim(dim);
    return RankedTensorType::get(shape, tensor.getElementType());
  };
  Block &body = entry.getBody().front();
  OpBuilder builder(&context);
  builder.setInsertionPointToStart(&body);
  SmallVector<Type> argumentTypes;
  for (BlockArgument argument : body.getArguments()) {
    unsigned index = argument.getArgNumber();
    Type dynamicType = argument.getType();
    Type type = staticType(dynamicType, [&](int64_t dim) {
      for (auto [position, parameter] : llvm::enumerate(signature.parameters))
        if (parameter.argument == index && parameter.dim == dim)
          return int64_t(sizeValues[position]);
      return int64_t(ShapedType::kDynamic);
    });
    argumentTypes.push_back(type);
    if (type == dynamicType)
      continue;
    argument.setType(type);
    auto cast =
        tensor::CastOp::create(builder, entry.getLoc(), dynamicType, argument);
    argument.replaceAllUsesExcept(cast, cast);
  }
  Operation *terminator = body.getTerminator();
  builder.setInsertionPoint(terminator);
  SmallVector<Type> resultTypes;
  for (unsigned index = 0; index < entry.getNumResults(); ++index) {
    Type type = entry.getResultTypes()[index];
    Type result = staticType(type, [&](int64_t dim) {
      return int64_t(sizeValues[signature.resultSizes[index][dim]]);
    });
    resultTypes.push_back(result);
    if (result != type)
      terminator->setOperand(
          index, tensor::CastOp::create(builder, entry.getLoc(), result,
                                        terminator->getOperand(index)));
  }
  entry.setFunctionType(builder.getFunctionType(argumentTypes, resultTypes));
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "Mixir JIT runner: compile a module, run one "
                              "function, check it against the reference\n");

  llvm::Expected<mixir::TargetDescription> targetOrError =
      mixir::TargetDescription::get(targetName, cpuName, chipName);
  failOn(targetOrError.takeError());
  mixir::TargetDescription &target = *targetOrError;
  llvm::Expected<const mixir::PipelineInfo *> selected =
      mixir::selectPipeline(pipelineName, target);
  failOn(selected.takeError());
  const mixir::PipelineInfo *pipeline = *selected;
  if (target.kind == mixir::TargetKind::NVPTX && benchRuns > 0)
    fail("--bench times code on this machine, and --target=nvptx interprets "
         "the kernels: time them on a GPU (no GPU benchmark exists yet)");
  if (gpuStatistics && target.kind != mixir::TargetKind::NVPTX)
    fail("--gpu-statistics needs --target=nvptx (the kernel interpreter "
         "counts what it runs)");
  if (!gpuTestMutation.empty()) {
    if (target.kind != mixir::TargetKind::NVPTX)
      fail("--gpu-test-mutation needs --target=nvptx");
    targetOrError->kernelTestMutation = gpuTestMutation;
  }
  uint64_t seed = 0;
  if (seedOption == "clock") {
    seed = std::chrono::steady_clock::now().time_since_epoch().count();
    llvm::outs() << "seed: " << seed << "\n";
  } else if (llvm::StringRef(seedOption).getAsInteger(0, seed)) {
    fail("--seed expects a number or 'clock', got '" + seedOption + "'");
  }

  std::unique_ptr<MLIRContext> contextOwner = mixir::createToolContext();
  MLIRContext &context = *contextOwner;
  auto parsed = mixir::parseModuleFile(inputFile, context);
  if (!parsed)
    fail(llvm::toString(parsed.takeError()));
  OwningOpRef<ModuleOp> module = std::move((*parsed)->module);

  // The entry function and its buffers.
  func::FuncOp entry;
  if (entryName.empty()) {
    for (auto func : module->getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal()) {
        if (entry)
          fail("'" + inputFile +
               "' has several public functions: choose one with --entry");
        entry = func;
      }
    if (!entry)
      fail("'" + inputFile + "' has no public function to run");
  } else {
    entry = module->lookupSymbol<func::FuncOp>(entryName);
    if (!entry || entry.isExternal())
      fail("no function '" + entryName + "' in '" + inputFile + "'");
  }
  std::string name = entry.getName().str();
  if (!sizeValues.empty() || !entryHasStaticShapes(entry))
    specializeSizes(*module, entry, context);
  auto bufferType = [&](Type type, const llvm::Twine &what) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() ||
        mixir::cElementType(tensor.getElementType()).empty())
      fail("'" + name + "': " + what +
           " must be a static tensor of f32, f16, bf16, f64, i32, i64 or i1");
    return tensor;
  };
  SmallVector<RankedTensorType> argumentTypes, resultTypes;
  for (auto [index, type] : llvm::enumerate(entry.getArgumentTypes()))
    argumentTypes.push_back(
        bufferType(type, "argument #" + llvm::Twine(index)));
  for (auto [index, type] : llvm::enumerate(entry.getResultTypes()))
    resultTypes.push_back(bufferType(type, "result #" + llvm::Twine(index)));

  if (inputs.size() > argumentTypes.size())
    fail("'" + name + "' takes " + llvm::Twine(argumentTypes.size()) +
         " arguments, " + llvm::Twine(inputs.size()) + " --input given");
  if (inputs.size() < argumentTypes.size() && !randomInputs)
    fail("'" + name + "' takes " + llvm::Twine(argumentTypes.size()) +
         " arguments, " + llvm::Twine(inputs.size()) +
         " --input given (add --random-inputs to generate the others)");
  if (randomScales.size() > argumentTypes.size())
    fail("'" + name + "' takes " + llvm::Twine(argumentTypes.size()) +
         " arguments, " + llvm::Twine(randomScales.size()) +
         " --random-scale factors given");
  for (double scale : randomScales)
    if (!std::isfinite(scale))
      fail("--random-scale factors must be finite");
  if (!outputs.empty() && outputs.size() != resultTypes.size())
    fail("'" + name + "' returns " + llvm::Twine(resultTypes.size()) +
         " results, " + llvm::Twine(outputs.size()) + " --output given");

  // Refuse sizes the machine cannot hold, before allocating anything: the
  // buffers plus every tensor the decomposition materialises (an upper
  // bound, as if nothing were reused).
  uint64_t needed = 0;
  for (RankedTensorType type : argumentTypes)
    needed = saturatingAdd(needed, bytesOf(type));
  for (RankedTensorType type : resultTypes)
    needed = saturatingAdd(needed, 2 * bytesOf(type));
  // Only the entry and what it calls are compiled.
  OwningOpRef<ModuleOp> lowered = cast<ModuleOp>((*module)->clone());
  for (auto func : lowered->getOps<func::FuncOp>())
    if (func.getName() != name && !func.isExternal())
      func.setPrivate();
  {
    PassManager pm(&context);
    pm.addPass(createSymbolDCEPass());
    if (failed(mixir::runPipeline(pm, *lowered)))
      fail("could not isolate '" + name + "'");
    // The tensors of the chosen pipeline's first stage: the materialised
    // scores of the reference decomposition, or the tiles of mixir-cpu.
    OwningOpRef<ModuleOp> decomposed = cast<ModuleOp>((*lowered)->clone());
    PassManager decompose(&context);
    pipeline->build(decompose, target, mixir::PipelineStage::Decomposed);
    // The lowering below says the same remarks again; say them once.
    ScopedDiagnosticHandler quietRemarks(&context, [](Diagnostic &diag) {
      return success(diag.getSeverity() == DiagnosticSeverity::Remark);
    });
    std::string failingPass;
    if (failed(mixir::runPipeline(decompose, *decomposed, &failingPass)))
      fail("the ops of '" + name + "' could not be decomposed" + failingPass);
    decomposed->walk([&](Operation *op) {
      for (Type type : op->getResultTypes())
        if (auto tensor = dyn_cast<RankedTensorType>(type))
          if (tensor.hasStaticShape())
            needed = saturatingAdd(needed, bytesOf(tensor));
    });
  }
  uint64_t limit = maxMemory ? uint64_t(maxMemory) : physicalMemory();
  if (needed > limit)
    fail("'" + name + "' needs " + llvm::Twine(needed) +
         " bytes of buffers and intermediates, more than the " +
         llvm::Twine(limit) + " bytes allowed" +
         (maxMemory ? " by --max-memory" : " (the machine's memory)"));

  // Inputs.
  std::mt19937_64 rng(seed);
  SmallVector<HostBuffer> arguments;
  for (auto [index, type] : llvm::enumerate(argumentTypes)) {
    if (index < inputs.size() && inputs[index] != "random") {
      arguments.push_back(readArgument(inputs[index], type, index));
      continue;
    }
    double scale = index < randomScales.size() ? randomScales[index] : 1.0;
    arguments.push_back(generateArgument(
        type, classifyArgument(entry, entry.getArgument(index)), scale, rng));
  }
  if (!saveInputs.empty()) {
    for (auto [index, buffer] : llvm::enumerate(arguments))
      writeBuffer(buffer, saveInputs + "/arg" + std::to_string(index) + ".npy",
                  "--save-inputs: argument #" + llvm::Twine(index));
  }
  CheckedOp checked;
  if (check)
    checked = findCheckedOp(entry);

  // Lower the copy (the original stays for the reference) and JIT it.
  PassManager pm(&context);
  pipeline->build(pm, target, mixir::PipelineStage::LLVM);
  std::string failingPass;
  if (failed(mixir::runPipeline(pm, *lowered, &failingPass)))
    fail("lowering '" + inputFile + "' with " + pipeline->name + " failed" +
         failingPass);
  // Outputs are poisoned (all bits set: NaN for floats) so that an element
  // the code fails to write cannot pass for a result.
  SmallVector<HostBuffer> results;
  for (RankedTensorType type : resultTypes)
    results.push_back(
        HostBuffer{type, std::vector<uint8_t>(bytesOf(type), 0xFF)});
  SmallVector<void *> argumentPointers, resultPointers;
  for (HostBuffer &buffer : arguments)
    argumentPointers.push_back(buffer.bytes.data());
  for (HostBuffer &buffer : results)
    resultPointers.push_back(buffer.bytes.data());

  std::function<void()> runOnce;
  std::unique_ptr<llvm::SectionMemoryManager::MemoryMapper> memoryMapper;
  std::unique_ptr<ExecutionEngine> engine;
  std::unique_ptr<mixir::gpu::HostInterpreter> gpuProgram;
  SmallVector<void *> pointers, packed;
  int32_t status = -1;
  if (target.kind == mixir::TargetKind::NVPTX) {
    // No GPU here: the kernels run on the interpreter, step by step.
    auto interpreter = mixir::gpu::HostInterpreter::create(
        *lowered, name, argumentTypes.size());
    failOn(interpreter.takeError(), "'" + name + "' on the GPU target");
    gpuProgram = std::move(*interpreter);
    runOnce = [&]() {
      failOn(gpuProgram->run(argumentPointers, resultPointers),
             "interpreting '" + name + "'");
    };
  } else {
    auto targetMachine = mixir::cpu::createTargetMachine(cpuName);
    failOn(targetMachine.takeError());
    llvm::TargetMachine *machine = targetMachine->get();
    memoryMapper = mixir::cpu::createJITMemoryMapper();
    ExecutionEngineOptions engineOptions;
    engineOptions.sectionMemoryMapper = memoryMapper.get();
    auto optimize = [machine](llvm::Module *llvmModule) {
      return mixir::cpu::optimizeModule(*llvmModule, *machine);
    };
    engineOptions.transformer = optimize;
    engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
    SmallVector<llvm::StringRef> runtimeLibraries;
    if (pipeline->usesOpenMP)
      runtimeLibraries.push_back(mixir::cpu::openMPRuntimePath());
    engineOptions.sharedLibPaths = runtimeLibraries;
    auto created = ExecutionEngine::create(*lowered, engineOptions,
                                           std::move(*targetMachine));
    failOn(created.takeError(), "JIT compilation");
    engine = std::move(*created);
    auto function = engine->lookupPacked(name);
    failOn(function.takeError(), "JIT lookup of '" + name + "'");
    pointers.append(argumentPointers.begin(), argumentPointers.end());
    pointers.append(resultPointers.begin(), resultPointers.end());
    for (void *&pointer : pointers)
      packed.push_back(&pointer);
    packed.push_back(&status);
    runOnce = [&, function = *function]() {
      function(packed.data());
      if (status != 0)
        fail("'" + name + "' returned status " + llvm::Twine(status));
    };
  }
  // The inputs are `const T *` in the C ABI: with --check, also make sure
  // the code left them as they were.
  SmallVector<std::vector<uint8_t>> inputCopies;
  if (check)
    for (const HostBuffer &buffer : arguments)
      inputCopies.push_back(buffer.bytes);
  runOnce();
  if (gpuStatistics && gpuProgram) {
    mixir::gpu::LaunchStatistics statistics = gpuProgram->getStatistics();
    llvm::outs() << "interpreter: " << statistics.ctas << " CTAs, "
                 << statistics.keyTiles << " key tiles computed\n";
  }

  bool ok = true;
  if (check) {
    for (auto [index, copy] : llvm::enumerate(inputCopies)) {
      if (copy == arguments[index].bytes)
        continue;
      llvm::outs() << "input #" << index
                   << ": modified by the compiled code  FAILED\n";
      ok = false;
      arguments[index].bytes = copy; // check against the real inputs
    }
    ok = checkResults(checked, arguments, results) && ok;
  }

  if (!expected.empty()) {
    if (expected.size() != results.size())
      fail("--expect: " + llvm::Twine(expected.size()) + " files for " +
           llvm::Twine(results.size()) + " results");
    for (auto [index, path] : llvm::enumerate(expected)) {
      const HostBuffer &result = results[index];
      HostBuffer want = readArgument(path, result.type, index);
      auto shape = [](const HostBuffer &buffer) {
        return std::vector<int64_t>(buffer.type.getShape().begin(),
                                    buffer.type.getShape().end());
      };
      reference::ErrorStats stats = reference::compare(
          reference::Tensor(shape(result), toDoubles(result)),
          reference::Tensor(shape(want), toDoubles(want)));
      double tolerance =
          reference::toleranceFor(elementKind(result.type.getElementType()));
      bool within = reference::withinTolerance(stats, tolerance);
      ok &= within;
      llvm::outs() << llvm::format(
          "result #%u vs %s: rel_l2 = %.3e  max_abs = %.3e  tolerance = "
          "%.0e  %s\n",
          unsigned(index), path.c_str(), stats.relL2, stats.maxAbs, tolerance,
          within ? "ok" : "FAILED");
    }
  }

  if (benchRuns > 0) {
    std::vector<double> times;
    for (unsigned run = 0; run < benchRuns; ++run) {
      auto start = std::chrono::steady_clock::now();
      runOnce();
      auto stop = std::chrono::steady_clock::now();
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(times.begin(), times.end());
    double median =
        times.size() % 2
            ? times[times.size() / 2]
            : 0.5 * (times[times.size() / 2 - 1] + times[times.size() / 2]);
    llvm::outs() << llvm::format("{\"entry\":\"%s\", \"median_ms\":%.6f, "
                                 "\"min_ms\":%.6f, \"runs\":%u}\n",
                                 name.c_str(), median, times.front(),
                                 unsigned(benchRuns));
  }

  for (auto [index, path] : llvm::enumerate(outputs))
    writeBuffer(results[index], path, "result #" + llvm::Twine(index));
  return ok ? 0 : 1;
}
