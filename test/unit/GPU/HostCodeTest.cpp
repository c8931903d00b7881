//===- HostCodeTest.cpp - model.h and model.c for the GPU target ----------===//
//
// The host functions' declarations and documentation, the launches they
// make (bindings, constants, alignment checks) and the calls they refuse.
//
//===----------------------------------------------------------------------===//

#include "TestKernels.h"

#include "mixir/Target/GPU/HostCode.h"

#include "gtest/gtest.h"

using namespace mixir::gpu;
using mixir::gpu::test::addImage;
using Kind = KernelParam::Kind;

namespace {

class HostCodeTest : public ::testing::Test {
protected:
  HostCodeTest() {
    kernels.push_back(llvm::cantFail(buildKernelBundle(addImage())));
    KernelImage scale = addImage(/*aligned=*/false);
    scale.baseName = "scale";
    scale.params = {{"x", Kind::Pointer, true},
                    {"count", Kind::I64, false},
                    {"factor", Kind::F32, false},
                    {"step", Kind::I32, true}};
    kernels.push_back(llvm::cantFail(buildKernelBundle(scale)));
    add = kernels[0].name;
    scaleName = kernels[1].name;
  }

  /// f(arg0, arg1) -> res0 over 1024 floats with a 4096-byte workspace:
  /// res0 = arg0 + arg1 into the workspace, then scaled into res0.
  HostFunction function() {
    HostFunction f;
    f.name = "vector_add";
    f.arguments = {{"arg0", "float", {1024}, false},
                   {"arg1", "mixir_f16", {2, 512}, false}};
    f.results = {{"res0", "float", {1024}, true}};
    f.workspaceBytes = 4096;
    f.calls = {
        {add,
         {ArgBinding::argument(0), ArgBinding::argument(1),
          ArgBinding::workspace(0), ArgBinding::integerConstant(1024)}},
        {scaleName,
         {ArgBinding::result(0), ArgBinding::integerConstant(-7),
          ArgBinding::floatConstant(0.125f), ArgBinding::integerConstant(32)}}};
    return f;
  }

  std::string rejection(const HostFunction &f) {
    llvm::Expected<HostCode> code = emitHostCode({f}, kernels, "model.h");
    if (code)
      return "";
    return llvm::toString(code.takeError());
  }

  std::vector<KernelBundle> kernels;
  std::string add, scaleName;
};

TEST_F(HostCodeTest, HeaderDeclaresAndDocumentsEachFunction) {
  llvm::Expected<HostCode> code =
      emitHostCode({function()}, kernels, "out/dir/model.h");
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  const std::string &h = code->header;
  EXPECT_NE(h.find("#ifndef MODEL_H\n#define MODEL_H\n"), std::string::npos);
  EXPECT_NE(h.find("#include <cuda.h>\n"), std::string::npos);
  EXPECT_NE(h.find("\nCUresult load_model(void);\nvoid unload_model(void);\n"),
            std::string::npos);
  EXPECT_NE(
      h.find("\n/* vector_add\n"
             " *   arg0  in  float[1024]  (f32, 1024, 4096 bytes)\n"
             " *   arg1  in  mixir_f16[2][512]  (f16, 2x512, 2048 bytes)\n"
             " *   res0  out float[1024]  (f32, 1024, 4096 bytes)\n"
             " *   workspace  4096 bytes\n"
             " */\n"
             "CUresult vector_add(CUstream stream, CUdeviceptr arg0, "
             "CUdeviceptr arg1, CUdeviceptr res0, CUdeviceptr "
             "workspace);\n"
             "size_t vector_add_workspace_size(void);\n"),
      std::string::npos)
      << h;
}

TEST_F(HostCodeTest, SourceLaunchesInOrderAndStopsAtTheFirstError) {
  llvm::Expected<HostCode> code =
      emitHostCode({function()}, kernels, "model.h");
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  const std::string &c = code->source;
  EXPECT_NE(c.find("#include \"model.h\"\n#include \"" + add +
                   ".h\"\n#include \"" + scaleName + ".h\"\n"),
            std::string::npos)
      << c;
  EXPECT_NE(c.find("  load_" + add + "();\n  if (" + add +
                   "_load_status() != CUDA_SUCCESS)\n    return " + add +
                   "_load_status();\n"),
            std::string::npos);
  EXPECT_NE(c.find("size_t vector_add_workspace_size(void) {\n  return "
                   "4096;\n}\n"),
            std::string::npos);
  std::string body =
      "  /* Kernels assume these addresses are 16-byte aligned. */\n"
      "  if (arg0 % 16 != 0 || arg1 % 16 != 0 || res0 % 16 != 0 || "
      "workspace % 16 != 0)\n"
      "    return CUDA_ERROR_INVALID_VALUE;\n"
      "  result = " +
      add +
      "(stream, arg0, arg1, workspace, (int32_t)1024);\n"
      "  if (result != CUDA_SUCCESS)\n    return result;\n"
      "  result = " +
      scaleName +
      "(stream, res0, INT64_C(-7), 0.125f, (int32_t)32);\n"
      "  if (result != CUDA_SUCCESS)\n    return result;\n"
      "  return CUDA_SUCCESS;\n}\n";
  EXPECT_NE(c.find(body), std::string::npos) << c;
}

TEST_F(HostCodeTest, ConstantsAreExactCLiterals) {
  HostFunction f = function();
  f.calls.resize(1);
  f.calls[0] = {scaleName,
                {ArgBinding::result(0), ArgBinding::integerConstant(INT64_MIN),
                 ArgBinding::floatConstant(3.0f),
                 ArgBinding::integerConstant(INT32_MIN)}};
  llvm::Expected<HostCode> code = emitHostCode({f}, kernels, "model.h");
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  EXPECT_NE(code->source.find("(stream, res0, INT64_MIN, 3.0f, INT32_MIN);"),
            std::string::npos)
      << code->source;
  // Unused buffers are cast to void (the C stays warning-free).
  EXPECT_NE(code->source.find("  (void)arg0;\n  (void)arg1;\n"
                              "  (void)workspace;\n"),
            std::string::npos);
  f.calls[0].args[2] = ArgBinding::floatConstant(0.1f);
  code = emitHostCode({f}, kernels, "model.h");
  ASSERT_TRUE(bool(code));
  EXPECT_NE(code->source.find(", 0.100000001f,"), std::string::npos);
}

TEST_F(HostCodeTest, WorkspaceOffsetsAndEmptyFunctions) {
  HostFunction f = function();
  f.calls[0].args[2] = ArgBinding::workspace(4080);
  HostFunction empty;
  empty.name = "nothing";
  empty.arguments = {{"arg0", "int64_t", {}, false}};
  llvm::Expected<HostCode> code = emitHostCode({f, empty}, kernels, "m.h");
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  EXPECT_NE(code->source.find(", workspace + 4080ULL, (int32_t)1024);"),
            std::string::npos);
  EXPECT_NE(code->header.find(" *   arg0  in  int64_t[]  (i64, scalar, 8 "
                              "bytes)\n"),
            std::string::npos);
  EXPECT_NE(
      code->source.find("CUresult nothing(CUstream stream, CUdeviceptr "
                        "arg0, CUdeviceptr workspace) {\n"
                        "  (void)stream;\n  (void)arg0;\n"
                        "  (void)workspace;\n  return CUDA_SUCCESS;\n}\n"),
      std::string::npos)
      << code->source;
  EXPECT_NE(code->header.find("load_m(void)"), std::string::npos);
}

TEST_F(HostCodeTest, RefusesCallsThatDoNotMatchTheKernel) {
  auto with = [&](auto mutate) {
    HostFunction f = function();
    mutate(f);
    return rejection(f);
  };
  EXPECT_EQ(with([](HostFunction &) {}), "");
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[0].kernelName = "nope";
            }).find("call #0 names no known kernel ('nope')"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[0].args.pop_back();
            }).find("binds 3 parameters (the kernel has 4)"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[0].args[3] = ArgBinding::argument(0);
            }).find("parameter 'n' (int32_t): bound to a buffer"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[0].args[0] = ArgBinding::integerConstant(0);
            }).find("parameter 'a' (CUdeviceptr): bound to an integer"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[0].args[0] = ArgBinding::argument(2);
            }).find("argument #2 does not exist (2 given)"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[0].args[2] = ArgBinding::workspace(4096);
            })
                .find("workspace offset 4096 is outside the workspace (4096 "
                      "bytes)"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[0].args[2] = ArgBinding::workspace(8);
            }).find("workspace offset 8 is not a multiple of 16"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[0].args[3] = ArgBinding::integerConstant(1ll << 40);
            }).find("1099511627776 does not fit in int32_t"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[1].args[3] = ArgBinding::integerConstant(24);
            }).find("24 is not a multiple of 16"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[1].args[2] = ArgBinding::floatConstant(1.0f / 0.0f);
            }).find("the constant is not finite"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.calls[1].args[2] = ArgBinding::integerConstant(1);
            }).find("parameter 'factor' (float): bound to an integer"),
            std::string::npos);
}

TEST_F(HostCodeTest, RefusesWhatCCannotName) {
  auto with = [&](auto mutate) {
    HostFunction f = function();
    mutate(f);
    return rejection(f);
  };
  EXPECT_NE(with([](HostFunction &f) {
              f.name = "vector-add";
            }).find("the name is not a C identifier"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.results[0].name = "workspace";
            }).find("buffer name 'workspace'"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.results[0].name = "arg0";
            }).find("buffer name 'arg0'"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.arguments[0].elementCType = "half";
            }).find("element type 'half'"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.arguments[0].shape = {-1};
            }).find("dynamic or negative extent"),
            std::string::npos);
  EXPECT_NE(with([](HostFunction &f) {
              f.name = "load_model";
            }).find("already defined"),
            std::string::npos);
  HostFunction f = function();
  llvm::Expected<HostCode> twice = emitHostCode({f, f}, kernels, "model.h");
  ASSERT_FALSE(bool(twice));
  EXPECT_NE(llvm::toString(twice.takeError()).find("already defined"),
            std::string::npos);
}

TEST(HostModelNameTest, FromTheHeaderStem) {
  EXPECT_EQ(hostModelName("out/model.h"), "model");
  EXPECT_EQ(hostModelName("my-model.v2.h"), "my_model_v2");
  EXPECT_EQ(hostModelName("3d.h"), "mixir_3d");
}

} // namespace
