//===- run_encoder.cpp - drive a compiled encoder example -----------------===//
//
// Links with any of the encoder examples compiled by mixir-compile (an
// object and its header `encoder.h`, which declares
// `int32_t encoder(const float *x, float *y)` over [1, 512, 256] f32):
//
//   run_encoder --write-input x.npy
//       writes the deterministic input (normal, std 1, fixed seed), so that
//       mixir-run can compute the reference output from the same input;
//   run_encoder [--expect ref.npy] [--runs N]
//       runs the compiled block on that input, compares the output with
//       ref.npy (relative L2 error within the spec's f32 tolerance, 1e-5,
//       and nothing non-finite), and prints the median time per forward
//       pass over N runs (default 20) after one warm-up run.
//
// Exit status: 0 when the output matches (or nothing was to be compared),
// 1 when it does not, 2 on a usage or file error.
//
//===----------------------------------------------------------------------===//

#include "encoder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <malloc.h>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr int64_t kTokens = 512, kModel = 256;
constexpr int64_t kElements = kTokens * kModel;
constexpr double kTolerance = 1e-5;

std::vector<float> makeInput() {
  std::mt19937_64 generator(20261130);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> input(kElements);
  for (float &value : input)
    value = normal(generator);
  return input;
}

std::string npyHeader() {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, " +
                     std::to_string(kTokens) + ", " + std::to_string(kModel) +
                     "), }";
  // Magic (6) + version (2) + length (2) + dict, padded with spaces to a
  // multiple of 64 and ended by a newline.
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  std::string header("\x93NUMPY\x01\x00", 8);
  header += static_cast<char>(dict.size() & 0xFF);
  header += static_cast<char>(dict.size() >> 8);
  return header + dict;
}

bool writeNpy(const char *path, const std::vector<float> &values) {
  std::string temporary = std::string(path) + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    std::string header = npyHeader();
    out.write(header.data(), header.size());
    out.write(reinterpret_cast<const char *>(values.data()),
              values.size() * sizeof(float));
    if (!out)
      return false;
  }
  return std::rename(temporary.c_str(), path) == 0;
}

/// Reads an f32 .npy file of [1, 512, 256] (the layout mixir-run writes).
bool readNpy(const char *path, std::vector<float> &values) {
  std::ifstream in(path, std::ios::binary);
  char prefix[10];
  if (!in.read(prefix, sizeof(prefix)) ||
      std::memcmp(prefix, "\x93NUMPY", 6) != 0 || prefix[6] != 1)
    return false;
  size_t length = static_cast<unsigned char>(prefix[8]) |
                  (static_cast<unsigned char>(prefix[9]) << 8);
  std::string dict(length, '\0');
  if (!in.read(dict.data(), length) ||
      dict.find("'<f4'") == std::string::npos ||
      dict.find("(1, 512, 256)") == std::string::npos ||
      dict.find("'fortran_order': False") == std::string::npos)
    return false;
  values.resize(kElements);
  return static_cast<bool>(in.read(reinterpret_cast<char *>(values.data()),
                                   kElements * sizeof(float)));
}

int usage() {
  std::fprintf(stderr, "usage: run_encoder --write-input FILE\n"
                       "       run_encoder [--expect FILE] [--runs N]\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  const char *writeInput = nullptr, *expect = nullptr;
  int runs = 20;
  for (int i = 1; i < argc; ++i) {
    std::string option = argv[i];
    if (i + 1 >= argc)
      return usage();
    if (option == "--write-input")
      writeInput = argv[++i];
    else if (option == "--expect")
      expect = argv[++i];
    else if (option == "--runs")
      runs = std::atoi(argv[++i]);
    else
      return usage();
  }
  if (runs < 1 || runs > 100000)
    return usage();

  // The compiled block allocates its temporaries (a few MB) with malloc on
  // every call. By default glibc serves such sizes with fresh mmaps, or
  // trims them off the heap when freed, so their pages fault in again on
  // every call; a program that calls the block repeatedly keeps them.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);

  std::vector<float> input = makeInput();
  if (writeInput) {
    if (!writeNpy(writeInput, input)) {
      std::fprintf(stderr, "run_encoder: cannot write %s\n", writeInput);
      return 2;
    }
    return 0;
  }

  std::vector<float> output(kElements);
  // Poisoned first: an element the block fails to write shows as NaN.
  std::fill(output.begin(), output.end(), std::nanf(""));
  if (encoder(input.data(), output.data()) != 0) {
    std::fprintf(stderr, "run_encoder: the encoder returned an error\n");
    return 1;
  }

  int status = 0;
  if (expect) {
    std::vector<float> reference;
    if (!readNpy(expect, reference)) {
      std::fprintf(stderr,
                   "run_encoder: cannot read %s as f32 [1, 512, 256] .npy\n",
                   expect);
      return 2;
    }
    double error = 0, norm = 0, maxAbs = 0;
    bool finite = true;
    for (int64_t i = 0; i < kElements; ++i) {
      double difference = static_cast<double>(output[i]) - reference[i];
      finite = finite && std::isfinite(output[i]);
      error += difference * difference;
      norm += static_cast<double>(reference[i]) * reference[i];
      maxAbs = std::max(maxAbs, std::fabs(difference));
    }
    double relative = norm > 0 ? std::sqrt(error / norm) : std::sqrt(error);
    bool ok = finite && relative <= kTolerance;
    std::printf("check against %s: rel_l2 = %.3e  max_abs = %.3e  "
                "tolerance = %.0e  %s\n",
                expect, relative, maxAbs, kTolerance, ok ? "ok" : "FAIL");
    status = ok ? 0 : 1;
  }

  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    auto start = std::chrono::steady_clock::now();
    int32_t result = encoder(input.data(), output.data());
    auto stop = std::chrono::steady_clock::now();
    if (result != 0) {
      std::fprintf(stderr, "run_encoder: the encoder returned an error\n");
      return 1;
    }
    times.push_back(
        std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  std::printf("time per forward pass: %.3f ms (median of %d runs, min %.3f "
              "ms)\n",
              times[times.size() / 2], runs, times.front());
  return status;
}
