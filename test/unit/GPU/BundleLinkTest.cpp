//===- BundleLinkTest.cpp - bundles, host code and link.py, end to end ----===//
//
// Builds a family of kernel bundles from the hand-written add kernel (cubin
// when ptxas is here, PTX otherwise), the host code of a model calling them,
// and the link.py dispatcher of the family (mixir-tt-link); compiles all of
// it with the C compiler (C99, -pedantic -Wall -Wextra -Werror) against cuda.h
// and links it with a main against the driver-API stub. Nothing runs on a
// GPU: that the program links is the check. Also checks that mixir-tt-link
// refuses the headers link.py would refuse.
//
//===----------------------------------------------------------------------===//

#include "TestKernels.h"

#include "mixir/Target/GPU/HostCode.h"
#include "mixir/Target/GPU/KernelBundle.h"
#include "mixir/Target/GPU/Ptxas.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace mixir::gpu;
using mixir::gpu::test::addImage;

namespace {

/// A scratch directory, kept (and named) when the test fails.
class Workspace {
public:
  Workspace() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("mixir-gpu-link", root));
  }
  ~Workspace() {
    if (::testing::Test::HasFailure())
      llvm::errs() << "files kept in " << root << "\n";
    else
      llvm::sys::fs::remove_directories(root);
  }

  std::string path(llvm::StringRef name) const {
    llvm::SmallString<128> file(root);
    llvm::sys::path::append(file, name);
    return file.str().str();
  }

  void write(llvm::StringRef name, llvm::StringRef contents) const {
    std::error_code error;
    llvm::raw_fd_ostream os(path(name), error);
    ASSERT_FALSE(error) << error.message();
    os << contents;
  }

  /// Runs `program` with `args`; returns its exit status and puts what it
  /// printed in `output`.
  int run(llvm::StringRef program, std::vector<std::string> args,
          std::string &output) const {
    std::string log = path("run.log");
    std::vector<llvm::StringRef> argv = {program};
    for (const std::string &arg : args)
      argv.push_back(arg);
    std::optional<llvm::StringRef> redirects[] = {std::nullopt, log, log};
    std::string message;
    int status = llvm::sys::ExecuteAndWait(program, argv, std::nullopt,
                                           redirects, 0, 0, &message);
    auto buffer = llvm::MemoryBuffer::getFile(log);
    output = buffer ? (*buffer)->getBuffer().str() : message;
    return status;
  }

  /// Compiles `source` (in the workspace) to an object: C99, warnings as
  /// errors (cuda.h as a system header: it is not pedantic C99 itself).
  void compile(llvm::StringRef source) const {
    std::string output;
    std::string object = path((source + ".o").str());
    int status = run(MIXIR_C_COMPILER,
                     {"-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror",
                      "-isystem", MIXIR_CUDA_INCLUDE_DIR, "-I",
                      root.str().str(), "-c", path(source), "-o", object},
                     output);
    EXPECT_EQ(status, 0) << "cc -c " << source.str() << ":\n" << output;
    objects.push_back(object);
  }

  llvm::SmallString<128> root;
  mutable std::vector<std::string> objects;
};

constexpr const char *kMain = R"(#include "model.h"
#include "add_linked.h"

/* Calls every entry point once; it only has to link (the stub driver
 * cannot run it). */
int main(void) {
  CUdeviceptr a = 0, b = 0, c = 0, workspace = 0;
  CUresult result = cuInit(0);
  if (result == CUDA_SUCCESS)
    result = load_model();
  if (result == CUDA_SUCCESS)
    result = vector_add(0, a, b, c, workspace);
  if (result == CUDA_SUCCESS)
    result = add_unaligned(0, a, b, c, workspace);
  load_add();
  if (result == CUDA_SUCCESS)
    result = add_default(0, a, b, c, 1024);
  if (result == CUDA_SUCCESS)
    result = add(0, a, b, c, 1024, add_get_num_algos() - 1);
  unload_add();
  unload_model();
  return result == CUDA_SUCCESS ? (int)vector_add_workspace_size() : 1;
}
)";

TEST(BundleLinkTest, BundlesHostCodeAndDispatcherLinkAgainstTheStub) {
  if (!*MIXIR_CUDA_INCLUDE_DIR || !*MIXIR_CUDA_STUB_DIR)
    GTEST_SKIP() << "no cuda.h or libcuda stub found at configure time";
  Workspace work;

  // A cubin when ptxas is here; the driver-JIT path either way.
  std::optional<std::string> cubin;
  llvm::Expected<PtxasResult> assembled =
      runPtxas(mixir::gpu::test::kAddPtx, "sm_80");
  if (assembled) {
    cubin = assembled->cubin;
  } else {
    llvm::Error error = assembled.takeError();
    ASSERT_TRUE(error.isA<PtxasNotFoundError>())
        << llvm::toString(std::move(error));
    llvm::consumeError(std::move(error));
  }

  // One family: aligned and unaligned specializations with 4 warps (one
  // dispatcher choosing by alignment), and an 8-warp configuration using
  // 64 KiB of dynamic shared memory (a second entry of the algo table).
  KernelImage aligned = addImage(/*aligned=*/true);
  aligned.cubin = cubin;
  KernelImage unaligned = addImage(/*aligned=*/false);
  KernelImage wide = addImage(/*aligned=*/true);
  wide.numWarps = 8;
  wide.sharedBytes = 64 * 1024;
  wide.cubin = cubin;
  std::vector<KernelBundle> bundles;
  for (KernelImage *image : {&aligned, &unaligned, &wide}) {
    llvm::Expected<KernelBundle> bundle = buildKernelBundle(*image);
    ASSERT_TRUE(bool(bundle)) << llvm::toString(bundle.takeError());
    ASSERT_FALSE(bool(writeKernelBundle(*bundle, work.root)));
    bundles.push_back(std::move(*bundle));
  }

  HostFunction vectorAdd;
  vectorAdd.name = "vector_add";
  vectorAdd.arguments = {{"arg0", "float", {1024}, false},
                         {"arg1", "float", {1024}, false}};
  vectorAdd.results = {{"res0", "float", {1024}, true}};
  vectorAdd.workspaceBytes = 4096;
  vectorAdd.calls = {
      {bundles[0].name,
       {ArgBinding::argument(0), ArgBinding::argument(1),
        ArgBinding::workspace(0), ArgBinding::integerConstant(1024)}},
      {bundles[2].name,
       {ArgBinding::workspace(0), ArgBinding::argument(1),
        ArgBinding::result(0), ArgBinding::integerConstant(1024)}}};
  HostFunction unalignedAdd = vectorAdd;
  unalignedAdd.name = "add_unaligned";
  unalignedAdd.workspaceBytes = 0;
  unalignedAdd.calls = {
      {bundles[1].name,
       {ArgBinding::argument(0), ArgBinding::argument(1), ArgBinding::result(0),
        ArgBinding::integerConstant(1000)}}};
  llvm::Expected<HostCode> host =
      emitHostCode({vectorAdd, unalignedAdd}, bundles, "model.h");
  ASSERT_TRUE(bool(host)) << llvm::toString(host.takeError());
  work.write("model.h", host->header);
  work.write("model.c", host->source);

  std::string output;
  std::vector<std::string> args;
  for (const KernelBundle &bundle : bundles)
    args.push_back(work.path(bundle.name + ".h"));
  args.push_back("-o");
  args.push_back(work.path("add_linked"));
  ASSERT_EQ(work.run(MIXIR_TT_LINK_PATH, args, output), 0) << output;
  EXPECT_NE(output.find("family add__warps4xstages1, 3 specialized"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("family add__warps8xstages1"), std::string::npos);
  work.write("main.c", kMain);

  for (const KernelBundle &bundle : bundles)
    work.compile(bundle.name + ".c");
  work.compile("model.c");
  work.compile("add_linked.c");
  work.compile("main.c");
  ASSERT_FALSE(::testing::Test::HasFailure());
  std::vector<std::string> link = work.objects;
  link.insert(link.end(), {"-L", MIXIR_CUDA_STUB_DIR, "-lcuda", "-o",
                           work.path("program")});
  EXPECT_EQ(work.run(MIXIR_C_COMPILER, link, output), 0) << output;
}

/// A header with the lines link.py reads.
std::string header(llvm::StringRef directive,
                   llvm::StringRef backend = "// tt-linker-backend: cuda\n") {
  return (backend + "void load_x(void);\n" + directive + "\n").str();
}

constexpr const char *kSignature =
    "CUdeviceptr a, CUdeviceptr b, CUdeviceptr c, int32_t n";

/// mixir-tt-link's exit status on `headers` (written as k0.h, k1.h, ...)
/// and what it printed.
int link(const Workspace &work, std::vector<std::string> headers,
         std::string &output, bool writeDispatcher = false) {
  std::vector<std::string> args;
  for (size_t index = 0; index < headers.size(); ++index) {
    std::string name = "k" + std::to_string(index) + ".h";
    work.write(name, headers[index]);
    args.push_back(work.path(name));
  }
  if (writeDispatcher) {
    args.push_back("-o");
    args.push_back(work.path("linked.c"));
  }
  return work.run(MIXIR_TT_LINK_PATH, args, output);
}

TEST(BundleLinkTest, CheckerRefusesWhatLinkPyRefuses) {
  Workspace work;
  std::string output;
  std::string good = std::string("// tt-linker: add_0123abcd_0d1d2d3:") +
                     kSignature + ":_warps4xstages1";
  EXPECT_EQ(link(work, {header(good)}, output), 0) << output;

  auto refused = [&](std::vector<std::string> headers, llvm::StringRef why) {
    EXPECT_EQ(link(work, headers, output), 1) << output;
    EXPECT_NE(output.find(why), std::string::npos) << output;
  };
  // The suffix skips argument 2: older link.py fails to find it.
  refused({header(std::string("// tt-linker: add_0123abcd_0d1d3:") +
                  kSignature + ":_warps4xstages1")},
          "does not name argument 2 where expected");
  // Text after the last index: the newest link.py's "invalid extra suffix".
  refused({header(std::string("// tt-linker: add_0123abcd_0d1d2d3d4:") +
                  kSignature + ":_warps4xstages1")},
          "has invalid extra text '4'");
  refused({header(std::string("// tt-linker: add0d1d2d3:") + kSignature +
                  ":_warps4xstages1")},
          "add0d1d2d3 is not a valid kernel name");
  refused({header("// tt-linker: add_0123abcd_0d1d2d3:CUdeviceptr a, "
                  "CUdeviceptr b, CUdeviceptr c, unsigned int "
                  "n:_warps4xstages1")},
          "argument ' unsigned int n' is not `type name`");
  refused({header(good, "")}, "no `// tt-linker-backend:` line");
  refused({header(good, "// tt-linker-backend: hip\n")}, "backend 'hip'");
  refused(
      {header("// tt-linker: add_0123abcd_0d1d2d3 " + std::string(kSignature))},
      "malformed tt-linker line");
  refused({"// tt-linker-backend: cuda\n"}, "no `// tt-linker:` line");
  // link.py's own check within a family...
  refused({header(good),
           header("// tt-linker: add_4567abcd_0123:CUdeviceptr a, "
                  "CUdeviceptr b, CUdeviceptr c, int64_t n:_warps4xstages1")},
          "Mismatched signature for kernel add__warps4xstages1");
  // ...and what would make its output fail to compile.
  refused({header(good), header("// tt-linker: mul_4567abcd_0123:" +
                                std::string(kSignature) + ":_warps4xstages1")},
          "has base name 'mul', the first has 'add'");
  refused({header(good),
           header("// tt-linker: add_4567abcd_0123:CUdeviceptr x, "
                  "CUdeviceptr b, CUdeviceptr c, int32_t n:_warps4xstages1")},
          "names its arguments x,b,c,n");
}

TEST(BundleLinkTest, DispatcherFollowsLinkPy) {
  Workspace work;
  std::string output;
  std::string generic = std::string("// tt-linker: add_4567abcd_0123:") +
                        kSignature + ":_warps4xstages1";
  // `c`: n == 1, dropped from the specialized launcher's signature.
  std::string one = std::string("// tt-linker: add_0123abcd_0d1d2d3c:") +
                    kSignature + ":_warps4xstages1";
  std::string wide = std::string("// tt-linker: add_89abcdef_0d1d2d3:") +
                     kSignature + ":_warps8xstages1";
  ASSERT_EQ(link(work, {header(generic), header(one), header(wide)}, output,
                 /*writeDispatcher=*/true),
            0)
      << output;
  auto read = [&](llvm::StringRef name) {
    auto buffer = llvm::MemoryBuffer::getFile(work.path(name));
    return buffer ? (*buffer)->getBuffer().str() : std::string();
  };
  std::string source = read("linked.c");
  // Most specializations first; the unspecialized kernel takes the rest.
  EXPECT_NE(source.find("CUresult add__warps4xstages1(CUstream stream, " +
                        std::string(kSignature) +
                        ") {\n"
                        "  if (((uintptr_t)a % 16 == 0) && ((uintptr_t)b % 16 "
                        "== 0) && ((uintptr_t)c % 16 == 0) && (n == 1))\n"
                        "    return add_0123abcd_0d1d2d3c(stream, a, b, c);\n"
                        "  return add_4567abcd_0123(stream, a, b, c, n);\n"
                        "}\n"),
            std::string::npos)
      << source;
  EXPECT_NE(source.find("CUresult add_0123abcd_0d1d2d3c(CUstream stream, "
                        "CUdeviceptr a, CUdeviceptr b, CUdeviceptr c);\n"),
            std::string::npos);
  EXPECT_NE(source.find("kernel_func_t add_kernels[] = {\n"
                        "  add__warps4xstages1,\n  add__warps8xstages1,\n};\n"),
            std::string::npos);
  EXPECT_NE(source.find("void load_add(void) {\n  load_add__warps4xstages1();"
                        "\n  load_add__warps8xstages1();\n}\n"),
            std::string::npos);
  std::string h = read("linked.h");
  EXPECT_NE(h.find("CUresult add(CUstream stream, " + std::string(kSignature) +
                   ", int algo_id);\n"),
            std::string::npos)
      << h;
  EXPECT_NE(h.find("int add_get_num_algos(void);\n"), std::string::npos);
}

} // namespace
