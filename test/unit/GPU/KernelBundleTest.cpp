//===- KernelBundleTest.cpp - kernel names, metadata and launchers --------===//
//
// The parts of a kernel bundle that Triton's tools and users rely on: the
// name `<base>_<hash>_<suffix>` (suffix rule, hash width and stability),
// the metadata JSON, the `// tt-linker:` line, the launcher's load and
// launch code, and the checks that refuse images the C cannot express.
//
//===----------------------------------------------------------------------===//

#include "TestKernels.h"

#include "mixir/Target/GPU/KernelBundle.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "gtest/gtest.h"

using namespace mixir::gpu;
using mixir::gpu::test::addImage;
using Kind = KernelParam::Kind;

namespace {

TEST(KernelBundleTest, SuffixListsEveryIndexWithItsHint) {
  EXPECT_EQ(kernelSuffix(addImage().params), "0d1d2d3");
  EXPECT_EQ(kernelSuffix(addImage(/*aligned=*/false).params), "0123");
  std::vector<KernelParam> many;
  for (int index = 0; index < 12; ++index)
    many.push_back({"p" + std::to_string(index), Kind::I64, index % 5 == 0});
  // Indices past 9 are written out in full, as Triton does.
  EXPECT_EQ(kernelSuffix(many), "0d12345d678910d11");
}

TEST(KernelBundleTest, NameIsBaseHashSuffix) {
  KernelImage image = addImage();
  std::string name = kernelName(image);
  EXPECT_TRUE(llvm::Regex("^add_[0-9a-f]{8}_0d1d2d3$").match(name)) << name;
  EXPECT_EQ(name, "add_" + kernelImageHash(image).substr(0, 8) + "_0d1d2d3");
  // A base with underscores keeps them; link.py splits at the last two.
  image.baseName = "flash_attn_fwd";
  EXPECT_TRUE(llvm::Regex("^flash_attn_fwd_[0-9a-f]{8}_0d1d2d3$")
                  .match(kernelName(image)));
}

TEST(KernelBundleTest, HashIsStable) {
  // The hash is part of every symbol a program links against: it must not
  // change between runs, machines or compiler versions for the same image.
  // If the serialization changes on purpose, update this value.
  EXPECT_EQ(kernelImageHash(addImage()),
            "fbe4f5d2b562aad323cebf40cd85649bd72766986b7a5f5192258f1e62e90a6d");
  EXPECT_EQ(kernelImageHash(addImage()), kernelImageHash(addImage()));
}

TEST(KernelBundleTest, HashCoversTheImageButNotTheCubin) {
  KernelImage base = addImage();
  std::string hash = kernelImageHash(base);
  auto changed = [&](auto mutate) {
    KernelImage image = addImage();
    mutate(image);
    return kernelImageHash(image) != hash;
  };
  EXPECT_TRUE(changed([](KernelImage &i) { i.ptx += "\n"; }));
  EXPECT_TRUE(changed([](KernelImage &i) { i.grid[1] = 2; }));
  EXPECT_TRUE(changed([](KernelImage &i) { i.numWarps = 8; }));
  EXPECT_TRUE(changed([](KernelImage &i) { i.numStages = 2; }));
  EXPECT_TRUE(changed([](KernelImage &i) { i.sharedBytes = 1024; }));
  EXPECT_TRUE(changed([](KernelImage &i) { i.chip = "sm_90"; }));
  EXPECT_TRUE(
      changed([](KernelImage &i) { i.params[3].divisibleBy16 = true; }));
  EXPECT_TRUE(changed([](KernelImage &i) { i.params[0].name = "x"; }));
  EXPECT_TRUE(changed([](KernelImage &i) { i.entry = "add2"; }));
  // The name must not depend on whether ptxas was found.
  EXPECT_FALSE(changed([](KernelImage &i) {
    i.cubin = "\x7f"
              "ELF";
  }));
  // The base name is outside the hash (it is in the name already).
  EXPECT_FALSE(changed([](KernelImage &i) { i.baseName = "other"; }));
}

TEST(KernelBundleTest, ChipArchitectureIsTritonsNumber) {
  EXPECT_EQ(chipArchitecture("sm_80"), 80u);
  EXPECT_EQ(chipArchitecture("sm_90"), 90u);
  EXPECT_EQ(chipArchitecture("sm_90a"), 90u);
  EXPECT_EQ(chipArchitecture("sm_"), std::nullopt);
  EXPECT_EQ(chipArchitecture("compute_80"), std::nullopt);
  EXPECT_EQ(chipArchitecture("sm_8x"), std::nullopt);
}

TEST(KernelBundleTest, JsonHasTritonsFieldsAndTheGrid) {
  KernelImage image = addImage();
  image.chip = "sm_90a";
  image.grid = {4, 2, 3};
  image.numWarps = 8;
  image.numStages = 3;
  image.sharedBytes = 65536;
  llvm::Expected<KernelBundle> bundle = buildKernelBundle(image);
  ASSERT_TRUE(bool(bundle)) << llvm::toString(bundle.takeError());
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(bundle->json);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object *json = parsed->getAsObject();
  ASSERT_TRUE(json);
  // Triton's "name" is the symbol in the binary, not the bundle's name.
  EXPECT_EQ(json->getString("name"), "add");
  EXPECT_EQ(json->getString("hash"), kernelImageHash(image));
  EXPECT_EQ(json->getInteger("num_warps"), 8);
  EXPECT_EQ(json->getInteger("num_ctas"), 1);
  EXPECT_EQ(json->getInteger("num_stages"), 3);
  EXPECT_EQ(json->getInteger("shared"), 65536);
  const llvm::json::Object *target = json->getObject("target");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->getString("backend"), "cuda");
  EXPECT_EQ(target->getInteger("arch"), 90);
  EXPECT_EQ(target->getInteger("warp_size"), 32);
  const llvm::json::Array *grid = json->getArray("grid");
  ASSERT_TRUE(grid);
  ASSERT_EQ(grid->size(), 3u);
  EXPECT_EQ((*grid)[0].getAsInteger(), 4);
  EXPECT_EQ((*grid)[1].getAsInteger(), 2);
  EXPECT_EQ((*grid)[2].getAsInteger(), 3);
  EXPECT_EQ(json->getString("chip"), "sm_90a");
}

TEST(KernelBundleTest, HeaderHasTheLinkerLineBeforeTheLauncher) {
  llvm::Expected<KernelBundle> bundle = buildKernelBundle(addImage());
  ASSERT_TRUE(bool(bundle)) << llvm::toString(bundle.takeError());
  const std::string &k = bundle->name;
  std::string signature =
      "CUdeviceptr a, CUdeviceptr b, CUdeviceptr c, int32_t n";
  // link.py matches `//\s*tt-linker:\s*(\w+):(.+):(.+)` at the start of a
  // line; algo_info is Triton's `<constants>_warps<W>xstages<S>` with no
  // constants.
  std::string linker = "\n// tt-linker: " + k + ":" + signature +
                       ":_warps4xstages1\nCUresult " + k +
                       "(CUstream stream, " + signature + ");\n";
  EXPECT_NE(bundle->header.find(linker), std::string::npos) << bundle->header;
  EXPECT_NE(bundle->header.find("\n// tt-linker-backend: cuda\n"),
            std::string::npos);
  EXPECT_NE(bundle->header.find("\nvoid load_" + k + "(void);\n"),
            std::string::npos);
  EXPECT_NE(bundle->header.find("\nvoid unload_" + k + "(void);\n"),
            std::string::npos);
  EXPECT_NE(bundle->header.find("\nCUresult " + k + "_load_status(void);\n"),
            std::string::npos);
  // Exactly one line that link.py reads as a directive.
  size_t directives = 0;
  for (size_t at = bundle->header.find("\n// tt-linker:");
       at != std::string::npos;
       at = bundle->header.find("\n// tt-linker:", at + 1))
    ++directives;
  EXPECT_EQ(directives, 1u);
}

TEST(KernelBundleTest, LauncherLoadsAndLaunchesAsRecorded) {
  KernelImage image = addImage();
  image.grid = {7, 3, 2};
  image.numWarps = 8;
  llvm::Expected<KernelBundle> bundle = buildKernelBundle(image);
  ASSERT_TRUE(bool(bundle)) << llvm::toString(bundle.takeError());
  const std::string &source = bundle->source;
  const std::string &k = bundle->name;
  EXPECT_NE(
      source.find("cuModuleLoadData(&" + k + "_module, " + k + "_image.bytes)"),
      std::string::npos);
  EXPECT_NE(source.find("cuModuleGetFunction(&" + k + "_function, " + k +
                        "_module, \"add\")"),
            std::string::npos);
  EXPECT_NE(source.find("cuLaunchKernel(" + k +
                        "_function, 7, 3, 2, 256, 1, "
                        "1, 0, stream,"),
            std::string::npos)
      << source;
  // No dynamic shared memory, no opt-in.
  EXPECT_EQ(source.find("cuFuncSetAttribute"), std::string::npos);
  // Only the declared functions are external.
  EXPECT_NE(source.find("static const union {"), std::string::npos);
  EXPECT_NE(source.find("static CUmodule " + k + "_module"), std::string::npos);
  EXPECT_NE(source.find("static CUfunction " + k + "_function"),
            std::string::npos);
  // The PTX is embedded NUL-terminated for the driver's JIT.
  size_t ptxBytes = image.ptx.size() + 1;
  EXPECT_NE(
      source.find("unsigned char bytes[" + std::to_string(ptxBytes) + "];"),
      std::string::npos);
  EXPECT_NE(source.find("0x00\n}};"), std::string::npos);
}

TEST(KernelBundleTest, LauncherOptsInToDynamicSharedMemory) {
  KernelImage image = addImage();
  image.sharedBytes = 100 * 1024;
  image.cubin = std::string("\x7f"
                            "ELF\x02\x01",
                            6);
  llvm::Expected<KernelBundle> bundle = buildKernelBundle(image);
  ASSERT_TRUE(bool(bundle)) << llvm::toString(bundle.takeError());
  EXPECT_NE(bundle->source.find(
                "CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 102400);"),
            std::string::npos);
  EXPECT_NE(bundle->source.find(", 102400, stream,"), std::string::npos);
  // The cubin, not the PTX, is embedded.
  EXPECT_NE(bundle->source.find("unsigned char bytes[6];"), std::string::npos);
  EXPECT_NE(bundle->source.find("  0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01\n}};"),
            std::string::npos);
  EXPECT_NE(bundle->header.find("cubin embedded"), std::string::npos);
}

TEST(KernelBundleTest, EmptyGridLaunchesNothing) {
  KernelImage image = addImage();
  image.grid = {0, 1, 1};
  llvm::Expected<KernelBundle> bundle = buildKernelBundle(image);
  ASSERT_TRUE(bool(bundle)) << llvm::toString(bundle.takeError());
  EXPECT_EQ(bundle->source.find("cuLaunchKernel"), std::string::npos);
  EXPECT_NE(bundle->source.find("return CUDA_SUCCESS;"), std::string::npos);
}

/// The message buildKernelBundle gives for `image`, or "" if it accepts it.
static std::string rejection(const KernelImage &image) {
  llvm::Expected<KernelBundle> bundle = buildKernelBundle(image);
  if (bundle)
    return "";
  return llvm::toString(bundle.takeError());
}

TEST(KernelBundleTest, RefusesWhatTheCCannotExpress) {
  auto with = [](auto mutate) {
    KernelImage image = addImage();
    mutate(image);
    return rejection(image);
  };
  EXPECT_EQ(with([](KernelImage &) {}), "");
  EXPECT_NE(with([](KernelImage &i) {
              i.baseName = "2add";
            }).find("base name is not a C identifier"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.baseName = "int";
            }).find("base name is not a C identifier"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.params[1].name = "a";
            }).find("parameter name 'a' repeats"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.params[1].name = "stream";
            }).find("parameter name 'stream'"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.params[1].name = "mixir_args";
            }).find("parameter name 'mixir_args'"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.params.clear();
            }).find("at least one parameter"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.chip = "gfx90a";
            }).find("unknown chip 'gfx90a'"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.numWarps = 33;
            }).find("num_warps (33) must be between 1 and 32"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.grid[1] = 65536;
            }).find("grid (4, 65536, 1) exceeds"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) { i.sharedBytes = 200 * 1024; })
                .find("dynamic shared memory (204800 bytes) exceeds the sm_80 "
                      "per-block maximum (166912 bytes)"),
            std::string::npos);
  EXPECT_EQ(with([](KernelImage &i) {
              i.chip = "sm_90a";
              i.sharedBytes = 200 * 1024;
            }),
            "");
  EXPECT_NE(with([](KernelImage &i) {
              i.entry = "sub";
            }).find("the PTX declares no .entry named 'sub'"),
            std::string::npos);
  EXPECT_NE(
      with([](KernelImage &i) { i.entry = "ad"; }).find("no .entry named 'ad'"),
      std::string::npos);
  EXPECT_NE(with([](KernelImage &i) {
              i.entry = "a\"dd";
            }).find("not a PTX identifier"),
            std::string::npos);
  EXPECT_NE(with([](KernelImage &i) { i.cubin = ""; }).find("cubin is empty"),
            std::string::npos);
}

TEST(KernelBundleTest, WritesTheFiles) {
  llvm::SmallString<128> directory;
  ASSERT_FALSE(
      llvm::sys::fs::createUniqueDirectory("mixir-bundle-test", directory));
  KernelImage image = addImage();
  llvm::Expected<KernelBundle> bundle = buildKernelBundle(image);
  ASSERT_TRUE(bool(bundle)) << llvm::toString(bundle.takeError());
  ASSERT_FALSE(bool(writeKernelBundle(*bundle, directory)));
  auto exists = [&](llvm::StringRef extension) {
    llvm::SmallString<128> path(directory);
    llvm::sys::path::append(path, bundle->name + "." + extension);
    return llvm::sys::fs::exists(path);
  };
  EXPECT_TRUE(exists("ptx"));
  EXPECT_TRUE(exists("json"));
  EXPECT_TRUE(exists("h"));
  EXPECT_TRUE(exists("c"));
  EXPECT_FALSE(exists("cubin"));
  llvm::sys::fs::remove_directories(directory);
}

} // namespace
