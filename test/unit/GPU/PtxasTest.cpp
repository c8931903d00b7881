//===- PtxasTest.cpp - finding, running and reading ptxas -----------------===//
//
// The ptxas -v report parsed from text captured from ptxas 13.0 (so these
// run without the CUDA toolkit), where ptxas is looked for and how its
// absence is told apart from its failures (with stand-in scripts), and, when
// the machine has ptxas, a real assembly of the test kernel.
//
//===----------------------------------------------------------------------===//

#include "TestKernels.h"

#include "mixir/Target/GPU/Ptxas.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace mixir::gpu;

namespace {

// ptxas 13.0 -arch=sm_90a -O3 -v on a module with two entries, one with
// static shared memory, a local array and a barrier.
constexpr const char *kTwoEntries =
    R"(ptxas info    : 0 bytes gmem
ptxas info    : Compiling entry function 'other' for 'sm_90a'
ptxas info    : Function properties for other
    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
ptxas info    : Used 4 registers, used 0 barriers
ptxas info    : Compile time = 3.356 ms
ptxas info    : Compiling entry function 'tile' for 'sm_90a'
ptxas info    : Function properties for tile
    256 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
ptxas info    : Used 12 registers, used 1 barriers, 256 bytes cumulative stack size, 4096 bytes smem
ptxas info    : Compile time = 1.729 ms
)";

// ptxas 13.0 -arch=sm_80 -O3 -v --maxrregcount=16 on a kernel holding 48
// values live.
constexpr const char *kSpills =
    R"(ptxas warning : For profile sm_80 adjusting per thread register count of 16 to lower bound of 24
ptxas info    : Overriding maximum register limit 256 for 'spill' with  24 of maxrregcount option
ptxas info    : 0 bytes gmem
ptxas info    : Compiling entry function 'spill' for 'sm_80'
ptxas info    : Function properties for spill
    232 bytes stack frame, 228 bytes spill stores, 228 bytes spill loads
ptxas info    : Used 24 registers, used 0 barriers, 232 bytes cumulative stack size, 360 bytes cmem[0]
ptxas info    : Compile time = 8.312 ms
)";

// The form of older ptxas (12.x): no barrier count; a device function with
// its own properties before the entry's.
constexpr const char *kCallee =
    R"(ptxas info    : 0 bytes gmem
ptxas info    : Compiling entry function 'caller' for 'sm_80'
ptxas info    : Function properties for helper
    16 bytes stack frame, 8 bytes spill stores, 4 bytes spill loads
ptxas info    : Function properties for caller
    32 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
ptxas info    : Used 40 registers, 380 bytes cmem[0]
)";

TEST(PtxasReportTest, ReadsEachEntry) {
  PtxasReport report = parsePtxasReport(kTwoEntries);
  ASSERT_EQ(report.functions.size(), 2u);
  const PtxasFunctionReport *tile = report.find("tile");
  ASSERT_TRUE(tile);
  EXPECT_TRUE(tile->isEntry);
  EXPECT_EQ(tile->chip, "sm_90a");
  EXPECT_EQ(tile->registers, 12u);
  EXPECT_EQ(tile->barriers, 1u);
  EXPECT_EQ(tile->sharedBytes, 4096u);
  EXPECT_EQ(tile->stackFrameBytes, 256u);
  EXPECT_EQ(tile->cumulativeStackBytes, 256u);
  EXPECT_EQ(tile->spillStoreBytes, 0u);
  const PtxasFunctionReport *other = report.find("other");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->registers, 4u);
  EXPECT_EQ(other->sharedBytes, 0u);
  EXPECT_EQ(report.find("missing"), nullptr);
  EXPECT_TRUE(report.warnings.empty());
}

TEST(PtxasReportTest, ReadsSpillsAndWarnings) {
  PtxasReport report = parsePtxasReport(kSpills);
  const PtxasFunctionReport *spill = report.find("spill");
  ASSERT_TRUE(spill);
  EXPECT_EQ(spill->registers, 24u);
  EXPECT_EQ(spill->spillStoreBytes, 228u);
  EXPECT_EQ(spill->spillLoadBytes, 228u);
  EXPECT_EQ(spill->stackFrameBytes, 232u);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("lower bound of 24"), std::string::npos);
}

TEST(PtxasReportTest, AttributesCalleePropertiesToTheCallee) {
  PtxasReport report = parsePtxasReport(kCallee);
  const PtxasFunctionReport *helper = report.find("helper");
  const PtxasFunctionReport *caller = report.find("caller");
  ASSERT_TRUE(helper && caller);
  EXPECT_FALSE(helper->isEntry);
  EXPECT_EQ(helper->spillStoreBytes, 8u);
  EXPECT_EQ(helper->spillLoadBytes, 4u);
  EXPECT_EQ(helper->registers, 0u);
  EXPECT_TRUE(caller->isEntry);
  EXPECT_EQ(caller->registers, 40u);
  EXPECT_EQ(caller->stackFrameBytes, 32u);
  EXPECT_EQ(caller->barriers, 0u);
}

/// A scratch directory removed at the end of the test.
class ScratchDirectory {
public:
  ScratchDirectory() {
    EXPECT_FALSE(
        llvm::sys::fs::createUniqueDirectory("mixir-ptxas-test", path));
  }
  ~ScratchDirectory() { llvm::sys::fs::remove_directories(path); }

  /// Writes an executable shell script `name` holding `body`.
  std::string script(llvm::StringRef subdirectory, llvm::StringRef name,
                     llvm::StringRef body) {
    llvm::SmallString<128> file(path);
    llvm::sys::path::append(file, subdirectory);
    EXPECT_FALSE(llvm::sys::fs::create_directories(file));
    llvm::sys::path::append(file, name);
    std::error_code error;
    {
      llvm::raw_fd_ostream os(file, error);
      EXPECT_FALSE(error);
      os << "#!/bin/sh\n" << body;
    }
    EXPECT_FALSE(llvm::sys::fs::setPermissions(
        file, llvm::sys::fs::perms::all_read | llvm::sys::fs::perms::all_exe |
                  llvm::sys::fs::perms::owner_write));
    return file.str().str();
  }
  std::string sub(llvm::StringRef subdirectory) const {
    llvm::SmallString<128> file(path);
    llvm::sys::path::append(file, subdirectory);
    return file.str().str();
  }

  llvm::SmallString<128> path;
};

/// Nowhere to look.
PtxasSearchPaths nowhere() {
  PtxasSearchPaths where;
  where.fallback = "/nonexistent/mixir/ptxas";
  return where;
}

TEST(PtxasFindTest, MissingPtxasIsItsOwnError) {
  PtxasSearchPaths where = nowhere();
  where.cudaHome = "/nonexistent/cuda";
  where.pathDirectories = {"/nonexistent/bin"};
  llvm::Expected<std::string> found = findPtxas("", where);
  ASSERT_FALSE(bool(found));
  llvm::Error error = found.takeError();
  EXPECT_TRUE(error.isA<PtxasNotFoundError>());
  std::string message = llvm::toString(std::move(error));
  EXPECT_NE(message.find("ptxas not found"), std::string::npos);
  EXPECT_NE(message.find("$CUDA_HOME/bin, $PATH, /nonexistent/mixir/ptxas"),
            std::string::npos)
      << message;

  // runPtxas passes it on unchanged, so the driver can write PTX only.
  PtxasOptions options;
  options.searchPaths = nowhere();
  llvm::Expected<PtxasResult> result =
      runPtxas(mixir::gpu::test::kAddPtx, "sm_80", options);
  ASSERT_FALSE(bool(result));
  llvm::Error runError = result.takeError();
  EXPECT_TRUE(runError.isA<PtxasNotFoundError>());
  llvm::consumeError(std::move(runError));
}

TEST(PtxasFindTest, AnExplicitPathMustExist) {
  llvm::Expected<std::string> found =
      findPtxas("/nonexistent/ptxas", nowhere());
  ASSERT_FALSE(bool(found));
  llvm::Error error = found.takeError();
  // The user named it: an error, not "install the toolkit".
  EXPECT_FALSE(error.isA<PtxasNotFoundError>());
  EXPECT_EQ(llvm::toString(std::move(error)),
            "--ptxas '/nonexistent/ptxas' is not an executable file");
}

TEST(PtxasFindTest, SearchOrder) {
  ScratchDirectory scratch;
  std::string inHome = scratch.script("home/bin", "ptxas", "exit 0\n");
  std::string inPath = scratch.script("path", "ptxas", "exit 0\n");
  std::string explicitOne = scratch.script("other", "my-ptxas", "exit 0\n");
  PtxasSearchPaths where = nowhere();
  where.pathDirectories = {scratch.sub("empty"), scratch.sub("path")};
  EXPECT_EQ(llvm::cantFail(findPtxas("", where)), inPath);
  where.cudaHome = scratch.sub("home");
  EXPECT_EQ(llvm::cantFail(findPtxas("", where)), inHome);
  EXPECT_EQ(llvm::cantFail(findPtxas(explicitOne, where)), explicitOne);
}

TEST(PtxasRunTest, FailureCarriesPtxasDiagnostics) {
  ScratchDirectory scratch;
  // ptxas -arch=... -O3 -v INPUT -o OUTPUT: $4 is the input.
  std::string fake = scratch.script(
      "bin", "ptxas",
      "echo \"ptxas $4, line 6; error   : Unknown symbol '%r1'\" >&2\n"
      "echo \"ptxas fatal   : Ptx assembly aborted due to errors\" >&2\n"
      "exit 255\n");
  PtxasOptions options;
  options.ptxasPath = fake;
  options.displayName = "add.ptx";
  llvm::Expected<PtxasResult> result =
      runPtxas(mixir::gpu::test::kAddPtx, "sm_80", options);
  ASSERT_FALSE(bool(result));
  std::string message = llvm::toString(result.takeError());
  EXPECT_EQ(message, "ptxas exited with 255 assembling add.ptx for sm_80:\n"
                     "ptxas add.ptx, line 6; error   : Unknown symbol '%r1'\n"
                     "ptxas fatal   : Ptx assembly aborted due to errors");
}

TEST(PtxasRunTest, AssemblesWithTheRealPtxas) {
  llvm::Expected<std::string> ptxas = findPtxas();
  if (!ptxas) {
    llvm::consumeError(ptxas.takeError());
    GTEST_SKIP() << "no ptxas on this machine";
  }
  PtxasOptions options;
  options.displayName = "add.ptx";
  llvm::Expected<PtxasResult> result =
      runPtxas(mixir::gpu::test::kAddPtx, "sm_80", options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(llvm::StringRef(result->cubin).take_front(4), "\x7f"
                                                          "ELF");
  const PtxasFunctionReport *add = result->report.find("add");
  ASSERT_TRUE(add) << result->log;
  EXPECT_TRUE(add->isEntry);
  EXPECT_EQ(add->chip, "sm_80");
  EXPECT_GT(add->registers, 0u);
  EXPECT_EQ(add->spillStoreBytes, 0u);

  // Its own diagnostics, naming the PTX by the display name.
  llvm::Expected<PtxasResult> broken =
      runPtxas(".version 7.0\n.target sm_80\n.address_size 64\n"
               ".visible .entry bad()\n{\n  mov.u32 %r1, 3;\n  ret;\n}\n",
               "sm_80", options);
  ASSERT_FALSE(bool(broken));
  std::string message = llvm::toString(broken.takeError());
  EXPECT_NE(message.find("ptxas exited with 255 assembling add.ptx for sm_80"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("ptxas add.ptx, line 6; error"), std::string::npos)
      << message;
}

} // namespace
