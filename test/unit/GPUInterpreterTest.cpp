//===- GPUInterpreterTest.cpp - tests of the NVVM kernel interpreter ------===//
//
// Kernels written with gpu/nvgpu/vector/memref/arith/scf ops, lowered in
// process by the upstream pipeline (scf-to-cf, nvgpu-to-nvvm, gpu-to-nvvm
// with bare pointers, canonicalize, cse, reconcile casts) and run by the
// interpreter: f16/bf16 rounding and packed-half bitcasts; cp.async +
// ldmatrix + mma.sync against a host matmul for f16 and bf16 and both B
// layouts; ldmatrix and mma fragments lane by lane against the PTX ISA's
// layouts; wgmma on upstream's descriptors and accumulator store against a
// host matmul; mbarriers and TMA copies; shfl.sync modes; lockstep control
// flow; every error the interpreter reports; and a FlashAttention-style kernel
// that is checked against a float64 reference and timed.
//
//===----------------------------------------------------------------------===//

#include "mixir/Target/GPU/Interpreter.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace mixir::gpu;
using llvm::StringRef;

namespace {

std::string replaceAll(std::string text, StringRef from, StringRef to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to.str());
  return text;
}

uint16_t f16Bits(float value) {
  llvm::APFloat x(value);
  bool losesInfo;
  x.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  return static_cast<uint16_t>(x.bitcastToAPInt().getZExtValue());
}
uint16_t bf16Bits(float value) {
  llvm::APFloat x(value);
  bool losesInfo;
  x.convert(llvm::APFloat::BFloat(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  return static_cast<uint16_t>(x.bitcastToAPInt().getZExtValue());
}
float f16Value(uint16_t bits) {
  llvm::APFloat x(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
  return x.convertToFloat();
}
float bf16Value(uint16_t bits) {
  return llvm::bit_cast<float>(uint32_t(bits) << 16);
}
float floatOfBits(uint32_t bits) { return llvm::bit_cast<float>(bits); }

class GPUInterpreterTest : public ::testing::Test {
protected:
  GPUInterpreterTest() {
    mlir::DialectRegistry registry;
    mlir::registerAllDialects(registry);
    mlir::registerAllExtensions(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Parses `source` (a module with one gpu.module), lowers it with the
  /// upstream NVVM pipeline and decodes its kernel.
  llvm::Expected<std::unique_ptr<KernelInterpreter>>
  build(StringRef source, StringRef fileName = "kernel.mlir") {
    std::string diagnostics;
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      llvm::raw_string_ostream os(diagnostics);
      os << d.getLocation() << ": " << d << "\n";
      return mlir::success();
    });
    module = mlir::parseSourceString<mlir::ModuleOp>(
        source, mlir::ParserConfig(&context), fileName);
    if (!module)
      return llvm::createStringError("parsing failed: " + diagnostics);
    mlir::PassManager pm = mlir::PassManager::on<mlir::ModuleOp>(&context);
    mlir::OpPassManager &gpuPm = pm.nest<mlir::gpu::GPUModuleOp>();
    gpuPm.addPass(mlir::createSCFToControlFlowPass());
    gpuPm.addPass(mlir::createConvertNVGPUToNVVMPass());
    mlir::ConvertGpuOpsToNVVMOpsOptions options;
    options.useBarePtrCallConv = true;
    gpuPm.addPass(mlir::createConvertGpuOpsToNVVMOps(options));
    gpuPm.addPass(mlir::createCanonicalizerPass());
    gpuPm.addPass(mlir::createCSEPass());
    pm.addPass(mlir::createReconcileUnrealizedCastsPass());
    if (mlir::failed(pm.run(*module)))
      return llvm::createStringError("lowering failed: " + diagnostics);
    mlir::LLVM::LLVMFuncOp kernel;
    module->walk([&](mlir::LLVM::LLVMFuncOp func) {
      if (func->hasAttr("nvvm.kernel"))
        kernel = func;
    });
    if (!kernel)
      return llvm::createStringError("no kernel after lowering");
    return KernelInterpreter::create(kernel);
  }

  std::unique_ptr<KernelInterpreter> mustBuild(StringRef source,
                                               StringRef fileName = "k.mlir") {
    auto kernel = build(source, fileName);
    if (!kernel) {
      ADD_FAILURE() << llvm::toString(kernel.takeError());
      return nullptr;
    }
    return std::move(*kernel);
  }

  /// Launches and returns the error text, or "" on success.
  static std::string run(KernelInterpreter &kernel, LaunchDims grid,
                         LaunchDims block, llvm::ArrayRef<KernelArgument> args,
                         size_t dynamicSharedBytes = 0) {
    if (llvm::Error error =
            kernel.launch(grid, block, args, dynamicSharedBytes))
      return llvm::toString(std::move(error));
    return "";
  }

  /// Builds `source`, launches it and returns the error text ("" if none).
  std::string runSource(StringRef source, LaunchDims grid, LaunchDims block,
                        llvm::ArrayRef<KernelArgument> args,
                        StringRef fileName = "k.mlir") {
    auto kernel = mustBuild(source, fileName);
    if (!kernel)
      return "build failed";
    return run(*kernel, grid, block, args);
  }

  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

LaunchDims dims(uint32_t x, uint32_t y = 1, uint32_t z = 1) {
  LaunchDims d;
  d.x = x;
  d.y = y;
  d.z = z;
  return d;
}

template <typename T>
KernelArgument bufferOf(std::vector<T> &data, StringRef name) {
  return KernelArgument::buffer(data.data(), data.size() * sizeof(T), name);
}

//===----------------------------------------------------------------------===//
// Arithmetic and conversions
//===----------------------------------------------------------------------===//

constexpr const char *kConvertKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @convert(%in: memref<256xf32>, %h: memref<256xi16>,
                      %b: memref<256xi16>, %back: memref<256xf32>) kernel {
      %t = gpu.thread_id x
      %x = memref.load %in[%t] : memref<256xf32>
      %xh = arith.truncf %x : f32 to f16
      %xb = arith.truncf %x : f32 to bf16
      %ih = arith.bitcast %xh : f16 to i16
      %ib = arith.bitcast %xb : bf16 to i16
      memref.store %ih, %h[%t] : memref<256xi16>
      memref.store %ib, %b[%t] : memref<256xi16>
      %e = arith.extf %xh : f16 to f32
      memref.store %e, %back[%t] : memref<256xf32>
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, TruncationRoundsToNearestEven) {
  auto kernel = mustBuild(kConvertKernel);
  ASSERT_TRUE(kernel);
  // Hand-picked edge cases with their expected f16 and bf16 bits.
  struct Case {
    uint32_t input;
    uint16_t f16, bf16;
  };
  const Case cases[] = {
      {0x3f801000, 0x3c00, 0x3f80}, // 1 + 2^-11: f16 tie, even is 1.0
      {0x3f803000, 0x3c02, 0x3f80}, // 1 + 3*2^-11: f16 tie, rounds up
      {0x3f801001, 0x3c01, 0x3f80}, // just above the f16 tie
      {0x3f808000, 0x3c04, 0x3f80}, // 1 + 2^-8: bf16 tie, even is 1.0
      {0x3f818000, 0x3c0c, 0x3f82}, // 1 + 3*2^-8: bf16 tie, rounds up
      {0x3f808001, 0x3c04, 0x3f81}, // just above the bf16 tie
      {0x477fe000, 0x7bff, 0x4780}, // 65504: largest f16
      {0x477fef00, 0x7bff, 0x4780}, // 65519: below the f16 overflow tie
      {0x477ff000, 0x7c00, 0x4780}, // 65520: f16 tie, overflows to inf
      {0xc788b800, 0xfc00, 0xc789}, // -70000: f16 -inf
      {0x7f7fffff, 0x7c00, 0x7f80}, // FLT_MAX: bf16 overflows to inf
      {0x33800000, 0x0001, 0x3380}, // 2^-24: smallest f16 subnormal
      {0x33000000, 0x0000, 0x3300}, // 2^-25: tie with 0, even is 0
      {0x33400000, 0x0001, 0x3340}, // 1.5*2^-25: rounds up to 2^-24
      {0x33c00000, 0x0002, 0x33c0}, // 1.5*2^-24: tie, even is 2*2^-24
      {0x00018000, 0x0000, 0x0002}, // f32 subnormal: bf16 tie, rounds up
      {0x00008000, 0x0000, 0x0000}, // f32 subnormal: bf16 tie, even is 0
      {0x80000000, 0x8000, 0x8000}, // -0
      {0x7f800000, 0x7c00, 0x7f80}, // +inf
  };
  std::vector<float> in(256), back(256);
  std::vector<uint16_t> h(256), b(256);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> mantissa(-1, 1);
  std::uniform_int_distribution<int> exponent(-30, 20);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = i < std::size(cases) ? floatOfBits(cases[i].input)
                                 : std::ldexp(mantissa(rng), exponent(rng));
  in[255] = std::nanf("");
  ASSERT_EQ(run(*kernel, dims(1), dims(256),
                {bufferOf(in, "in"), bufferOf(h, "h"), bufferOf(b, "b"),
                 bufferOf(back, "back")}),
            "");
  for (size_t i = 0; i < std::size(cases); ++i) {
    EXPECT_EQ(h[i], cases[i].f16) << "f16 of 0x" << std::hex << cases[i].input;
    EXPECT_EQ(b[i], cases[i].bf16)
        << "bf16 of 0x" << std::hex << cases[i].input;
  }
  for (size_t i = 0; i < 255; ++i) {
    EXPECT_EQ(h[i], f16Bits(in[i])) << "f16 of " << in[i];
    EXPECT_EQ(b[i], bf16Bits(in[i])) << "bf16 of " << in[i];
    EXPECT_EQ(back[i], f16Value(h[i])) << "f16 -> f32 of " << in[i];
  }
  EXPECT_EQ(h[255] & 0x7c00, 0x7c00);
  EXPECT_NE(h[255] & 0x3ff, 0);
  EXPECT_EQ(b[255] & 0x7f80, 0x7f80);
  EXPECT_NE(b[255] & 0x7f, 0);
}

constexpr const char *kPackedKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @packed(%w: memref<32xi32>, %h: memref<64xf32>,
                     %b: memref<64xf32>, %repacked: memref<32xi32>) kernel {
      %t = gpu.thread_id x
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %i0 = arith.muli %t, %c2 : index
      %i1 = arith.addi %i0, %c1 : index
      %x = memref.load %w[%t] : memref<32xi32>
      %vh = llvm.bitcast %x : i32 to vector<2xf16>
      %h0 = vector.extract %vh[0] : f16 from vector<2xf16>
      %h1 = vector.extract %vh[1] : f16 from vector<2xf16>
      %fh0 = arith.extf %h0 : f16 to f32
      %fh1 = arith.extf %h1 : f16 to f32
      memref.store %fh0, %h[%i0] : memref<64xf32>
      memref.store %fh1, %h[%i1] : memref<64xf32>
      %vb = llvm.bitcast %x : i32 to vector<2xbf16>
      %b0 = vector.extract %vb[0] : bf16 from vector<2xbf16>
      %b1 = vector.extract %vb[1] : bf16 from vector<2xbf16>
      %fb0 = arith.extf %b0 : bf16 to f32
      %fb1 = arith.extf %b1 : bf16 to f32
      memref.store %fb0, %b[%i0] : memref<64xf32>
      memref.store %fb1, %b[%i1] : memref<64xf32>
      %r0 = arith.truncf %fh0 : f32 to f16
      %r1 = arith.truncf %fh1 : f32 to f16
      %rv = vector.from_elements %r0, %r1 : vector<2xf16>
      %ri = llvm.bitcast %rv : vector<2xf16> to i32
      memref.store %ri, %repacked[%t] : memref<32xi32>
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, BitcastsOfPackedHalves) {
  auto kernel = mustBuild(kPackedKernel);
  ASSERT_TRUE(kernel);
  std::vector<uint32_t> w(32), repacked(32);
  std::vector<float> h(64), b(64);
  std::mt19937 rng(3);
  for (uint32_t &word : w) {
    // Finite halves in both formats (exponent field not all ones).
    word = rng() & 0xbfffbfff;
  }
  w[0] = 0x3c00c000; // f16: element 0 = -2.0 (low half), element 1 = 1.0
  ASSERT_EQ(run(*kernel, dims(1), dims(32),
                {bufferOf(w, "w"), bufferOf(h, "h"), bufferOf(b, "b"),
                 bufferOf(repacked, "repacked")}),
            "");
  EXPECT_EQ(h[0], -2.0f);
  EXPECT_EQ(h[1], 1.0f);
  for (size_t i = 0; i < 32; ++i) {
    EXPECT_EQ(h[2 * i], f16Value(w[i] & 0xffff));
    EXPECT_EQ(h[2 * i + 1], f16Value(w[i] >> 16));
    EXPECT_EQ(b[2 * i], bf16Value(w[i] & 0xffff));
    EXPECT_EQ(b[2 * i + 1], bf16Value(w[i] >> 16));
    EXPECT_EQ(repacked[i], w[i]);
  }
}

constexpr const char *kArithmeticKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @arith(%f: memref<12xf32>, %i: memref<5xi32>,
                    %fo: memref<12xf32>, %io: memref<15xi32>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c4 = arith.constant 4 : index
      %c5 = arith.constant 5 : index
      %c6 = arith.constant 6 : index
      %c7 = arith.constant 7 : index
      %c8 = arith.constant 8 : index
      %c9 = arith.constant 9 : index
      %c10 = arith.constant 10 : index
      %c11 = arith.constant 11 : index
      %c12 = arith.constant 12 : index
      %c13 = arith.constant 13 : index
      %c14 = arith.constant 14 : index
      %i28 = arith.constant 28 : i32
      %nan = memref.load %f[%c0] : memref<12xf32>
      %mz = memref.load %f[%c1] : memref<12xf32>
      %one = memref.load %f[%c2] : memref<12xf32>
      %a = memref.load %f[%c3] : memref<12xf32>
      %b = memref.load %f[%c4] : memref<12xf32>
      %m130 = memref.load %f[%c5] : memref<12xf32>
      %sub = memref.load %f[%c6] : memref<12xf32>
      %three = memref.load %f[%c7] : memref<12xf32>
      %big = memref.load %f[%c8] : memref<12xf32>
      %m27 = memref.load %f[%c9] : memref<12xf32>
      %m5 = memref.load %f[%c10] : memref<12xf32>
      %mone = memref.load %f[%c11] : memref<12xf32>
      %p = memref.load %i[%c0] : memref<5xi32>
      %m7 = memref.load %i[%c1] : memref<5xi32>
      %two = memref.load %i[%c2] : memref<5xi32>
      %m16 = memref.load %i[%c3] : memref<5xi32>
      %b200 = memref.load %i[%c4] : memref<5xi32>
      %r0 = arith.maximumf %nan, %one : f32
      %pz = arith.negf %mz : f32
      %r1 = arith.minimumf %pz, %mz : f32
      %r2 = arith.maxnumf %nan, %one : f32
      %r3 = math.fma %a, %b, %mone : f32
      %ab = arith.mulf %a, %b : f32
      %r4 = arith.addf %ab, %mone : f32
      %r5 = llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"(%m130) : (f32) -> f32
      %r6 = llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"(%sub) : (f32) -> f32
      %r7 = llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"(%three) : (f32) -> f32
      %r8 = llvm.call_intrinsic "llvm.nvvm.ex2.approx.f"(%m130) : (f32) -> f32
      %r9 = arith.sitofp %p : i32 to f32
      %r10 = arith.divf %one, %three : f32
      %twof = arith.addf %one, %one : f32
      %r11 = math.copysign %twof, %mz : f32
      memref.store %r0, %fo[%c0] : memref<12xf32>
      memref.store %r1, %fo[%c1] : memref<12xf32>
      memref.store %r2, %fo[%c2] : memref<12xf32>
      memref.store %r3, %fo[%c3] : memref<12xf32>
      memref.store %r4, %fo[%c4] : memref<12xf32>
      memref.store %r5, %fo[%c5] : memref<12xf32>
      memref.store %r6, %fo[%c6] : memref<12xf32>
      memref.store %r7, %fo[%c7] : memref<12xf32>
      memref.store %r8, %fo[%c8] : memref<12xf32>
      memref.store %r9, %fo[%c9] : memref<12xf32>
      memref.store %r10, %fo[%c10] : memref<12xf32>
      memref.store %r11, %fo[%c11] : memref<12xf32>
      %s0 = arith.fptosi %big : f32 to i32
      %s1 = arith.fptosi %nan : f32 to i32
      %s2 = arith.fptosi %m27 : f32 to i32
      %s3 = arith.divsi %m7, %two : i32
      %s4 = arith.remsi %m7, %two : i32
      %s5 = arith.shrsi %m16, %two : i32
      %s6 = arith.shrui %m16, %i28 : i32
      %s7 = arith.maxsi %m7, %two : i32
      %s8 = arith.maxui %m7, %two : i32
      %t8 = arith.trunci %b200 : i32 to i8
      %s9 = arith.extsi %t8 : i8 to i32
      %s10 = arith.extui %t8 : i8 to i32
      %s11 = arith.fptoui %m5 : f32 to i32
      %q12 = arith.cmpf uno, %nan, %one : f32
      %s12 = arith.extui %q12 : i1 to i32
      %q13 = arith.cmpf one, %nan, %one : f32
      %s13 = arith.extui %q13 : i1 to i32
      %q14 = arith.cmpf ult, %nan, %one : f32
      %s14 = arith.extui %q14 : i1 to i32
      memref.store %s0, %io[%c0] : memref<15xi32>
      memref.store %s1, %io[%c1] : memref<15xi32>
      memref.store %s2, %io[%c2] : memref<15xi32>
      memref.store %s3, %io[%c3] : memref<15xi32>
      memref.store %s4, %io[%c4] : memref<15xi32>
      memref.store %s5, %io[%c5] : memref<15xi32>
      memref.store %s6, %io[%c6] : memref<15xi32>
      memref.store %s7, %io[%c7] : memref<15xi32>
      memref.store %s8, %io[%c8] : memref<15xi32>
      memref.store %s9, %io[%c9] : memref<15xi32>
      memref.store %s10, %io[%c10] : memref<15xi32>
      memref.store %s11, %io[%c11] : memref<15xi32>
      memref.store %s12, %io[%c12] : memref<15xi32>
      memref.store %s13, %io[%c13] : memref<15xi32>
      memref.store %s14, %io[%c14] : memref<15xi32>
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, ArithmeticIntrinsicsAndSaturatingConversions) {
  auto kernel = mustBuild(kArithmeticKernel);
  ASSERT_TRUE(kernel);
  const float a = 1 + std::ldexp(1.0f, -13), b = 1 - std::ldexp(1.0f, -13);
  std::vector<float> f = {std::nanf(""), -0.0f, 1.0f, a,     b,     -130.0f,
                          1e-40f,        3.0f,  3e9f, -2.7f, -5.0f, -1.0f};
  std::vector<int32_t> i = {16777217, -7, 2, -16, 200};
  std::vector<float> fo(12, 42.0f);
  std::vector<int32_t> io(15, 42);
  ASSERT_EQ(run(*kernel, dims(1), dims(1),
                {bufferOf(f, "f"), bufferOf(i, "i"), bufferOf(fo, "fo"),
                 bufferOf(io, "io")}),
            "");
  EXPECT_TRUE(std::isnan(fo[0])) << "maximum propagates NaN";
  EXPECT_TRUE(fo[1] == 0 && std::signbit(fo[1])) << "minimum(+0, -0) = -0";
  EXPECT_EQ(fo[2], 1.0f) << "maxnum ignores NaN";
  EXPECT_EQ(fo[3], -std::ldexp(1.0f, -26)) << "fma rounds once";
  EXPECT_EQ(fo[4], 0.0f) << "mul then add rounds twice";
  EXPECT_EQ(llvm::bit_cast<uint32_t>(fo[5]), 0u) << "ftz flushes the result";
  EXPECT_EQ(fo[6], 1.0f) << "ftz flushes the input";
  EXPECT_EQ(fo[7], 8.0f);
  EXPECT_EQ(fo[8], std::ldexp(1.0f, -130)) << "no ftz: subnormal kept";
  EXPECT_EQ(fo[9], 16777216.0f) << "sitofp rounds to even";
  EXPECT_EQ(fo[10], 1.0f / 3.0f);
  EXPECT_EQ(fo[11], -2.0f);
  std::vector<int32_t> expected = {2147483647, 0,   -2,  -3, -1, -4, 15, 2,
                                   -7,         -56, 200, 0,  1,  0,  1};
  EXPECT_EQ(io, expected);
}

//===----------------------------------------------------------------------===//
// cp.async + ldmatrix + mma.sync
//===----------------------------------------------------------------------===//

/// One warp: A (16x16), B as [n][k] (8x16) and as [k][n] (16x8) copied to
/// shared memory with cp.async; A read with ldmatrix.x4, B[n][k] with
/// ldmatrix.x2 and B[k][n] with ldmatrix.x2.trans; D1 = A*B from the first,
/// D2 from the second. ELT is f16 or bf16; MMA1/MMA2 compute %e1_0..3 and
/// %e2_0..3, the four f32 results of each lane.
constexpr const char *kMmaKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @mma(%a: memref<16x16xELT>, %bnk: memref<8x16xELT>,
                  %bkn: memref<16x8xELT>, %d1: memref<16x8xf32>,
                  %d2: memref<16x8xf32>)
        workgroup(%sa: memref<16x16xELT, #gpu.address_space<workgroup>> {llvm.align = 16 : i64},
                  %sbnk: memref<8x16xELT, #gpu.address_space<workgroup>> {llvm.align = 16 : i64},
                  %sbkn: memref<16x8xELT, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
        kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c4 = arith.constant 4 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %t = gpu.thread_id x
      %ar = arith.divui %t, %c2 : index
      %ac1 = arith.remui %t, %c2 : index
      %ac = arith.muli %ac1, %c8 : index
      %ta = nvgpu.device_async_copy %a[%ar, %ac], %sa[%ar, %ac], 8 : memref<16x16xELT> to memref<16x16xELT, #gpu.address_space<workgroup>>
      %ga = nvgpu.device_async_create_group %ta
      %low = arith.cmpi ult, %t, %c16 : index
      scf.if %low {
        %x = nvgpu.device_async_copy %bnk[%ar, %ac], %sbnk[%ar, %ac], 8 : memref<8x16xELT> to memref<8x16xELT, #gpu.address_space<workgroup>>
        %gx = nvgpu.device_async_create_group %x
      } else {
        %r = arith.subi %t, %c16 : index
        %y = nvgpu.device_async_copy %bkn[%r, %c0], %sbkn[%r, %c0], 8 : memref<16x8xELT> to memref<16x8xELT, #gpu.address_space<workgroup>>
        %gy = nvgpu.device_async_create_group %y
      }
      nvgpu.device_async_wait %ga {numGroups = 0 : i32}
      gpu.barrier
      %l16 = arith.remui %t, %c16 : index
      %l8 = arith.remui %t, %c8 : index
      %h16 = arith.divui %t, %c16 : index
      %acol = arith.muli %h16, %c8 : index
      %fa = nvgpu.ldmatrix %sa[%l16, %acol] {numTiles = 4 : i32, transpose = false} : memref<16x16xELT, #gpu.address_space<workgroup>> -> vector<4x2xELT>
      %h8 = arith.divui %t, %c8 : index
      %h8m = arith.remui %h8, %c2 : index
      %bcol = arith.muli %h8m, %c8 : index
      %fb1 = nvgpu.ldmatrix %sbnk[%l8, %bcol] {numTiles = 2 : i32, transpose = false} : memref<8x16xELT, #gpu.address_space<workgroup>> -> vector<2x2xELT>
      %fb2 = nvgpu.ldmatrix %sbkn[%l16, %c0] {numTiles = 2 : i32, transpose = true} : memref<16x8xELT, #gpu.address_space<workgroup>> -> vector<2x2xELT>
MMA
      %g = arith.divui %t, %c4 : index
      %q = arith.remui %t, %c4 : index
      %col0 = arith.muli %q, %c2 : index
      %col1 = arith.addi %col0, %c1 : index
      %row1 = arith.addi %g, %c8 : index
      memref.store %e1_0, %d1[%g, %col0] : memref<16x8xf32>
      memref.store %e1_1, %d1[%g, %col1] : memref<16x8xf32>
      memref.store %e1_2, %d1[%row1, %col0] : memref<16x8xf32>
      memref.store %e1_3, %d1[%row1, %col1] : memref<16x8xf32>
      memref.store %e2_0, %d2[%g, %col0] : memref<16x8xf32>
      memref.store %e2_1, %d2[%g, %col1] : memref<16x8xf32>
      memref.store %e2_2, %d2[%row1, %col0] : memref<16x8xf32>
      memref.store %e2_3, %d2[%row1, %col1] : memref<16x8xf32>
      gpu.return
    }
  }
}
)mlir";

/// f16: the upstream nvgpu.mma.sync.
constexpr const char *kMmaF16 = R"mlir(
      %z = arith.constant dense<0.0> : vector<2x2xf32>
      %r1 = nvgpu.mma.sync(%fa, %fb1, %z) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
      %r2 = nvgpu.mma.sync(%fa, %fb2, %z) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
      %e1_0 = vector.extract %r1[0, 0] : f32 from vector<2x2xf32>
      %e1_1 = vector.extract %r1[0, 1] : f32 from vector<2x2xf32>
      %e1_2 = vector.extract %r1[1, 0] : f32 from vector<2x2xf32>
      %e1_3 = vector.extract %r1[1, 1] : f32 from vector<2x2xf32>
      %e2_0 = vector.extract %r2[0, 0] : f32 from vector<2x2xf32>
      %e2_1 = vector.extract %r2[0, 1] : f32 from vector<2x2xf32>
      %e2_2 = vector.extract %r2[1, 0] : f32 from vector<2x2xf32>
      %e2_3 = vector.extract %r2[1, 1] : f32 from vector<2x2xf32>
)mlir";

/// bf16: nvgpu.mma.sync has no bf16 form, so nvvm.mma.sync on packed i32
/// registers, as a bf16 code generator would emit it.
constexpr const char *kMmaBF16 = R"mlir(
      %a0 = vector.extract %fa[0] : vector<2xbf16> from vector<4x2xbf16>
      %a1 = vector.extract %fa[1] : vector<2xbf16> from vector<4x2xbf16>
      %a2 = vector.extract %fa[2] : vector<2xbf16> from vector<4x2xbf16>
      %a3 = vector.extract %fa[3] : vector<2xbf16> from vector<4x2xbf16>
      %ia0 = llvm.bitcast %a0 : vector<2xbf16> to i32
      %ia1 = llvm.bitcast %a1 : vector<2xbf16> to i32
      %ia2 = llvm.bitcast %a2 : vector<2xbf16> to i32
      %ia3 = llvm.bitcast %a3 : vector<2xbf16> to i32
      %p0 = vector.extract %fb1[0] : vector<2xbf16> from vector<2x2xbf16>
      %p1 = vector.extract %fb1[1] : vector<2xbf16> from vector<2x2xbf16>
      %ip0 = llvm.bitcast %p0 : vector<2xbf16> to i32
      %ip1 = llvm.bitcast %p1 : vector<2xbf16> to i32
      %s0 = vector.extract %fb2[0] : vector<2xbf16> from vector<2x2xbf16>
      %s1 = vector.extract %fb2[1] : vector<2xbf16> from vector<2x2xbf16>
      %is0 = llvm.bitcast %s0 : vector<2xbf16> to i32
      %is1 = llvm.bitcast %s1 : vector<2xbf16> to i32
      %zf = arith.constant 0.0 : f32
      %m1 = nvvm.mma.sync A[%ia0, %ia1, %ia2, %ia3] B[%ip0, %ip1] C[%zf, %zf, %zf, %zf] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
      %m2 = nvvm.mma.sync A[%ia0, %ia1, %ia2, %ia3] B[%is0, %is1] C[%zf, %zf, %zf, %zf] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
      %e1_0 = llvm.extractvalue %m1[0] : !llvm.struct<(f32, f32, f32, f32)>
      %e1_1 = llvm.extractvalue %m1[1] : !llvm.struct<(f32, f32, f32, f32)>
      %e1_2 = llvm.extractvalue %m1[2] : !llvm.struct<(f32, f32, f32, f32)>
      %e1_3 = llvm.extractvalue %m1[3] : !llvm.struct<(f32, f32, f32, f32)>
      %e2_0 = llvm.extractvalue %m2[0] : !llvm.struct<(f32, f32, f32, f32)>
      %e2_1 = llvm.extractvalue %m2[1] : !llvm.struct<(f32, f32, f32, f32)>
      %e2_2 = llvm.extractvalue %m2[2] : !llvm.struct<(f32, f32, f32, f32)>
      %e2_3 = llvm.extractvalue %m2[3] : !llvm.struct<(f32, f32, f32, f32)>
)mlir";

class MmaTest : public GPUInterpreterTest,
                public ::testing::WithParamInterface<bool> {};

TEST_P(MmaTest, CpAsyncLdmatrixMmaMatchHostMatmul) {
  bool bf16 = GetParam();
  std::string source = replaceAll(kMmaKernel, "MMA", bf16 ? kMmaBF16 : kMmaF16);
  source = replaceAll(source, "ELT", bf16 ? "bf16" : "f16");
  auto kernel = mustBuild(source, bf16 ? "mma-bf16.mlir" : "mma-f16.mlir");
  ASSERT_TRUE(kernel);
  // Small integers: every product and sum is exact in f32.
  std::mt19937 rng(bf16 ? 11 : 12);
  std::uniform_int_distribution<int> value(-4, 4);
  float a[16][16], b[16][8];
  for (auto &row : a)
    for (float &x : row)
      x = value(rng);
  for (auto &row : b)
    for (float &x : row)
      x = value(rng);
  auto bits = [&](float x) { return bf16 ? bf16Bits(x) : f16Bits(x); };
  std::vector<uint16_t> ga(256), gbnk(128), gbkn(128);
  for (int i = 0; i < 16; ++i)
    for (int k = 0; k < 16; ++k)
      ga[i * 16 + k] = bits(a[i][k]);
  for (int k = 0; k < 16; ++k)
    for (int n = 0; n < 8; ++n) {
      gbnk[n * 16 + k] = bits(b[k][n]);
      gbkn[k * 8 + n] = bits(b[k][n]);
    }
  std::vector<float> d1(128, -1), d2(128, -1);
  ASSERT_EQ(
      run(*kernel, dims(1), dims(32),
          {bufferOf(ga, "a"), bufferOf(gbnk, "bnk"), bufferOf(gbkn, "bkn"),
           bufferOf(d1, "d1"), bufferOf(d2, "d2")}),
      "");
  for (int i = 0; i < 16; ++i)
    for (int n = 0; n < 8; ++n) {
      float expected = 0;
      for (int k = 0; k < 16; ++k)
        expected += a[i][k] * b[k][n];
      EXPECT_EQ(d1[i * 8 + n], expected)
          << "B[n][k], D[" << i << "][" << n << "]";
      EXPECT_EQ(d2[i * 8 + n], expected)
          << "B[k][n] with .trans, D[" << i << "][" << n << "]";
    }
}

INSTANTIATE_TEST_SUITE_P(F16AndBF16, MmaTest, ::testing::Values(false, true),
                         [](const auto &info) {
                           return info.param ? "bf16" : "f16";
                         });

/// Lane l provides the row address &S[31 - l][8] of matrix l / 8, row l % 8,
/// holding the values 8*l + c (c = 0..7); columns 0..7 of S stay unwritten,
/// so any other address would read never-written bytes. Each lane stores its
/// four registers (two halves each), without and with .trans.
constexpr const char *kLdmatrixFragmentKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @fragments(%out: memref<32x8xf16>, %outT: memref<32x8xf16>)
        workgroup(%s: memref<32x16xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
        kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c8 = arith.constant 8 : index
      %c31 = arith.constant 31 : index
      %t = gpu.thread_id x
      %row = arith.subi %c31, %t : index
      %base = arith.muli %t, %c8 : index
      scf.for %c = %c0 to %c8 step %c1 {
        %v = arith.addi %base, %c : index
        %vi = arith.index_cast %v : index to i32
        %vf = arith.uitofp %vi : i32 to f16
        %col = arith.addi %c, %c8 : index
        memref.store %vf, %s[%row, %col] : memref<32x16xf16, #gpu.address_space<workgroup>>
      }
      gpu.barrier
      %m = nvgpu.ldmatrix %s[%row, %c8] {numTiles = 4 : i32, transpose = false} : memref<32x16xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
      %mt = nvgpu.ldmatrix %s[%row, %c8] {numTiles = 4 : i32, transpose = true} : memref<32x16xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
STORES
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, LdmatrixFragmentsFollowTheISA) {
  std::string stores;
  for (int r = 0; r < 4; ++r)
    for (int h = 0; h < 2; ++h) {
      std::string name = std::to_string(r) + "_" + std::to_string(h);
      std::string index = "%c" + std::to_string(2 * r + h);
      stores += "      %c" + std::to_string(2 * r + h) + "x = arith.constant " +
                std::to_string(2 * r + h) + " : index\n";
      stores += "      %x" + name + " = vector.extract %m[" +
                std::to_string(r) + ", " + std::to_string(h) +
                "] : f16 from vector<4x2xf16>\n";
      stores += "      memref.store %x" + name + ", %out[%t, " + index +
                "x] : memref<32x8xf16>\n";
      stores += "      %y" + name + " = vector.extract %mt[" +
                std::to_string(r) + ", " + std::to_string(h) +
                "] : f16 from vector<4x2xf16>\n";
      stores += "      memref.store %y" + name + ", %outT[%t, " + index +
                "x] : memref<32x8xf16>\n";
    }
  auto kernel =
      mustBuild(replaceAll(kLdmatrixFragmentKernel, "STORES", stores));
  ASSERT_TRUE(kernel);
  std::vector<uint16_t> out(256), outT(256);
  ASSERT_EQ(run(*kernel, dims(1), dims(32),
                {bufferOf(out, "out"), bufferOf(outT, "outT")}),
            "");
  // PTX ISA, ldmatrix: for matrix m, lane l receives in register m the
  // elements (l/4, 2*(l%4)) and (l/4, 2*(l%4)+1), the lower one in the low
  // half; with .trans the elements (2*(l%4), l/4) and (2*(l%4)+1, l/4).
  // Element (r, c) of matrix m is 64*m + 8*r + c here.
  for (int l = 0; l < 32; ++l)
    for (int m = 0; m < 4; ++m)
      for (int h = 0; h < 2; ++h) {
        float plain = 64 * m + 8 * (l / 4) + 2 * (l % 4) + h;
        float trans = 64 * m + 8 * (2 * (l % 4) + h) + l / 4;
        EXPECT_EQ(f16Value(out[l * 8 + 2 * m + h]), plain)
            << "lane " << l << " register " << m << " half " << h;
        EXPECT_EQ(f16Value(outT[l * 8 + 2 * m + h]), trans)
            << ".trans lane " << l << " register " << m << " half " << h;
      }
  // Lane 0, register 0 of the non-transposed load: matrix 0, row 0,
  // columns 0 and 1 (values 0 and 1); lane 5, register 2: matrix 2, row 1,
  // columns 2 and 3 (values 138, 139); .trans lane 5, register 1: matrix 1,
  // rows 2 and 3 of column 1 (values 81, 89).
  EXPECT_EQ(f16Value(out[0]), 0.0f);
  EXPECT_EQ(f16Value(out[1]), 1.0f);
  EXPECT_EQ(f16Value(out[5 * 8 + 4]), 138.0f);
  EXPECT_EQ(f16Value(out[5 * 8 + 5]), 139.0f);
  EXPECT_EQ(f16Value(outT[5 * 8 + 2]), 81.0f);
  EXPECT_EQ(f16Value(outT[5 * 8 + 3]), 89.0f);
}

/// Each lane builds its A, B and C fragments straight from global memory
/// with the ISA's fragment formulas (no ldmatrix), runs mma.sync m16n8kK
/// (K = 16 or 8) with f32 or f16 accumulators and stores its four D
/// elements in order: D[lane][i].
std::string mmaFragmentKernel(int k, bool f16Accumulator) {
  const std::string acc = f16Accumulator ? "f16" : "f32";
  const std::string aType = "vector<" + std::to_string(k / 4) + "x2xf16>";
  const std::string bType = "vector<" + std::to_string(k / 8) + "x2xf16>";
  const std::string cType = "vector<2x2x" + acc + ">";
  std::string s = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @frag(%a: memref<16x16xf16>, %b: memref<16x8xf16>,
                   %c: memref<16x8xf32>, %d: memref<32x4xf32>) kernel {
      %t = gpu.thread_id x
)mlir";
  for (int n : {0, 1, 2, 3, 4, 8, 9})
    s += "      %c" + std::to_string(n) + " = arith.constant " +
         std::to_string(n) + " : index\n";
  s += "      %g = arith.divui %t, %c4 : index\n"
       "      %q = arith.remui %t, %c4 : index\n"
       "      %q2 = arith.muli %q, %c2 : index\n"
       "      %q21 = arith.addi %q2, %c1 : index\n"
       "      %q28 = arith.addi %q2, %c8 : index\n"
       "      %q29 = arith.addi %q2, %c9 : index\n"
       "      %g8 = arith.addi %g, %c8 : index\n";
  // a_i: row g + 8*((i/2)%2), column 2q + (i%2) + 8*(i/4); k/2 of them.
  const char *aRow[8] = {"%g", "%g", "%g8", "%g8", "%g", "%g", "%g8", "%g8"};
  const char *aCol[8] = {"%q2",  "%q21", "%q2",  "%q21",
                         "%q28", "%q29", "%q28", "%q29"};
  std::string aList, bList, cList;
  for (int i = 0; i < k / 2; ++i) {
    s += "      %a" + std::to_string(i) + " = memref.load %a[" + aRow[i] +
         ", " + aCol[i] + "] : memref<16x16xf16>\n";
    aList += (i ? ", %a" : "%a") + std::to_string(i);
  }
  // b_i: row 2q + (i%2) + 8*(i/2), column g; k/4 of them.
  const char *bRow[4] = {"%q2", "%q21", "%q28", "%q29"};
  for (int i = 0; i < k / 4; ++i) {
    s += "      %b" + std::to_string(i) + " = memref.load %b[" + bRow[i] +
         ", %g] : memref<16x8xf16>\n";
    bList += (i ? ", %b" : "%b") + std::to_string(i);
  }
  // c_i: row g + 8*(i/2), column 2q + (i%2).
  const char *cRow[4] = {"%g", "%g", "%g8", "%g8"};
  const char *cCol[4] = {"%q2", "%q21", "%q2", "%q21"};
  for (int i = 0; i < 4; ++i) {
    std::string name = "%cc" + std::to_string(i);
    s += "      " + name + "f = memref.load %c[" + cRow[i] + ", " + cCol[i] +
         "] : memref<16x8xf32>\n";
    s += "      " + name +
         (f16Accumulator ? " = arith.truncf " + name + "f : f32 to f16\n"
                         : " = arith.addf " + name + "f, %zero : f32\n");
    cList += (i ? ", " : "") + name;
  }
  s += "      %av = vector.from_elements " + aList + " : " + aType + "\n";
  s += "      %bv = vector.from_elements " + bList + " : " + bType + "\n";
  s += "      %cv = vector.from_elements " + cList + " : " + cType + "\n";
  s += "      %dv = nvgpu.mma.sync(%av, %bv, %cv) {mmaShape = [16, 8, " +
       std::to_string(k) + "]} : (" + aType + ", " + bType + ", " + cType +
       ") -> " + cType + "\n";
  for (int i = 0; i < 4; ++i) {
    std::string name = "%d" + std::to_string(i);
    s += "      " + name + "x = vector.extract %dv[" + std::to_string(i / 2) +
         ", " + std::to_string(i % 2) + "] : " + acc + " from " + cType + "\n";
    s += "      " + name +
         (f16Accumulator ? " = arith.extf " + name + "x : f16 to f32\n"
                         : " = arith.addf " + name + "x, %zero : f32\n");
    s += "      memref.store " + name + ", %d[%t, %c" + std::to_string(i) +
         "] : memref<32x4xf32>\n";
  }
  s += "      gpu.return\n    }\n  }\n}\n";
  return replaceAll(s, "%t = gpu.thread_id x",
                    "%t = gpu.thread_id x\n"
                    "      %zero = arith.constant 0.0 : f32");
}

class MmaFragmentTest
    : public GPUInterpreterTest,
      public ::testing::WithParamInterface<std::tuple<int, bool>> {};

TEST_P(MmaFragmentTest, FragmentsFollowTheISA) {
  auto [k, f16Accumulator] = GetParam();
  auto kernel = mustBuild(mmaFragmentKernel(k, f16Accumulator));
  ASSERT_TRUE(kernel);
  std::mt19937 rng(5 + k);
  std::uniform_int_distribution<int> value(-3, 3);
  std::vector<uint16_t> a(256), b(128);
  std::vector<float> af(256), bf(128), c(128), d(128, -1);
  for (int i = 0; i < 256; ++i)
    a[i] = f16Bits(af[i] = value(rng));
  for (int i = 0; i < 128; ++i) {
    b[i] = f16Bits(bf[i] = value(rng));
    c[i] = value(rng) * 0.5f;
  }
  ASSERT_EQ(run(*kernel, dims(1), dims(32),
                {bufferOf(a, "a"), bufferOf(b, "b"), bufferOf(c, "c"),
                 bufferOf(d, "d")}),
            "");
  // D = A*B + C over the first k columns of A and rows of B (all values
  // exact in f16 and f32); lane l holds d_i at row l/4 + 8*(i/2), column
  // 2*(l%4) + i%2 (PTX ISA, mma.m16n8k16 / m16n8k8 accumulator fragments).
  for (int l = 0; l < 32; ++l)
    for (int i = 0; i < 4; ++i) {
      int row = l / 4 + 8 * (i / 2), col = 2 * (l % 4) + i % 2;
      float expected = c[row * 8 + col];
      for (int kk = 0; kk < k; ++kk)
        expected += af[row * 16 + kk] * bf[kk * 8 + col];
      EXPECT_EQ(d[l * 4 + i], expected) << "lane " << l << " d" << i;
    }
}

INSTANTIATE_TEST_SUITE_P(
    ShapesAndAccumulators, MmaFragmentTest,
    ::testing::Combine(::testing::Values(16, 8), ::testing::Bool()),
    [](const auto &info) {
      return "m16n8k" + std::to_string(std::get<0>(info.param)) +
             (std::get<1>(info.param) ? "_f16acc" : "_f32acc");
    });

//===----------------------------------------------------------------------===//
// Warpgroup MMA (sm_90a)
//===----------------------------------------------------------------------===//

/// A 64 x 64 (M x K) by 64 x 128 (K x N, N-major) product on upstream's
/// nvgpu warpgroup ops: the matrix descriptors (start, LBO, SBO, the k-step
/// increments) come from upstream's NVGPU-to-NVVM lowering, and the result
/// leaves the registers through its lowering of nvgpu.warpgroup.mma.store
/// (the accumulator layout); the host lays the operands out with TMA's
/// SWIZZLE_128B pattern (16-byte chunk c of row r of a 64-column box at
/// chunk c ^ (r mod 8); B as two 64 x 64 boxes). Upstream's sm90
/// integration tests run these ops on TMA-loaded tiles on H100s, so this
/// ties the interpreter's decoding (written from the PTX ISA) to what the
/// hardware was shown to do. FENCE is the proxy fence after the threads'
/// stores.
constexpr const char *kWarpgroupKernel = R"mlir(
!tileA = memref<64x64xf16, #gpu.address_space<workgroup>>
!tileB = memref<64x128xf16, #gpu.address_space<workgroup>>
!box = memref<64x64xf16, #gpu.address_space<workgroup>>
!map = !nvgpu.tensormap.descriptor<tensor = !box, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
!acc = !nvgpu.warpgroup.accumulator<fragmented = vector<64x128xf32>>
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @wgmma(%ga: memref<4096xf16>, %gb: memref<8192xf16>,
                    %out: memref<64x128xf32>, %mapPointer: !llvm.ptr) kernel {
      %c0 = arith.constant 0 : index
      %c128 = arith.constant 128 : index
      %c4096 = arith.constant 4096 : index
      %c8192 = arith.constant 8192 : index
      %t = gpu.thread_id x
      %smem = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      %flatA = memref.view %smem[%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<4096xf16, #gpu.address_space<workgroup>>
      %flatB = memref.view %smem[%c8192][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<8192xf16, #gpu.address_space<workgroup>>
      scf.for %i = %t to %c4096 step %c128 {
        %x = memref.load %ga[%i] : memref<4096xf16>
        memref.store %x, %flatA[%i] : memref<4096xf16, #gpu.address_space<workgroup>>
      }
      scf.for %i = %t to %c8192 step %c128 {
        %x = memref.load %gb[%i] : memref<8192xf16>
        memref.store %x, %flatB[%i] : memref<8192xf16, #gpu.address_space<workgroup>>
      }
      FENCE
      gpu.barrier
      %sA = memref.view %smem[%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to !tileA
      %sB = memref.view %smem[%c8192][] : memref<?xi8, #gpu.address_space<workgroup>> to !tileB
      %map = builtin.unrealized_conversion_cast %mapPointer : !llvm.ptr to !map
      %dA = nvgpu.warpgroup.generate.descriptor %sA, %map : !tileA, !map -> !nvgpu.warpgroup.descriptor<tensor = !tileA>
      %dB = nvgpu.warpgroup.generate.descriptor %sB, %map : !tileB, !map -> !nvgpu.warpgroup.descriptor<tensor = !tileB>
      %init = nvgpu.warpgroup.mma.init.accumulator -> !acc
      %r = nvgpu.warpgroup.mma %dA, %dB, %init {transposeB} : <tensor = !tileA>, <tensor = !tileB>, !acc -> !acc
      nvvm.wgmma.wait.group.sync.aligned 0
      nvgpu.warpgroup.mma.store %r, %out : !acc to memref<64x128xf32>
      gpu.return
    }
  }
}
)mlir";

constexpr const char *kProxyFence =
    "nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = "
    "#nvvm.shared_space<cta>}";

/// The byte offset (in f16 elements) of (row, column) of a 64-column box
/// written by TMA with SWIZZLE_128B.
size_t swizzled128(size_t row, size_t column) {
  return row * 64 + (((column / 8) ^ (row % 8)) * 8) + column % 8;
}

TEST_F(GPUInterpreterTest, WarpgroupMmaMatchesHostMatmul) {
  std::mt19937 random(11);
  std::uniform_int_distribution<int> small(-4, 4);
  std::vector<float> a(64 * 64), b(64 * 128);
  for (float &x : a)
    x = small(random);
  for (float &x : b)
    x = small(random);
  std::vector<uint16_t> sharedA(4096), sharedB(8192);
  for (size_t m = 0; m < 64; ++m)
    for (size_t k = 0; k < 64; ++k)
      sharedA[swizzled128(m, k)] = f16Bits(a[m * 64 + k]);
  // B (K x N) as two boxes of 64 k rows by 64 n columns.
  for (size_t k = 0; k < 64; ++k)
    for (size_t n = 0; n < 128; ++n)
      sharedB[(n / 64) * 4096 + swizzled128(k, n % 64)] =
          f16Bits(b[k * 128 + n]);
  std::vector<float> out(64 * 128, std::nanf("")), map(32, 0.0f);
  std::string source = replaceAll(kWarpgroupKernel, "FENCE", kProxyFence);
  auto kernel = mustBuild(source, "wgmma.mlir");
  ASSERT_TRUE(kernel);
  ASSERT_EQ(run(*kernel, dims(1), dims(128),
                {bufferOf(sharedA, "a"), bufferOf(sharedB, "b"),
                 bufferOf(out, "out"), bufferOf(map, "map")},
                /*dynamicSharedBytes=*/24576),
            "");
  for (size_t m = 0; m < 64; ++m)
    for (size_t n = 0; n < 128; ++n) {
      float expected = 0.0f;
      for (size_t k = 0; k < 64; ++k)
        expected += a[m * 64 + k] * b[k * 128 + n];
      ASSERT_EQ(out[m * 128 + n], expected) << "at (" << m << ", " << n << ")";
    }
}

class WarpgroupMmaTest : public GPUInterpreterTest {
protected:
  /// Runs kWarpgroupKernel with FENCE replaced by `fence` (and `drop`
  /// removed) on zero operands in a CTA of `threads`; returns the error.
  std::string runOnZeros(StringRef fence, StringRef drop, uint32_t threads) {
    std::vector<uint16_t> sharedA(4096, 0), sharedB(8192, 0);
    std::vector<float> out(64 * 128), map(32);
    std::string source = replaceAll(kWarpgroupKernel, "FENCE", fence);
    if (!drop.empty())
      source = replaceAll(source, drop, "");
    auto kernel = mustBuild(source, "wgmma.mlir");
    if (!kernel)
      return "build failed";
    return run(*kernel, dims(1), dims(threads),
               {bufferOf(sharedA, "a"), bufferOf(sharedB, "b"),
                bufferOf(out, "out"), bufferOf(map, "map")},
               /*dynamicSharedBytes=*/24576);
  }
};

TEST_F(WarpgroupMmaTest, ErrorReadsUnfencedSharedMemory) {
  std::string error = runOnZeros("", "", 128);
  EXPECT_NE(error.find("'nvvm.wgmma.mma_async' A of wgmma.mma_async at shared "
                       "memory + 0 was written through the generic proxy by "
                       "thread (0,0,0) with no fence.proxy.async by the "
                       "writer since"),
            std::string::npos)
      << error;
}

TEST_F(WarpgroupMmaTest, ErrorInFlightAtExit) {
  // nvgpu.warpgroup.mma waits for all but its newest group: without the
  // kernel's own wait, its group is still in flight when the threads exit.
  std::string error =
      runOnZeros(kProxyFence, "nvvm.wgmma.wait.group.sync.aligned 0", 128);
  EXPECT_NE(error.find("'llvm.return' exits with a wgmma.mma_async still in "
                       "flight (no wgmma.wait_group completes it)"),
            std::string::npos)
      << error;
}

TEST_F(WarpgroupMmaTest, ErrorNeedsWholeWarpgroups) {
  std::string error = runOnZeros(kProxyFence, "", 96);
  EXPECT_NE(error.find("'nvvm.wgmma.fence.aligned' needs whole warpgroups of "
                       "128 threads, but the CTA has 96 threads"),
            std::string::npos)
      << error;
}

//===----------------------------------------------------------------------===//
// mbarriers and TMA (sm_90)
//===----------------------------------------------------------------------===//

/// Thread 0 arms an mbarrier for a 64 x 64 f16 box and issues the TMA copy
/// of rows [50, 114) of a 100 x 64 tensor (upstream's nvgpu ops); every
/// thread waits for the phase (WAIT), then copies the shared box out as
/// stored. The box lands 128-byte swizzled on a 1024-byte boundary, rows
/// past the tensor zero-filled.
constexpr const char *kTmaKernel = R"mlir(
!box = memref<64x64xf16, #gpu.address_space<workgroup>>
!map = !nvgpu.tensormap.descriptor<tensor = !box, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
!bars = !nvgpu.mbarrier.group<memorySpace = #gpu.address_space<workgroup>, num_barriers = 1>
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @tma(%out: memref<4096xf16>, %mapPointer: !llvm.ptr,
                 %tensor: memref<6400xf16>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      %c50 = arith.constant 50 : index
      %c1024 = arith.constant 1024 : index
      %c8192 = arith.constant 8192 : index
      %t = gpu.thread_id x
      %smem = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      %base = memref.extract_aligned_pointer_as_index %smem : memref<?xi8, #gpu.address_space<workgroup>> -> index
      %misaligned = arith.remui %base, %c1024 : index
      %pad = arith.subi %c1024, %misaligned : index
      %shift = arith.remui %pad, %c1024 : index
      %tile = memref.view %smem[%shift][] : memref<?xi8, #gpu.address_space<workgroup>> to !box
      %flat = memref.view %smem[%shift][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<4096xf16, #gpu.address_space<workgroup>>
      %map = builtin.unrealized_conversion_cast %mapPointer : !llvm.ptr to !map
      %bars = nvgpu.mbarrier.create -> !bars
      %first = arith.cmpi eq, %t, %c0 : index
      nvgpu.mbarrier.init %bars[%c0], %c1, predicate = %first : !bars
      gpu.barrier
      scf.if %first {
        nvgpu.mbarrier.arrive.expect_tx %bars[%c0], %c8192 : !bars
        nvgpu.tma.async.load %map[%c0, %c50], %bars[%c0] to %tile : !map, !bars -> !box
      }
      WAIT
      %begin = arith.muli %t, %c32 : index
      %end = arith.addi %begin, %c32 : index
      scf.for %i = %begin to %end step %c1 {
        %x = memref.load %flat[%i] : memref<4096xf16, #gpu.address_space<workgroup>>
        memref.store %x, %out[%i] : memref<4096xf16>
      }
      gpu.return
    }
  }
}
)mlir";

constexpr const char *kTmaWait =
    "%false = arith.constant false\n"
    "      %ticks = arith.constant 10000000 : index\n"
    "      nvgpu.mbarrier.try_wait.parity %bars[%c0], %false, %ticks : !bars";

class TmaTest : public GPUInterpreterTest {
protected:
  TmaTest() : tensor(100 * 64), out(4096, 0xffff), map(16, 0) {
    for (size_t i = 0; i < tensor.size(); ++i)
      tensor[i] = static_cast<uint16_t>(0x3c00 + (i * 37) % 977);
    InterpretedTensorMap encoded;
    encoded.rank = 2;
    encoded.elementBytes = 2;
    encoded.swizzleBytes = 128;
    encoded.globalAddress = reinterpret_cast<uint64_t>(tensor.data());
    encoded.dims[0] = 64;
    encoded.dims[1] = 100;
    encoded.strides[0] = 64 * 2;
    encoded.box[0] = 64;
    encoded.box[1] = 64;
    std::memcpy(map.data(), &encoded, sizeof(encoded));
  }

  /// Runs kTmaKernel with WAIT replaced by `wait` (the tensor the map points
  /// into is a parameter, as in a kernel that takes its tensors).
  std::string runWith(StringRef wait) {
    auto kernel = mustBuild(replaceAll(kTmaKernel, "WAIT", wait), "tma.mlir");
    if (!kernel)
      return "build failed";
    return run(*kernel, dims(1), dims(128),
               {bufferOf(out, "out"), bufferOf(map, "map"),
                bufferOf(tensor, "tensor")},
               /*dynamicSharedBytes=*/1024 + 8192);
  }

  std::vector<uint16_t> tensor, out;
  std::vector<uint64_t> map;
};

TEST_F(TmaTest, BoxLandsSwizzledWithZerosPastTheTensor) {
  ASSERT_EQ(runWith(kTmaWait), "");
  for (size_t row = 0; row < 64; ++row)
    for (size_t column = 0; column < 64; ++column) {
      uint16_t expected =
          50 + row < 100 ? tensor[(50 + row) * 64 + column] : uint16_t(0);
      ASSERT_EQ(out[swizzled128(row, column)], expected)
          << "at (" << row << ", " << column << ")";
    }
}

TEST_F(TmaTest, ErrorReadWithoutWaitingForThePhase) {
  std::string error = runWith("");
  EXPECT_NE(error.find("reads a byte a TMA copy wrote, with no mbarrier wait "
                       "that saw its phase complete"),
            std::string::npos)
      << error;
}

//===----------------------------------------------------------------------===//
// Shuffles
//===----------------------------------------------------------------------===//

constexpr const char *kShuffleKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @shuffles(%in: memref<64xf32>, %out: memref<6x64xf32>,
                       %valid: memref<4x64xi32>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c4 = arith.constant 4 : index
      %c5 = arith.constant 5 : index
      %i1 = arith.constant 1 : i32
      %i2 = arith.constant 2 : i32
      %i3 = arith.constant 3 : i32
      %i5 = arith.constant 5 : i32
      %i7 = arith.constant 7 : i32
      %w = arith.constant 32 : i32
      %t = gpu.thread_id x
      %x = memref.load %in[%t] : memref<64xf32>
      %bf, %vb = gpu.shuffle xor %x, %i5, %w : f32
      %ix, %vi = gpu.shuffle idx %x, %i7, %w : f32
      %up, %vu = gpu.shuffle up %x, %i3, %w : f32
      %dn, %vd = gpu.shuffle down %x, %i3, %w : f32
      %s1, %v1 = gpu.shuffle xor %x, %i1, %w : f32
      %q1 = arith.addf %x, %s1 : f32
      %s2, %v2 = gpu.shuffle xor %q1, %i2, %w : f32
      %q2 = arith.addf %q1, %s2 : f32
      %m1, %vm1 = gpu.shuffle xor %x, %i1, %w : f32
      %mx1 = arith.maximumf %x, %m1 : f32
      %m2, %vm2 = gpu.shuffle xor %mx1, %i2, %w : f32
      %mx2 = arith.maximumf %mx1, %m2 : f32
      memref.store %bf, %out[%c0, %t] : memref<6x64xf32>
      memref.store %ix, %out[%c1, %t] : memref<6x64xf32>
      memref.store %up, %out[%c2, %t] : memref<6x64xf32>
      memref.store %dn, %out[%c3, %t] : memref<6x64xf32>
      memref.store %q2, %out[%c4, %t] : memref<6x64xf32>
      memref.store %mx2, %out[%c5, %t] : memref<6x64xf32>
      %eb = arith.extui %vb : i1 to i32
      %ei = arith.extui %vi : i1 to i32
      %eu = arith.extui %vu : i1 to i32
      %ed = arith.extui %vd : i1 to i32
      memref.store %eb, %valid[%c0, %t] : memref<4x64xi32>
      memref.store %ei, %valid[%c1, %t] : memref<4x64xi32>
      memref.store %eu, %valid[%c2, %t] : memref<4x64xi32>
      memref.store %ed, %valid[%c3, %t] : memref<4x64xi32>
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, ShuffleModesAndQuadReductions) {
  auto kernel = mustBuild(kShuffleKernel);
  ASSERT_TRUE(kernel);
  std::vector<float> in(64), out(6 * 64);
  std::vector<int32_t> valid(4 * 64, -1);
  for (int i = 0; i < 64; ++i)
    in[i] = 10 * i + ((i * 7) % 5);
  // Two warps: lane arithmetic stays inside each warp.
  ASSERT_EQ(
      run(*kernel, dims(1), dims(64),
          {bufferOf(in, "in"), bufferOf(out, "out"), bufferOf(valid, "valid")}),
      "");
  for (int t = 0; t < 64; ++t) {
    int warp = t / 32 * 32, lane = t % 32;
    EXPECT_EQ(out[t], in[warp + (lane ^ 5)]) << "bfly, thread " << t;
    EXPECT_EQ(out[64 + t], in[warp + 7]) << "idx, thread " << t;
    // up: lanes below the offset keep their own value (not valid).
    EXPECT_EQ(out[128 + t], lane >= 3 ? in[t - 3] : in[t]) << "up " << t;
    // down: lanes whose source is past lane 31 keep their own value.
    EXPECT_EQ(out[192 + t], lane + 3 <= 31 ? in[t + 3] : in[t]) << "down " << t;
    int quad = t / 4 * 4;
    EXPECT_EQ(out[256 + t],
              (in[quad] + in[quad + 1]) + (in[quad + 2] + in[quad + 3]))
        << "quad sum " << t;
    EXPECT_EQ(out[320 + t], std::max(std::max(in[quad], in[quad + 1]),
                                     std::max(in[quad + 2], in[quad + 3])))
        << "quad max " << t;
    EXPECT_EQ(valid[t], 1);
    EXPECT_EQ(valid[64 + t], 1);
    EXPECT_EQ(valid[128 + t], lane >= 3 ? 1 : 0);
    EXPECT_EQ(valid[192 + t], lane + 3 <= 31 ? 1 : 0);
  }
}

//===----------------------------------------------------------------------===//
// Lockstep control flow
//===----------------------------------------------------------------------===//

constexpr const char *kControlFlowKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @control(%out: memref<4x96xi32>)
        workgroup(%s: memref<96xi32, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c4 = arith.constant 4 : index
      %c96 = arith.constant 96 : index
      %i0 = arith.constant 0 : i32
      %i1 = arith.constant 1 : i32
      %t = gpu.thread_id x
      %ti = arith.index_cast %t : index to i32
      // A loop with a per-thread trip count: sum of 0 .. t-1.
      %sum = scf.for %i = %c0 to %t step %c1 iter_args(%acc = %i0) -> (i32) {
        %ii = arith.index_cast %i : index to i32
        %next = arith.addi %acc, %ii : i32
        scf.yield %next : i32
      }
      memref.store %sum, %out[%c0, %t] : memref<4x96xi32>
      // If/else on the thread id.
      %r = arith.remui %t, %c3 : index
      %is0 = arith.cmpi eq, %r, %c0 : index
      %sel = scf.if %is0 -> (i32) {
        %x = arith.muli %ti, %ti : i32
        scf.yield %x : i32
      } else {
        %is1 = arith.cmpi eq, %r, %c1 : index
        %y = scf.if %is1 -> (i32) {
          %z = arith.addi %ti, %i1 : i32
          scf.yield %z : i32
        } else {
          %z = arith.subi %i0, %ti : i32
          scf.yield %z : i32
        }
        scf.yield %y : i32
      }
      memref.store %sel, %out[%c1, %t] : memref<4x96xi32>
      // Nested loops with per-thread trip counts.
      %n1 = arith.remui %t, %c4 : index
      %n2 = arith.remui %t, %c3 : index
      %nest = scf.for %i = %c0 to %n1 step %c1 iter_args(%a = %i1) -> (i32) {
        %inner = scf.for %j = %c0 to %n2 step %c1 iter_args(%b = %a) -> (i32) {
          %ij = arith.muli %i, %j : index
          %ijp = arith.addi %ij, %c2 : index
          %v = arith.index_cast %ijp : index to i32
          %m = arith.muli %b, %v : i32
          %k = arith.remui %m, %c96i : i32
          scf.yield %k : i32
        }
        %w = arith.addi %inner, %i1 : i32
        scf.yield %w : i32
      }
      memref.store %nest, %out[%c2, %t] : memref<4x96xi32>
      // Divergent writes, then barriers: they must reconverge.
      %acc2 = scf.for %it = %c0 to %c3 step %c1 iter_args(%acc = %i0) -> (i32) {
        %odd = arith.remui %t, %c2 : index
        %isOdd = arith.cmpi eq, %odd, %c1 : index
        %iti = arith.index_cast %it : index to i32
        scf.if %isOdd {
          %v = arith.addi %ti, %iti : i32
          memref.store %v, %s[%t] : memref<96xi32, #gpu.address_space<workgroup>>
        } else {
          %v = arith.subi %ti, %iti : i32
          memref.store %v, %s[%t] : memref<96xi32, #gpu.address_space<workgroup>>
        }
        gpu.barrier
        %tn = arith.addi %t, %c1 : index
        %nb = arith.remui %tn, %c96 : index
        %got = memref.load %s[%nb] : memref<96xi32, #gpu.address_space<workgroup>>
        %next = arith.addi %acc, %got : i32
        gpu.barrier
        scf.yield %next : i32
      }
      memref.store %acc2, %out[%c3, %t] : memref<4x96xi32>
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, LockstepControlFlowMatchesSequentialMeaning) {
  std::string source = replaceAll(kControlFlowKernel, "%c96i", "%c96i32");
  source = replaceAll(source, "%i1 = arith.constant 1 : i32",
                      "%i1 = arith.constant 1 : i32\n"
                      "      %c96i32 = arith.constant 96 : i32");
  auto kernel = mustBuild(source);
  ASSERT_TRUE(kernel);
  std::vector<int32_t> out(4 * 96, -7);
  // Three warps, the last one mixing lanes of every kind.
  ASSERT_EQ(run(*kernel, dims(1), dims(96), {bufferOf(out, "out")}), "");
  for (int t = 0; t < 96; ++t) {
    EXPECT_EQ(out[t], t * (t - 1) / 2) << "trip count, thread " << t;
    int expected = t % 3 == 0 ? t * t : t % 3 == 1 ? t + 1 : -t;
    EXPECT_EQ(out[96 + t], expected) << "if/else, thread " << t;
    int a = 1;
    for (int i = 0; i < t % 4; ++i) {
      int b = a;
      for (int j = 0; j < t % 3; ++j)
        b = static_cast<int>(static_cast<uint32_t>(b * (i * j + 2)) % 96u);
      a = b + 1;
    }
    EXPECT_EQ(out[192 + t], a) << "nested loops, thread " << t;
    int acc = 0, neighbour = (t + 1) % 96;
    for (int it = 0; it < 3; ++it)
      acc += neighbour % 2 ? neighbour + it : neighbour - it;
    EXPECT_EQ(out[288 + t], acc) << "barriers after divergence, thread " << t;
  }
  EXPECT_GT(kernel->getStatistics().steps, 0u);
  EXPECT_EQ(kernel->getStatistics().ctas, 1u);
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

constexpr const char *kOutOfBoundsGlobal =
    R"mlir(module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @oob(%q: memref<1024xf32>, %out: memref<64xf32>) kernel {
      %t = gpu.thread_id x
      %b = gpu.block_id x
      %n = gpu.block_dim x
      %base = arith.muli %b, %n : index
      %i0 = arith.addi %base, %t : index
      %c992 = arith.constant 992 : index
      %i = arith.addi %i0, %c992 : index
      %x = memref.load %q[%i] : memref<1024xf32>
      memref.store %x, %out[%i0] : memref<64xf32>
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, ErrorOutOfBoundsGlobalLoad) {
  std::vector<float> q(1024, 1.0f), out(64);
  std::string error =
      runSource(kOutOfBoundsGlobal, dims(2), dims(32),
                {bufferOf(q, "q"), bufferOf(out, "out")}, "oob.mlir");
  // CTA 0 reads q[992 .. 1023]; CTA 1's thread 0 is the first past the end.
  EXPECT_EQ(error, "loc(\"oob.mlir\":11:12): 'llvm.load' of 4 bytes at "
                   "global buffer 'q' + 4096 is out of bounds (the buffer "
                   "has 4096 bytes) [thread (0,0,0) of CTA (1,0,0)]");
  // CTA 0 ran completely before the error.
  EXPECT_EQ(out[31], 1.0f);
}

TEST_F(GPUInterpreterTest, ErrorOutOfBoundsSharedStore) {
  const char *source = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @oob(%out: memref<32xf32>)
        workgroup(%s: memref<32xf32, #gpu.address_space<workgroup>>) kernel {
      %c1 = arith.constant 1 : index
      %t = gpu.thread_id x
      %i = arith.addi %t, %c1 : index
      %f = arith.constant 1.0 : f32
      memref.store %f, %s[%i] : memref<32xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}
)mlir";
  std::vector<float> out(32);
  std::string error =
      runSource(source, dims(1), dims(32), {bufferOf(out, "out")});
  EXPECT_NE(error.find("'llvm.store' of 4 bytes at shared memory + 128 is "
                       "out of bounds (the CTA has 128 bytes of shared "
                       "memory) [thread (31,0,0) of CTA (0,0,0)]"),
            std::string::npos)
      << error;
}

TEST_F(GPUInterpreterTest, ErrorMisalignedCpAsync) {
  const char *source = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @misaligned(%a: memref<32x16xf16>)
        workgroup(%s: memref<32x16xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}) kernel {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %t = gpu.thread_id x
      %tok = nvgpu.device_async_copy %a[%t, %c0], %s[%t, %c4], 8 : memref<32x16xf16> to memref<32x16xf16, #gpu.address_space<workgroup>>
      %g = nvgpu.device_async_create_group %tok
      nvgpu.device_async_wait %g {numGroups = 0 : i32}
      gpu.return
    }
  }
}
)mlir";
  std::vector<uint16_t> a(512);
  std::string error = runSource(source, dims(1), dims(32), {bufferOf(a, "a")});
  EXPECT_NE(error.find("'nvvm.cp.async.shared.global' destination of 16 "
                       "bytes at shared memory + 8 is misaligned (it needs "
                       "16-byte alignment) [thread (0,0,0)"),
            std::string::npos)
      << error;
}

TEST_F(GPUInterpreterTest, ErrorDivergentBarrier) {
  const char *source = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @divergent(%out: memref<64xf32>) kernel {
      %c16 = arith.constant 16 : index
      %t = gpu.thread_id x
      %low = arith.cmpi ult, %t, %c16 : index
      scf.if %low {
        gpu.barrier
      }
      %f = arith.constant 1.0 : f32
      memref.store %f, %out[%t] : memref<64xf32>
      gpu.return
    }
  }
}
)mlir";
  std::vector<float> out(64);
  std::string error =
      runSource(source, dims(1), dims(64), {bufferOf(out, "out")});
  EXPECT_NE(error.find("'nvvm.barrier0' divergent barrier: thread "
                       "(16,0,0) is at"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("[thread (0,0,0) of CTA (0,0,0)]"), std::string::npos)
      << error;
}

TEST_F(GPUInterpreterTest, ErrorPartialWarpShuffle) {
  const char *source = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @partial(%out: memref<32xf32>) kernel {
      %c16 = arith.constant 16 : index
      %i1 = arith.constant 1 : i32
      %w = arith.constant 32 : i32
      %t = gpu.thread_id x
      %low = arith.cmpi ult, %t, %c16 : index
      scf.if %low {
        %f = arith.constant 1.0 : f32
        %s, %v = gpu.shuffle xor %f, %i1, %w : f32
        memref.store %s, %out[%t] : memref<32xf32>
      }
      gpu.return
    }
  }
}
)mlir";
  std::vector<float> out(32);
  std::string error =
      runSource(source, dims(1), dims(32), {bufferOf(out, "out")});
  EXPECT_NE(error.find("'nvvm.shfl.sync' divergent warp at this shfl.sync: "
                       "lane 16 (thread (16,0,0)) of the member mask is at"),
            std::string::npos)
      << error;
}

/// Each thread copies row t of A to shared memory with cp.async, then reads
/// the row of its neighbour. WAIT and BARRIER are replaced per test.
constexpr const char *kCopyThenReadKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @copy(%a: memref<32x8xf16>, %out: memref<32xf16>)
        workgroup(%s: memref<32x8xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      %t = gpu.thread_id x
      %tok = nvgpu.device_async_copy %a[%t, %c0], %s[%t, %c0], 8 : memref<32x8xf16> to memref<32x8xf16, #gpu.address_space<workgroup>>
      %g = nvgpu.device_async_create_group %tok
WAIT
BARRIER
      %n1 = arith.addi %t, %c1 : index
      %n = arith.remui %n1, %c32 : index
      %x = memref.load %s[%n, %c0] : memref<32x8xf16, #gpu.address_space<workgroup>>
      memref.store %x, %out[%t] : memref<32xf16>
WAIT_AT_END
      gpu.return
    }
  }
}
)mlir";

std::string copyKernel(bool wait, bool barrier, bool waitAtEnd = false) {
  std::string source = kCopyThenReadKernel;
  const char *waitOp = "      nvgpu.device_async_wait %g {numGroups = 0 : i32}";
  source = replaceAll(source, "WAIT_AT_END", waitAtEnd ? waitOp : "");
  source = replaceAll(source, "WAIT", wait ? waitOp : "");
  return replaceAll(source, "BARRIER", barrier ? "      gpu.barrier" : "");
}

TEST_F(GPUInterpreterTest, CopyWaitBarrierReadIsClean) {
  std::vector<uint16_t> a(256), out(32);
  for (int i = 0; i < 256; ++i)
    a[i] = f16Bits(i);
  ASSERT_EQ(runSource(copyKernel(true, true), dims(1), dims(32),
                      {bufferOf(a, "a"), bufferOf(out, "out")}),
            "");
  for (int t = 0; t < 32; ++t)
    EXPECT_EQ(out[t], a[((t + 1) % 32) * 8]);
}

TEST_F(GPUInterpreterTest, ErrorReadOfCpAsyncDestinationBeforeWait) {
  std::vector<uint16_t> a(256), out(32);
  std::string error =
      runSource(copyKernel(false, true, true), dims(1), dims(32),
                {bufferOf(a, "a"), bufferOf(out, "out")});
  EXPECT_NE(error.find("'llvm.load' of 2 bytes at shared memory + 16: "
                       "shared-memory read of a cp.async destination before "
                       "its wait (the copy issued by thread (1,0,0) has not "
                       "completed) [thread (0,0,0)"),
            std::string::npos)
      << error;
}

TEST_F(GPUInterpreterTest, ErrorCpAsyncPendingAtExit) {
  std::vector<uint16_t> a(256), out(32);
  const char *source = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @copy(%a: memref<32x8xf16>)
        workgroup(%s: memref<32x8xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}) kernel {
      %c0 = arith.constant 0 : index
      %t = gpu.thread_id x
      %tok = nvgpu.device_async_copy %a[%t, %c0], %s[%t, %c0], 8 : memref<32x8xf16> to memref<32x8xf16, #gpu.address_space<workgroup>>
      %g = nvgpu.device_async_create_group %tok
      gpu.return
    }
  }
}
)mlir";
  std::string error = runSource(source, dims(1), dims(32), {bufferOf(a, "a")});
  EXPECT_NE(error.find("'llvm.return' exits with a cp.async still pending"),
            std::string::npos)
      << error;
}

TEST_F(GPUInterpreterTest, ErrorMissingBarrierAfterWait) {
  std::vector<uint16_t> a(256), out(32);
  std::string error = runSource(copyKernel(true, false), dims(1), dims(32),
                                {bufferOf(a, "a"), bufferOf(out, "out")});
  EXPECT_NE(error.find("'llvm.load' of 2 bytes at shared memory + 16: data "
                       "race: reads a byte that thread (1,0,0) wrote since "
                       "the last barrier [thread (0,0,0) of CTA (0,0,0)]"),
            std::string::npos)
      << error;
}

TEST_F(GPUInterpreterTest, ErrorWriteAfterReadRace) {
  const char *source = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @war(%out: memref<32xf32>)
        workgroup(%s: memref<32xf32, #gpu.address_space<workgroup>>) kernel {
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      %t = gpu.thread_id x
      %f = arith.constant 1.0 : f32
      memref.store %f, %s[%t] : memref<32xf32, #gpu.address_space<workgroup>>
      gpu.barrier
      %n1 = arith.addi %t, %c1 : index
      %n = arith.remui %n1, %c32 : index
      %x = memref.load %s[%n] : memref<32xf32, #gpu.address_space<workgroup>>
      memref.store %x, %out[%t] : memref<32xf32>
      %y = arith.addf %x, %f : f32
      memref.store %y, %s[%t] : memref<32xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}
)mlir";
  std::vector<float> out(32);
  std::string error =
      runSource(source, dims(1), dims(32), {bufferOf(out, "out")});
  // Thread 0 overwrites s[0], which thread 31 read in the same interval.
  EXPECT_NE(error.find("'llvm.store' of 4 bytes at shared memory + 0: data "
                       "race: overwrites a byte that thread (31,0,0) read "
                       "since the last barrier [thread (0,0,0) of CTA "
                       "(0,0,0)]"),
            std::string::npos)
      << error;
}

TEST_F(GPUInterpreterTest, ErrorStepLimit) {
  const char *source = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @forever(%flag: memref<1xi32>) kernel {
      %c0 = arith.constant 0 : index
      %i0 = arith.constant 0 : i32
      %one = memref.load %flag[%c0] : memref<1xi32>
      scf.while (%x = %one) : (i32) -> () {
        %more = arith.cmpi ne, %x, %i0 : i32
        scf.condition(%more)
      } do {
        %y = memref.load %flag[%c0] : memref<1xi32>
        scf.yield %y : i32
      }
      gpu.return
    }
  }
}
)mlir";
  auto kernel = mustBuild(source);
  ASSERT_TRUE(kernel);
  kernel->setStepLimit(100000);
  std::vector<int32_t> flag = {1};
  std::string error = run(*kernel, dims(1), dims(32), {bufferOf(flag, "flag")});
  EXPECT_NE(error.find("reached the step limit of 100000 op executions"),
            std::string::npos)
      << error;
  EXPECT_LE(kernel->getStatistics().opExecutions, 100032u);
}

TEST_F(GPUInterpreterTest, ErrorUnsupportedOpAtDecode) {
  const char *source = R"mlir(module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @ctlz(%out: memref<32xi32>) kernel {
      %t = gpu.thread_id x
      %ti = arith.index_cast %t : index to i32
      %z = math.ctlz %ti : i32
      memref.store %z, %out[%t] : memref<32xi32>
      gpu.return
    }
  }
}
)mlir";
  auto kernel = build(source, "ctlz.mlir");
  ASSERT_FALSE(kernel);
  EXPECT_EQ(llvm::toString(kernel.takeError()),
            "loc(\"ctlz.mlir\":6:12): 'math.ctlz' unsupported operation");
}

TEST_F(GPUInterpreterTest, ErrorArgumentMismatch) {
  auto kernel = mustBuild(kConvertKernel);
  ASSERT_TRUE(kernel);
  std::vector<float> in(256);
  EXPECT_EQ(run(*kernel, dims(1), dims(32), {bufferOf(in, "in")}),
            "launch of '@convert': the kernel takes 4 arguments, the launch "
            "passes 1");
}

//===----------------------------------------------------------------------===//
// The spike's kernel, as upstream lowered it
//===----------------------------------------------------------------------===//

std::string readInput(StringRef name) {
  std::ifstream file(std::string(MIXIR_GPU_TEST_INPUTS) + "/" + name.str());
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// Inputs/gpu/spike-lowered.mlir is what `mlir-opt` with the pipeline in
/// Inputs/gpu/README.md made of spike-k.mlir (nvvm-attach-target included);
/// each of the 128 threads copies 8 halves of Q with cp.async, each warp
/// multiplies A = [[M, M], [M, M]] (M = Q[0:8, 0:8], every ldmatrix row
/// address is row lane%8) by B = [[N], [N]] (N = Q[0:8, 8:16], .trans), takes
/// the max of d0 and its xor-1 partner's d0 and stores its ex2.
TEST_F(GPUInterpreterTest, SpikeKernelAsLoweredUpstream) {
  auto expectedOutput = [](const std::vector<uint16_t> &q) {
    std::vector<float> out(64 * 64, -1.0f);
    auto at = [&](int r, int c) { return double(f16Value(q[r * 64 + c])); };
    auto d0 = [&](int lane) {
      // d0 is D[lane/4][2*(lane%4)] = 2 * (M N)[lane/4 % 8][2*(lane%4)].
      int row = lane / 4 % 8, col = 2 * (lane % 4);
      double sum = 0;
      for (int k = 0; k < 8; ++k)
        sum += at(row, k) * at(k, 8 + col);
      return static_cast<float>(2 * sum);
    };
    for (int t = 0; t < 128; ++t) {
      int lane = t % 32;
      float m = std::max(d0(lane), d0(lane ^ 1));
      out[(t / 8) * 64 + (t % 8) * 8] =
          static_cast<float>(std::exp2(static_cast<double>(m)));
    }
    return out;
  };
  std::vector<uint16_t> q(64 * 64);
  for (int r = 0; r < 64; ++r)
    for (int c = 0; c < 64; ++c)
      q[r * 64 + c] = f16Bits(((r * 3 + c) % 5 - 2) * 0.25f);
  std::vector<float> expected = expectedOutput(q);

  // The module as lowered by mlir-opt, parsed as is.
  mlir::OwningOpRef<mlir::ModuleOp> lowered =
      mlir::parseSourceString<mlir::ModuleOp>(readInput("spike-lowered.mlir"),
                                              mlir::ParserConfig(&context),
                                              "spike-lowered.mlir");
  ASSERT_TRUE(lowered);
  mlir::LLVM::LLVMFuncOp func;
  lowered->walk([&](mlir::LLVM::LLVMFuncOp f) { func = f; });
  auto kernel = KernelInterpreter::create(func);
  ASSERT_TRUE(bool(kernel)) << llvm::toString(kernel.takeError());
  EXPECT_EQ((*kernel)->getStaticSharedBytes(), 8192u);
  std::vector<float> out(64 * 64, -1.0f);
  ASSERT_EQ(run(**kernel, dims(1), dims(128),
                {bufferOf(q, "q"), bufferOf(out, "out")}),
            "");
  EXPECT_EQ(out, expected);

  // The same source lowered in process.
  auto inProcess = mustBuild(readInput("spike-k.mlir"), "spike-k.mlir");
  ASSERT_TRUE(inProcess);
  std::vector<float> out2(64 * 64, -1.0f);
  ASSERT_EQ(run(*inProcess, dims(1), dims(128),
                {bufferOf(q, "q"), bufferOf(out2, "out")}),
            "");
  EXPECT_EQ(out2, expected);
}

constexpr const char *kLocalSwitchSharedKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @mixed(%out: memref<3x32xi32>)
        workgroup(%st: memref<3xf32, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c4 = arith.constant 4 : index
      %c10 = arith.constant 10 : index
      %c32 = arith.constant 32 : index
      %t = gpu.thread_id x
      // Private memory: t*10 + j at j, read back at 3 - t%4.
      %loc = memref.alloca() : memref<4xf32>
      %base = arith.muli %t, %c10 : index
      scf.for %j = %c0 to %c4 step %c1 {
        %v = arith.addi %base, %j : index
        %vi = arith.index_cast %v : index to i32
        %vf = arith.sitofp %vi : i32 to f32
        memref.store %vf, %loc[%j] : memref<4xf32>
      }
      %r = arith.remui %t, %c4 : index
      %rr = arith.subi %c3, %r : index
      %y = memref.load %loc[%rr] : memref<4xf32>
      %yi = arith.fptosi %y : f32 to i32
      memref.store %yi, %out[%c0, %t] : memref<3x32xi32>
      // A four-way divergent switch.
      %sw = scf.index_switch %r -> i32
      case 0 {
        %k = arith.constant 10 : i32
        scf.yield %k : i32
      }
      case 1 {
        %k = arith.constant 11 : i32
        scf.yield %k : i32
      }
      case 2 {
        scf.yield %yi : i32
      }
      default {
        %k = arith.constant 13 : i32
        scf.yield %k : i32
      }
      memref.store %sw, %out[%c1, %t] : memref<3x32xi32>
      // 12 bytes of static shared memory, then dynamic shared memory.
      %low = arith.cmpi ult, %t, %c3 : index
      scf.if %low {
        %f = arith.constant 1.0 : f32
        memref.store %f, %st[%t] : memref<3xf32, #gpu.address_space<workgroup>>
      }
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      %dv = memref.view %d[%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<32xi32, #gpu.address_space<workgroup>>
      memref.store %sw, %dv[%t] : memref<32xi32, #gpu.address_space<workgroup>>
      gpu.barrier
      %n1 = arith.addi %t, %c1 : index
      %n = arith.remui %n1, %c32 : index
      %got = memref.load %dv[%n] : memref<32xi32, #gpu.address_space<workgroup>>
      memref.store %got, %out[%c2, %t] : memref<3x32xi32>
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, LocalMemorySwitchAndDynamicSharedMemory) {
  auto kernel = mustBuild(kLocalSwitchSharedKernel);
  ASSERT_TRUE(kernel);
  EXPECT_EQ(kernel->getStaticSharedBytes(), 12u);
  std::vector<int32_t> out(3 * 32, -1);
  ASSERT_EQ(run(*kernel, dims(1), dims(32), {bufferOf(out, "out")},
                /*dynamicSharedBytes=*/128),
            "");
  auto switched = [](int t) {
    int r = t % 4;
    return r == 0 ? 10 : r == 1 ? 11 : r == 2 ? t * 10 + 3 - r : 13;
  };
  for (int t = 0; t < 32; ++t) {
    EXPECT_EQ(out[t], t * 10 + 3 - t % 4) << "local memory, thread " << t;
    EXPECT_EQ(out[32 + t], switched(t)) << "switch, thread " << t;
    EXPECT_EQ(out[64 + t], switched((t + 1) % 32)) << "dynamic, thread " << t;
  }
  // Dynamic shared memory starts 16-byte aligned after the 12 static bytes:
  // with 64 dynamic bytes, thread 16's store is the first out of bounds.
  std::string error = run(*kernel, dims(1), dims(32), {bufferOf(out, "out")},
                          /*dynamicSharedBytes=*/64);
  EXPECT_NE(error.find("'llvm.store' of 4 bytes at shared memory + 80 is out "
                       "of bounds (the CTA has 80 bytes of shared memory) "
                       "[thread (16,0,0) of CTA (0,0,0)]"),
            std::string::npos)
      << error;
}

constexpr const char *kMemberMaskKernel = R"mlir(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @mask(%out: memref<32xf32>) kernel {
      %c16 = arith.constant 16 : index
      %t = gpu.thread_id x
      %ti = arith.index_cast %t : index to i32
      %tf = arith.uitofp %ti : i32 to f32
      %low = arith.cmpi ult, %t, %c16 : index
      scf.if %low {
        %mask = arith.constant 65535 : i32
        %src = arith.constant SOURCE : i32
        %clamp = arith.constant 31 : i32
        %r = nvvm.shfl.sync idx %mask, %tf, %src, %clamp : f32 -> f32
        memref.store %r, %out[%t] : memref<32xf32>
      }
      gpu.return
    }
  }
}
)mlir";

TEST_F(GPUInterpreterTest, ShuffleWithPartialMemberMask) {
  std::vector<float> out(32, -1.0f);
  // Lanes 0-15 shuffle among themselves: legal with mask 0xffff.
  ASSERT_EQ(runSource(replaceAll(kMemberMaskKernel, "SOURCE", "5"), dims(1),
                      dims(32), {bufferOf(out, "out")}),
            "");
  for (int t = 0; t < 32; ++t)
    EXPECT_EQ(out[t], t < 16 ? 5.0f : -1.0f);
  std::string error = runSource(replaceAll(kMemberMaskKernel, "SOURCE", "20"),
                                dims(1), dims(32), {bufferOf(out, "out")});
  EXPECT_NE(error.find("'nvvm.shfl.sync' reads lane 20, which is not in the "
                       "member mask [thread (0,0,0) of CTA (0,0,0)]"),
            std::string::npos)
      << error;
}

TEST_F(GPUInterpreterTest, ErrorBlockDiffersFromKnownBlockSize) {
  auto kernel = mustBuild(readInput("spike-k.mlir"), "spike-k.mlir");
  ASSERT_TRUE(kernel);
  std::vector<uint16_t> q(64 * 64);
  std::vector<float> out(64 * 64);
  EXPECT_EQ(
      run(*kernel, dims(1), dims(64), {bufferOf(q, "q"), bufferOf(out, "out")}),
      "launch of '@k': the block (64,1,1) differs from the kernel's "
      "known block size (128,1,1)");
}

//===----------------------------------------------------------------------===//
// A FlashAttention-style kernel: numbers and speed
//===----------------------------------------------------------------------===//

/// MLIR text of a FlashAttention-2-style forward kernel written the way the
/// GPU spike did: one CTA of 4 warps owns 64 query rows (16 per warp), head
/// dim 64, `keys` keys in tiles of 64. Q fragments are loaded once with
/// ldmatrix; per key tile, K and V go to shared memory with cp.async, S =
/// Q K^T takes 32 ldmatrix + mma.sync per warp, the online softmax runs on
/// the accumulator fragments (row max and sum over each quad with xor
/// shuffles, exp2 with ex2.approx.ftz), P's A fragments come straight from
/// S's accumulators, and P V takes 32 ldmatrix.trans + mma.sync. Logits are
/// scaled by 0.18 in base 2.
std::string flashAttentionKernel(int keys) {
  std::string body;
  std::set<int> constants;
  int counter = 0;
  auto emit = [&](const std::string &line) { body += "      " + line + "\n"; };
  auto op = [&](const std::string &rhs) {
    std::string name = "%v" + std::to_string(counter++);
    emit(name + " = " + rhs);
    return name;
  };
  auto c = [&](int n) {
    constants.insert(n);
    return "%c" + std::to_string(n);
  };
  const std::string sm = "memref<64x64xf16, #gpu.address_space<workgroup>>";
  const std::string gk = "memref<" + std::to_string(keys) + "x64xf16>";
  const std::string acc = "vector<2x2xf32>";
  const std::string mmaType = "(vector<4x2xf16>, vector<2x2xf16>, "
                              "vector<2x2xf32>) -> vector<2x2xf32>";
  auto ex2 = [&](const std::string &x) {
    return op("llvm.call_intrinsic \"llvm.nvvm.ex2.approx.ftz.f\"(" + x +
              ") : (f32) -> f32");
  };
  auto shuffleXor = [&](const std::string &x, const std::string &offset) {
    std::string name = "%v" + std::to_string(counter++);
    emit(name + ", " + name + "ok = gpu.shuffle xor " + x + ", " + offset +
         ", %w32 : f32");
    return name;
  };
  // Each thread copies 4 chunks of 8 halves of a 64x64 tile.
  auto copyTile = [&](const std::string &src, const std::string &srcType,
                      const std::string &dst, const std::string &rowBase,
                      std::vector<std::string> &tokens) {
    for (int i = 0; i < 4; ++i) {
      std::string id = op("arith.addi %t, " + c(128 * i) + " : index");
      std::string row = op("arith.divui " + id + ", " + c(8) + " : index");
      std::string chunk = op("arith.remui " + id + ", " + c(8) + " : index");
      std::string col = op("arith.muli " + chunk + ", " + c(8) + " : index");
      std::string srcRow =
          rowBase.empty()
              ? row
              : op("arith.addi " + rowBase + ", " + row + " : index");
      tokens.push_back(op("nvgpu.device_async_copy " + src + "[" + srcRow +
                          ", " + col + "], " + dst + "[" + row + ", " + col +
                          "], 8 : " + srcType + " to " + sm));
    }
  };
  auto join = [](const std::vector<std::string> &items) {
    std::string out;
    for (const std::string &item : items)
      out += (out.empty() ? "" : ", ") + item;
    return out;
  };

  emit("%t = gpu.thread_id x");
  std::string warp = op("arith.divui %t, " + c(32) + " : index");
  std::string lane = op("arith.remui %t, " + c(32) + " : index");
  std::string g = op("arith.divui " + lane + ", " + c(4) + " : index");
  std::string tq = op("arith.remui " + lane + ", " + c(4) + " : index");
  std::string l16 = op("arith.remui " + lane + ", " + c(16) + " : index");
  std::string l8 = op("arith.remui " + lane + ", " + c(8) + " : index");
  std::string h16 = op("arith.divui " + lane + ", " + c(16) + " : index");
  std::string h16x8 = op("arith.muli " + h16 + ", " + c(8) + " : index");
  std::string h8 = op("arith.divui " + lane + ", " + c(8) + " : index");
  std::string h8m = op("arith.remui " + h8 + ", " + c(2) + " : index");
  std::string h8x8 = op("arith.muli " + h8m + ", " + c(8) + " : index");
  std::string wrow = op("arith.muli " + warp + ", " + c(16) + " : index");
  std::vector<std::string> qTokens;
  copyTile("%q", "memref<64x64xf16>", "%sq", "", qTokens);
  std::string qGroup = op("nvgpu.device_async_create_group " + join(qTokens));
  emit("nvgpu.device_async_wait " + qGroup + " {numGroups = 0 : i32}");
  emit("gpu.barrier");
  std::string qrow = op("arith.addi " + wrow + ", " + l16 + " : index");
  std::string qa[4];
  for (int j = 0; j < 4; ++j) {
    std::string col = op("arith.addi " + h16x8 + ", " + c(16 * j) + " : index");
    qa[j] = op("nvgpu.ldmatrix %sq[" + qrow + ", " + col +
               "] {numTiles = 4 : i32, transpose = false} : " + sm +
               " -> vector<4x2xf16>");
  }
  std::string n = op("arith.index_cast %ntiles : i32 to index");
  std::string iterTypes = "f32, f32, f32, f32";
  std::string iterInit = "%m0 = %neg, %m1 = %neg, %l0 = %zero, %l1 = %zero";
  for (int d = 0; d < 8; ++d) {
    iterTypes += ", " + acc;
    iterInit += ", %acc" + std::to_string(d) + " = %zv";
  }
  emit("%res:12 = scf.for %it = " + c(0) + " to " + n + " step " + c(1) +
       " iter_args(" + iterInit + ") -> (" + iterTypes + ") {");
  std::string kbase = op("arith.muli %it, " + c(64) + " : index");
  std::vector<std::string> kvTokens;
  copyTile("%k", gk, "%sk", kbase, kvTokens);
  copyTile("%v", gk, "%sv", kbase, kvTokens);
  std::string kvGroup = op("nvgpu.device_async_create_group " + join(kvTokens));
  emit("nvgpu.device_async_wait " + kvGroup + " {numGroups = 0 : i32}");
  emit("gpu.barrier");
  // S = Q K^T, 8 tiles of 8 keys.
  std::string s[8];
  for (int nt = 0; nt < 8; ++nt) {
    std::string tile = "%zv";
    std::string krow = op("arith.addi " + l8 + ", " + c(8 * nt) + " : index");
    for (int j = 0; j < 4; ++j) {
      std::string kcol =
          op("arith.addi " + h8x8 + ", " + c(16 * j) + " : index");
      std::string b = op("nvgpu.ldmatrix %sk[" + krow + ", " + kcol +
                         "] {numTiles = 2 : i32, transpose = false} : " + sm +
                         " -> vector<2x2xf16>");
      tile = op("nvgpu.mma.sync(" + qa[j] + ", " + b + ", " + tile +
                ") {mmaShape = [16, 8, 16]} : " + mmaType);
    }
    s[nt] = op("arith.mulf " + tile + ", %scalev : " + acc);
  }
  // Online softmax on the fragments: row 0 is query row g, row 1 is g + 8.
  std::string p[8][2][2], mnew[2], lnew[2], alpha[2];
  for (int r = 0; r < 2; ++r) {
    std::string x[8][2];
    std::string mx = "%neg";
    for (int nt = 0; nt < 8; ++nt)
      for (int e = 0; e < 2; ++e) {
        x[nt][e] = op("vector.extract " + s[nt] + "[" + std::to_string(r) +
                      ", " + std::to_string(e) + "] : f32 from " + acc);
        mx = op("arith.maximumf " + mx + ", " + x[nt][e] + " : f32");
      }
    std::string sh1 = shuffleXor(mx, "%one32");
    mx = op("arith.maximumf " + mx + ", " + sh1 + " : f32");
    std::string sh2 = shuffleXor(mx, "%two32");
    mx = op("arith.maximumf " + mx + ", " + sh2 + " : f32");
    std::string m = "%m" + std::to_string(r), l = "%l" + std::to_string(r);
    mnew[r] = op("arith.maximumf " + m + ", " + mx + " : f32");
    alpha[r] = ex2(op("arith.subf " + m + ", " + mnew[r] + " : f32"));
    std::string sum = "%zero";
    for (int nt = 0; nt < 8; ++nt)
      for (int e = 0; e < 2; ++e) {
        p[nt][r][e] =
            ex2(op("arith.subf " + x[nt][e] + ", " + mnew[r] + " : f32"));
        sum = op("arith.addf " + sum + ", " + p[nt][r][e] + " : f32");
      }
    std::string scaled = op("arith.mulf " + l + ", " + alpha[r] + " : f32");
    lnew[r] = op("arith.addf " + scaled + ", " + sum + " : f32");
  }
  std::string alphav = op("vector.from_elements " + alpha[0] + ", " + alpha[0] +
                          ", " + alpha[1] + ", " + alpha[1] + " : " + acc);
  // P's A fragments: keys 16j .. 16j+15 are S tiles 2j and 2j + 1.
  std::string pa[4];
  for (int j = 0; j < 4; ++j) {
    std::vector<std::string> halves;
    for (int nt : {2 * j, 2 * j + 1})
      for (int r = 0; r < 2; ++r)
        for (int e = 0; e < 2; ++e)
          halves.push_back(op("arith.truncf " + p[nt][r][e] + " : f32 to f16"));
    pa[j] = op("vector.from_elements " + join(halves) + " : vector<4x2xf16>");
  }
  std::vector<std::string> yields = {mnew[0], mnew[1], lnew[0], lnew[1]};
  for (int dn = 0; dn < 8; ++dn) {
    std::string a = op("arith.mulf %acc" + std::to_string(dn) + ", " + alphav +
                       " : " + acc);
    for (int j = 0; j < 4; ++j) {
      std::string vrow =
          op("arith.addi " + l16 + ", " + c(16 * j) + " : index");
      std::string vb = op("nvgpu.ldmatrix %sv[" + vrow + ", " + c(8 * dn) +
                          "] {numTiles = 2 : i32, transpose = true} : " + sm +
                          " -> vector<2x2xf16>");
      a = op("nvgpu.mma.sync(" + pa[j] + ", " + vb + ", " + a +
             ") {mmaShape = [16, 8, 16]} : " + mmaType);
    }
    yields.push_back(a);
  }
  emit("gpu.barrier");
  emit("scf.yield " + join(yields) + " : " + iterTypes);
  emit("}");
  // Epilogue: the row sums over each quad, then O = acc / l.
  std::string inv[2];
  for (int r = 0; r < 2; ++r) {
    std::string l = "%res#" + std::to_string(2 + r);
    l = op("arith.addf " + l + ", " + shuffleXor(l, "%one32") + " : f32");
    l = op("arith.addf " + l + ", " + shuffleXor(l, "%two32") + " : f32");
    inv[r] = op("arith.divf %onef, " + l + " : f32");
  }
  std::string invv = op("vector.from_elements " + inv[0] + ", " + inv[0] +
                        ", " + inv[1] + ", " + inv[1] + " : " + acc);
  std::string orow[2];
  orow[0] = op("arith.addi " + wrow + ", " + g + " : index");
  orow[1] = op("arith.addi " + orow[0] + ", " + c(8) + " : index");
  std::string ocol = op("arith.muli " + tq + ", " + c(2) + " : index");
  for (int dn = 0; dn < 8; ++dn) {
    std::string o = op("arith.mulf %res#" + std::to_string(4 + dn) + ", " +
                       invv + " : " + acc);
    for (int r = 0; r < 2; ++r)
      for (int e = 0; e < 2; ++e) {
        std::string value =
            op("vector.extract " + o + "[" + std::to_string(r) + ", " +
               std::to_string(e) + "] : f32 from " + acc);
        std::string col =
            op("arith.addi " + ocol + ", " + c(8 * dn + e) + " : index");
        emit("memref.store " + value + ", %o[" + orow[r] + ", " + col +
             "] : memref<64x64xf32>");
      }
  }
  emit("gpu.return");

  std::string text = "module attributes {gpu.container_module} {\n"
                     "  gpu.module @m {\n"
                     "    gpu.func @attention(%q: memref<64x64xf16>, %k: " +
                     gk + ", %v: " + gk +
                     ", %o: memref<64x64xf32>, %ntiles: i32)\n"
                     "        workgroup(%sq: " +
                     sm + " {llvm.align = 16 : i64}, %sk: " + sm +
                     " {llvm.align = 16 : i64}, %sv: " + sm +
                     " {llvm.align = 16 : i64})\n"
                     "        kernel attributes {known_block_size = "
                     "array<i32: 128, 1, 1>} {\n";
  for (int value : constants)
    text += "      %c" + std::to_string(value) + " = arith.constant " +
            std::to_string(value) + " : index\n";
  text += "      %neg = arith.constant -1.0e+30 : f32\n"
          "      %zero = arith.constant 0.0 : f32\n"
          "      %onef = arith.constant 1.0 : f32\n"
          "      %zv = arith.constant dense<0.0> : vector<2x2xf32>\n"
          "      %scalev = arith.constant dense<0.18> : vector<2x2xf32>\n"
          "      %one32 = arith.constant 1 : i32\n"
          "      %two32 = arith.constant 2 : i32\n"
          "      %w32 = arith.constant 32 : i32\n";
  return text + body + "    }\n  }\n}\n";
}

TEST_F(GPUInterpreterTest, FlashAttentionMatchesReferenceAndSpeed) {
  const int tiles = 32, keys = 64 * tiles;
  auto kernel = mustBuild(flashAttentionKernel(keys), "attention.mlir");
  ASSERT_TRUE(kernel);
  std::mt19937 rng(17);
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::vector<uint16_t> q(64 * 64), k(keys * 64), v(keys * 64);
  for (auto *data : {&q, &k, &v})
    for (uint16_t &x : *data)
      x = f16Bits(uniform(rng));
  std::vector<float> o(64 * 64, NAN);
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(run(*kernel, dims(1), dims(128),
                {bufferOf(q, "q"), bufferOf(k, "k"), bufferOf(v, "v"),
                 bufferOf(o, "o"), KernelArgument::i32(tiles)}),
            "");
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  // float64 reference: softmax of 0.18 * ln(2) * Q K^T, times V.
  std::vector<double> qd(q.size()), kd(k.size()), vd(v.size());
  for (auto [from, to] :
       {std::pair(&q, &qd), std::pair(&k, &kd), std::pair(&v, &vd)})
    for (size_t i = 0; i < from->size(); ++i)
      (*to)[i] = f16Value((*from)[i]);
  double maxError = 0;
  const double scale = static_cast<double>(0.18f) * std::log(2.0);
  for (int i = 0; i < 64; ++i) {
    std::vector<double> logits(keys);
    double maxLogit = -INFINITY;
    for (int j = 0; j < keys; ++j) {
      double dot = 0;
      for (int d = 0; d < 64; ++d)
        dot += qd[i * 64 + d] * kd[j * 64 + d];
      logits[j] = scale * dot;
      maxLogit = std::max(maxLogit, logits[j]);
    }
    double sum = 0;
    for (double &z : logits)
      sum += z = std::exp(z - maxLogit);
    for (int d = 0; d < 64; ++d) {
      double expected = 0;
      for (int j = 0; j < keys; ++j)
        expected += logits[j] / sum * vd[j * 64 + d];
      maxError = std::max(maxError, std::fabs(o[i * 64 + d] - expected));
    }
  }
  // P is rounded to f16 before P V: ~1e-3 relative per weight at most.
  EXPECT_LT(maxError, 2e-3);
  const LaunchStatistics &stats = kernel->getStatistics();
  std::printf("[ perf     ] flash-attention key loop, 128 threads, %d key "
              "tiles: %zu instructions, %llu op executions (%.0f per thread "
              "per tile) in %.3f s: %.1f M op executions/s, %.1f M steps/s; "
              "max |error| %.2e\n",
              tiles, kernel->getNumInstructions(),
              static_cast<unsigned long long>(stats.opExecutions),
              double(stats.opExecutions) / 128 / tiles, seconds,
              stats.opExecutions / seconds / 1e6, stats.steps / seconds / 1e6,
              maxError);
}

} // namespace
